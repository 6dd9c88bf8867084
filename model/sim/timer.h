#pragma once
// Intrusive one-shot timers and the heap that orders them. A timer is owned by the object that
// arms it (e.g. a command slot), so arming one never allocates: the hot path stays allocation-free.
#include "model/sim/time.h"

#include <cstddef>
#include <vector>

namespace znssim {

class timer {
  public:
    using handler = void (*)(void* context);

    timer(handler fn, void* context) : m_fn(fn), m_context(context) {}
    timer(const timer&) = delete;
    timer& operator=(const timer&) = delete;

    /// A timer that calls obj->Method().
    template <class T, void (T::*Method)()> static timer member(T* obj) {
        return timer([](void* c) { (static_cast<T*>(c)->*Method)(); }, obj);
    }

    bool pending() const { return m_slot != not_queued; }
    sim_time deadline() const { return m_deadline; }

  private:
    friend class timer_queue;
    static constexpr std::size_t not_queued = static_cast<std::size_t>(-1);

    handler m_fn;
    void* m_context;
    sim_time m_deadline = 0;
    std::uint64_t m_sequence = 0; // FIFO order among timers with the same deadline
    std::size_t m_slot = not_queued;
};

/// Min-heap of armed timers ordered by (deadline, arming order).
class timer_queue {
  public:
    void reserve(std::size_t n) { m_heap.reserve(n); }

    /// Arms t for 'at'; re-arms it if already pending.
    void schedule(timer& t, sim_time at);
    void cancel(timer& t);

    bool empty() const { return m_heap.empty(); }
    std::size_t size() const { return m_heap.size(); }
    sim_time next_deadline() const { return m_heap.front()->m_deadline; }

    /// Fires, in order, every timer due at or before 'now' that was armed before this call.
    /// Timers armed by the handlers for 'now' wait for the next call (the next delta cycle), so
    /// that other processes get to run in between. Returns the number fired.
    std::size_t fire_due(sim_time now);

  private:
    bool before(const timer* a, const timer* b) const {
        return a->m_deadline != b->m_deadline ? a->m_deadline < b->m_deadline
                                              : a->m_sequence < b->m_sequence;
    }
    void place(std::size_t slot, timer* t);
    void sift_up(std::size_t slot);
    void sift_down(std::size_t slot);
    void remove_at(std::size_t slot);

    std::vector<timer*> m_heap;
    std::uint64_t m_next_sequence = 0;
};

} // namespace znssim
