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
    read_request rq;
    spec::status st = prepare_read(ctx, cmd, true, rq);
    if (!st.ok()) return fail(ctx, cmd, st);
    alignas(8) std::uint8_t chunk[4096];
    static const std::uint8_t zeros[4096] = {};
    // A namespace without data storage reads as zeros.
    const std::uint8_t* media = rq.ns->image().data(rq.offset);
    bool equal = true;
    for (std::uint64_t pos = 0; pos < rq.len && equal; pos += sizeof chunk) {
        const std::uint64_t n = std::min<std::uint64_t>(sizeof chunk, rq.len - pos);
        st = cmd.xfer->copy_from_host(ctx, pos, chunk, n);
        if (!st.ok()) return fail(ctx, cmd, st);
        equal = std::memcmp(chunk, media ? media + pos : zeros, n) == 0;
    }
    ++ctx.logs().health.host_read_commands;
    cmd.status = equal ? spec::sc::success : spec::sc::compare_failure;
    cmd.done_at = media_done(ctx, cmd, media_op::compare, *rq.ns, rq.range.slba, rq.range.nlb);
    return disposition::complete;
}

disposition handle_verify(command_context& ctx, command& cmd) {
    nvme_namespace* ns = lookup(ctx, cmd);
    if (ns == nullptr) return fail(ctx, cmd, cmd.status);
    if (unsupported_cdw12(cmd.sqe)) return fail(ctx, cmd, spec::sc::invalid_field);
    const lba_range r = decode_range(cmd.sqe);
    const spec::status st = ns->check_read(r.slba, r.nlb);
    if (!st.ok()) return fail(ctx, cmd, st);
    ++ctx.logs().health.host_read_commands;
    cmd.status = spec::sc::success;
    cmd.done_at = media_done(ctx, cmd, media_op::verify, *ns, r.slba, r.nlb);
    return disposition::complete;
}

} // namespace znssim::nvme
