// Zone Management Send (79h): Close, Finish, Open, Reset, Offline, Set Zone Descriptor Extension,
// on one zone or (Select All) on every zone in the states the action names. Open, Close,
// Finish, Reset and Offline are planned commands: checked when they run, costed by the timing
// model from the zone's fill (a reset erases what was written, a finish fills what was not), and
// applied when their media time is over, so the zone changes state when the command completes.
// Set Zone Descriptor Extension is applied at once.
#include "model/log/log.h"
#include "nvme/nvm/nvm_io.h"
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

media_op media_op_of(spec::zsa a) {
    switch (a) {
    case spec::zsa::open:
        return media_op::zone_open;
    case spec::zsa::close:
        return media_op::zone_close;
    case spec::zsa::finish:
        return media_op::zone_finish;
    case spec::zsa::reset:
        return media_op::zone_reset;
    default:
        return media_op::zone_offline;
    }
}

void finish_zone_action(nvme::command_context&, nvme::command& cmd, bool ok) {
    if (!ok) return; // aborted before it ran: the zone is untouched
    auto* ns = static_cast<zoned_namespace*>(cmd.plan.target);
    const auto action = static_cast<spec::zsa>(cmd.plan.aux);
    cmd.status = ns->zone_action(action, cmd.plan.lba, cmd.plan.token != 0, nullptr);
    cmd.dw0 = 0; // ZCAPC: zone capacity never changes
}

nvme::disposition complete_now(nvme::command_context& ctx, nvme::command& cmd,
                               nvme::spec::status st) {
    cmd.status = st;
    cmd.done_at = ctx.now();
    return nvme::disposition::complete;
}

nvme::disposition set_extension(nvme::command_context& ctx, nvme::command& cmd, zoned_namespace& ns,
                                std::uint64_t slba, bool select_all) {
    const std::uint32_t n = ns.extension_bytes();
    if (n == 0 || select_all) return complete_now(ctx, cmd, nsc::invalid_field);
    if (cmd.xfer == nullptr) return complete_now(ctx, cmd, nsc::internal_error);
    static std::uint8_t ext_buf[255 * 64]; // largest ZDES; used and done within this call
    nvme::spec::status st = cmd.xfer->prepare(ctx, cmd.sqe, n, true, ctx.params().sgl);
    if (st.ok()) st = cmd.xfer->copy_from_host(ctx, ext_buf);
    if (st.ok()) st = ns.zone_action(spec::zsa::set_extension, slba, false, ext_buf);
    return complete_now(ctx, cmd, st);
}

} // namespace

nvme::disposition handle_zone_mgmt_send(nvme::command_context& ctx, nvme::command& cmd) {
    const log::logger_ptr& lg = ctx.logger("zns.cmd");
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
    if (!decode_action(cdw13 & 0xff, action) || (cdw13 & (1u << 9)))
        return complete_now(ctx, cmd, nsc::invalid_field);
    if (!select_all) {
        if (slba >= ns->size_lbas()) return complete_now(ctx, cmd, nsc::lba_out_of_range);
        if (slba % ns->zones().geometry().zone_size != 0)
            return complete_now(ctx, cmd, nsc::invalid_field);
    }
    if (action == spec::zsa::set_extension) return set_extension(ctx, cmd, *ns, slba, select_all);

    const zone_state_machine& zones = ns->zones();
    cmd.status = nsc::success;
    cmd.dw0 = 0;
    cmd.plan = nvme::command_plan{};
    cmd.plan.finish = finish_zone_action;
    cmd.plan.target = ns;
    cmd.plan.lba = slba;
    cmd.plan.token = select_all ? 1 : 0;
    cmd.plan.aux = static_cast<std::uint32_t>(action);
    const media_op op = media_op_of(action);
    if (!select_all) {
        // A transition the zone cannot make fails at once, without media time.
        const std::uint32_t i = zones.zone_of(slba);
        if (nvme::spec::status st = zones.check(action, i); !st.ok())
            return complete_now(ctx, cmd, st);
        nvme::nvm::plan_media(cmd, *ns, op, zones.at(i).start, 0);
        return nvme::disposition::planned;
    }
    // Select All: each selected zone costs what its action costs on its own dies.
    std::uint32_t touched = 0;
    sim_time done = ctx.now();
    for (std::uint32_t i = 0; i < zones.zone_count(); ++i) {
        if (!zones.selects(action, i)) continue;
        ++touched;
        if (!ctx.timing().timed()) continue;
        nvme::nvm::plan_media(cmd, *ns, op, zones.at(i).start, 0);
        done = std::max(done, ctx.timing().complete_at(cmd.plan.media, ctx.now()));
    }
    cmd.plan.has_media = false;
    cmd.plan.not_before = done;
    cmd.plan.media.zones_touched = touched;
    return nvme::disposition::planned;
}

} // namespace znssim::zns
