#pragma once
// An I/O command set: its handlers and its Commands Supported and Effects entries. The NVM set
// lives in nvme/nvm; the Zoned Namespace set (NVM plus zone management) in zns/.
#include "nvme/core/command.h"
#include "nvme/spec/commands.h"

#include <array>
#include <cstdint>

namespace znssim::nvme {

/// Commands Supported and Effects entry bits.
namespace effects {
constexpr std::uint32_t csupp = 1u << 0; ///< command supported
constexpr std::uint32_t lbcc = 1u << 1;  ///< logical block content change
constexpr std::uint32_t ncc = 1u << 2;   ///< namespace capability change
constexpr std::uint32_t nic = 1u << 3;   ///< namespace inventory change
constexpr std::uint32_t ccc = 1u << 4;   ///< controller capability change
constexpr std::uint32_t cse_shift = 16;  ///< command submission and execution (bits 18:16)
} // namespace effects

struct io_command_set {
    spec::csi csi = spec::csi::nvm;
    std::array<command_handler, 256> handlers{};
    std::array<std::uint32_t, 256> effects{};

    void add(std::uint8_t opcode, command_handler h, std::uint32_t fx) {
        handlers[opcode] = h;
        effects[opcode] = fx | effects::csupp;
    }
};

} // namespace znssim::nvme
