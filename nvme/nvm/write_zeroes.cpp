// Write Zeroes (08h): no data transfer; the range is discarded in the image, which reads back as
// zeros (DLFEAT bit 3: Write Zeroes may deallocate) and keeps the image sparse.
#include "model/storage/backing_image.h"
#include "nvme/nvm/nvm_command_set.h"
#include "nvme/nvm/nvm_io.h"

namespace znssim::nvme {

using namespace nvm;

disposition handle_write_zeroes(command_context& ctx, command& cmd) {
    nvme_namespace* ns = lookup(ctx, cmd);
    if (ns == nullptr) return fail(ctx, cmd, cmd.status);
    if (unsupported_cdw12(cmd.sqe)) return fail(ctx, cmd, spec::sc::invalid_field);
    const lba_range r = decode_range(cmd.sqe);
    const unsigned shift = ns->lba_shift();
    spec::status st = ns->begin_write(write_kind::write_zeroes, r.slba, r.nlb, nullptr);
    if (!st.ok()) return fail(ctx, cmd, st);
    backing_image& img = ns->image();
    bool ok = img.in_data(r.slba << shift, r.nlb << shift);
    if (ok) {
        try {
            img.discard(r.slba << shift, r.nlb << shift);
        } catch (const image_error&) {
            ok = false; // the image could not be changed: a write fault for this command
            ++ctx.logs().health.media_errors;
        }
    }
    ns->end_write(write_kind::write_zeroes, r.slba, r.nlb, ok);
    if (!ok) return fail(ctx, cmd, spec::sc::write_fault);
    count_write(ctx, 0);
    cmd.status = spec::sc::success;
    cmd.done_at = media_done(ctx, media_op::write_zeroes, *ns, r.slba, r.nlb);
    return disposition::complete;
}

} // namespace znssim::nvme
