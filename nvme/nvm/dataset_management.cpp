// Dataset Management (09h): the ranges come through the data pointer; with the Attribute
// Deallocate bit the ranges are discarded (they then read as zeros, DLFEAT = 1). The integral
// read/write hints are accepted and ignored. All ranges are checked before any is changed.
#include "model/storage/backing_image.h"
#include "nvme/ns/media_status.h"
#include "nvme/nvm/nvm_command_set.h"
#include "nvme/nvm/nvm_io.h"
#include "nvme/transfer/host_copy.h"

#include <algorithm>

namespace znssim::nvme {

using namespace nvm;

namespace {

#pragma pack(push, 1)
struct dsm_range {
    std::uint32_t attributes;
    std::uint32_t nlb; ///< length in LBAs (1-based; 0 = empty range)
    std::uint64_t slba;
};
static_assert(sizeof(dsm_range) == 16);
#pragma pack(pop)

constexpr std::uint32_t attr_deallocate = 1u << 2;

} // namespace

disposition handle_dataset_management(command_context& ctx, command& cmd) {
    nvme_namespace* ns = lookup(ctx, cmd);
    if (ns == nullptr) return fail(ctx, cmd, cmd.status);
    const unsigned nr = (cmd.sqe.cdw10 & 0xffu) + 1;
    const bool deallocate = (cmd.sqe.cdw11 & attr_deallocate) != 0;

    dsm_range ranges[256];
    spec::status st = fetch_from_host(ctx, cmd, ranges, nr * sizeof(dsm_range), ctx.params().sgl);
    if (!st.ok()) return fail(ctx, cmd, st);
    if (!deallocate) {
        cmd.status = spec::sc::success;
        cmd.done_at = ctx.now();
        return disposition::complete;
    }
    for (unsigned i = 0; i < nr; ++i) {
        if (ranges[i].nlb == 0) continue;
        st = ns->check_deallocate(ranges[i].slba, ranges[i].nlb);
        if (!st.ok()) return fail(ctx, cmd, st);
    }
    const unsigned shift = ns->lba_shift();
    backing_image& img = ns->image();
    sim_time done = ctx.now();
    for (unsigned i = 0; i < nr; ++i) {
        const dsm_range& r = ranges[i];
        if (r.nlb == 0 || !img.in_data(r.slba << shift, std::uint64_t{r.nlb} << shift)) continue;
        try {
            img.discard(r.slba << shift, std::uint64_t{r.nlb} << shift);
        } catch (const image_error& e) {
            const auto* io = dynamic_cast<const image_io_error*>(&e);
            const spec::status st = media_status(io ? io->error() : EIO, true);
            count_media_error(ctx.logs(), st);
            return fail(ctx, cmd, st);
        }
        done = std::max(done, media_done(ctx, cmd, media_op::deallocate, *ns, r.slba, r.nlb));
    }
    cmd.status = spec::sc::success;
    cmd.done_at = done;
    return disposition::complete;
}

} // namespace znssim::nvme
