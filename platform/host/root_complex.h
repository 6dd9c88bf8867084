#pragma once
// The host bridge: decodes the CPU's (driver's) accesses into config space (ECAM), device MMIO
// and host memory, and the device's DMA into host memory and MSI messages. The address map is
// in platform/host/address_map.h. Only bus 0 device 0 function 0 exists: other ECAM functions
// read all-ones and ignore writes, like an empty slot.
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <cstdint>
#include <string>

namespace znssim::platform {

class root_complex : public sc_core::sc_module {
  public:
    tlm_utils::simple_target_socket<root_complex> cpu_in;      ///< driver / CPU accesses
    tlm_utils::simple_target_socket<root_complex> dma_in;      ///< device DMA and MSI-X messages
    tlm_utils::simple_initiator_socket<root_complex> cfg_out;  ///< → device cfg_in (offset)
    tlm_utils::simple_initiator_socket<root_complex> mmio_out; ///< → device mem_in (bus address)
    tlm_utils::simple_initiator_socket<root_complex> mem_out;  ///< → host memory
    tlm_utils::simple_initiator_socket<root_complex> msi_out;  ///< → interrupt controller

    root_complex(const sc_core::sc_module_name& name, std::uint64_t host_memory_bytes);

    /// Per-socket transaction trace at trace level of logger "platform.rc":
    /// "[TLM] <socket> >> WR 0xaddr [bytes] (resp)".
    void trace_cpu(bool on) { m_trace_cpu = on; }
    void trace_dma(bool on) { m_trace_dma = on; }

    std::uint64_t dma_errors() const { return m_dma_errors; }

  private:
    void cpu_b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
    unsigned cpu_transport_dbg(tlm::tlm_generic_payload& gp);
    bool cpu_get_dmi(tlm::tlm_generic_payload& gp, tlm::tlm_dmi& dmi);
    void dma_b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
    unsigned dma_transport_dbg(tlm::tlm_generic_payload& gp);
    bool dma_get_dmi(tlm::tlm_generic_payload& gp, tlm::tlm_dmi& dmi);
    void mem_invalidate(sc_dt::uint64 start, sc_dt::uint64 end);

    enum class route : std::uint8_t { config, config_absent, mmio, memory, msi, none };
    route decode_cpu(std::uint64_t addr, std::uint64_t& local) const;
    route decode_dma(std::uint64_t addr, std::uint64_t& local) const;
    /// Sends gp (address rewritten to 'local' and restored afterwards) on the routed socket.
    void forward(route r, std::uint64_t local, tlm::tlm_generic_payload& gp,
                 sc_core::sc_time& delay, bool debug, unsigned& dbg_bytes);
    void absent_function(tlm::tlm_generic_payload& gp);
    void trace_access(const char* socket, const tlm::tlm_generic_payload& gp) const;

    std::uint64_t m_host_memory_bytes;
    bool m_trace_cpu = false;
    bool m_trace_dma = false;
    std::uint64_t m_dma_errors = 0;
    std::string m_cpu_name, m_dma_name;
};

} // namespace znssim::platform
