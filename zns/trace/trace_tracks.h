#pragma once
// The layout of a run's trace.json (Chrome trace event format, see model/trace/chrome_trace.h):
//   - "device": counters for each zoned namespace's open and active zones and the write buffer;
//   - one process per submission queue ("SQ 1"), with as many lanes as commands overlapped on
//     it: each command is a slice from its doorbell to its completion, its media phase a slice
//     inside it;
//   - one process per zoned namespace ("ns 1 zones") with a track per zone that changed: its
//     states (all but Empty) as slices, and the zone actions on it (reset, finish, open, close)
//     as slices inside them, so a reset lines up with the commands it delayed.
// A window and a sampling rate bound the file: see trace_window.
#include "model/trace/chrome_trace.h"
#include "nvme/core/command_trace.h"
#include "zns/trace/zone_timeline.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace znssim::zns {

struct trace_window {
    /// Only what overlaps [start, end) is written (zone states are clipped to it).
    sim_time start = 0;
    sim_time end = ~sim_time{0};
    /// One command slice in every sample_every of each I/O queue (admin commands: all).
    std::uint32_t sample_every = 1;
    /// After this many events, command slices are dropped; after 1.25 times as many, everything.
    /// The file's otherData says how many were dropped. ~150 bytes per event.
    std::uint64_t max_events = 1'000'000;
    /// The write-buffer counter is sampled at most this often.
    sim_time counter_interval = from_us(10);
};

class trace_tracks {
  public:
    trace_tracks(const std::string& path, const trace_window& window);

    void add_namespace(std::uint32_t nsid);
    void command(const nvme::command_record& r, const char* name);
    /// A state interval a zone has left (or is in when the trace closes).
    void zone_state(std::uint32_t nsid, std::uint32_t zone, const zone_interval& iv);
    /// A zone action's slice on the zone's track; the caller places it inside the state slice
    /// it belongs to. It is written after that slice (each track's events stay in time order).
    void zone_action(std::uint32_t nsid, std::uint32_t zone, const char* name, sim_time start,
                     sim_time end, std::uint16_t cid);
    void zone_counts(std::uint32_t nsid, sim_time at, std::uint32_t open, std::uint32_t active);
    void buffer_fill(sim_time at, std::uint64_t bytes);
    /// Ends the file (throws std::runtime_error naming it if it cannot be written).
    void close();

  private:
    bool room_for_commands() const;
    bool room_for_any() const;
    bool clip(sim_time& from, sim_time& to) const;
    std::uint32_t lane_for(std::uint16_t sqid, sim_time start, sim_time end);
    void name_zone(std::uint32_t nsid, std::uint32_t zone);

    trace::chrome_trace m_out;
    trace_window m_window;
    struct queue_lanes {
        std::vector<sim_time> busy_until; ///< per lane: end of its last slice
        std::uint64_t seen = 0;
    };
    std::vector<queue_lanes> m_queues; ///< index = SQ id
    std::vector<bool> m_queue_named;
    struct pending_action {
        const char* name;
        sim_time start;
        sim_time end;
        std::uint16_t cid;
    };
    /// Zone actions held until the state slice around them is written, per zone; at most
    /// max_pending each (a host repeating no-op actions on one zone cannot grow it).
    static constexpr std::size_t max_pending = 64;
    void flush_actions(std::uint32_t nsid, std::uint32_t zone);
    struct zone_tracks {
        std::vector<bool> named;
        std::vector<std::vector<pending_action>> pending;
        std::uint32_t open = ~0u;
        std::uint32_t active = ~0u;
    };
    std::map<std::uint32_t, zone_tracks> m_ns;
    sim_time m_last_buffer_sample = 0;
    bool m_buffer_sampled = false;
    std::uint64_t m_dropped_commands = 0;
    std::uint64_t m_dropped_other = 0;
};

} // namespace znssim::zns
