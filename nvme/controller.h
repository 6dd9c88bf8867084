#pragma once
// The NVMe controller as a SystemC module: a register target (BAR0-relative), a DMA initiator
// and an interrupt port around the time-free controller_core.
//
// Every timer of the device (commands, zone timers, the timing model's background work) runs on
// one sc_scheduler thread, so the core is never entered from two processes at once. Register
// accesses follow the TLM-2.0 loosely-timed rules:
// - A write is posted: it takes effect on the scheduler's thread at the initiator's annotated
//   time (sc_time_stamp() + delay), in order; b_transport returns at once without consuming the
//   delay, as a posted PCIe write does.
// - A read synchronises: with a non-zero delay the target wait()s it out first (so the value is
//   that of the initiator's local time), then waits until every posted write due by then has
//   taken effect (reads never pass posted writes), then reads. Reads have no side effects.
// So a temporally decoupled initiator (a quantum keeper) may keep its local time ahead of SystemC
// time; the synchronisation points are its register reads and the device's interrupts.
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

    /// 'scheduler' runs the device's timers; nullptr: the controller makes its own. Pass the one
    /// the zoned namespaces were built with, so that all of the device runs on one thread.
    /// Loggers are named after params.log_instance, by default this module's instance name.
    controller(const sc_core::sc_module_name& name, const controller_params& params,
               std::vector<std::unique_ptr<nvme_namespace>> namespaces,
               std::vector<const io_command_set*> command_sets, media_timing& timing,
               sc_scheduler* scheduler = nullptr);
    ~controller() override;

    controller_core& core() { return *m_core; }
    const controller_core& core() const { return *m_core; }
    sc_scheduler& scheduler() { return *m_scheduler; }

    /// params with log_instance set to 'instance' unless it names one already.
    static controller_params named(const controller_params& params, const char* instance);

    /// Conventional reset (PCIe reset or QEMU DEVICE_RESET).
    void reset();
    void shutdown() { m_core->shutdown(); }

  private:
    void end_of_elaboration() override;
    void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
    unsigned transport_dbg(tlm::tlm_generic_payload& gp);
    void invalidate_dmi(sc_dt::uint64 start, sc_dt::uint64 end) { m_dma.invalidate(start, end); }
    /// Register reads (or a reserved range) served now; false for a malformed access.
    bool read_access(tlm::tlm_generic_payload& gp);
    bool write_access(tlm::tlm_generic_payload& gp, sim_time at);
    void post(sim_time at, std::uint32_t offset, std::uint32_t value);
    void apply_posted();
    bool writes_due(sim_time by) const;

    // pcie::interrupt_sink, forwarded to irq_out
    pcie::interrupt_mode mode() const override { return irq_out->mode(); }
    unsigned vector_count() const override { return irq_out->vector_count(); }
    void signal(unsigned vector) override { irq_out->signal(vector); }
    void set_level(bool asserted) override { irq_out->set_level(asserted); }

    std::unique_ptr<sc_scheduler> m_own_scheduler;
    sc_scheduler* m_scheduler;
    tlm_dma_port m_dma;
    std::unique_ptr<controller_core> m_core;

    struct posted_write {
        sim_time at;
        std::uint32_t offset;
        std::uint32_t value;
    };
    static constexpr std::size_t posted_capacity = 256;
    std::vector<posted_write> m_posted; ///< a ring of posted_capacity, in arrival order
    std::size_t m_posted_head = 0;
    std::size_t m_posted_count = 0;
    timer m_apply_timer;
    sc_core::sc_event m_applied;
};

} // namespace znssim::nvme
