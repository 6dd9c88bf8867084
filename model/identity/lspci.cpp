#include "model/identity/lspci.h"

#include "model/identity/pci_names.h"

#include <fmt/format.h>

namespace znssim::identity {

namespace {

std::uint32_t u16(const std::uint8_t* c, std::size_t o) {
    return c[o] | (std::uint32_t(c[o + 1]) << 8);
}

} // namespace

std::string lspci_header_line(const std::uint8_t* c, const std::string& slot) {
    pci_ids_query q;
    q.vendor_id = static_cast<std::uint16_t>(u16(c, 0x00));
    q.device_id = static_cast<std::uint16_t>(u16(c, 0x02));
    q.subsystem_vendor_id = static_cast<std::uint16_t>(u16(c, 0x2c));
    q.subsystem_id = static_cast<std::uint16_t>(u16(c, 0x2e));
    q.class_code = (std::uint32_t(u16(c, 0x0a)) << 8) | c[0x09];
    const pci_names n = lookup_pci_names(q);
    // The words of lspci's terse line (pciutils lspci.c, show_terse; prog-if only with -v).
    const std::string cls = !n.sub_class.empty()    ? n.sub_class
                            : !n.base_class.empty() ? n.base_class
                                                    : fmt::format("Class {:04x}", u16(c, 0x0a));
    std::string ids;
    if (n.vendor.empty())
        ids = fmt::format("Device {:04x}:{:04x}", q.vendor_id, q.device_id);
    else
        ids = n.vendor + " " +
              (n.device.empty() ? fmt::format("Device {:04x}", q.device_id) : n.device);
    std::string line = fmt::format("{} {}: {}", slot, cls, ids);
    if (const unsigned rev = c[0x08]; rev != 0) line += fmt::format(" (rev {:02x})", rev);
    return line;
}

std::string lspci_hex_dump(const std::uint8_t* config, std::size_t len, const std::string& slot) {
    std::string out = lspci_header_line(config, slot) + '\n';
    out.reserve(out.size() + len / 16 * 53);
    for (std::size_t row = 0; row + 16 <= len; row += 16) {
        out += fmt::format("{:02x}:", row);
        for (std::size_t i = row; i < row + 16; ++i)
            out += fmt::format(" {:02x}", config[i]);
        out += '\n';
    }
    out += '\n'; // lspci ends each device with an empty line; lspci -F starts a new one after it
    return out;
}

std::string lspci_hex_dump(const pcie::config_space& cs, const std::string& slot) {
    return lspci_hex_dump(cs.image(), pcie::config_space_size, slot);
}

} // namespace znssim::identity
