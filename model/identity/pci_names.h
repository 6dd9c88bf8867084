#pragma once
// Human-readable names for PCI IDs and class codes, as lspci prints them: vendor/device/subsystem
// names from the system's PCI ID database through libpciaccess, class names (and everything, if
// libpciaccess cannot answer) by reading pci.ids directly.
#include <cstdint>
#include <mutex>
#include <string>

namespace znssim::identity {

struct pci_ids_query {
    std::uint16_t vendor_id = 0;
    std::uint16_t device_id = 0;
    std::uint16_t subsystem_vendor_id = 0;
    std::uint16_t subsystem_id = 0;
    std::uint32_t class_code = 0; ///< base << 16 | sub << 8 | prog-if
};

/// Each field is empty when the database does not know the ID.
struct pci_names {
    std::string vendor;
    std::string device;
    std::string subsystem_vendor;
    std::string subsystem;  ///< the subsystem entry under vendor:device
    std::string base_class; ///< "Mass storage controller"
    std::string sub_class;  ///< "Non-Volatile memory controller"
    std::string prog_if;    ///< "NVM Express"
};

/// Looks the query up in a pci.ids file. Returns false if the file cannot be read.
bool lookup_pci_ids_file(const std::string& path, const pci_ids_query& q, pci_names& out);

/// The system's names: libpciaccess for IDs, the first readable of /usr/share/misc/pci.ids,
/// /usr/share/hwdata/pci.ids, /usr/share/pci.ids for class names and as the fallback.
pci_names lookup_pci_names(const pci_ids_query& q);

/// libpciaccess keeps global state; every use in znssim takes this lock.
std::mutex& pciaccess_mutex();

} // namespace znssim::identity
