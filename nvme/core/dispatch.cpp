// Decoding a fetched command to its handler: admin opcodes through the admin command set
// (nvme/admin/admin_command_set.cpp), I/O opcodes through the command set of the addressed
// namespace (NVM when CC.CSS selects only the NVM command set).
#include "nvme/admin/admin_handlers.h"
#include "nvme/core/controller_core.h"
#include "nvme/spec/registers.h"

namespace znssim::nvme {

using namespace spec;

const std::array<std::uint32_t, 256>& controller_core::admin_effects() const {
    return m_admin_effects;
}

disposition controller_core::dispatch_admin(command& cmd) {
    const command_handler h = admin_command_set().handlers[cmd.sqe.opcode];
    if (!h) {
        cmd.status = sc::invalid_opcode;
        return disposition::complete;
    }
    return h(*this, cmd);
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
