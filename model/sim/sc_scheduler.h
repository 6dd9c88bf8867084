#pragma once
// scheduler on SystemC: one SC_METHOD fires due timers, so time-free logic runs as a SystemC
// process at the right simulated time without a thread per activity.
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

  private:
    void run();
    void rearm();

    timer_queue m_queue;
    sc_core::sc_event m_wakeup;
    sim_time m_armed_for = ~sim_time{0};
};

} // namespace znssim
