#pragma once
// What time-free logic (the NVMe core, zone timers) needs from a simulator: the current time and
// timers. The SystemC implementation is sc_scheduler; unit tests use manual_scheduler.
#include "model/sim/timer.h"

namespace znssim {

class scheduler {
  public:
    virtual ~scheduler() = default;
    virtual sim_time now() const = 0;
    /// Arms t to fire at 'at' (clamped to now()); a timer for now() fires in a later delta cycle.
    virtual void schedule(timer& t, sim_time at) = 0;
    virtual void cancel(timer& t) = 0;

    void schedule_in(timer& t, sim_time delay) { schedule(t, now() + delay); }
};

/// A scheduler whose clock moves only when told: for unit tests of time-free logic.
class manual_scheduler final : public scheduler {
  public:
    sim_time now() const override { return m_now; }
    void schedule(timer& t, sim_time at) override { m_queue.schedule(t, at < m_now ? m_now : at); }
    void cancel(timer& t) override { m_queue.cancel(t); }

    /// Fires everything due now, repeatedly, until nothing is due (delta cycles at this time).
    void settle() {
        while (m_queue.fire_due(m_now) != 0) {
        }
    }
    /// Moves the clock to t, firing every timer due on the way in order.
    void advance_to(sim_time t) {
        settle();
        while (!m_queue.empty() && m_queue.next_deadline() <= t) {
            m_now = m_queue.next_deadline();
            settle();
        }
        m_now = t;
        settle();
    }
    void advance_by(sim_time d) { advance_to(m_now + d); }
    bool idle() const { return m_queue.empty(); }

  private:
    sim_time m_now = 0;
    timer_queue m_queue;
};

} // namespace znssim
