#include "nvme/controller.h"

#include <cstring>

namespace znssim::nvme {

controller::controller(const sc_core::sc_module_name& name, const controller_params& params,
                       std::vector<std::unique_ptr<nvme_namespace>> namespaces,
                       std::vector<const io_command_set*> command_sets, media_timing& timing)
    : sc_core::sc_module(name), regs_in("regs_in"), dma_out("dma_out"), irq_out("irq_out"),
      m_scheduler("scheduler", params.max_inflight + 64) {
    regs_in.register_b_transport(this, &controller::b_transport);
    regs_in.register_transport_dbg(this, &controller::transport_dbg);
    dma_out.register_invalidate_direct_mem_ptr(this, &controller::invalidate_dmi);
    m_core = std::make_unique<controller_core>(
        params, controller_core::environment{m_scheduler, m_dma, *this, timing},
        std::move(namespaces), std::move(command_sets));
}

void controller::end_of_elaboration() {
    // The socket's far end is known only once the platform is bound.
    m_dma.bind(*dma_out.operator->());
}

bool controller::access(tlm::tlm_generic_payload& gp) {
    const std::uint64_t addr = gp.get_address();
    const unsigned len = gp.get_data_length();
    unsigned char* data = gp.get_data_ptr();
    if (gp.get_byte_enable_ptr() || (len != 4 && len != 8) || (addr & (len - 1)) != 0 ||
        addr + len > m_core->register_space_size()) {
        // Registers are dword (or qword) wide and naturally aligned; anything else is refused.
        if (addr < 0x1000 && (len == 1 || len == 2) && gp.is_read() && !gp.get_byte_enable_ptr()) {
            // Narrow reads of registers are harmless; serve them from the containing dword.
            const std::uint32_t v = m_core->read_register(static_cast<std::uint32_t>(addr & ~3ull));
            std::memcpy(data, reinterpret_cast<const unsigned char*>(&v) + (addr & 3), len);
            return true;
        }
        if (addr >= m_core->register_space_size() && addr + len > addr) {
            // Beyond the doorbells but inside BAR0: reserved, reads as zero, writes ignored.
            if (gp.is_read()) std::memset(data, 0, len);
            return true;
        }
        return false;
    }
    const std::uint32_t off = static_cast<std::uint32_t>(addr);
    for (unsigned i = 0; i < len; i += 4) {
        std::uint32_t v;
        if (gp.is_read()) {
            v = m_core->read_register(off + i);
            std::memcpy(data + i, &v, 4);
        } else if (gp.is_write()) {
            std::memcpy(&v, data + i, 4);
            m_core->write_register(off + i, v);
        }
    }
    return true;
}

void controller::b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time&) {
    gp.set_response_status(access(gp) ? tlm::TLM_OK_RESPONSE : tlm::TLM_GENERIC_ERROR_RESPONSE);
}

unsigned controller::transport_dbg(tlm::tlm_generic_payload& gp) {
    // Debug reads never have side effects (no register here has read side effects).
    if (!gp.is_read()) return 0;
    return access(gp) ? gp.get_data_length() : 0;
}

} // namespace znssim::nvme
