#include "nvme/controller.h"

#include <cstring>

namespace znssim::nvme {

controller_params controller::named(const controller_params& params, const char* instance) {
    controller_params p = params;
    if (p.log_instance.empty()) p.log_instance = instance;
    return p;
}

controller::controller(const sc_core::sc_module_name& name, const controller_params& params,
                       std::vector<std::unique_ptr<nvme_namespace>> namespaces,
                       std::vector<const io_command_set*> command_sets, media_timing& timing,
                       sc_scheduler* scheduler)
    : sc_core::sc_module(name), regs_in("regs_in"), dma_out("dma_out"), irq_out("irq_out"),
      m_own_scheduler(scheduler
                          ? nullptr
                          : std::make_unique<sc_scheduler>("scheduler", params.max_inflight + 64)),
      m_scheduler(scheduler ? scheduler : m_own_scheduler.get()), m_posted(posted_capacity),
      m_apply_timer(timer::member<controller, &controller::apply_posted>(this)) {
    regs_in.register_b_transport(this, &controller::b_transport);
    regs_in.register_transport_dbg(this, &controller::transport_dbg);
    dma_out.register_invalidate_direct_mem_ptr(this, &controller::invalidate_dmi);
    m_core = std::make_unique<controller_core>(
        named(params, this->name()),
        controller_core::environment{*m_scheduler, m_dma, *this, timing}, std::move(namespaces),
        std::move(command_sets));
}

controller::~controller() {
    m_scheduler->cancel(m_apply_timer);
}

void controller::end_of_elaboration() {
    // The socket's far end is known only once the platform is bound.
    m_dma.bind(*dma_out.operator->());
}

void controller::reset() {
    m_posted_head = m_posted_count = 0;
    m_scheduler->cancel(m_apply_timer);
    m_core->reset();
}

bool controller::read_access(tlm::tlm_generic_payload& gp) {
    const std::uint64_t addr = gp.get_address();
    const unsigned len = gp.get_data_length();
    unsigned char* data = gp.get_data_ptr();
    const std::uint64_t space = m_core->register_space_size();
    if (gp.get_byte_enable_ptr()) return false;
    if (len == 4 || len == 8) {
        if ((addr & (len - 1)) != 0) return false;
        if (addr + len <= space) {
            for (unsigned i = 0; i < len; i += 4) {
                const std::uint32_t v = m_core->read_register(static_cast<std::uint32_t>(addr + i));
                std::memcpy(data + i, &v, 4);
            }
            return true;
        }
    }
    if (addr < 0x1000 && (len == 1 || len == 2)) {
        // Narrow reads of registers are harmless; serve them from the containing dword.
        const std::uint32_t v = m_core->read_register(static_cast<std::uint32_t>(addr & ~3ull));
        std::memcpy(data, reinterpret_cast<const unsigned char*>(&v) + (addr & 3), len);
        return true;
    }
    if (addr >= space && addr + len > addr) {
        std::memset(data, 0, len); // beyond the doorbells but inside BAR0: reserved, reads 0
        return true;
    }
    return false;
}

bool controller::write_access(tlm::tlm_generic_payload& gp, sim_time at) {
    const std::uint64_t addr = gp.get_address();
    const unsigned len = gp.get_data_length();
    const unsigned char* data = gp.get_data_ptr();
    const std::uint64_t space = m_core->register_space_size();
    if (gp.get_byte_enable_ptr()) return false;
    // Registers are dword (or qword) wide and naturally aligned; anything else is refused.
    if ((len == 4 || len == 8) && (addr & (len - 1)) == 0 && addr + len <= space) {
        for (unsigned i = 0; i < len; i += 4) {
            std::uint32_t v;
            std::memcpy(&v, data + i, 4);
            post(at, static_cast<std::uint32_t>(addr + i), v);
        }
        return true;
    }
    return addr >= space && addr + len > addr; // reserved: ignored
}

void controller::post(sim_time at, std::uint32_t offset, std::uint32_t value) {
    if (at <= m_scheduler->now() && m_posted_count == 0 && !m_scheduler->busy()) {
        // Due now and nothing queued before it: take effect at once, in the caller's thread
        // (so a config read that follows sees it), exclusively of the device's own thread.
        m_scheduler->enter();
        m_core->write_register(offset, value);
        m_scheduler->leave();
        return;
    }
    // A full ring means the initiator outran the device by posted_capacity writes: it waits.
    while (m_posted_count == m_posted.size())
        sc_core::wait(m_applied);
    m_posted[(m_posted_head + m_posted_count++) % m_posted.size()] = {at, offset, value};
    if (!m_apply_timer.pending() || m_apply_timer.deadline() > at)
        m_scheduler->schedule(m_apply_timer, at);
}

bool controller::writes_due(sim_time by) const {
    for (std::size_t i = 0; i < m_posted_count; ++i)
        if (m_posted[(m_posted_head + i) % m_posted.size()].at <= by) return true;
    return false;
}

void controller::apply_posted() {
    const sim_time now = m_scheduler->now();
    // In arrival order; an initiator's annotated times never go backwards, so a write due later
    // stops only writes after it.
    while (m_posted_count != 0) {
        const posted_write w = m_posted[m_posted_head];
        if (w.at > now) break;
        m_posted_head = (m_posted_head + 1) % m_posted.size();
        --m_posted_count;
        m_core->write_register(w.offset, w.value);
    }
    // A doorbell fetch due now runs here rather than one delta cycle later.
    m_core->fetch_now();
    if (m_posted_count != 0) m_scheduler->schedule(m_apply_timer, m_posted[m_posted_head].at);
    m_applied.notify();
}

void controller::b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
    if (gp.is_write()) {
        const sim_time at = m_scheduler->now() + from_sc_time(delay);
        gp.set_response_status(write_access(gp, at) ? tlm::TLM_OK_RESPONSE
                                                    : tlm::TLM_GENERIC_ERROR_RESPONSE);
        return;
    }
    if (!gp.is_read()) {
        gp.set_response_status(tlm::TLM_OK_RESPONSE); // TLM_IGNORE_COMMAND
        return;
    }
    if (delay != sc_core::SC_ZERO_TIME) {
        sc_core::wait(delay);
        delay = sc_core::SC_ZERO_TIME;
    }
    // Reads do not pass posted writes, and never look at the core while a handler is suspended
    // inside one of its own bus accesses.
    while (writes_due(m_scheduler->now()) || m_scheduler->busy()) {
        if (m_scheduler->busy())
            m_scheduler->wait_until_idle();
        else
            sc_core::wait(m_applied);
    }
    gp.set_response_status(read_access(gp) ? tlm::TLM_OK_RESPONSE
                                           : tlm::TLM_GENERIC_ERROR_RESPONSE);
}

unsigned controller::transport_dbg(tlm::tlm_generic_payload& gp) {
    // Debug reads never have side effects (no register here has read side effects).
    if (!gp.is_read()) return 0;
    return read_access(gp) ? gp.get_data_length() : 0;
}

} // namespace znssim::nvme
