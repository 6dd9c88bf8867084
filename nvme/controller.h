#pragma once
// The NVMe controller as a SystemC module: a register target (BAR0-relative), a DMA initiator
// and an interrupt port. It owns the scheduler the time-free core runs on and forwards register
// accesses to it; nothing else happens here.
#include "model/dma/tlm_dma_port.h"
#include "model/pcie/interrupt_if.h"
#include "model/sim/sc_scheduler.h"
#include "nvme/core/controller_core.h"

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <memory>
#include <vector>

namespace znssim::nvme {

class controller : public sc_core::sc_module, private pcie::interrupt_sink {
  public:
    tlm_utils::simple_target_socket<controller> regs_in;
    tlm_utils::simple_initiator_socket<controller> dma_out;
    sc_core::sc_port<pcie::interrupt_if> irq_out;

    controller(const sc_core::sc_module_name& name, const controller_params& params,
               std::vector<std::unique_ptr<nvme_namespace>> namespaces,
               std::vector<const io_command_set*> command_sets, media_timing& timing);

    controller_core& core() { return *m_core; }
    const controller_core& core() const { return *m_core; }

    /// Conventional reset (PCIe reset or QEMU DEVICE_RESET).
    void reset() { m_core->reset(); }
    void shutdown() { m_core->shutdown(); }

  private:
    void end_of_elaboration() override;
    void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
    unsigned transport_dbg(tlm::tlm_generic_payload& gp);
    void invalidate_dmi(sc_dt::uint64 start, sc_dt::uint64 end) { m_dma.invalidate(start, end); }
    bool access(tlm::tlm_generic_payload& gp);

    // pcie::interrupt_sink, forwarded to irq_out
    pcie::interrupt_mode mode() const override { return irq_out->mode(); }
    unsigned vector_count() const override { return irq_out->vector_count(); }
    void signal(unsigned vector) override { irq_out->signal(vector); }
    void set_level(bool asserted) override { irq_out->set_level(asserted); }

    sc_scheduler m_scheduler;
    tlm_dma_port m_dma;
    std::unique_ptr<controller_core> m_core;
};

} // namespace znssim::nvme
