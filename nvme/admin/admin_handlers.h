#pragma once
// Admin command handlers that only need the command_context (the queue, feature, AER and abort
// commands are members of controller_core because they act on its queues and state).
#include "nvme/core/command.h"
#include "nvme/core/context.h"

namespace znssim::nvme {

disposition handle_identify(command_context& ctx, command& cmd);
disposition handle_get_log_page(command_context& ctx, command& cmd);

} // namespace znssim::nvme
