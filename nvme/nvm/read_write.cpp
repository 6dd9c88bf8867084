// Read (02h) and Write (01h), and the shared write path Zone Append uses. Both are planned
// commands: the handler checks and reserves, the core moves the data (once, between host memory
// and the mapped backing image, with no bounce buffer) and runs the media access at the times
// the timing model gives, then the finish step records the write.
#include "model/log/log.h"
#include "model/storage/backing_image.h"
#include "nvme/ns/media_status.h"
#include "nvme/nvm/nvm_command_set.h"
#include "nvme/nvm/nvm_io.h"
#include "nvme/transfer/data_transfer.h"

namespace znssim::nvme {

using namespace nvm;

namespace {

constexpr std::uint32_t cdw12_fua = 1u << 30;

void finish_read(command_context& ctx, command& cmd, bool data_ok) {
    if (data_ok) count_read(ctx, cmd.plan.bytes);
}

void finish_write(command_context& ctx, command& cmd, bool data_ok) {
    auto* ns = static_cast<nvme_namespace*>(cmd.plan.target);
    write_grant g;
    g.lba = cmd.plan.lba;
    g.nlb = cmd.plan.count;
    g.token = cmd.plan.token;
    const spec::status st = ns->end_write(static_cast<write_kind>(cmd.plan.aux), g, data_ok);
    if (!st.ok()) {
        cmd.status = st;
        count_media_error(ctx.logs(), st);
        return;
    }
    if (data_ok) count_write(ctx, cmd.plan.bytes);
}

bool write_still_current(const command& cmd) {
    write_grant g;
    g.lba = cmd.plan.lba;
    g.nlb = cmd.plan.count;
    g.token = cmd.plan.token;
    return static_cast<const nvme_namespace*>(cmd.plan.target)->write_current(g);
}

} // namespace

void nvm::plan_media(command& cmd, const nvme_namespace& ns, media_op op, std::uint64_t slba,
                     std::uint64_t nlb) {
    media_request& r = cmd.plan.media;
    r = media_request{};
    r.op = op;
    r.nsid = ns.nsid();
    r.slba = slba;
    r.nlb = nlb;
    r.lba_bytes = 1u << ns.lba_shift();
    r.ns_lbas = ns.size_lbas();
    r.sqid = cmd.sqid;
    r.cid = cmd.sqe.cid;
    r.opcode = cmd.sqe.opcode;
    r.fua = (cmd.sqe.cdw12 & cdw12_fua) != 0;
    ns.describe_access(r);
    cmd.plan.has_media = true;
}

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
    if (const int err = out.ns->image().check_read(out.offset, out.len)) {
        const spec::status media = media_status(err, false);
        count_media_error(ctx.logs(), media);
        return media;
    }
    return cmd.xfer->prepare(ctx, cmd.sqe, out.len, host_to_device, ctx.params().sgl);
}

disposition handle_read(command_context& ctx, command& cmd) {
    read_request rq;
    const spec::status st = prepare_read(ctx, cmd, false, rq);
    if (!st.ok()) return fail(ctx, cmd, st);
    const log::logger_ptr& lg = ctx.logger("nvme.io");
    ZLOG_TRACE(lg, "read nsid={} slba={} nlb={}", rq.ns->nsid(), rq.range.slba, rq.range.nlb);
    cmd.status = spec::sc::success;
    cmd.plan = command_plan{};
    cmd.plan.data = data_direction::to_host;
    cmd.plan.device_bytes = rq.ns->image().data(rq.offset);
    cmd.plan.bytes = rq.len;
    cmd.plan.finish = finish_read;
    plan_media(cmd, *rq.ns, media_op::read, rq.range.slba, rq.range.nlb);
    return disposition::planned;
}

disposition execute_write(command_context& ctx, command& cmd, write_kind kind) {
    nvme_namespace* ns = lookup(ctx, cmd);
    if (ns == nullptr) return fail(ctx, cmd, cmd.status);
    if (unsupported_cdw12(cmd.sqe)) return fail(ctx, cmd, spec::sc::invalid_field);
    if (cmd.xfer == nullptr) return fail(ctx, cmd, spec::sc::internal_error);
    const lba_range r = decode_range(cmd.sqe);
    const unsigned shift = ns->lba_shift();
    const std::uint64_t len = r.nlb << shift;
    const log::logger_ptr& lg = ctx.logger("nvme.io");
    ZLOG_TRACE(lg, "{} nsid={} slba={} nlb={}", kind == write_kind::append ? "append" : "write",
               ns->nsid(), r.slba, r.nlb);

    // Resolve the data pointer before touching namespace state, so a bad PRP/SGL leaves a zoned
    // namespace's write pointer alone.
    spec::status st = cmd.xfer->prepare(ctx, cmd.sqe, len, true, ctx.params().sgl);
    if (!st.ok()) return fail(ctx, cmd, st);
    write_grant g;
    st = ns->begin_write(kind, r.slba, r.nlb, g);
    if (!st.ok()) return fail(ctx, cmd, st);
    backing_image& img = ns->image();
    if (!img.in_data(g.lba << shift, len)) {
        ns->end_write(kind, g, false);
        return fail(ctx, cmd, spec::sc::lba_out_of_range);
    }
    // Blocks for the data before it is copied into the mapping: a full disk fails this command
    // (and leaves the zone's write pointer alone) instead of killing the process with SIGBUS.
    if (const int err = img.reserve(g.lba << shift, len)) {
        ns->end_write(kind, g, false);
        const spec::status media = media_status(err, true);
        count_media_error(ctx.logs(), media);
        return fail(ctx, cmd, media);
    }
    cmd.status = spec::sc::success;
    if (kind == write_kind::append) {
        cmd.dw0 = static_cast<std::uint32_t>(g.lba);
        cmd.dw1 = static_cast<std::uint32_t>(g.lba >> 32);
    }
    cmd.plan = command_plan{};
    cmd.plan.data = data_direction::to_device;
    cmd.plan.device_bytes = img.data(g.lba << shift);
    cmd.plan.bytes = len;
    cmd.plan.finish = finish_write;
    cmd.plan.wanted = write_still_current;
    cmd.plan.target = ns;
    cmd.plan.lba = g.lba;
    cmd.plan.count = g.nlb;
    cmd.plan.token = g.token;
    cmd.plan.aux = static_cast<std::uint32_t>(kind);
    plan_media(cmd, *ns, kind == write_kind::append ? media_op::zone_append : media_op::write,
               g.lba, r.nlb);
    cmd.plan.media.implicit_open = g.opened;
    cmd.plan.media.auto_closed = g.auto_closed;
    return disposition::planned;
}

disposition handle_write(command_context& ctx, command& cmd) {
    return execute_write(ctx, cmd, write_kind::write);
}

} // namespace znssim::nvme
