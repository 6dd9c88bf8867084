#pragma once
// Paces the bytes that raise the irq-sharing serial port's interrupt (TCG). Each byte is one
// guest interrupt, and the guest's handler reaps every completion it finds.
//   - A guest that waits for each completion (QD1) wants it at once: a signal at least `gap`
//     after the last byte goes out immediately, a later one at the gap's end.
//   - A guest that keeps commands queued (a deep queue on one vCPU) spends its time taking
//     interrupts, one per completion when the device is fast, and gains from fewer, fuller
//     ones. Every `probe_every`-th signal is held for `quiet` to find out: a register write
//     meanwhile ("activity": the guest submits instead of waiting) makes the guest streaming.
//     A streaming guest's signals open batches, as a UART's receive FIFO does: a batch ends
//     `quiet` after the last activity, or at `batch` activities. `idle_batches` batches in a
//     row without activity (the guest waits on each completion again) end streaming.
#include <cstdint>

namespace znssim::platform {

struct irq_pacing {
    std::int64_t gap = 150'000;   ///< ns between bytes at once
    std::int64_t quiet = 200'000; ///< ns without activity that end a batch (0: no batches)
    unsigned batch = 8;           ///< activities that end a batch at once
    unsigned probe_every = 128;   ///< every Nth signal opens a batch (0: never)
    unsigned idle_batches = 3;    ///< batches in a row without activity that end streaming
};

class irq_pacer {
  public:
    explicit irq_pacer(irq_pacing p = {}) : m_p(p) {}

    void set(const irq_pacing& p) { m_p = p; }
    const irq_pacing& pacing() const { return m_p; }
    bool streaming() const { return m_streaming; }

    /// A signal is wanted at now; true to send a byte at once, false if it is (or already was)
    /// deferred to due().
    bool request(std::int64_t now) {
        if (m_pending) return false;
        const bool probe = m_p.probe_every != 0 && ++m_signals % m_p.probe_every == 0;
        if (m_p.quiet > 0 && (m_streaming || probe)) {
            m_pending = m_batch_open = true;
            m_activities = 0;
            m_due = now + m_p.quiet;
            return false;
        }
        if (!m_sent_any || now - m_last >= m_p.gap) {
            mark_sent(now);
            return true;
        }
        m_pending = true;
        m_due = m_last + m_p.gap;
        return false;
    }

    /// The guest wrote a register while completions were unreaped. True if that ends the open
    /// batch now (the caller sends the byte).
    bool note_activity(std::int64_t now) {
        if (!m_batch_open) return false;
        m_due = now + m_p.quiet;
        if (++m_activities < m_p.batch) return false;
        end_batch();
        mark_sent(now);
        return true;
    }

    bool pending() const { return m_pending; }
    std::int64_t due() const { return m_due; }

    /// True if the deferred signal is due by now; the caller sends it.
    bool take_due(std::int64_t now) {
        if (!m_pending || now < m_due) return false;
        if (m_batch_open) end_batch();
        mark_sent(now);
        return true;
    }

    /// The deferred signal is no longer wanted (the level dropped meanwhile).
    void cancel() {
        if (m_batch_open) end_batch();
        m_pending = false;
    }

    /// A byte went out (also one sent by other means, the lost-interrupt re-kick).
    void mark_sent(std::int64_t now) {
        m_pending = m_batch_open = false;
        m_sent_any = true;
        m_last = now;
    }

  private:
    void end_batch() {
        m_batch_open = false;
        if (m_activities > 0) {
            m_streaming = true;
            m_idle_run = 0;
        } else if (++m_idle_run >= m_p.idle_batches) {
            m_streaming = false;
            m_idle_run = 0;
        }
    }

    irq_pacing m_p;
    std::int64_t m_last = 0, m_due = 0;
    std::uint64_t m_signals = 0;
    unsigned m_activities = 0, m_idle_run = 0;
    bool m_sent_any = false, m_pending = false, m_batch_open = false, m_streaming = false;
};

} // namespace znssim::platform
