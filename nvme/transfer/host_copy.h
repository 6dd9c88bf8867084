#pragma once
// One-call data movement for handlers whose data is a small device-side buffer (Identify, log
// pages, DSM ranges, zone reports): resolve the command's data pointer and copy in one go.
#include "nvme/core/command.h"

#include <cstdint>

namespace znssim::nvme {

class command_context;

/// Sends len bytes of src to the host buffer described by cmd's data pointer. allow_sgl: false
/// for admin commands (PRPs only). Sets nothing in cmd; returns the status.
spec::status send_to_host(command_context& ctx, command& cmd, const void* src, std::uint64_t len,
                          bool allow_sgl);
/// Fetches len bytes from the host buffer described by cmd's data pointer into dst.
spec::status fetch_from_host(command_context& ctx, command& cmd, void* dst, std::uint64_t len,
                             bool allow_sgl);

} // namespace znssim::nvme
