#include "zns/trace/trace_tracks.h"

#include <cinttypes>
#include <cstdio>

namespace znssim::zns {

namespace {
constexpr std::uint32_t device_pid = 1;
constexpr std::uint32_t queue_pid_base = 1000;
constexpr std::uint32_t zones_pid_base = 100000;
constexpr std::uint32_t lanes_per_queue = 1u << 16; ///< lane tids: sqid * this + lane
} // namespace

trace_tracks::trace_tracks(const std::string& path, const trace_window& window)
    : m_out(path), m_window(window) {
    if (m_window.sample_every == 0) m_window.sample_every = 1;
    m_out.process_name(device_pid, "device", 0);
}

void trace_tracks::add_namespace(std::uint32_t nsid) {
    m_ns[nsid];
    m_out.process_name(zones_pid_base + nsid, "ns " + std::to_string(nsid) + " zones",
                       static_cast<int>(zones_pid_base + nsid));
}

bool trace_tracks::room_for_commands() const {
    return m_out.events() < m_window.max_events;
}

bool trace_tracks::room_for_any() const {
    return m_out.events() < m_window.max_events + m_window.max_events / 4;
}

bool trace_tracks::clip(sim_time& from, sim_time& to) const {
    if (to < m_window.start || from >= m_window.end) return false;
    if (from < m_window.start) from = m_window.start;
    if (to > m_window.end) to = m_window.end;
    return true;
}

std::uint32_t trace_tracks::lane_for(std::uint16_t sqid, sim_time start, sim_time end) {
    // Slices arrive in order of their end, so a lane whose last slice ended by 'start' holds
    // nothing that overlaps this one.
    std::vector<sim_time>& lanes = m_queues[sqid].busy_until;
    std::uint32_t lane = 0;
    while (lane < lanes.size() && lanes[lane] > start)
        ++lane;
    if (lane == lanes.size()) {
        lanes.push_back(0);
        const std::uint32_t pid = queue_pid_base + sqid;
        if (lane == 0)
            m_out.process_name(pid, sqid == 0 ? "SQ 0 (admin)" : "SQ " + std::to_string(sqid),
                               static_cast<int>(pid));
        m_out.thread_name(pid, sqid * lanes_per_queue + lane, "lane " + std::to_string(lane),
                          static_cast<int>(lane));
    }
    lanes[lane] = end;
    return lane;
}

void trace_tracks::command(const nvme::command_record& r, const char* name) {
    if (r.sqid >= m_queues.size()) m_queues.resize(r.sqid + 1u);
    queue_lanes& q = m_queues[r.sqid];
    const bool sampled = r.sqid == 0 || q.seen++ % m_window.sample_every == 0;
    if (!sampled || r.completed < m_window.start || r.submitted >= m_window.end) return;
    if (!room_for_commands()) {
        ++m_dropped_commands;
        return;
    }
    const std::uint32_t lane = lane_for(r.sqid, r.submitted, r.completed);
    const std::uint32_t pid = queue_pid_base + r.sqid;
    const std::uint32_t tid = r.sqid * lanes_per_queue + lane;
    char args[192];
    int n = std::snprintf(args, sizeof args, "\"cid\":%u,\"status\":\"0x%x\"", r.cid, r.status);
    if (!r.admin && n > 0 && static_cast<std::size_t>(n) < sizeof args)
        n += std::snprintf(args + n, sizeof args - static_cast<std::size_t>(n),
                           ",\"nsid\":%" PRIu32 ",\"slba\":%" PRIu64 ",\"nlb\":%" PRIu32, r.nsid,
                           r.slba, r.nlb);
    if (r.zone >= 0 && n > 0 && static_cast<std::size_t>(n) < sizeof args)
        std::snprintf(args + n, sizeof args - static_cast<std::size_t>(n), ",\"zone\":%" PRId64,
                      r.zone);
    m_out.slice(pid, tid, name, r.submitted, r.completed, args);
    if (r.media_end > r.media_start) m_out.slice(pid, tid, "media", r.media_start, r.media_end);
}

void trace_tracks::name_zone(std::uint32_t nsid, std::uint32_t zone) {
    std::vector<bool>& named = m_ns[nsid].named;
    if (zone >= named.size()) named.resize(zone + 1u);
    if (named[zone]) return;
    named[zone] = true;
    m_out.thread_name(zones_pid_base + nsid, zone + 1u, "zone " + std::to_string(zone),
                      static_cast<int>(zone));
}

void trace_tracks::zone_state(std::uint32_t nsid, std::uint32_t zone, const zone_interval& iv) {
    sim_time from = iv.from, to = iv.to;
    // Empty is drawn as the absence of a slice.
    if (iv.state != zone_state::empty && clip(from, to)) {
        if (room_for_any()) {
            name_zone(nsid, zone);
            char args[64];
            std::snprintf(args, sizeof args, "\"entered_by\":\"%s\"",
                          zone_cause_name(iv.entered_by));
            m_out.slice(zones_pid_base + nsid, zone + 1u, zone_state_name(iv.state), from, to,
                        args);
        } else {
            ++m_dropped_other;
        }
    }
    flush_actions(nsid, zone);
}

void trace_tracks::zone_action(std::uint32_t nsid, std::uint32_t zone, const char* name,
                               sim_time start, sim_time end, std::uint16_t cid) {
    auto& pending = m_ns[nsid].pending;
    if (zone >= pending.size()) pending.resize(zone + 1u);
    if (pending[zone].size() >= max_pending) {
        ++m_dropped_other;
        return;
    }
    pending[zone].push_back({name, start, end, cid});
}

void trace_tracks::flush_actions(std::uint32_t nsid, std::uint32_t zone) {
    auto& pending = m_ns[nsid].pending;
    if (zone >= pending.size()) return;
    for (pending_action a : pending[zone]) {
        if (!clip(a.start, a.end)) continue;
        if (!room_for_any()) {
            ++m_dropped_other;
            continue;
        }
        name_zone(nsid, zone);
        char args[32];
        std::snprintf(args, sizeof args, "\"cid\":%u", a.cid);
        m_out.slice(zones_pid_base + nsid, zone + 1u, a.name, a.start, a.end, args);
    }
    pending[zone].clear();
}

void trace_tracks::zone_counts(std::uint32_t nsid, sim_time at, std::uint32_t open,
                               std::uint32_t active) {
    zone_tracks& z = m_ns[nsid];
    if (z.open == open && z.active == active) return;
    z.open = open;
    z.active = active;
    if (at < m_window.start || at >= m_window.end) return;
    if (!room_for_any()) {
        ++m_dropped_other;
        return;
    }
    char name[48], series[64];
    std::snprintf(name, sizeof name, "ns %" PRIu32 " zones", nsid);
    std::snprintf(series, sizeof series, "\"open\":%" PRIu32 ",\"active\":%" PRIu32, open, active);
    m_out.counter(device_pid, name, at, series);
}

void trace_tracks::buffer_fill(sim_time at, std::uint64_t bytes) {
    if (m_buffer_sampled && at < m_last_buffer_sample + m_window.counter_interval) return;
    if (at < m_window.start || at >= m_window.end || !room_for_any()) return;
    m_buffer_sampled = true;
    m_last_buffer_sample = at;
    char series[48];
    std::snprintf(series, sizeof series, "\"MiB\":%.3f", static_cast<double>(bytes) / 1048576.0);
    m_out.counter(device_pid, "write buffer", at, series);
}

void trace_tracks::close() {
    for (auto& [nsid, z] : m_ns)
        for (std::uint32_t zone = 0; zone < z.pending.size(); ++zone)
            flush_actions(nsid, zone);
    char other[160];
    std::snprintf(other, sizeof other,
                  "\"dropped_command_slices\":%" PRIu64 ",\"dropped_other_events\":%" PRIu64
                  ",\"sample_every\":%" PRIu32,
                  m_dropped_commands, m_dropped_other, m_window.sample_every);
    m_out.close(other);
}

} // namespace znssim::zns
