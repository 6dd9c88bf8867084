#pragma once
// Paces the bytes that raise the irq-sharing serial port's interrupt (TCG). Each byte is one
// guest interrupt, and the guest's handler reaps every completion it finds, so a minimum spacing
// between bytes batches completions when they come fast (as the UART's receive timeout did, at
// every rate) while a completion after a quiet spell is signalled at once.
#include <cstdint>

namespace znssim::platform {

class irq_pacer {
  public:
    explicit irq_pacer(std::int64_t gap_ns = 0) : m_gap(gap_ns) {}

    void set_gap(std::int64_t gap_ns) { m_gap = gap_ns; }
    std::int64_t gap() const { return m_gap; }

    /// A signal is wanted at now: true to send it at once, false if it is (or already was)
    /// deferred to due().
    bool request(std::int64_t now) {
        if (m_pending) return false;
        if (!m_sent_any || now - m_last >= m_gap) {
            mark_sent(now);
            return true;
        }
        m_pending = true;
        m_due = m_last + m_gap;
        return false;
    }

    bool pending() const { return m_pending; }
    std::int64_t due() const { return m_due; }

    /// True if the deferred signal is due by now; the caller sends it.
    bool take_due(std::int64_t now) {
        if (!m_pending || now < m_due) return false;
        mark_sent(now);
        return true;
    }

    /// The deferred signal is no longer wanted (the level dropped meanwhile).
    void cancel() { m_pending = false; }

    /// A signal sent by other means (the lost-interrupt re-kick) counts for the spacing too.
    void mark_sent(std::int64_t now) {
        m_pending = false;
        m_sent_any = true;
        m_last = now;
    }

  private:
    std::int64_t m_gap;
    std::int64_t m_last = 0, m_due = 0;
    bool m_sent_any = false, m_pending = false;
};

} // namespace znssim::platform
