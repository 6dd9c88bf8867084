#pragma once
// The Zoned Namespace command set (CSI 02h): the NVM set plus Zone Management Send (79h), Zone
// Management Receive (7Ah) and Zone Append (7Dh), Identify CNS 06h and the Changed Zone List log.
#include "nvme/core/command.h"
#include "nvme/core/command_set.h"
#include "nvme/core/context.h"

namespace znssim::zns {

class zoned_namespace;

/// Register this set for CSI 02h; also used for the Commands Supported and Effects log.
const nvme::io_command_set& zns_command_set();

nvme::disposition handle_zone_mgmt_send(nvme::command_context& ctx, nvme::command& cmd);
nvme::disposition handle_zone_mgmt_recv(nvme::command_context& ctx, nvme::command& cmd);
nvme::disposition handle_zone_append(nvme::command_context& ctx, nvme::command& cmd);

/// Identify CNS 06h, CSI 02h: ZASL of the controller's first zoned namespace (capped to MDTS).
void identify_controller_zns(nvme::command_context& ctx, void* out4096);
/// Get Log Page for CSI 02h: LID BFh Changed Zone List (NSID-specific, cleared unless RAE).
nvme::spec::status zns_log_page(nvme::command_context& ctx, const nvme::command& cmd,
                                std::uint8_t lid, std::uint64_t offset, void* out, std::size_t len);

namespace detail {
/// The zoned namespace a command addresses; nullptr with cmd.status set (Invalid Namespace, or
/// Invalid Opcode for a namespace that is not zoned).
zoned_namespace* zoned_target(nvme::command_context& ctx, nvme::command& cmd);
/// Zone Append size limit in bytes (ZASL, or MDTS when ZASL is 0).
std::uint64_t append_limit_bytes(const nvme::command_context& ctx, const zoned_namespace& ns);
} // namespace detail

} // namespace znssim::zns
