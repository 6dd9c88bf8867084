// The admin command set: one entry per supported command (handler and Commands Supported and
// Effects bits), like the I/O command sets. A new admin command is added here only.
#include "nvme/admin/admin_handlers.h"
#include "nvme/core/controller_core.h"

namespace znssim::nvme {

namespace {

/// A controller_core member as a handler: the core dispatches admin commands with itself as
/// the context (controller_core::dispatch_admin), so the context is that core.
template <disposition (controller_core::*member)(command&)>
disposition on_core(command_context& ctx, command& cmd) {
    return (static_cast<controller_core&>(ctx).*member)(cmd);
}

command_table make_admin_set() {
    using namespace spec::admin_opcode;
    command_table t;
    t.add(delete_io_sq, on_core<&controller_core::delete_io_sq>, 0);
    t.add(create_io_sq, on_core<&controller_core::create_io_sq>, 0);
    t.add(get_log_page, handle_get_log_page, 0);
    t.add(delete_io_cq, on_core<&controller_core::delete_io_cq>, 0);
    t.add(create_io_cq, on_core<&controller_core::create_io_cq>, 0);
    t.add(identify, handle_identify, 0);
    t.add(abort, on_core<&controller_core::abort>, 0);
    t.add(set_features, on_core<&controller_core::set_features>, 0);
    t.add(get_features, on_core<&controller_core::get_features>, 0);
    t.add(async_event_request, on_core<&controller_core::async_event_request>, 0);
    t.add(doorbell_buffer_config, on_core<&controller_core::doorbell_buffer_config>, 0);
    return t;
}

} // namespace

const command_table& admin_command_set() {
    static const command_table set = make_admin_set();
    return set;
}

} // namespace znssim::nvme
