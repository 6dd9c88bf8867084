#include "nvme/core/interrupts.h"

namespace znssim::nvme {

interrupt_manager::interrupt_manager(scheduler& sched, pcie::interrupt_sink& sink,
                                     const feature_store& features,
                                     const std::vector<completion_queue>& cqs)
    : m_sched(sched), m_sink(sink), m_features(features), m_cqs(cqs), m_vectors(max_vectors),
      m_sent(max_vectors, 0),
      m_aggregation_timer(
          timer::member<interrupt_manager, &interrupt_manager::on_aggregation_timeout>(this)) {}

void interrupt_manager::reset() {
    for (auto& v : m_vectors)
        v = vector_state{};
    m_mask = 0;
    m_sched.cancel(m_aggregation_timer);
    update_level();
}

bool interrupt_manager::coalesced(unsigned vector) const {
    return !m_features.coalescing_disabled(vector);
}

void interrupt_manager::completions_posted(const completion_queue& cq, unsigned count) {
    if (!cq.interrupts || count == 0) return;
    const unsigned v = cq.vector < max_vectors ? cq.vector : 0;
    vector_state& st = m_vectors[v];
    st.aggregated += count;
    // Aggregation applies only when both a threshold (0-based) and a time are set: an interrupt
    // is due when either is reached, and a time of 0 is reached at once.
    const unsigned threshold = m_features.coalescing_threshold();
    const unsigned time = m_features.coalescing_time();
    if (coalesced(v) && threshold != 0 && time != 0 && st.aggregated < threshold + 1u) {
        if (!m_aggregation_timer.pending())
            m_sched.schedule_in(m_aggregation_timer, from_us(100) * time);
        return;
    }
    fire(v);
}

void interrupt_manager::fire(unsigned vector) {
    vector_state& st = m_vectors[vector];
    st.aggregated = 0;
    ++m_sent[vector];
    if (m_sink.mode() == pcie::interrupt_mode::msix) {
        m_sink.signal(vector);
    } else {
        st.asserted = true;
        update_level();
    }
}

void interrupt_manager::on_aggregation_timeout() {
    for (unsigned v = 0; v < max_vectors; ++v)
        if (m_vectors[v].aggregated != 0) fire(v);
}

void interrupt_manager::head_updated(const completion_queue& cq) {
    if (m_sink.mode() == pcie::interrupt_mode::msix) return;
    update_level();
}

void interrupt_manager::refresh() {
    update_level();
}

void interrupt_manager::set_mask(std::uint32_t bits) {
    m_mask |= bits;
    update_level();
}

void interrupt_manager::clear_mask(std::uint32_t bits) {
    m_mask &= ~bits;
    update_level();
}

void interrupt_manager::update_level() {
    // Pin-based: a vector stays asserted while any of its interrupt-enabled CQs has unconsumed
    // entries; once all are drained it needs a new signal to assert again.
    std::array<bool, 32> busy{};
    for (const auto& cq : m_cqs) {
        if (!cq.valid || !cq.interrupts || cq.unconsumed() == 0) continue;
        // Pin-based interrupts use vector 0 (IV must be 0 without MSI-X); INTMS has 32 bits.
        if (cq.vector < busy.size()) busy[cq.vector] = true;
    }
    bool level = false;
    for (unsigned v = 0; v < busy.size(); ++v) {
        vector_state& st = m_vectors[v];
        if (!busy[v]) st.asserted = false;
        if (st.asserted && !(m_mask & (1u << v))) level = true;
    }
    if (level != m_level) {
        m_level = level;
        m_sink.set_level(level);
    }
}

} // namespace znssim::nvme
