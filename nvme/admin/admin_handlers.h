#pragma once
// The admin command set, and the admin command handlers that only need the command_context (the
// queue, feature, AER and abort commands are members of controller_core because they act on its
// queues and state).
#include "nvme/core/command.h"
#include "nvme/core/command_set.h"
#include "nvme/core/context.h"

namespace znssim::nvme {

/// Every admin command the controller supports, with its handler and effects: the controller
/// core dispatches admin opcodes through it and reports its effects in the Commands Supported
/// and Effects log. Its handlers run with the controller_core itself as the context.
const command_table& admin_command_set();

disposition handle_identify(command_context& ctx, command& cmd);
disposition handle_get_log_page(command_context& ctx, command& cmd);

} // namespace znssim::nvme
