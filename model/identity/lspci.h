#pragma once
// A function's config space as the hex dump `lspci -xxxx` prints, which pciutils' `lspci -F FILE`
// reads back and decodes exactly as for a real device: `znssim lspci` lets the system's lspci
// decode the model's function, so it can be compared with a real SSD (`lspci -vvv -s <slot>`)
// line by line, and `lspci -xxxx -s <slot>` of a real SSD diffs against `znssim lspci --dump`.
#include "model/pcie/config_space.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace znssim::identity {

/// The line `lspci -x` prints before a dump: "00:04.0 Non-Volatile memory controller: <vendor>
/// <device> (rev 01)", names from the system's PCI ID database (pci_names.h), numbers where it
/// does not know them. config holds at least 64 bytes.
std::string lspci_header_line(const std::uint8_t* config, const std::string& slot);

/// The header line, then "00: 86 80 ..." lines of 16 bytes (offsets as lspci prints them: two
/// hex digits below 0x100, three above), then an empty line. len is rounded down to 16 bytes.
std::string lspci_hex_dump(const std::uint8_t* config, std::size_t len, const std::string& slot);
/// All 4096 bytes of the function's current config space (`lspci -xxxx`), so that lspci also
/// decodes the extended capabilities.
std::string lspci_hex_dump(const pcie::config_space& cs, const std::string& slot = "00:00.0");

} // namespace znssim::identity
