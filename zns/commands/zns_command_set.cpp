#include "zns/commands/zns_commands.h"

#include "nvme/nvm/nvm_command_set.h"
#include "nvme/transfer/data_transfer.h"
#include "zns/zoned_namespace.h"

#include <algorithm>
#include <cstring>

namespace znssim::zns {

namespace fx = nvme::effects;

const nvme::io_command_set& zns_command_set() {
    static const nvme::io_command_set set = [] {
        nvme::io_command_set s = nvme::nvm_command_set(); // every NVM command applies to zones too
        s.csi = nvme::spec::csi::zns;
        s.add(nvme::spec::io_opcode::zone_mgmt_send, handle_zone_mgmt_send, fx::lbcc);
        s.add(nvme::spec::io_opcode::zone_mgmt_recv, handle_zone_mgmt_recv, 0);
        // Without CSUPP for Zone Append, Linux forces the namespace read-only.
        s.add(nvme::spec::io_opcode::zone_append, handle_zone_append, fx::lbcc);
        s.identify_controller = identify_controller_zns;
        s.log_page = zns_log_page;
        return s;
    }();
    return set;
}

namespace detail {

zoned_namespace* zoned_target(nvme::command_context& ctx, nvme::command& cmd) {
    nvme::nvme_namespace* ns = ctx.find_namespace(cmd.sqe.nsid);
    if (ns == nullptr) {
        cmd.status = nvme::spec::sc::invalid_namespace_or_format;
        return nullptr;
    }
    auto* z = dynamic_cast<zoned_namespace*>(ns);
    if (z == nullptr) cmd.status = nvme::spec::sc::invalid_opcode;
    return z;
}

std::uint64_t append_limit_bytes(const nvme::command_context& ctx, const zoned_namespace&) {
    // One limit for the controller: the value Identify Controller (ZNS) reports.
    const std::uint64_t mdts = nvme::data_transfer::max_transfer_bytes(ctx.params());
    const std::uint8_t zasl = ctx.params().zasl;
    if (zasl == 0 || zasl >= 52) return mdts;
    return std::min<std::uint64_t>(mdts, (1ull << zasl) * 4096); // units of CAP.MPSMIN (4 KiB)
}

} // namespace detail

void identify_controller_zns(nvme::command_context& ctx, void* out4096) {
    std::memset(out4096, 0, 4096);
    auto& id = *static_cast<spec::id_ctrl_zns*>(out4096);
    // A controller property (as QEMU's zoned.zasl): the limit append_limit_bytes() enforces.
    std::uint8_t zasl = ctx.params().zasl;
    const std::uint8_t mdts = ctx.params().mdts;
    if (mdts != 0 && (zasl == 0 || zasl > mdts))
        zasl = mdts; // ZASL may not exceed MDTS; 0 would mean "MDTS" anyway
    id.zasl = zasl;
}

nvme::spec::status zns_log_page(nvme::command_context& ctx, const nvme::command& cmd,
                                std::uint8_t lid, std::uint64_t offset, void* out,
                                std::size_t len) {
    if (lid != spec::lid_changed_zone_list) return nvme::spec::sc::invalid_log_page;
    auto* z = dynamic_cast<zoned_namespace*>(ctx.find_namespace(cmd.sqe.nsid));
    if (z == nullptr)
        return nvme::spec::sc::invalid_field; // NSID-specific log: a zoned namespace is required
    if (offset >= sizeof(spec::changed_zone_list)) return nvme::spec::sc::invalid_field;
    const bool rae = (cmd.sqe.cdw10 >> 15) & 1;
    static spec::changed_zone_list log; // handlers run one at a time: no per-command allocation
    z->changed_zone_log(log, !rae);
    const std::size_t n = std::min<std::size_t>(len, sizeof(log) - offset);
    std::memcpy(out, reinterpret_cast<const std::uint8_t*>(&log) + offset, n);
    return nvme::spec::sc::success;
}

} // namespace znssim::zns
