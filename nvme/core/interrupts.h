#pragma once
// Interrupt generation for completion queues (NVMe Base 2.0 §3.5.1 and §5.27.1.8-9).
// MSI-X: a message per vector when completions are posted, subject to aggregation (coalescing).
// Pin-based: INTx is a level, asserted while any interrupt-enabled CQ whose vector has been
// signalled has unconsumed entries and the vector is not masked by INTMS; it drops when the host's
// CQ head doorbells catch up.
#include "model/pcie/interrupt_sink.h"
#include "model/sim/scheduler.h"
#include "nvme/core/features.h"
#include "nvme/queue/queues.h"

#include <array>
#include <cstdint>
#include <vector>

namespace znssim::nvme {

class interrupt_manager {
  public:
    static constexpr unsigned max_vectors = 2048;

    interrupt_manager(scheduler& sched, pcie::interrupt_sink& sink, const feature_store& features,
                      const std::vector<completion_queue>& cqs);

    void reset();

    /// Entries were posted to cq (one call per batch).
    void completions_posted(const completion_queue& cq, unsigned count);
    /// The host moved cq's head (pin-based level may drop).
    void head_updated(const completion_queue& cq);
    /// A CQ went away (deleted) or the mode may have changed: recompute the INTx level.
    void refresh();

    // INTMS / INTMC (pin-based and MSI only).
    std::uint32_t mask() const { return m_mask; }
    void set_mask(std::uint32_t bits);
    void clear_mask(std::uint32_t bits);

    unsigned vector_count() const { return m_sink.vector_count(); }
    pcie::interrupt_mode mode() const { return m_sink.mode(); }

    /// Messages sent per vector (diagnostics and tests).
    std::uint64_t messages(unsigned vector) const {
        return vector < max_vectors ? m_sent[vector] : 0;
    }

  private:
    struct vector_state {
        std::uint32_t aggregated = 0; ///< completions posted since the last message
        bool asserted = false;        ///< pin-based: the vector's condition was signalled
    };
    void fire(unsigned vector);
    void on_aggregation_timeout();
    void update_level();
    bool coalesced(unsigned vector) const;

    scheduler& m_sched;
    pcie::interrupt_sink& m_sink;
    const feature_store& m_features;
    const std::vector<completion_queue>& m_cqs;
    std::vector<vector_state> m_vectors;
    std::vector<std::uint64_t> m_sent;
    std::uint32_t m_mask = 0;
    bool m_level = false;
    timer m_aggregation_timer;
};

} // namespace znssim::nvme
