#include "model/sim/sc_scheduler.h"

namespace znssim {

namespace {
// sc_time's integer value counts resolution units; converted once (the resolution is fixed
// once any time has been made), without a static guard on the hot path.
std::uint64_t g_ps_per_unit = 0;
std::uint64_t ps_per_unit() {
    if (g_ps_per_unit == 0) {
        const auto v =
            static_cast<std::uint64_t>(sc_core::sc_get_time_resolution().to_seconds() * 1e12 + 0.5);
        g_ps_per_unit = v ? v : 1;
    }
    return g_ps_per_unit;
}
constexpr sim_time never = ~sim_time{0};
} // namespace

sim_time from_sc_time(const sc_core::sc_time& t) {
    return t.value() * ps_per_unit();
}
sc_core::sc_time to_sc_time(sim_time t) {
    return sc_core::sc_time::from_value(t / ps_per_unit());
}
sim_time sc_now() {
    return from_sc_time(sc_core::sc_time_stamp());
}

sc_scheduler::sc_scheduler(const sc_core::sc_module_name& name, std::size_t expected_timers)
    : sc_core::sc_module(name) {
    m_queue.reserve(expected_timers);
    SC_THREAD(run);
}

void sc_scheduler::schedule(timer& t, sim_time at) {
    const sim_time now = sc_now();
    if (at < now) at = now;
    m_queue.schedule(t, at);
    // While handlers run, the thread looks at the queue again before it sleeps.
    if (!m_busy) wake_for(at);
}

void sc_scheduler::cancel(timer& t) {
    m_queue.cancel(t);
}

void sc_scheduler::wake_for(sim_time at) {
    // sc_event keeps only the earliest pending notification: notify only when earlier.
    if (at >= m_armed_for) return;
    m_armed_for = at;
    const sim_time now = sc_now();
    m_wakeup.notify(at <= now ? sc_core::SC_ZERO_TIME : to_sc_time(at - now));
}

void sc_scheduler::wait_until_idle() {
    while (m_busy) {
        ++m_idle_waiters;
        sc_core::wait(m_idle);
        --m_idle_waiters;
    }
}

void sc_scheduler::enter() {
    wait_until_idle();
    m_busy = true;
}

void sc_scheduler::leave() {
    m_busy = false;
    if (m_idle_waiters) m_idle.notify();
    if (!m_queue.empty()) wake_for(m_queue.next_deadline());
}

void sc_scheduler::run() {
    for (;;) {
        m_armed_for = never;
        if (m_queue.empty()) {
            wait(m_wakeup);
            continue;
        }
        const sim_time next = m_queue.next_deadline();
        const sim_time now = sc_now();
        if (next > now) {
            m_armed_for = next;
            wait(to_sc_time(next - now), m_wakeup);
            continue;
        }
        if (m_busy) {
            // Another thread is inside (enter()) and suspended: fire once it has left.
            wait_until_idle();
            continue;
        }
        m_busy = true;
        m_queue.fire_due(now);
        m_busy = false;
        if (m_idle_waiters) m_idle.notify();
        // Timers the handlers armed for now run in the next delta cycle, so that the processes
        // they woke (a driver reading a completion) run in between.
        if (!m_queue.empty() && m_queue.next_deadline() <= sc_now()) {
            m_armed_for = sc_now();
            wait(sc_core::SC_ZERO_TIME);
        }
    }
}

} // namespace znssim
