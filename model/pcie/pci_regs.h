#pragma once
// PCI / PCI Express configuration-space layout (PCI Local Bus 3.0, PCI PM 1.2, PCIe Base 4.0
// chapter 7): the type-0 header and the three capabilities the function implements. Structures
// are little-endian images of the registers; they are used to build the power-on image.
#include <cstddef>
#include <cstdint>

namespace znssim::pcie {

constexpr std::size_t config_space_size = 4096; ///< PCIe extended config space
constexpr std::size_t legacy_config_size = 256; ///< conventional PCI config space
constexpr std::uint32_t extended_config_base = 0x100;

/// Type-0 (endpoint) configuration header, offsets 0x00..0x3f.
struct __attribute__((packed)) type0_header {
    std::uint16_t vendor_id;
    std::uint16_t device_id;
    std::uint16_t command;
    std::uint16_t status;
    std::uint8_t revision_id;
    std::uint8_t class_code[3]; ///< [0] prog-if, [1] sub-class, [2] base class
    std::uint8_t cache_line_size;
    std::uint8_t latency_timer;
    std::uint8_t header_type;
    std::uint8_t bist;
    std::uint32_t bar[6];
    std::uint32_t cardbus_cis;
    std::uint16_t subsystem_vendor_id;
    std::uint16_t subsystem_id;
    std::uint32_t expansion_rom;
    std::uint8_t capabilities_ptr;
    std::uint8_t reserved[7];
    std::uint8_t interrupt_line;
    std::uint8_t interrupt_pin;
    std::uint8_t min_gnt;
    std::uint8_t max_lat;
};
static_assert(sizeof(type0_header) == 64);
static_assert(offsetof(type0_header, command) == 0x04);
static_assert(offsetof(type0_header, status) == 0x06);
static_assert(offsetof(type0_header, revision_id) == 0x08);
static_assert(offsetof(type0_header, class_code) == 0x09);
static_assert(offsetof(type0_header, cache_line_size) == 0x0c);
static_assert(offsetof(type0_header, header_type) == 0x0e);
static_assert(offsetof(type0_header, bar) == 0x10);
static_assert(offsetof(type0_header, cardbus_cis) == 0x28);
static_assert(offsetof(type0_header, subsystem_vendor_id) == 0x2c);
static_assert(offsetof(type0_header, subsystem_id) == 0x2e);
static_assert(offsetof(type0_header, expansion_rom) == 0x30);
static_assert(offsetof(type0_header, capabilities_ptr) == 0x34);
static_assert(offsetof(type0_header, interrupt_line) == 0x3c);
static_assert(offsetof(type0_header, interrupt_pin) == 0x3d);

/// Header register offsets.
namespace cfg {
constexpr std::uint32_t vendor_id = 0x00;
constexpr std::uint32_t device_id = 0x02;
constexpr std::uint32_t command = 0x04;
constexpr std::uint32_t status = 0x06;
constexpr std::uint32_t revision_id = 0x08;
constexpr std::uint32_t class_code = 0x09;
constexpr std::uint32_t cache_line_size = 0x0c;
constexpr std::uint32_t header_type = 0x0e;
constexpr std::uint32_t bar0 = 0x10;
constexpr std::uint32_t bar1 = 0x14;
constexpr std::uint32_t cardbus_cis = 0x28;
constexpr std::uint32_t subsystem_vendor_id = 0x2c;
constexpr std::uint32_t subsystem_id = 0x2e;
constexpr std::uint32_t expansion_rom = 0x30;
constexpr std::uint32_t capabilities_ptr = 0x34;
constexpr std::uint32_t interrupt_line = 0x3c;
constexpr std::uint32_t interrupt_pin = 0x3d;
constexpr std::uint32_t bar(unsigned i) {
    return bar0 + 4 * i;
}
} // namespace cfg

/// Command register bits.
namespace command_bits {
constexpr std::uint16_t io_space = 1u << 0;
constexpr std::uint16_t memory_space = 1u << 1;
constexpr std::uint16_t bus_master = 1u << 2;
constexpr std::uint16_t parity_error_response = 1u << 6;
constexpr std::uint16_t serr_enable = 1u << 8;
constexpr std::uint16_t intx_disable = 1u << 10;
/// What an endpoint without I/O BARs implements (PCIe Base 4.0 7.5.1.1.3).
constexpr std::uint16_t writable =
    memory_space | bus_master | parity_error_response | serr_enable | intx_disable;
} // namespace command_bits

/// Status register bits.
namespace status_bits {
constexpr std::uint16_t interrupt_status = 1u << 3;
constexpr std::uint16_t capabilities_list = 1u << 4;
constexpr std::uint16_t master_data_parity_error = 1u << 8;
constexpr std::uint16_t signaled_target_abort = 1u << 11;
constexpr std::uint16_t received_target_abort = 1u << 12;
constexpr std::uint16_t received_master_abort = 1u << 13;
constexpr std::uint16_t signaled_system_error = 1u << 14;
constexpr std::uint16_t detected_parity_error = 1u << 15;
constexpr std::uint16_t error_bits = master_data_parity_error | signaled_target_abort |
                                     received_target_abort | received_master_abort |
                                     signaled_system_error | detected_parity_error;
} // namespace status_bits

/// Memory BAR low bits.
namespace bar_bits {
constexpr std::uint32_t type_64bit = 0x2u << 1; ///< bits 2:1 = 10b
constexpr std::uint32_t prefetchable = 1u << 3;
constexpr std::uint32_t flags_mask = 0xf;
} // namespace bar_bits

/// Capability IDs.
namespace cap_id {
constexpr std::uint8_t power_management = 0x01;
constexpr std::uint8_t msi = 0x05;
constexpr std::uint8_t pci_express = 0x10;
constexpr std::uint8_t msix = 0x11;
} // namespace cap_id

/// Where this function places its capabilities.
namespace cap_offset {
constexpr std::uint32_t power_management = 0x40;
constexpr std::uint32_t msix = 0x50;
constexpr std::uint32_t pci_express = 0x60;
} // namespace cap_offset

/// Power Management capability (PCI PM 1.2 chapter 3).
struct __attribute__((packed)) pm_capability {
    std::uint8_t cap_id;
    std::uint8_t next;
    std::uint16_t pmc;
    std::uint16_t pmcsr;
    std::uint8_t pmcsr_bse;
    std::uint8_t data;
};
static_assert(sizeof(pm_capability) == 8);
static_assert(offsetof(pm_capability, pmc) == 2);
static_assert(offsetof(pm_capability, pmcsr) == 4);

namespace pm {
constexpr std::uint16_t pmc_version_1_2 = 0x3; ///< bits 2:0 = 011b
constexpr std::uint16_t pmcsr_power_state_mask = 0x3;
constexpr std::uint16_t pmcsr_no_soft_reset = 1u << 3;
constexpr std::uint16_t pmcsr_pme_status = 1u << 15;
constexpr std::uint8_t state_d0 = 0;
constexpr std::uint8_t state_d3hot = 3;
} // namespace pm

/// MSI-X capability (PCIe Base 4.0 7.7.2).
struct __attribute__((packed)) msix_capability {
    std::uint8_t cap_id;
    std::uint8_t next;
    std::uint16_t message_control;
    std::uint32_t table_offset_bir; ///< bits 2:0 BIR, 31:3 offset
    std::uint32_t pba_offset_bir;
};
static_assert(sizeof(msix_capability) == 12);
static_assert(offsetof(msix_capability, message_control) == 2);
static_assert(offsetof(msix_capability, table_offset_bir) == 4);
static_assert(offsetof(msix_capability, pba_offset_bir) == 8);

namespace msix_ctl {
constexpr std::uint16_t table_size_mask = 0x7ff; ///< N-1
constexpr std::uint16_t function_mask = 1u << 14;
constexpr std::uint16_t enable = 1u << 15;
constexpr unsigned max_vectors = 2048;
} // namespace msix_ctl

/// One MSI-X table entry in BAR memory.
struct __attribute__((packed)) msix_entry {
    std::uint32_t address_lo; ///< bits 1:0 read-only 0 (DWORD-aligned messages)
    std::uint32_t address_hi;
    std::uint32_t data;
    std::uint32_t vector_control; ///< bit 0: Mask
};
static_assert(sizeof(msix_entry) == 16);
static_assert(offsetof(msix_entry, data) == 8);
static_assert(offsetof(msix_entry, vector_control) == 12);

/// PCI Express capability structure, version 2 (PCIe Base 4.0 7.5.3), 0x3c bytes.
struct __attribute__((packed)) pcie_capability {
    std::uint8_t cap_id;
    std::uint8_t next;
    std::uint16_t pcie_caps;
    std::uint32_t device_caps;
    std::uint16_t device_control;
    std::uint16_t device_status;
    std::uint32_t link_caps;
    std::uint16_t link_control;
    std::uint16_t link_status;
    std::uint32_t slot_caps;
    std::uint16_t slot_control;
    std::uint16_t slot_status;
    std::uint16_t root_control;
    std::uint16_t root_caps;
    std::uint32_t root_status;
    std::uint32_t device_caps2;
    std::uint16_t device_control2;
    std::uint16_t device_status2;
    std::uint32_t link_caps2;
    std::uint16_t link_control2;
    std::uint16_t link_status2;
    std::uint32_t slot_caps2;
    std::uint16_t slot_control2;
    std::uint16_t slot_status2;
};
static_assert(sizeof(pcie_capability) == 0x3c);
static_assert(offsetof(pcie_capability, device_caps) == 0x04);
static_assert(offsetof(pcie_capability, device_control) == 0x08);
static_assert(offsetof(pcie_capability, device_status) == 0x0a);
static_assert(offsetof(pcie_capability, link_caps) == 0x0c);
static_assert(offsetof(pcie_capability, link_control) == 0x10);
static_assert(offsetof(pcie_capability, link_status) == 0x12);
static_assert(offsetof(pcie_capability, device_caps2) == 0x24);
static_assert(offsetof(pcie_capability, device_control2) == 0x28);
static_assert(offsetof(pcie_capability, link_caps2) == 0x2c);
static_assert(offsetof(pcie_capability, link_control2) == 0x30);
static_assert(offsetof(pcie_capability, slot_status2) == 0x3a);

namespace pcie_cap {
constexpr std::uint16_t version_2 = 0x2;
constexpr std::uint16_t type_endpoint = 0x0 << 4;
constexpr std::uint32_t devcap_mps_256 = 0x1; ///< Max_Payload_Size Supported = 001b
constexpr std::uint32_t devcap_ext_tag = 1u << 5;
constexpr std::uint32_t devcap_rber = 1u << 15;       ///< Role-Based Error Reporting
constexpr std::uint32_t devcap_flr = 1u << 28;        ///< Function Level Reset capable
constexpr std::uint16_t devctl_error_reporting = 0xf; ///< CERE, NFERE, FERE, URRE
constexpr std::uint16_t devctl_relaxed_ordering = 1u << 4;
constexpr std::uint16_t devctl_mps_mask = 0x7u << 5;
constexpr std::uint16_t devctl_ext_tag = 1u << 8;
constexpr std::uint16_t devctl_no_snoop = 1u << 11;
constexpr std::uint16_t devctl_mrrs_mask = 0x7u << 12;
constexpr std::uint16_t devctl_mrrs_512 = 0x2u << 12;
constexpr std::uint16_t devctl_initiate_flr = 1u << 15;
constexpr std::uint16_t devsta_errors = 0xf;  ///< CED, NFED, FED, URD (RW1C)
constexpr std::uint32_t link_speed_8gt = 0x3; ///< index into Supported Link Speeds
constexpr std::uint32_t link_width_x4 = 0x4;
constexpr std::uint32_t lnkcap_aspm_opt_compliance = 1u << 22;
constexpr std::uint16_t lnkctl_writable = 0x00cb; ///< ASPM ctl, RCB, CommClk, ExtSynch
constexpr std::uint16_t lnksta_slot_clock = 1u << 12;
constexpr std::uint32_t devcap2_timeout_disable = 1u << 4;
constexpr std::uint16_t devctl2_timeout_disable = 1u << 4;
constexpr std::uint32_t lnkcap2_speeds_2_5_to_8 = 0x7u << 1;
constexpr std::uint16_t lnkctl2_target_speed_mask = 0xf;
} // namespace pcie_cap

} // namespace znssim::pcie
