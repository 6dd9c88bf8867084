#include "nvme/core/async_events.h"

#include <algorithm>

namespace znssim::nvme {

void async_event_queue::post(const async_event& ev) {
    for (const auto& e : m_events)
        if (e.type == ev.type && e.info == ev.info && e.log_page == ev.log_page &&
            e.nsid == ev.nsid)
            return;
    // Bound the backlog: a host that never reads logs must not make us grow without limit.
    if (m_events.size() >= 64) m_events.pop_front();
    m_events.push_back(ev);
}

void async_event_queue::log_read(std::uint8_t lid) {
    // The log page named in the event clears the mask of that event's type.
    switch (lid) {
    case 0x01:
        m_masked[event_type::error] = false;
        break;
    case 0x02:
        m_masked[event_type::smart] = false;
        break;
    default:
        m_masked[event_type::notice] = false;
        m_masked[event_type::io_command_set] = false;
        break;
    }
}

command* async_event_queue::next_completion() {
    if (m_requests_count == 0) return nullptr;
    auto it = std::find_if(m_events.begin(), m_events.end(),
                           [&](const async_event& e) { return !m_masked[e.type & 7]; });
    if (it == m_events.end()) return nullptr;
    command* cmd = m_requests[0];
    std::copy(m_requests.begin() + 1, m_requests.begin() + m_requests_count, m_requests.begin());
    --m_requests_count;
    cmd->dw0 = static_cast<std::uint32_t>(it->type & 7) |
               (static_cast<std::uint32_t>(it->info) << 8) |
               (static_cast<std::uint32_t>(it->log_page) << 16);
    cmd->dw1 = it->nsid;
    cmd->status = spec::sc::success;
    m_masked[it->type & 7] = true;
    m_events.erase(it);
    return cmd;
}

} // namespace znssim::nvme
