#include "platform/qemu/guest_memory_target.h"

#include <limits>

namespace znssim::platform {

guest_memory_target::guest_memory_target(const sc_core::sc_module_name& name, guest_memory& memory)
    : sc_core::sc_module(name), dma_in("dma_in"), m_memory(memory) {
    dma_in.register_b_transport(this, &guest_memory_target::b_transport);
    dma_in.register_transport_dbg(this, &guest_memory_target::transport_dbg);
    dma_in.register_get_direct_mem_ptr(this, &guest_memory_target::get_direct_mem_ptr);
}

void guest_memory_target::invalidate_all() {
    dma_in->invalidate_direct_mem_ptr(0, std::numeric_limits<sc_dt::uint64>::max());
}

tlm::tlm_response_status guest_memory_target::access(tlm::tlm_generic_payload& p) {
    if (p.get_byte_enable_ptr() != nullptr) return tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE;
    if (p.get_streaming_width() < p.get_data_length()) return tlm::TLM_BURST_ERROR_RESPONSE;
    dma_status s;
    if (p.is_read())
        s = m_memory.read(p.get_address(), p.get_data_ptr(), p.get_data_length());
    else if (p.is_write())
        s = m_memory.write(p.get_address(), p.get_data_ptr(), p.get_data_length());
    else
        return tlm::TLM_OK_RESPONSE; // IGNORE
    return s == dma_status::ok ? tlm::TLM_OK_RESPONSE : tlm::TLM_ADDRESS_ERROR_RESPONSE;
}

void guest_memory_target::b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time&) {
    ++m_transactions;
    p.set_response_status(access(p));
    if (p.is_response_ok() && m_memory.find(p.get_address()) != nullptr) p.set_dmi_allowed(true);
}

unsigned int guest_memory_target::transport_dbg(tlm::tlm_generic_payload& p) {
    return access(p) == tlm::TLM_OK_RESPONSE ? p.get_data_length() : 0;
}

bool guest_memory_target::get_direct_mem_ptr(tlm::tlm_generic_payload& p, tlm::tlm_dmi& dmi) {
    std::uint64_t addr = p.get_address();
    dmi.set_read_latency(sc_core::SC_ZERO_TIME);
    dmi.set_write_latency(sc_core::SC_ZERO_TIME);
    if (const auto* r = m_memory.find(addr)) {
        dmi.set_dmi_ptr(r->host);
        dmi.set_start_address(r->gpa);
        dmi.set_end_address(r->gpa + r->size - 1);
        dmi.allow_read_write();
        return true;
    }
    // Not RAM: tell the initiator how far the hole extends so it does not ask again inside it.
    std::uint64_t start = 0, end = std::numeric_limits<std::uint64_t>::max();
    for (const auto& r : m_memory.regions()) {
        if (r.gpa + r.size - 1 < addr && r.gpa + r.size > start) start = r.gpa + r.size;
        if (r.gpa > addr && r.gpa - 1 < end) end = r.gpa - 1;
    }
    dmi.set_start_address(start);
    dmi.set_end_address(end);
    dmi.allow_none();
    return false;
}

} // namespace znssim::platform
