// Flush (00h). With a volatile write cache advertised, Flush makes the namespace images durable
// (msync + fsync); without one every completed write is already as durable as the image's
// durability mode promises, so Flush only costs media time. NSID FFFFFFFFh flushes every
// namespace (VWC bits 2:1 = 11b).
#include "model/storage/backing_image.h"
#include "nvme/nvm/nvm_command_set.h"
#include "nvme/nvm/nvm_io.h"

#include <algorithm>

namespace znssim::nvme {

using namespace nvm;

namespace {

bool flush_one(command_context& ctx, nvme_namespace& ns, sim_time& done) {
    if (ctx.params().volatile_write_cache) {
        try {
            ns.image().sync_all();
        } catch (const image_error&) {
            ++ctx.logs().health.media_errors;
            return false;
        }
    }
    done = std::max(done, media_done(ctx, media_op::flush, ns, 0, 0));
    return true;
}

} // namespace

disposition handle_flush(command_context& ctx, command& cmd) {
    sim_time done = ctx.now();
    bool ok = true;
    if (cmd.sqe.nsid == 0xffffffffu) {
        for (std::uint32_t id = 1; id <= ctx.namespace_limit(); ++id)
            if (nvme_namespace* ns = ctx.find_namespace(id)) ok = flush_one(ctx, *ns, done) && ok;
    } else {
        nvme_namespace* ns = lookup(ctx, cmd);
        if (ns == nullptr) return fail(ctx, cmd, cmd.status);
        ok = flush_one(ctx, *ns, done);
    }
    if (!ok) return fail(ctx, cmd, spec::sc::write_fault);
    cmd.status = spec::sc::success;
    cmd.done_at = done;
    return disposition::complete;
}

} // namespace znssim::nvme
