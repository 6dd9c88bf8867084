#include "model/sim/timer.h"

namespace znssim {

void timer_queue::place(std::size_t slot, timer* t) {
    m_heap[slot] = t;
    t->m_slot = slot;
}

void timer_queue::sift_up(std::size_t slot) {
    timer* t = m_heap[slot];
    while (slot > 0) {
        std::size_t parent = (slot - 1) / 2;
        if (!before(t, m_heap[parent])) break;
        place(slot, m_heap[parent]);
        slot = parent;
    }
    place(slot, t);
}

void timer_queue::sift_down(std::size_t slot) {
    timer* t = m_heap[slot];
    const std::size_t n = m_heap.size();
    for (;;) {
        std::size_t child = 2 * slot + 1;
        if (child >= n) break;
        if (child + 1 < n && before(m_heap[child + 1], m_heap[child])) ++child;
        if (!before(m_heap[child], t)) break;
        place(slot, m_heap[child]);
        slot = child;
    }
    place(slot, t);
}

void timer_queue::remove_at(std::size_t slot) {
    timer* gone = m_heap[slot];
    timer* last = m_heap.back();
    m_heap.pop_back();
    gone->m_slot = timer::not_queued;
    if (gone == last) return;
    place(slot, last);
    sift_up(slot);
    sift_down(last->m_slot);
}

void timer_queue::schedule(timer& t, sim_time at) {
    if (t.pending()) remove_at(t.m_slot);
    t.m_deadline = at;
    t.m_sequence = m_next_sequence++;
    m_heap.push_back(&t);
    t.m_slot = m_heap.size() - 1;
    sift_up(t.m_slot);
}

void timer_queue::cancel(timer& t) {
    if (t.pending()) remove_at(t.m_slot);
}

std::size_t timer_queue::fire_due(sim_time now) {
    const std::uint64_t armed_before = m_next_sequence;
    std::size_t fired = 0;
    while (!m_heap.empty()) {
        timer* t = m_heap.front();
        if (t->m_deadline > now || t->m_sequence >= armed_before) break;
        remove_at(0);
        ++fired;
        t->m_fn(t->m_context);
    }
    return fired;
}

} // namespace znssim
