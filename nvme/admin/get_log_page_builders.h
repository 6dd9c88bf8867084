#pragma once
// Builders behind Get Log Page: each fills a zeroed 4096-byte buffer with one log and reports
// its length in bytes.
#include "nvme/core/context.h"

#include <cstddef>
#include <cstdint>

namespace znssim::nvme::logs {

/// LID 01h: the error ring, newest entry first (64 entries).
std::size_t error_info(command_context& ctx, std::uint8_t* out);
/// LID 02h: controller-wide SMART / health; NSID must be 0 or FFFFFFFFh (LPA bit 0 is clear).
spec::status smart(command_context& ctx, std::uint32_t nsid, std::uint8_t* out, std::size_t& len);
/// LID 03h.
std::size_t firmware_slot(command_context& ctx, std::uint8_t* out);
/// LID 04h (does not clear the list; the handler does after a successful read).
std::size_t changed_ns_list(command_context& ctx, std::uint8_t* out);
/// LID 05h for the command set 'csi': admin effects plus that set's I/O effects.
spec::status effects(command_context& ctx, spec::csi csi, std::uint8_t* out, std::size_t& len);

/// Data units (1000 × 512 bytes, rounded up) for a byte count, as SMART reports them.
constexpr std::uint64_t data_units(std::uint64_t bytes) {
    return (bytes + 511'999) / 512'000;
}

} // namespace znssim::nvme::logs
