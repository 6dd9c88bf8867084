// Decoding a fetched command to its handler: admin opcodes here, I/O opcodes through the command
// set of the addressed namespace (NVM when CC.CSS selects only the NVM command set).
#include "nvme/admin/admin_handlers.h"
#include "nvme/core/controller_core.h"
#include "nvme/spec/registers.h"

namespace znssim::nvme {

using namespace spec;

disposition controller_core::dispatch_admin(command& cmd) {
    switch (cmd.sqe.opcode) {
    case admin_opcode::identify:
        return handle_identify(*this, cmd);
    case admin_opcode::get_log_page:
        return handle_get_log_page(*this, cmd);
    case admin_opcode::create_io_cq:
        return create_io_cq(cmd);
    case admin_opcode::create_io_sq:
        return create_io_sq(cmd);
    case admin_opcode::delete_io_sq:
        return delete_io_sq(cmd);
    case admin_opcode::delete_io_cq:
        return delete_io_cq(cmd);
    case admin_opcode::get_features:
        return get_features(cmd);
    case admin_opcode::set_features:
        return set_features(cmd);
    case admin_opcode::async_event_request:
        return async_event_request(cmd);
    case admin_opcode::abort:
        return abort(cmd);
    default:
        cmd.status = sc::invalid_opcode;
        return disposition::complete;
    }
}

disposition controller_core::dispatch_io(command& cmd) {
    const unsigned css = cc::css(m_cc);
    const io_command_set* set = nullptr;
    if (cmd.sqe.nsid == 0xffffffffu) {
        // Broadcast: only commands that accept it (Flush) handle it; they live in the NVM set.
        set = m_sets[static_cast<unsigned>(csi::nvm)];
    } else {
        nvme_namespace* ns = find_namespace(cmd.sqe.nsid);
        if (!ns) {
            cmd.status = sc::invalid_namespace_or_format;
            return disposition::complete;
        }
        // With CC.CSS = NVM only, every namespace is driven with the NVM command set alone.
        const csi c = css == cc::css_nvm ? csi::nvm : ns->command_set();
        set = command_set(c);
        if (!set) set = m_sets[static_cast<unsigned>(csi::nvm)];
    }
    command_handler h = set ? set->handlers[cmd.sqe.opcode] : nullptr;
    if (!h) {
        cmd.status = sc::invalid_opcode;
        return disposition::complete;
    }
    return h(*this, cmd);
}

} // namespace znssim::nvme
