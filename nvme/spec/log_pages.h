#pragma once
// Log pages: NVMe Base 2.0 section 5.16.1. Packed, little-endian, exactly as returned to the host.
#include <cstddef>
#include <cstdint>

namespace znssim::nvme::spec {

/// Log Page Identifiers (Get Log Page CDW10 bits 7:0).
namespace lid {
constexpr std::uint8_t error_info = 0x01;
constexpr std::uint8_t smart = 0x02;
constexpr std::uint8_t firmware_slot = 0x03;
constexpr std::uint8_t changed_ns_list = 0x04;
constexpr std::uint8_t cmd_effects = 0x05;
constexpr std::uint8_t changed_zone_list = 0xbf; ///< ZNS command set specific
} // namespace lid

#pragma pack(push, 1)

/// Error Information Log Entry (64 bytes), Figure 206.
struct error_info_entry {
    std::uint64_t error_count;
    std::uint16_t sqid;
    std::uint16_t cid;
    std::uint16_t status; ///< bit 0 phase tag (0), bits 15:1 status field
    std::uint16_t parameter_location;
    std::uint64_t lba;
    std::uint32_t nsid;
    std::uint8_t vs_info_available;
    std::uint8_t trtype;
    std::uint8_t rsvd30[2];
    std::uint64_t command_specific;
    std::uint16_t trtype_specific;
    std::uint8_t rsvd42[22];
};
static_assert(sizeof(error_info_entry) == 64);
static_assert(offsetof(error_info_entry, sqid) == 8);
static_assert(offsetof(error_info_entry, status) == 12);
static_assert(offsetof(error_info_entry, lba) == 16);
static_assert(offsetof(error_info_entry, nsid) == 24);
static_assert(offsetof(error_info_entry, command_specific) == 32);

/// A 128-bit little-endian counter as two 64-bit halves.
struct u128_le {
    std::uint64_t lo;
    std::uint64_t hi;
};
static_assert(sizeof(u128_le) == 16);

/// SMART / Health Information (512 bytes), Figure 207.
struct smart_log {
    std::uint8_t critical_warning;
    std::uint16_t composite_temperature; ///< Kelvin
    std::uint8_t available_spare;        ///< percent
    std::uint8_t available_spare_threshold;
    std::uint8_t percentage_used;
    std::uint8_t endurance_group_summary;
    std::uint8_t rsvd7[25];
    u128_le data_units_read; ///< 1000 × 512 bytes, rounded up
    u128_le data_units_written;
    u128_le host_read_commands;
    u128_le host_write_commands;
    u128_le controller_busy_time; ///< minutes
    u128_le power_cycles;
    u128_le power_on_hours;
    u128_le unsafe_shutdowns;
    u128_le media_errors;
    u128_le error_log_entries;
    std::uint32_t warning_temp_time; ///< minutes
    std::uint32_t critical_temp_time;
    std::uint16_t temperature_sensor[8];
    std::uint32_t tmt1_transitions;
    std::uint32_t tmt2_transitions;
    std::uint32_t tmt1_time;
    std::uint32_t tmt2_time;
    std::uint8_t rsvd232[280];
};
static_assert(sizeof(smart_log) == 512);
static_assert(offsetof(smart_log, composite_temperature) == 1);
static_assert(offsetof(smart_log, available_spare) == 3);
static_assert(offsetof(smart_log, endurance_group_summary) == 6);
static_assert(offsetof(smart_log, data_units_read) == 32);
static_assert(offsetof(smart_log, data_units_written) == 48);
static_assert(offsetof(smart_log, host_read_commands) == 64);
static_assert(offsetof(smart_log, host_write_commands) == 80);
static_assert(offsetof(smart_log, controller_busy_time) == 96);
static_assert(offsetof(smart_log, power_cycles) == 112);
static_assert(offsetof(smart_log, power_on_hours) == 128);
static_assert(offsetof(smart_log, unsafe_shutdowns) == 144);
static_assert(offsetof(smart_log, media_errors) == 160);
static_assert(offsetof(smart_log, error_log_entries) == 176);
static_assert(offsetof(smart_log, warning_temp_time) == 192);
static_assert(offsetof(smart_log, critical_temp_time) == 196);
static_assert(offsetof(smart_log, temperature_sensor) == 200);
static_assert(offsetof(smart_log, tmt1_transitions) == 216);
static_assert(offsetof(smart_log, tmt2_time) == 228);

/// Firmware Slot Information (512 bytes), Figure 208.
struct firmware_slot_log {
    std::uint8_t afi; ///< bits 2:0 active slot, bits 6:4 slot activated at next reset
    std::uint8_t rsvd1[7];
    char frs[7][8]; ///< firmware revision per slot 1..7
    std::uint8_t rsvd64[448];
};
static_assert(sizeof(firmware_slot_log) == 512);
static_assert(offsetof(firmware_slot_log, frs) == 8);

/// Commands Supported and Effects (4096 bytes), Figure 210.
struct cmd_effects_log {
    std::uint32_t acs[256];  ///< admin commands, by opcode
    std::uint32_t iocs[256]; ///< I/O commands of the selected command set, by opcode
    std::uint8_t rsvd2048[2048];
};
static_assert(sizeof(cmd_effects_log) == 4096);
static_assert(offsetof(cmd_effects_log, iocs) == 1024);

/// Changed Namespace List (4096 bytes): ascending NSIDs, zero-terminated; FFFFFFFFh in entry 0
/// means more than 1024 namespaces changed.
struct changed_ns_list_log {
    std::uint32_t nsid[1024];
};
static_assert(sizeof(changed_ns_list_log) == 4096);

#pragma pack(pop)

} // namespace znssim::nvme::spec
