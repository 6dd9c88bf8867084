#pragma once
// PCIe function parameters: identity, BAR0, capabilities (from the "controller:" config section).
#include <cstdint>

namespace znssim::pcie {

struct function_params {
    std::uint16_t vendor_id = 0x1b36;
    std::uint16_t device_id = 0x5a4e;
    std::uint16_t subsystem_vendor_id = 0x1b36;
    std::uint16_t subsystem_id = 0x5a4e;
    std::uint8_t revision = 0x01;
    std::uint32_t class_code = 0x010802; ///< base 01 (storage), sub 08 (NVM), prog-if 02 (NVMe)

    std::uint64_t bar0_size = 16 * 1024; ///< power of two, at least 16 KiB
    bool bar0_64bit = true;              ///< 64-bit memory BAR (BAR0+BAR1); false: 32-bit

    /// Capability list (PM, MSI-X, PCI Express). False leaves it empty (Status.CapList=0,
    /// 0x34=0): the QEMU x-pci-proxy-dev path cannot deliver MSI-X and has no extended config.
    bool capabilities = true;
    /// MSI-X table size; 0 = no MSI-X capability (the host must use INTx).
    std::uint16_t msix_vectors = 65;
    std::uint32_t msix_table_offset = 0x2000; ///< in BAR0
    std::uint32_t msix_pba_offset = 0x3000;   ///< in BAR0
    std::uint8_t interrupt_pin = 1;           ///< INTA#
};

} // namespace znssim::pcie
