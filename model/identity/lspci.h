#pragma once
// A text dump of a configuration space in the style of `lspci -vvv`, so that users can compare
// the model's function with a real SSD (`lspci -vvv -s <slot>`) line by line.
#include "model/pcie/config_space.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace znssim::identity {

struct lspci_options {
    std::string slot = "00:00.0";
    /// BAR sizes (the config image alone cannot tell them); 0 = unknown, no [size=] printed.
    std::uint64_t bar_sizes[6] = {};
};

/// Dumps a raw config image (at least 64 bytes; capabilities are followed only inside it).
std::string lspci_dump(const std::uint8_t* config, std::size_t len, const lspci_options& opts = {});
/// Dumps the function's current config space, with BAR0's size from its parameters.
std::string lspci_dump(const pcie::config_space& cs, const std::string& slot = "00:00.0");

} // namespace znssim::identity
