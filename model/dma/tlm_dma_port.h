#pragma once
// dma_port over a TLM-2.0 initiator socket. Direct memory interface pointers are requested once
// and cached, so a command's copies are plain memcpy into host memory; everything else goes
// through b_transport with a reused payload (no allocation per access).
#include "model/dma/dma_port.h"

#include <systemc>
#include <tlm>

#include <vector>

namespace znssim {

class tlm_dma_port final : public dma_port {
  public:
    explicit tlm_dma_port(tlm::tlm_fw_transport_if<>& target) : m_target(&target) {}
    tlm_dma_port() = default;
    void bind(tlm::tlm_fw_transport_if<>& target) { m_target = &target; }

    dma_status read(std::uint64_t addr, void* dst, std::size_t len) override;
    dma_status write(std::uint64_t addr, const void* src, std::size_t len) override;
    /// Annotated b_transport delays and DMI read/write latencies since the last call.
    sim_time take_delay() override {
        const sim_time d = m_delay;
        m_delay = 0;
        return d;
    }

    /// Called from the socket's invalidate_direct_mem_ptr: forget DMI regions overlapping it.
    void invalidate(std::uint64_t start, std::uint64_t end);

    std::uint64_t dmi_hits() const { return m_dmi_hits; }
    std::uint64_t transport_calls() const { return m_transport_calls; }

  private:
    struct region {
        std::uint64_t start, end; // inclusive end, as TLM DMI
        unsigned char* ptr;
        bool readable, writable;
        sim_time read_latency, write_latency;
    };
    dma_status access(tlm::tlm_command cmd, std::uint64_t addr, unsigned char* data,
                      std::size_t len);
    const region* find(std::uint64_t addr, std::size_t len, bool write) const;
    void try_dmi(std::uint64_t addr, bool write);

    tlm::tlm_fw_transport_if<>* m_target = nullptr;
    std::vector<region> m_regions;
    std::vector<std::uint64_t> m_dmi_refused; ///< page numbers where DMI was denied
    tlm::tlm_generic_payload m_payload;
    std::uint64_t m_dmi_hits = 0;
    std::uint64_t m_transport_calls = 0;
    sim_time m_delay = 0;
};

} // namespace znssim
