// Compare (05h) and Verify (0Ch). Compare is the one command with a bounce buffer: host data is
// fetched in 4 KiB chunks and compared against the image in place. Verify moves no data; with no
// protection information and an always-readable image it checks only that the range may be read.
#include "model/storage/backing_image.h"
#include "nvme/nvm/nvm_command_set.h"
#include "nvme/nvm/nvm_io.h"
#include "nvme/transfer/data_transfer.h"

#include <algorithm>
#include <cstring>

namespace znssim::nvme {

using namespace nvm;

disposition handle_compare(command_context& ctx, command& cmd) {
    nvme_namespace* ns = lookup(ctx, cmd);
    if (ns == nullptr)
        return fail(ctx, cmd, cmd.status);
    if (unsupported_cdw12(cmd.sqe))
        return fail(ctx, cmd, spec::sc::invalid_field);
    if (cmd.xfer == nullptr)
        return fail(ctx, cmd, spec::sc::internal_error);
    const lba_range r = decode_range(cmd.sqe);
    const unsigned shift = ns->lba_shift();
    const std::uint64_t len = r.nlb << shift;
    if (len > data_transfer::max_transfer_bytes(ctx.params()))
        return fail(ctx, cmd, spec::sc::invalid_field);
    spec::status st = ns->check_read(r.slba, r.nlb);
    if (!st.ok())
        return fail(ctx, cmd, st);
    backing_image& img = ns->image();
    if (!img.in_data(r.slba << shift, len))
        return fail(ctx, cmd, spec::sc::lba_out_of_range);
    st = cmd.xfer->prepare(ctx, cmd.sqe, len, true, ctx.params().sgl);
    if (!st.ok())
        return fail(ctx, cmd, st);

    alignas(8) std::uint8_t chunk[4096];
    const std::uint8_t* media = img.data(r.slba << shift);
    bool equal = true;
    for (std::uint64_t pos = 0; pos < len && equal; pos += sizeof chunk) {
        const std::uint64_t n = std::min<std::uint64_t>(sizeof chunk, len - pos);
        st = cmd.xfer->copy_from_host(ctx, pos, chunk, n);
        if (!st.ok())
            return fail(ctx, cmd, st);
        equal = std::memcmp(chunk, media + pos, n) == 0;
    }
    ++ctx.logs().health.host_read_commands;
    cmd.status = equal ? spec::sc::success : spec::sc::compare_failure;
    cmd.done_at = media_done(ctx, media_op::compare, *ns, r.slba, r.nlb);
    return disposition::complete;
}

disposition handle_verify(command_context& ctx, command& cmd) {
    nvme_namespace* ns = lookup(ctx, cmd);
    if (ns == nullptr)
        return fail(ctx, cmd, cmd.status);
    if (unsupported_cdw12(cmd.sqe))
        return fail(ctx, cmd, spec::sc::invalid_field);
    const lba_range r = decode_range(cmd.sqe);
    const spec::status st = ns->check_read(r.slba, r.nlb);
    if (!st.ok())
        return fail(ctx, cmd, st);
    ++ctx.logs().health.host_read_commands;
    cmd.status = spec::sc::success;
    cmd.done_at = media_done(ctx, media_op::verify, *ns, r.slba, r.nlb);
    return disposition::complete;
}

} // namespace znssim::nvme
