#include "model/dma/tlm_dma_port.h"

#include "model/sim/sc_scheduler.h"

#include <algorithm>
#include <cstring>

namespace znssim {

const tlm_dma_port::region* tlm_dma_port::find(std::uint64_t addr, std::size_t len,
                                               bool write) const {
    const std::uint64_t last = addr + len - 1;
    for (const auto& r : m_regions)
        if (addr >= r.start && last <= r.end && last >= addr && (write ? r.writable : r.readable))
            return &r;
    return nullptr;
}

void tlm_dma_port::try_dmi(std::uint64_t addr, bool write) {
    const std::uint64_t page = addr >> 12;
    if (std::find(m_dmi_refused.begin(), m_dmi_refused.end(), page) != m_dmi_refused.end()) return;
    tlm::tlm_generic_payload gp;
    gp.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    gp.set_address(addr);
    tlm::tlm_dmi dmi;
    if (m_target->get_direct_mem_ptr(gp, dmi) && dmi.get_dmi_ptr()) {
        m_regions.push_back({dmi.get_start_address(), dmi.get_end_address(), dmi.get_dmi_ptr(),
                             dmi.is_read_allowed(), dmi.is_write_allowed(),
                             from_sc_time(dmi.get_read_latency()),
                             from_sc_time(dmi.get_write_latency())});
    } else if (m_dmi_refused.size() < 64) {
        m_dmi_refused.push_back(page);
    }
}

void tlm_dma_port::invalidate(std::uint64_t start, std::uint64_t end) {
    m_regions.erase(
        std::remove_if(m_regions.begin(), m_regions.end(),
                       [&](const region& r) { return r.start <= end && r.end >= start; }),
        m_regions.end());
    m_dmi_refused.clear(); // the map changed: DMI may be granted now
}

dma_status tlm_dma_port::access(tlm::tlm_command cmd, std::uint64_t addr, unsigned char* data,
                                std::size_t len) {
    if (len == 0) return dma_status::ok;
    if (addr + len < addr) return dma_status::address_error;
    const bool write = cmd == tlm::TLM_WRITE_COMMAND;
    const region* r = find(addr, len, write);
    if (!r && m_regions.size() < 16) {
        try_dmi(addr, write);
        r = find(addr, len, write);
    }
    if (r) {
        unsigned char* p = r->ptr + (addr - r->start);
        if (write)
            std::memcpy(p, data, len);
        else
            std::memcpy(data, p, len);
        m_delay += write ? r->write_latency : r->read_latency;
        ++m_dmi_hits;
        return dma_status::ok;
    }
    ++m_transport_calls;
    m_payload.set_command(cmd);
    m_payload.set_address(addr);
    m_payload.set_data_ptr(data);
    m_payload.set_data_length(static_cast<unsigned>(len));
    m_payload.set_streaming_width(static_cast<unsigned>(len));
    m_payload.set_byte_enable_ptr(nullptr);
    m_payload.set_dmi_allowed(false);
    m_payload.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    m_target->b_transport(m_payload, delay);
    m_delay += from_sc_time(delay);
    switch (m_payload.get_response_status()) {
    case tlm::TLM_OK_RESPONSE:
        return dma_status::ok;
    case tlm::TLM_COMMAND_ERROR_RESPONSE:
        return dma_status::disabled;
    default:
        return dma_status::address_error;
    }
}

dma_status tlm_dma_port::read(std::uint64_t addr, void* dst, std::size_t len) {
    return access(tlm::TLM_READ_COMMAND, addr, static_cast<unsigned char*>(dst), len);
}

dma_status tlm_dma_port::write(std::uint64_t addr, const void* src, std::size_t len) {
    return access(tlm::TLM_WRITE_COMMAND, addr,
                  const_cast<unsigned char*>(static_cast<const unsigned char*>(src)), len);
}

} // namespace znssim
