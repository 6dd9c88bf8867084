#pragma once
// The host bus address map of the reference platform (what the root complex decodes).
//
//   0x00_0000_0000 .. host_memory_bytes   host DRAM (host_memory), DMA target, DMI granted
//   0x00_C000_0000 .. 0x00_DFFF_FFFF      32-bit MMIO window  → device mem_in (absolute address)
//   0x00_E000_0000 .. 0x00_EFFF_FFFF      ECAM (bus 0..255); only 00:00.0 exists → device cfg_in
//   0x00_FEE0_0000 .. 0x00_FEEF_FFFF      MSI window: 4-byte message writes → interrupt_controller
//   0x80_0000_0000 .. +64 GiB             64-bit MMIO window → device mem_in
//
// Host memory must end below the 32-bit MMIO window; system checks the configured size.
#include <cstdint>

namespace znssim::platform::address_map {

constexpr std::uint64_t host_memory_base = 0;
constexpr std::uint64_t host_memory_limit = 0xC000'0000; ///< host memory must end at or below

constexpr std::uint64_t mmio32_base = 0xC000'0000;
constexpr std::uint64_t mmio32_size = 0x2000'0000;

constexpr std::uint64_t ecam_base = 0xE000'0000;
constexpr std::uint64_t ecam_size = 0x1000'0000;

constexpr std::uint64_t msi_base = 0xFEE0'0000;
constexpr std::uint64_t msi_size = 0x10'0000;

constexpr std::uint64_t mmio64_base = 0x80'0000'0000;
constexpr std::uint64_t mmio64_size = 64ull << 30;

/// ECAM offset of bus/device/function/register (PCIe Base 6.0, 7.2.2).
constexpr std::uint64_t ecam_offset(unsigned bus, unsigned dev, unsigned fn, unsigned reg) {
    return (std::uint64_t{bus} << 20) | (std::uint64_t{dev} << 15) | (std::uint64_t{fn} << 12) |
           reg;
}

constexpr bool in(std::uint64_t addr, std::uint64_t base, std::uint64_t size) {
    return addr >= base && addr - base < size;
}

} // namespace znssim::platform::address_map
