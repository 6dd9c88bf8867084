#include "platform/host/root_complex.h"

#include "model/log/log.h"
#include "platform/host/address_map.h"

#include <cstring>

namespace znssim::platform {

namespace {
const log::logger_ptr& logger() {
    static const log::logger_ptr lg = log::get("platform.rc");
    return lg;
}

const char* response_name(tlm::tlm_response_status s) {
    switch (s) {
    case tlm::TLM_OK_RESPONSE:
        return "TLM_OK_RESPONSE";
    case tlm::TLM_INCOMPLETE_RESPONSE:
        return "TLM_INCOMPLETE_RESPONSE";
    case tlm::TLM_GENERIC_ERROR_RESPONSE:
        return "TLM_GENERIC_ERROR_RESPONSE";
    case tlm::TLM_ADDRESS_ERROR_RESPONSE:
        return "TLM_ADDRESS_ERROR_RESPONSE";
    case tlm::TLM_COMMAND_ERROR_RESPONSE:
        return "TLM_COMMAND_ERROR_RESPONSE";
    case tlm::TLM_BURST_ERROR_RESPONSE:
        return "TLM_BURST_ERROR_RESPONSE";
    case tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE:
        return "TLM_BYTE_ENABLE_ERROR_RESPONSE";
    }
    return "?";
}
} // namespace

root_complex::root_complex(const sc_core::sc_module_name& name, std::uint64_t host_memory_bytes)
    : sc_module(name), cpu_in("cpu_in"), dma_in("dma_in"), cfg_out("cfg_out"), mmio_out("mmio_out"),
      mem_out("mem_out"), msi_out("msi_out"), m_host_memory_bytes(host_memory_bytes) {
    logger(); // created with the platform, so that --log can name it before it logs
    cpu_in.register_b_transport(this, &root_complex::cpu_b_transport);
    cpu_in.register_transport_dbg(this, &root_complex::cpu_transport_dbg);
    cpu_in.register_get_direct_mem_ptr(this, &root_complex::cpu_get_dmi);
    dma_in.register_b_transport(this, &root_complex::dma_b_transport);
    dma_in.register_transport_dbg(this, &root_complex::dma_transport_dbg);
    dma_in.register_get_direct_mem_ptr(this, &root_complex::dma_get_dmi);
    mem_out.register_invalidate_direct_mem_ptr(this, &root_complex::mem_invalidate);
    m_cpu_name = std::string(this->name()) + ".cpu_in";
    m_dma_name = std::string(this->name()) + ".dma_in";
}

root_complex::route root_complex::decode_cpu(std::uint64_t addr, std::uint64_t& local) const {
    using namespace address_map;
    if (in(addr, ecam_base, ecam_size)) {
        local = addr - ecam_base;
        if ((local >> 12) != 0) // bus/device/function other than 00:00.0
            return route::config_absent;
        return route::config;
    }
    if (in(addr, mmio32_base, mmio32_size) || in(addr, mmio64_base, mmio64_size)) {
        local = addr; // the function decodes absolute bus addresses against its BARs
        return route::mmio;
    }
    local = addr - host_memory_base;
    return route::memory;
}

root_complex::route root_complex::decode_dma(std::uint64_t addr, std::uint64_t& local) const {
    using namespace address_map;
    if (in(addr, msi_base, msi_size)) {
        local = addr - msi_base;
        return route::msi;
    }
    if (in(addr, host_memory_base, m_host_memory_bytes)) {
        local = addr - host_memory_base;
        return route::memory;
    }
    return route::none; // peer-to-peer and holes are not routed
}

void root_complex::absent_function(tlm::tlm_generic_payload& gp) {
    if (gp.is_read()) std::memset(gp.get_data_ptr(), 0xff, gp.get_data_length());
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

void root_complex::forward(route r, std::uint64_t local, tlm::tlm_generic_payload& gp,
                           sc_core::sc_time& delay, bool debug, unsigned& dbg_bytes) {
    tlm_utils::simple_initiator_socket<root_complex>* out = nullptr;
    switch (r) {
    case route::config:
        out = &cfg_out;
        break;
    case route::mmio:
        out = &mmio_out;
        break;
    case route::memory:
        out = &mem_out;
        break;
    case route::msi:
        out = &msi_out;
        break;
    case route::config_absent:
        absent_function(gp);
        dbg_bytes = gp.get_data_length();
        return;
    case route::none:
        gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        dbg_bytes = 0;
        return;
    }
    const std::uint64_t original = gp.get_address();
    gp.set_address(local);
    if (debug)
        dbg_bytes = (*out)->transport_dbg(gp);
    else
        (*out)->b_transport(gp, delay);
    gp.set_address(original);
}

void root_complex::cpu_b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
    std::uint64_t local = 0;
    unsigned unused = 0;
    route r = decode_cpu(gp.get_address(), local);
    forward(r, local, gp, delay, false, unused);
    if (r != route::memory)
        gp.set_dmi_allowed(false); // only memory is DMI-able through this bridge
    if (m_trace_cpu) trace_access(m_cpu_name.c_str(), gp);
}

unsigned root_complex::cpu_transport_dbg(tlm::tlm_generic_payload& gp) {
    std::uint64_t local = 0;
    unsigned n = 0;
    sc_core::sc_time t = sc_core::SC_ZERO_TIME;
    forward(decode_cpu(gp.get_address(), local), local, gp, t, true, n);
    return n;
}

bool root_complex::cpu_get_dmi(tlm::tlm_generic_payload& gp, tlm::tlm_dmi& dmi) {
    std::uint64_t local = 0;
    if (decode_cpu(gp.get_address(), local) != route::memory ||
        gp.get_address() >= m_host_memory_bytes)
        return false;
    return dma_get_dmi(gp, dmi);
}

void root_complex::dma_b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
    std::uint64_t local = 0;
    unsigned unused = 0;
    route r = decode_dma(gp.get_address(), local);
    forward(r, local, gp, delay, false, unused);
    if (r != route::memory) gp.set_dmi_allowed(false);
    if (gp.get_response_status() != tlm::TLM_OK_RESPONSE) {
        ++m_dma_errors;
        ZLOG_DEBUG(logger(), "device DMA {} {:#x} len {} failed: {}",
                   gp.is_write() ? "write" : "read", gp.get_address(), gp.get_data_length(),
                   response_name(gp.get_response_status()));
    }
    if (m_trace_dma) trace_access(m_dma_name.c_str(), gp);
}

unsigned root_complex::dma_transport_dbg(tlm::tlm_generic_payload& gp) {
    std::uint64_t local = 0;
    unsigned n = 0;
    sc_core::sc_time t = sc_core::SC_ZERO_TIME;
    forward(decode_dma(gp.get_address(), local), local, gp, t, true, n);
    return n;
}

bool root_complex::dma_get_dmi(tlm::tlm_generic_payload& gp, tlm::tlm_dmi& dmi) {
    std::uint64_t local = 0;
    if (decode_dma(gp.get_address(), local) != route::memory) return false;
    const std::uint64_t original = gp.get_address();
    gp.set_address(local);
    bool ok = mem_out->get_direct_mem_ptr(gp, dmi);
    gp.set_address(original);
    if (!ok) return false;
    // Host memory sits at bus address host_memory_base: rebase and clip to the routed window.
    std::uint64_t start = dmi.get_start_address() + address_map::host_memory_base;
    std::uint64_t end = dmi.get_end_address() + address_map::host_memory_base;
    if (end > m_host_memory_bytes - 1) end = m_host_memory_bytes - 1;
    dmi.set_start_address(start);
    dmi.set_end_address(end);
    return true;
}

void root_complex::mem_invalidate(sc_dt::uint64 start, sc_dt::uint64 end) {
    const std::uint64_t base = address_map::host_memory_base;
    dma_in->invalidate_direct_mem_ptr(start + base, end + base);
    cpu_in->invalidate_direct_mem_ptr(start + base, end + base);
}

void root_complex::trace_access(const char* socket, const tlm::tlm_generic_payload& gp) const {
    if (!logger()->should_log(spdlog::level::trace)) return;
    char bytes[3 * 16 + 4] = {};
    std::size_t n = gp.get_data_length() < 16 ? gp.get_data_length() : 16;
    std::size_t pos = 0;
    for (std::size_t i = 0; i < n; ++i)
        pos += static_cast<std::size_t>(std::snprintf(bytes + pos, sizeof bytes - pos,
                                                      i ? " %02x" : "%02x", gp.get_data_ptr()[i]));
    if (gp.get_data_length() > 16) std::snprintf(bytes + pos, sizeof bytes - pos, " ..");
    logger()->trace("[TLM] {} >> {} {:#x} [{}] ({})", socket, gp.is_write() ? "WR" : "RD",
                    gp.get_address(), bytes, response_name(gp.get_response_status()));
}

} // namespace znssim::platform
