#pragma once
// Command tables: each command's handler and its Commands Supported and Effects entry, added in
// one place. The admin commands are one table (nvme/admin/admin_command_set.cpp); an I/O command
// set is a table plus its identity: the NVM set lives in nvme/nvm, the Zoned Namespace set (NVM
// plus zone management) in zns/.
#include "nvme/core/command.h"
#include "nvme/spec/commands.h"

#include <array>
#include <cstddef>
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

/// Identify CNS 06h (I/O command set specific controller structure) for one command set: fills a
/// 4096-byte buffer.
using identify_controller_fn = void (*)(command_context& ctx, void* out4096);
/// A command-set-specific log page (e.g. ZNS Changed Zone List, LID BFh): fills 'out' (already
/// zeroed, 'len' bytes, starting at byte 'offset' of the log) and returns success, or an error.
using log_page_fn = spec::status (*)(command_context& ctx, const command& cmd, std::uint8_t lid,
                                     std::uint64_t offset, void* out, std::size_t len);

/// Handlers and Commands Supported and Effects entries by opcode (no handler: Invalid Opcode,
/// effects 0).
struct command_table {
    std::array<command_handler, 256> handlers{};
    std::array<std::uint32_t, 256> effects{};

    /// A supported command: its handler and its effects (CSUPP is implied).
    void add(std::uint8_t opcode, command_handler h, std::uint32_t fx) {
        handlers[opcode] = h;
        effects[opcode] = fx | effects::csupp;
    }
};

struct io_command_set : command_table {
    spec::csi csi = spec::csi::nvm;
    identify_controller_fn identify_controller = nullptr;
    log_page_fn log_page = nullptr; ///< nullptr: no command-set-specific log pages
};

} // namespace znssim::nvme
