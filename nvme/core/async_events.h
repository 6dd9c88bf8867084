#pragma once
// Asynchronous events (NVMe Base 2.0 §5.2): events wait until the host has an Asynchronous Event
// Request outstanding; once an event of a type is reported, further events of that type stay
// masked until the host reads the log page that clears it (Get Log Page with RAE=0).
#include "nvme/core/command.h"
#include "nvme/core/context.h"

#include <array>
#include <cstdint>
#include <deque>

namespace znssim::nvme {

class async_event_queue {
  public:
    explicit async_event_queue(unsigned limit) : m_limit(limit) {}

    /// Drops everything (controller reset): outstanding requests are gone with their queue.
    void reset() {
        m_requests_count = 0;
        m_events.clear();
        m_masked.fill(false);
    }

    /// Is there room for another outstanding request (AERL + 1)?
    bool can_accept() const { return m_requests_count < m_limit; }
    void add_request(command* cmd) { m_requests[m_requests_count++] = cmd; }
    unsigned outstanding() const { return m_requests_count; }

    /// Queues an event; duplicates of a still-queued event are merged.
    void post(const async_event& ev);
    /// Log page 'lid' was read with RAE clear: unmask the event types it reports.
    void log_read(std::uint8_t lid);

    /// Pairs a queued, unmasked event with an outstanding request: returns the request to
    /// complete (dw0/dw1 filled) or nullptr.
    command* next_completion();

  private:
    static constexpr unsigned max_requests = 256;
    unsigned m_limit;
    std::array<command*, max_requests> m_requests{};
    unsigned m_requests_count = 0;
    std::deque<async_event> m_events;
    std::array<bool, 8> m_masked{}; // per event type
};

} // namespace znssim::nvme
