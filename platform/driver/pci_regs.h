#pragma once
// The PCI configuration-space offsets and bits the reference driver touches (PCI Local Bus 3.0,
// PCIe Base 6.0 chapter 7). Kept here because the driver must not depend on the device model.
#include <cstdint>

namespace znssim::platform::pci {

constexpr std::uint16_t vendor_id = 0x00;
constexpr std::uint16_t device_id = 0x02;
constexpr std::uint16_t command = 0x04;
constexpr std::uint16_t status = 0x06;
constexpr std::uint16_t revision_class = 0x08; ///< revision in 7:0, class code in 31:8
constexpr std::uint16_t header_type = 0x0e;
constexpr std::uint16_t bar0 = 0x10;
constexpr std::uint16_t bar1 = 0x14;
constexpr std::uint16_t subsystem_vendor_id = 0x2c;
constexpr std::uint16_t subsystem_id = 0x2e;
constexpr std::uint16_t capabilities_ptr = 0x34;
constexpr std::uint16_t interrupt_line = 0x3c;
constexpr std::uint16_t interrupt_pin = 0x3d;

namespace cmd {
constexpr std::uint16_t io = 1u << 0;
constexpr std::uint16_t memory = 1u << 1;
constexpr std::uint16_t bus_master = 1u << 2;
constexpr std::uint16_t intx_disable = 1u << 10;
} // namespace cmd

namespace sts {
constexpr std::uint16_t interrupt = 1u << 3;
constexpr std::uint16_t cap_list = 1u << 4;
} // namespace sts

namespace bar {
constexpr std::uint32_t io_space = 1u << 0;
constexpr std::uint32_t type_mask = 3u << 1;
constexpr std::uint32_t type_64 = 2u << 1;
constexpr std::uint32_t prefetchable = 1u << 3;
constexpr std::uint32_t mem_address_mask = ~0xfu;
} // namespace bar

namespace cap_id {
constexpr std::uint8_t power_management = 0x01;
constexpr std::uint8_t msi = 0x05;
constexpr std::uint8_t pci_express = 0x10;
constexpr std::uint8_t msix = 0x11;
} // namespace cap_id

/// MSI-X capability layout (offsets from the capability start) and table entry layout.
namespace msix {
constexpr std::uint16_t message_control = 0x02;
constexpr std::uint16_t table = 0x04; ///< BIR in 2:0, offset in 31:3
constexpr std::uint16_t pba = 0x08;
constexpr std::uint16_t mc_enable = 1u << 15;
constexpr std::uint16_t mc_function_mask = 1u << 14;
constexpr std::uint16_t mc_table_size_mask = 0x7ff; ///< 0-based
constexpr std::uint32_t entry_bytes = 16;
constexpr std::uint32_t entry_addr_lo = 0x0;
constexpr std::uint32_t entry_addr_hi = 0x4;
constexpr std::uint32_t entry_data = 0x8;
constexpr std::uint32_t entry_control = 0xc; ///< bit 0: vector masked
} // namespace msix

constexpr std::uint32_t nvme_class_code = 0x010802;

} // namespace znssim::platform::pci
