#include "model/timing/calendar.h"

namespace znssim::timing {

sim_time gap_calendar::reserve(sim_time earliest, sim_time duration, sim_time now) {
    // Forget what is over.
    std::size_t gone = 0;
    while (gone < m_busy.size() && m_busy[gone].end <= now)
        ++gone;
    if (gone) m_busy.erase(m_busy.begin(), m_busy.begin() + static_cast<std::ptrdiff_t>(gone));
    if (duration == 0) return earliest;
    // First interval that ends after 'earliest', then the first gap that fits.
    std::size_t i = 0;
    while (i < m_busy.size() && m_busy[i].end <= earliest)
        ++i;
    sim_time start = earliest;
    for (; i < m_busy.size(); ++i) {
        if (start + duration <= m_busy[i].start) break; // fits before interval i
        if (m_busy[i].end > start) start = m_busy[i].end;
    }
    const sim_time end = start + duration;
    // Insert at i, merging with neighbours that touch.
    const bool joins_prev = i > 0 && m_busy[i - 1].end == start;
    const bool joins_next = i < m_busy.size() && m_busy[i].start == end;
    if (joins_prev && joins_next) {
        m_busy[i - 1].end = m_busy[i].end;
        m_busy.erase(m_busy.begin() + static_cast<std::ptrdiff_t>(i));
    } else if (joins_prev) {
        m_busy[i - 1].end = end;
    } else if (joins_next) {
        m_busy[i].start = start;
    } else {
        m_busy.insert(m_busy.begin() + static_cast<std::ptrdiff_t>(i), interval{start, end});
    }
    return start;
}

} // namespace znssim::timing
