// Zone Management Send (79h): Close, Finish, Open, Reset, Offline, Set Zone Descriptor Extension,
// on one zone or (Select All) on every zone in the states the action names.
#include "model/log/log.h"
#include "nvme/transfer/data_transfer.h"
#include "zns/commands/zns_commands.h"
#include "zns/zoned_namespace.h"

#include <algorithm>

namespace znssim::zns {

namespace nsc = nvme::spec::sc;

namespace {

bool decode_action(std::uint8_t v, spec::zsa& out) {
    switch (v) {
    case 0x1:
    case 0x2:
    case 0x3:
    case 0x4:
    case 0x5:
    case 0x10:
        out = static_cast<spec::zsa>(v);
        return true;
    default:
        return false; // includes ZRWA flush (11h): no ZRWA support
    }
}

bool timed(spec::zsa a, media_op& op) {
    switch (a) {
    case spec::zsa::open:
        op = media_op::zone_open;
        return true;
    case spec::zsa::close:
        op = media_op::zone_close;
        return true;
    case spec::zsa::finish:
        op = media_op::zone_finish;
        return true;
    case spec::zsa::reset:
        op = media_op::zone_reset;
        return true;
    default:
        return false;
    }
}

/// One zone's action, with its media cost (zone_lbas = LBAs written in the zone before it, so a
/// timing model can charge a reset or finish by fill level).
nvme::spec::status act(nvme::command_context& ctx, zoned_namespace& ns, spec::zsa a,
                       std::uint32_t i, const void* ext, sim_time& done) {
    const zone& z = ns.zones().at(i);
    const std::uint64_t written = z.wp - z.start;
    const nvme::spec::status st = ns.zone_action(a, z.start, false, ext);
    media_op op{};
    if (st.ok() && timed(a, op)) {
        const media_request r{op, ns.nsid(), z.start, written, 1u << ns.lba_shift(), written};
        done = std::max(done, ctx.timing().complete_at(r, ctx.now()));
    }
    return st;
}

} // namespace

nvme::disposition handle_zone_mgmt_send(nvme::command_context& ctx, nvme::command& cmd) {
    static const log::logger_ptr lg = log::get("zns.cmd");
    cmd.done_at = ctx.now();
    zoned_namespace* ns = detail::zoned_target(ctx, cmd);
    if (ns == nullptr) return nvme::disposition::complete;
    const std::uint64_t slba = (std::uint64_t(cmd.sqe.cdw11) << 32) | cmd.sqe.cdw10;
    const std::uint32_t cdw13 = cmd.sqe.cdw13;
    const bool select_all = (cdw13 & spec::zms_select_all) != 0;
    spec::zsa action{};
    ZLOG_DEBUG(lg, "zms nsid={} slba={:#x} zsa={:#x} all={}", ns->nsid(), slba, cdw13 & 0xff,
               select_all);
    // ZSASO (bit 9, ZRWA allocation) is not supported: no ZRWA resources.
    if (!decode_action(cdw13 & 0xff, action) || (cdw13 & (1u << 9))) {
        cmd.status = nsc::invalid_field;
        return nvme::disposition::complete;
    }

    const void* ext = nullptr;
    static std::uint8_t ext_buf[255 * 64]; // largest ZDES; handlers run one at a time
    if (action == spec::zsa::set_extension) {
        const std::uint32_t n = ns->extension_bytes();
        if (n == 0 || select_all) {
            cmd.status = nsc::invalid_field;
            return nvme::disposition::complete;
        }
        if (cmd.xfer == nullptr) {
            cmd.status = nsc::internal_error;
            return nvme::disposition::complete;
        }
        nvme::spec::status st = cmd.xfer->prepare(ctx, cmd.sqe, n, true, ctx.params().sgl);
        if (st.ok()) st = cmd.xfer->copy_from_host(ctx, ext_buf);
        if (!st.ok()) {
            cmd.status = st;
            return nvme::disposition::complete;
        }
        ext = ext_buf;
    }

    sim_time done = ctx.now();
    nvme::spec::status st = nsc::success;
    if (select_all) {
        for (std::uint32_t i = 0; i < ns->zones().zone_count() && st.ok(); ++i)
            if (ns->zones().selects(action, i)) st = act(ctx, *ns, action, i, nullptr, done);
    } else if (slba >= ns->size_lbas()) {
        st = nsc::lba_out_of_range;
    } else if (slba % ns->zones().geometry().zone_size != 0) {
        st = nsc::invalid_field;
    } else {
        st = act(ctx, *ns, action, ns->zones().zone_of(slba), ext, done);
    }
    cmd.status = st;
    cmd.dw0 = 0; // ZCAPC: zone capacity never changes
    cmd.done_at = done;
    return nvme::disposition::complete;
}

} // namespace znssim::zns
