#pragma once
// scheduler on SystemC: one SC_THREAD fires due timers, so time-free logic runs as a SystemC
// process at the right simulated time without a thread per activity. It is a thread (not a
// method) because timer handlers issue TLM b_transport calls (DMA, MSI-X), which the TLM-2.0
// rules allow only from thread context: a target may call wait() inside them.
#include "model/sim/scheduler.h"

#include <systemc>

namespace znssim {

/// Current SystemC time in picoseconds.
sim_time sc_now();
/// Conversions between sim_time and sc_time.
sc_core::sc_time to_sc_time(sim_time t);
sim_time from_sc_time(const sc_core::sc_time& t);

class sc_scheduler : public sc_core::sc_module, public scheduler {
  public:
    SC_HAS_PROCESS(sc_scheduler);
    explicit sc_scheduler(const sc_core::sc_module_name& name, std::size_t expected_timers = 1024);

    sim_time now() const override { return sc_now(); }
    void schedule(timer& t, sim_time at) override;
    void cancel(timer& t) override;

    /// True while a timer handler runs, including while it is suspended in a wait() inside a
    /// b_transport: other processes must then not call into the logic the handlers drive.
    bool busy() const { return m_busy; }
    /// From another thread: waits until no handler is running (returns at once when idle).
    void wait_until_idle();
    /// From another thread: runs logic the handlers also drive, exclusively (the scheduler's
    /// thread does not fire timers until leave(), even if that thread wait()s meanwhile).
    void enter();
    void leave();

  private:
    void run();
    void wake_for(sim_time at);

    timer_queue m_queue;
    sc_core::sc_event m_wakeup;
    sc_core::sc_event m_idle;
    sim_time m_armed_for = ~sim_time{0};
    bool m_busy = false;
    unsigned m_idle_waiters = 0;
};

} // namespace znssim
