// Flush (00h). With a volatile write cache advertised, Flush makes the namespace images durable
// (msync + fsync); without one every completed write is already as durable as the image's
// durability mode promises. Either way the timing model decides how long the device takes to
// drain what it buffered. NSID FFFFFFFFh flushes every namespace (VWC bits 2:1 = 11b).
#include "model/storage/backing_image.h"
#include "nvme/nvm/nvm_command_set.h"
#include "nvme/nvm/nvm_io.h"

namespace znssim::nvme {

using namespace nvm;

namespace {

bool sync_one(command_context& ctx, nvme_namespace& ns) {
    if (!ctx.params().volatile_write_cache) return true;
    try {
        ns.image().sync_all();
    } catch (const image_error&) {
        ++ctx.logs().health.media_errors;
        return false;
    }
    return true;
}

void finish_flush(command_context& ctx, command& cmd, bool ok) {
    if (!ok) return;
    if (cmd.sqe.nsid == 0xffffffffu) {
        for (std::uint32_t id = 1; id <= ctx.namespace_limit(); ++id)
            if (nvme_namespace* ns = ctx.find_namespace(id)) ok = sync_one(ctx, *ns) && ok;
    } else if (nvme_namespace* ns = ctx.find_namespace(cmd.sqe.nsid)) {
        ok = sync_one(ctx, *ns);
    }
    if (!ok) cmd.status = spec::sc::write_fault;
}

} // namespace

disposition handle_flush(command_context& ctx, command& cmd) {
    nvme_namespace* first = nullptr;
    if (cmd.sqe.nsid == 0xffffffffu) {
        for (std::uint32_t id = 1; id <= ctx.namespace_limit() && !first; ++id)
            first = ctx.find_namespace(id);
    } else {
        first = lookup(ctx, cmd);
        if (first == nullptr) return fail(ctx, cmd, cmd.status);
    }
    cmd.status = spec::sc::success;
    cmd.plan = command_plan{};
    cmd.plan.finish = finish_flush;
    if (first) {
        plan_media(cmd, *first, media_op::flush, 0, 0);
        cmd.plan.media.nsid = cmd.sqe.nsid; // FFFFFFFFh: every namespace's buffered data
    }
    return disposition::planned;
}

} // namespace znssim::nvme
