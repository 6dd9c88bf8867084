#include "model/sim/sc_scheduler.h"

namespace znssim {

namespace {
// sc_time's integer value counts resolution units; convert once.
std::uint64_t ps_per_unit() {
    static const std::uint64_t v =
        static_cast<std::uint64_t>(sc_core::sc_get_time_resolution().to_seconds() * 1e12 + 0.5);
    return v ? v : 1;
}
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
    SC_METHOD(run);
    sensitive << m_wakeup;
    dont_initialize();
}

void sc_scheduler::schedule(timer& t, sim_time at) {
    const sim_time now = sc_now();
    m_queue.schedule(t, at < now ? now : at);
    rearm();
}

void sc_scheduler::cancel(timer& t) {
    m_queue.cancel(t);
}

void sc_scheduler::rearm() {
    if (m_queue.empty()) return;
    const sim_time next = m_queue.next_deadline();
    const sim_time now = sc_now();
    // sc_event keeps only the earliest pending notification, so re-notify only when earlier.
    if (m_armed_for != ~sim_time{0} && m_armed_for <= next && m_armed_for >= now) return;
    m_armed_for = next;
    if (next <= now)
        m_wakeup.notify(sc_core::SC_ZERO_TIME);
    else
        m_wakeup.notify(to_sc_time(next - now));
}

void sc_scheduler::run() {
    m_armed_for = ~sim_time{0};
    m_queue.fire_due(sc_now());
    rearm();
}

} // namespace znssim
