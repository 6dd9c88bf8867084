#pragma once
// Copying the identity of a real PCI device of this machine (e.g. the SSD being modelled) into
// the model's function parameters, through libpciaccess.
#include "model/pcie/params.h"

#include <cstdint>
#include <string>

namespace znssim::identity {

struct pci_address {
    std::uint32_t domain = 0;
    std::uint8_t bus = 0;
    std::uint8_t slot = 0;     ///< device number, 0..31
    std::uint8_t function = 0; ///< 0..7
};

/// Parses "DDDD:BB:SS.F" or "BB:SS.F" (hex); throws std::runtime_error naming the text.
pci_address parse_pci_address(const std::string& text);
/// The canonical "0000:00:1f.2" form.
std::string to_string(const pci_address& a);

struct host_identity {
    std::string address; ///< canonical form
    std::uint16_t vendor_id = 0;
    std::uint16_t device_id = 0;
    std::uint16_t subsystem_vendor_id = 0;
    std::uint16_t subsystem_id = 0;
    std::uint32_t class_code = 0; ///< base << 16 | sub << 8 | prog-if
    std::uint8_t revision = 0;
};

/// Reads the IDs of the host device at pci_address. Throws std::runtime_error naming the address
/// when it is malformed, when no device is there, or when the PCI system cannot be scanned.
host_identity read_host_identity(const std::string& pci_address);

/// Copies vendor, device, subsystem IDs and revision into p. The class code is copied only when
/// it is 010802h (NVM Express I/O controller), the only class Linux nvme-pci binds to; for any
/// other host class p keeps its own, so the model stays usable.
void apply_host_identity(const host_identity& id, pcie::function_params& p);

} // namespace znssim::identity
