// Read (02h) and Write (01h), and the shared write path Zone Append uses. Data is copied once,
// between host memory and the mapped backing image, with no bounce buffer.
#include "model/log/log.h"
#include "model/storage/backing_image.h"
#include "nvme/nvm/nvm_command_set.h"
#include "nvme/nvm/nvm_io.h"
#include "nvme/transfer/data_transfer.h"

namespace znssim::nvme {

using namespace nvm;

namespace {

const log::logger_ptr& io_log() {
    static const log::logger_ptr lg = log::get("nvme.io");
    return lg;
}

} // namespace

spec::status nvm::prepare_read(command_context& ctx, command& cmd, bool host_to_device,
                               read_request& out) {
    out.ns = lookup(ctx, cmd);
    if (out.ns == nullptr) return cmd.status;
    if (unsupported_cdw12(cmd.sqe)) return spec::sc::invalid_field;
    if (cmd.xfer == nullptr) return spec::sc::internal_error;
    out.range = decode_range(cmd.sqe);
    const unsigned shift = out.ns->lba_shift();
    out.offset = out.range.slba << shift;
    out.len = out.range.nlb << shift;
    if (out.len > data_transfer::max_transfer_bytes(ctx.params())) return spec::sc::invalid_field;
    const spec::status st = out.ns->check_read(out.range.slba, out.range.nlb);
    if (!st.ok()) return st;
    if (!out.ns->image().in_data(out.offset, out.len)) return spec::sc::lba_out_of_range;
    return cmd.xfer->prepare(ctx, cmd.sqe, out.len, host_to_device, ctx.params().sgl);
}

disposition handle_read(command_context& ctx, command& cmd) {
    read_request rq;
    spec::status st = prepare_read(ctx, cmd, false, rq);
    if (st.ok()) st = cmd.xfer->copy_to_host(ctx, rq.ns->image().data(rq.offset));
    if (!st.ok()) return fail(ctx, cmd, st);
    ZLOG_TRACE(io_log(), "read nsid={} slba={} nlb={}", rq.ns->nsid(), rq.range.slba, rq.range.nlb);
    count_read(ctx, rq.len);
    cmd.status = spec::sc::success;
    cmd.done_at = media_done(ctx, media_op::read, *rq.ns, rq.range.slba, rq.range.nlb);
    return disposition::complete;
}

disposition execute_write(command_context& ctx, command& cmd, write_kind kind) {
    nvme_namespace* ns = lookup(ctx, cmd);
    if (ns == nullptr) return fail(ctx, cmd, cmd.status);
    if (unsupported_cdw12(cmd.sqe)) return fail(ctx, cmd, spec::sc::invalid_field);
    if (cmd.xfer == nullptr) return fail(ctx, cmd, spec::sc::internal_error);
    const lba_range r = decode_range(cmd.sqe);
    const unsigned shift = ns->lba_shift();
    const std::uint64_t len = r.nlb << shift;
    ZLOG_TRACE(io_log(), "{} nsid={} slba={} nlb={}",
               kind == write_kind::append ? "append" : "write", ns->nsid(), r.slba, r.nlb);

    // Resolve the data pointer before touching namespace state, so a bad PRP/SGL leaves a zoned
    // namespace's write pointer alone.
    spec::status st = cmd.xfer->prepare(ctx, cmd.sqe, len, true, ctx.params().sgl);
    if (!st.ok()) return fail(ctx, cmd, st);
    std::uint64_t lba = r.slba;
    st = ns->begin_write(kind, r.slba, r.nlb, &lba);
    if (!st.ok()) return fail(ctx, cmd, st);
    backing_image& img = ns->image();
    if (!img.in_data(lba << shift, len))
        st = spec::sc::lba_out_of_range;
    else
        st = cmd.xfer->copy_from_host(ctx, img.data(lba << shift));
    ns->end_write(kind, lba, r.nlb, st.ok());
    if (!st.ok()) return fail(ctx, cmd, st);

    count_write(ctx, len);
    cmd.status = spec::sc::success;
    if (kind == write_kind::append) {
        cmd.dw0 = static_cast<std::uint32_t>(lba);
        cmd.dw1 = static_cast<std::uint32_t>(lba >> 32);
    }
    cmd.done_at = media_done(
        ctx, kind == write_kind::append ? media_op::zone_append : media_op::write, *ns, lba, r.nlb);
    return disposition::complete;
}

disposition handle_write(command_context& ctx, command& cmd) {
    return execute_write(ctx, cmd, write_kind::write);
}

} // namespace znssim::nvme
