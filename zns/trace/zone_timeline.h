#pragma once
// What a zone-state trace adds up to: each zone's current state and since when, the time it
// spent in each state, its resets and finishes, and the run's transitions by kind and cause.
// Pure bookkeeping over zone_event values (memory per zone, none per event), shared by the run
// recorder's files and the run summary.
#include "zns/zone_state_machine.h"
#include "zns/zone_trace.h"

#include <array>
#include <cstdint>
#include <map>
#include <vector>

namespace znssim::zns {

/// The seven zone states as dense indexes: empty, implicitly open, explicitly open, closed,
/// full, read only, offline.
constexpr unsigned zone_state_count = 7;
unsigned state_index(zone_state s);
zone_state state_of_index(unsigned index);

/// What a zone event means for a reader of the timeline: the transition named by where it went
/// and why (a zone that went Closed was closed by the host or auto-closed by the controller).
enum class zone_change : std::uint8_t {
    implicit_open,
    explicit_open,
    close,
    auto_close,
    full, ///< written to its capacity
    finish,
    reset,
    read_only,
    offline,
    restore,
    reset_recommended,
    finish_recommended,
    count
};
zone_change classify(const zone_event& e);
const char* zone_change_name(zone_change c);
inline const char* zone_event_name(const zone_event& e) {
    return zone_change_name(classify(e));
}

/// A time span one zone spent in one state.
struct zone_interval {
    zone_state state = zone_state::empty;
    sim_time from = 0;
    sim_time to = 0;
    zone_cause entered_by = zone_cause::restore;
};

struct zone_history {
    zone_state state = zone_state::empty;
    sim_time since = 0;
    zone_cause entered_by = zone_cause::restore;
    sim_time previous_since = 0; ///< start of the state it left last (for placing zone actions)
    std::array<sim_time, zone_state_count> residency{}; ///< closed intervals only; see total()
    std::uint32_t resets = 0;                           ///< Reset Zone actions that emptied it
    std::uint32_t finishes = 0;                         ///< Finish Zone actions that filled it
    std::uint32_t transitions = 0;
};

struct namespace_history {
    std::uint32_t nsid = 0;
    std::uint32_t max_open = 0;   ///< 0: no limit
    std::uint32_t max_active = 0; ///< 0: no limit
    std::uint32_t open = 0;
    std::uint32_t active = 0;
    std::uint32_t peak_open = 0;
    std::uint32_t peak_active = 0;
    std::vector<zone_history> zones;
    /// Transitions by (from, to) state index.
    std::array<std::array<std::uint64_t, zone_state_count>, zone_state_count> moves{};
    /// Events by what they mean.
    std::array<std::uint64_t, static_cast<std::size_t>(zone_change::count)> changes{};
    std::uint64_t count(zone_change c) const { return changes[static_cast<std::size_t>(c)]; }
};

class zone_timeline {
  public:
    /// Follows a namespace's zones from their states at 'now'.
    void add_namespace(std::uint32_t nsid, const zone_state_machine& zones, sim_time now);
    /// Applies one event. For a transition, returns the interval the zone just left in 'left'.
    /// False for an event of an unknown namespace or zone (ignored).
    bool apply(const zone_event& e, zone_interval* left = nullptr);
    /// Time zone 'z' spent in each state up to 'now' (its current state included).
    std::array<sim_time, zone_state_count> residency(const zone_history& z, sim_time now) const;

    const std::map<std::uint32_t, namespace_history>& namespaces() const { return m_ns; }
    const namespace_history* find(std::uint32_t nsid) const;

  private:
    std::map<std::uint32_t, namespace_history> m_ns;
};

} // namespace znssim::zns
