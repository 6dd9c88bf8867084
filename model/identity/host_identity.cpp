#include "model/identity/host_identity.h"

#include "model/identity/pci_names.h"

#include <pciaccess.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

namespace znssim::identity {

namespace {

[[noreturn]] void malformed(const std::string& text) {
    throw std::runtime_error("PCI address '" + text +
                             "' is malformed: expected [DDDD:]BB:SS.F in hex, e.g. 0000:00:1f.2");
}

/// Parses exactly 'digits' hex digits at text[pos].
unsigned hex_field(const std::string& text, std::size_t pos, std::size_t digits) {
    if (pos + digits > text.size()) malformed(text);
    unsigned v = 0;
    for (std::size_t i = pos; i < pos + digits; ++i) {
        const char ch = text[i];
        unsigned d;
        if (ch >= '0' && ch <= '9')
            d = unsigned(ch - '0');
        else if (ch >= 'a' && ch <= 'f')
            d = unsigned(ch - 'a' + 10);
        else if (ch >= 'A' && ch <= 'F')
            d = unsigned(ch - 'A' + 10);
        else
            malformed(text);
        v = v * 16 + d;
    }
    return v;
}

} // namespace

pci_address parse_pci_address(const std::string& text) {
    // "BB:SS.F" is 7 characters, "DDDD:BB:SS.F" 12.
    std::size_t pos = 0;
    pci_address a;
    if (text.size() == 12) {
        a.domain = hex_field(text, 0, 4);
        if (text[4] != ':') malformed(text);
        pos = 5;
    } else if (text.size() != 7) {
        malformed(text);
    }
    a.bus = static_cast<std::uint8_t>(hex_field(text, pos, 2));
    if (text[pos + 2] != ':' || text[pos + 5] != '.') malformed(text);
    const unsigned slot = hex_field(text, pos + 3, 2);
    const unsigned fn = hex_field(text, pos + 6, 1);
    if (slot > 0x1f || fn > 7) malformed(text);
    a.slot = static_cast<std::uint8_t>(slot);
    a.function = static_cast<std::uint8_t>(fn);
    return a;
}

std::string to_string(const pci_address& a) {
    return fmt::format("{:04x}:{:02x}:{:02x}.{:x}", a.domain, a.bus, a.slot, a.function);
}

host_identity read_host_identity(const std::string& text) {
    const pci_address a = parse_pci_address(text);
    host_identity id;
    id.address = to_string(a);
    std::lock_guard<std::mutex> lock(pciaccess_mutex());
    if (const int err = pci_system_init(); err != 0)
        throw std::runtime_error("cannot read host PCI device " + id.address +
                                 ": libpciaccess cannot scan the PCI bus (" + std::strerror(err) +
                                 ")");
    // Initialised per call and cleaned up before returning, so no global state outlives it.
    struct cleanup {
        ~cleanup() { pci_system_cleanup(); }
    } guard;
    pci_device* dev = pci_device_find_by_slot(a.domain, a.bus, a.slot, a.function);
    if (dev == nullptr)
        throw std::runtime_error("no PCI device at " + id.address + " on this host");
    // The IDs below are filled in by the bus scan; probing adds BARs/IRQ and may be refused to
    // unprivileged users, which does not matter here.
    (void)pci_device_probe(dev);
    id.vendor_id = dev->vendor_id;
    id.device_id = dev->device_id;
    id.subsystem_vendor_id = dev->subvendor_id;
    id.subsystem_id = dev->subdevice_id;
    id.class_code = dev->device_class & 0xffffff;
    id.revision = dev->revision;
    return id;
}

void apply_host_identity(const host_identity& id, pcie::function_params& p) {
    p.vendor_id = id.vendor_id;
    p.device_id = id.device_id;
    p.subsystem_vendor_id = id.subsystem_vendor_id;
    p.subsystem_id = id.subsystem_id;
    p.revision = id.revision;
    if (id.class_code == 0x010802) p.class_code = id.class_code;
}

} // namespace znssim::identity
