#pragma once
// Resource calendars: when a resource (a link direction, a channel, the firmware's processors) is
// next free. Each reservation is computed arithmetically, so modelling contention costs a few
// instructions per use and no process or event (timing-anchors: "resource calendars").
#include "model/sim/time.h"

#include <algorithm>
#include <cstddef>
#include <vector>

namespace znssim::timing {

/// One server, reservations served in the order they are made.
class resource_calendar {
  public:
    /// Reserves 'duration' starting no earlier than 'earliest'; returns the start.
    sim_time reserve(sim_time earliest, sim_time duration) {
        const sim_time start = std::max(earliest, m_free_at);
        m_free_at = start + duration;
        return start;
    }
    /// The end of what reserve() just granted, for callers that want the end.
    sim_time reserve_end(sim_time earliest, sim_time duration) {
        return reserve(earliest, duration) + duration;
    }
    sim_time free_at() const { return m_free_at; }
    void reset() { m_free_at = 0; }

  private:
    sim_time m_free_at = 0;
};

/// One server whose reservations may be made out of time order (a read reserves its channel
/// transfer for when its sense ends, long before a later read that senses sooner): a request
/// takes the first gap long enough at or after its earliest start. Busy intervals that ended
/// before 'now' are forgotten (requests never start in the past), so the list stays short.
class gap_calendar {
  public:
    /// Reserves 'duration' at the first free gap at or after 'earliest'; returns the start.
    sim_time reserve(sim_time earliest, sim_time duration, sim_time now);
    sim_time reserve_end(sim_time earliest, sim_time duration, sim_time now) {
        return reserve(earliest, duration, now) + duration;
    }
    std::size_t intervals() const { return m_busy.size(); }
    void reset() { m_busy.clear(); }

  private:
    struct interval {
        sim_time start, end;
    };
    std::vector<interval> m_busy; ///< sorted, disjoint
};

/// k identical servers (firmware cores): each reservation takes the one free soonest.
class server_pool {
  public:
    explicit server_pool(std::size_t servers = 1)
        : m_free_at(std::max<std::size_t>(servers, 1), 0) {}
    /// Returns the end of 'duration' on the server that can start it first.
    sim_time reserve_end(sim_time earliest, sim_time duration) {
        auto it = std::min_element(m_free_at.begin(), m_free_at.end());
        const sim_time start = std::max(earliest, *it);
        *it = start + duration;
        return *it;
    }
    std::size_t size() const { return m_free_at.size(); }
    void reset() { std::fill(m_free_at.begin(), m_free_at.end(), 0); }

  private:
    std::vector<sim_time> m_free_at;
};

/// Time to move 'bytes' at 'bytes_per_second' (rounded up to a picosecond; 0 rate = free).
inline sim_time transfer_time(std::uint64_t bytes, double bytes_per_second) {
    if (bytes_per_second <= 0 || bytes == 0) return 0;
    return static_cast<sim_time>(static_cast<double>(bytes) * 1e12 / bytes_per_second + 0.999);
}

} // namespace znssim::timing
