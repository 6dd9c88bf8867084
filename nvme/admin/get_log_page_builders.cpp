#include "nvme/admin/get_log_page_builders.h"

#include "nvme/spec/log_pages.h"

#include <algorithm>
#include <cstring>

namespace znssim::nvme::logs {

std::size_t error_info(command_context& ctx, std::uint8_t* out) {
    const controller_logs& l = ctx.logs();
    auto* entries = reinterpret_cast<spec::error_info_entry*>(out);
    const std::size_t n = controller_logs::error_entries;
    for (std::size_t i = 0; i < n; ++i) {
        const error_entry& e = l.errors[(l.errors_head + n - 1 - i) % n];
        if (e.error_count == 0) break; // older slots were never used
        spec::error_info_entry& o = entries[i];
        o.error_count = e.error_count;
        o.sqid = e.sqid;
        o.cid = e.cid;
        o.status = static_cast<std::uint16_t>(e.status << 1); // phase tag bit reads as 0
        o.parameter_location = e.parameter_location;
        o.lba = e.lba;
        o.nsid = e.nsid;
    }
    return n * sizeof(spec::error_info_entry);
}

spec::status smart(command_context& ctx, std::uint32_t nsid, std::uint8_t* out, std::size_t& len) {
    if (nsid != 0 && nsid != 0xffffffffu)
        return spec::sc::invalid_field; // no per-namespace SMART data (LPA bit 0 clear)
    const health_counters& h = ctx.logs().health;
    auto& s = *reinterpret_cast<spec::smart_log*>(out);
    s.critical_warning = h.critical_warning;
    s.composite_temperature = h.temperature_kelvin;
    s.available_spare = 100;
    s.available_spare_threshold = 10;
    s.percentage_used = 0;
    s.data_units_read.lo = std::max(h.data_units_read, data_units(h.bytes_read));
    s.data_units_written.lo = std::max(h.data_units_written, data_units(h.bytes_written));
    s.host_read_commands.lo = h.host_read_commands;
    s.host_write_commands.lo = h.host_write_commands;
    s.power_cycles.lo = h.power_cycles;
    s.power_on_hours.lo = ctx.now() / from_s(3600);
    s.unsafe_shutdowns.lo = h.unsafe_shutdowns;
    s.media_errors.lo = h.media_errors;
    s.error_log_entries.lo = ctx.logs().error_count;
    s.temperature_sensor[0] = h.temperature_kelvin;
    len = sizeof(spec::smart_log);
    return spec::sc::success;
}

std::size_t firmware_slot(command_context& ctx, std::uint8_t* out) {
    auto& f = *reinterpret_cast<spec::firmware_slot_log*>(out);
    f.afi = 1; // running from slot 1, nothing pending
    const std::string& fw = ctx.params().firmware;
    std::memset(f.frs[0], ' ', sizeof f.frs[0]);
    std::memcpy(f.frs[0], fw.data(), std::min(fw.size(), sizeof f.frs[0]));
    return sizeof(spec::firmware_slot_log);
}

std::size_t changed_ns_list(command_context& ctx, std::uint8_t* out) {
    auto& list = *reinterpret_cast<spec::changed_ns_list_log*>(out);
    const auto& changed = ctx.logs().changed_namespaces;
    if (changed.size() > 1024) {
        list.nsid[0] = 0xffffffffu;
    } else {
        std::copy(changed.begin(), changed.end(), list.nsid);
        std::sort(list.nsid, list.nsid + changed.size());
    }
    return sizeof(spec::changed_ns_list_log);
}

spec::status effects(command_context& ctx, spec::csi csi, std::uint8_t* out, std::size_t& len) {
    const io_command_set* set = ctx.command_set(csi);
    if (set == nullptr) return spec::sc::invalid_field;
    auto& e = *reinterpret_cast<spec::cmd_effects_log*>(out);
    const auto& admin = ctx.admin_effects();
    std::copy(admin.begin(), admin.end(), e.acs);
    std::copy(set->effects.begin(), set->effects.end(), e.iocs);
    len = sizeof(spec::cmd_effects_log);
    return spec::sc::success;
}

} // namespace znssim::nvme::logs
