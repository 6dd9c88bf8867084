#pragma once
// Controller-wide state reported through log pages: the error information ring, SMART / health
// counters and the changed namespace list. Written by the core and the command handlers, read by
// Get Log Page.
#include <array>
#include <cstdint>
#include <vector>

namespace znssim::nvme {

struct error_entry {
    std::uint64_t error_count = 0; ///< unique, incrementing; 0 = entry unused
    std::uint16_t sqid = 0;
    std::uint16_t cid = 0;
    std::uint16_t status = 0; ///< status field (without phase)
    std::uint16_t parameter_location = 0xffff;
    std::uint64_t lba = 0;
    std::uint32_t nsid = 0;
};

struct health_counters {
    std::uint8_t critical_warning = 0;
    std::uint16_t temperature_kelvin = 313;  ///< composite temperature (40 °C)
    std::uint16_t over_temp_threshold = 358; ///< Set Features 04h, composite, over
    std::uint16_t under_temp_threshold = 0;  ///< Set Features 04h, composite, under
    std::uint64_t data_units_read = 0;       ///< in 1000 × 512 bytes, rounded up
    std::uint64_t data_units_written = 0;
    std::uint64_t bytes_read = 0; ///< exact, to derive the data units
    std::uint64_t bytes_written = 0;
    std::uint64_t host_read_commands = 0;
    std::uint64_t host_write_commands = 0;
    std::uint64_t power_cycles = 1;
    std::uint64_t unsafe_shutdowns = 0;
    std::uint64_t media_errors = 0;
};

struct controller_logs {
    static constexpr std::size_t error_entries = 64; ///< ELPE + 1

    std::array<error_entry, error_entries> errors{}; ///< ring, newest at errors_head - 1
    std::size_t errors_head = 0;
    std::uint64_t error_count = 0;

    health_counters health;

    /// Changed Namespace List (log 04h): NSIDs changed since last read; >1024 → {0xffffffff}.
    std::vector<std::uint32_t> changed_namespaces;

    void record_error(std::uint16_t sqid, std::uint16_t cid, std::uint16_t status,
                      std::uint32_t nsid, std::uint64_t lba) {
        error_entry& e = errors[errors_head];
        e = error_entry{++error_count, sqid, cid, status, 0xffff, lba, nsid};
        errors_head = (errors_head + 1) % error_entries;
    }
};

} // namespace znssim::nvme
