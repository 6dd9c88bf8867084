#pragma once
// The data phases of a planned command (see command.h) and running a whole plan at once, which is
// what the untimed controller and the handlers' unit tests do.
#include "nvme/core/command.h"

namespace znssim::nvme {

class command_context;

/// Host memory → plan.device_bytes (or, for a namespace without data storage, read and dropped).
spec::status move_data_to_device(command_context& ctx, command& cmd);
/// plan.device_bytes → host memory (or zeros for a namespace without data storage).
spec::status move_data_to_host(command_context& ctx, command& cmd);

/// Runs every phase of cmd.plan now, in order (data to the device, data to the host, finish); a
/// failed data phase becomes the command's status.
void run_plan_now(command_context& ctx, command& cmd);

} // namespace znssim::nvme
