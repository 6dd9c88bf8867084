// Write Zeroes (08h): no data transfer; the range is discarded in the image, which reads back as
// zeros (DLFEAT bit 3: Write Zeroes may deallocate) and keeps the image sparse. A planned
// command: accepted (zone write pointer checks) when it runs, discarded when its media time is
// over.
#include "model/storage/backing_image.h"
#include "nvme/ns/media_status.h"
#include "nvme/nvm/nvm_command_set.h"
#include "nvme/nvm/nvm_io.h"

namespace znssim::nvme {

using namespace nvm;

namespace {

void finish_write_zeroes(command_context& ctx, command& cmd, bool ok) {
    auto* ns = static_cast<nvme_namespace*>(cmd.plan.target);
    write_grant g;
    g.lba = cmd.plan.lba;
    g.nlb = cmd.plan.count;
    g.token = cmd.plan.token;
    const unsigned shift = ns->lba_shift();
    if (ok && ns->write_current(g)) {
        try {
            ns->image().discard(g.lba << shift, g.nlb << shift);
        } catch (const image_error& e) {
            ok = false; // the image could not be changed: a media status for this command
            const auto* io = dynamic_cast<const image_io_error*>(&e);
            cmd.status = media_status(io ? io->error() : EIO, true);
            count_media_error(ctx.logs(), cmd.status);
        }
    }
    const spec::status st = ns->end_write(write_kind::write_zeroes, g, ok);
    if (!st.ok()) {
        cmd.status = st;
        count_media_error(ctx.logs(), st);
        return;
    }
    if (ok) count_write(ctx, 0);
}

} // namespace

disposition handle_write_zeroes(command_context& ctx, command& cmd) {
    nvme_namespace* ns = lookup(ctx, cmd);
    if (ns == nullptr) return fail(ctx, cmd, cmd.status);
    if (unsupported_cdw12(cmd.sqe)) return fail(ctx, cmd, spec::sc::invalid_field);
    const lba_range r = decode_range(cmd.sqe);
    const unsigned shift = ns->lba_shift();
    write_grant g;
    spec::status st = ns->begin_write(write_kind::write_zeroes, r.slba, r.nlb, g);
    if (!st.ok()) return fail(ctx, cmd, st);
    if (!ns->image().in_data(r.slba << shift, r.nlb << shift)) {
        ns->end_write(write_kind::write_zeroes, g, false);
        return fail(ctx, cmd, spec::sc::lba_out_of_range);
    }
    cmd.status = spec::sc::success;
    cmd.plan = command_plan{};
    cmd.plan.finish = finish_write_zeroes;
    cmd.plan.target = ns;
    cmd.plan.lba = g.lba;
    cmd.plan.count = g.nlb;
    cmd.plan.token = g.token;
    plan_media(cmd, *ns, media_op::write_zeroes, r.slba, r.nlb);
    cmd.plan.media.implicit_open = g.opened;
    cmd.plan.media.auto_closed = g.auto_closed;
    return disposition::planned;
}

} // namespace znssim::nvme
