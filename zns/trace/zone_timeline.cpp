#include "zns/trace/zone_timeline.h"

namespace znssim::zns {

unsigned state_index(zone_state s) {
    switch (s) {
    case zone_state::empty:
        return 0;
    case zone_state::imp_open:
        return 1;
    case zone_state::exp_open:
        return 2;
    case zone_state::closed:
        return 3;
    case zone_state::full:
        return 4;
    case zone_state::read_only:
        return 5;
    case zone_state::offline:
        return 6;
    }
    return 0;
}

zone_state state_of_index(unsigned index) {
    static constexpr zone_state states[zone_state_count] = {
        zone_state::empty, zone_state::imp_open,  zone_state::exp_open, zone_state::closed,
        zone_state::full,  zone_state::read_only, zone_state::offline};
    return states[index < zone_state_count ? index : 0];
}

zone_change classify(const zone_event& e) {
    switch (e.kind) {
    case zone_event_kind::reset_recommended:
        return zone_change::reset_recommended;
    case zone_event_kind::finish_recommended:
        return zone_change::finish_recommended;
    case zone_event_kind::transition:
        break;
    }
    if (e.cause == zone_cause::restore) return zone_change::restore;
    switch (e.to) {
    case zone_state::imp_open:
        return zone_change::implicit_open;
    case zone_state::exp_open:
        return zone_change::explicit_open;
    case zone_state::closed:
        return e.cause == zone_cause::auto_close ? zone_change::auto_close : zone_change::close;
    case zone_state::full:
        return e.cause == zone_cause::action ? zone_change::finish : zone_change::full;
    case zone_state::empty:
        return zone_change::reset;
    case zone_state::read_only:
        return zone_change::read_only;
    case zone_state::offline:
        return zone_change::offline;
    }
    return zone_change::restore;
}

const char* zone_change_name(zone_change c) {
    switch (c) {
    case zone_change::implicit_open:
        return "implicit_open";
    case zone_change::explicit_open:
        return "explicit_open";
    case zone_change::close:
        return "close";
    case zone_change::auto_close:
        return "auto_close";
    case zone_change::full:
        return "full";
    case zone_change::finish:
        return "finish";
    case zone_change::reset:
        return "reset";
    case zone_change::read_only:
        return "read_only";
    case zone_change::offline:
        return "offline";
    case zone_change::restore:
        return "restore";
    case zone_change::reset_recommended:
        return "reset_recommended";
    case zone_change::finish_recommended:
        return "finish_recommended";
    case zone_change::count:
        break;
    }
    return "?";
}

void zone_timeline::add_namespace(std::uint32_t nsid, const zone_state_machine& zones,
                                  sim_time now) {
    namespace_history& ns = m_ns[nsid];
    ns = namespace_history{};
    ns.nsid = nsid;
    ns.max_open = zones.geometry().max_open;
    ns.max_active = zones.geometry().max_active;
    ns.open = ns.peak_open = zones.open_count();
    ns.active = ns.peak_active = zones.active_count();
    ns.zones.resize(zones.zone_count());
    for (std::uint32_t i = 0; i < zones.zone_count(); ++i) {
        zone_history& z = ns.zones[i];
        z.state = zones.at(i).state;
        z.since = z.previous_since = now;
    }
}

bool zone_timeline::apply(const zone_event& e, zone_interval* left) {
    auto it = m_ns.find(e.nsid);
    if (it == m_ns.end() || e.zone >= it->second.zones.size()) return false;
    namespace_history& ns = it->second;
    zone_history& z = ns.zones[e.zone];
    ++ns.changes[static_cast<std::size_t>(classify(e))];
    if (e.kind != zone_event_kind::transition) return true;
    const sim_time at = e.at > z.since ? e.at : z.since;
    if (left) *left = zone_interval{z.state, z.since, at, z.entered_by};
    z.residency[state_index(z.state)] += at - z.since;
    ++ns.moves[state_index(e.from)][state_index(e.to)];
    ++z.transitions;
    if (e.cause == zone_cause::action && e.to == zone_state::empty) ++z.resets;
    if (e.cause == zone_cause::action && e.to == zone_state::full) ++z.finishes;
    z.previous_since = z.since;
    z.state = e.to;
    z.since = at;
    z.entered_by = e.cause;
    ns.open = e.open;
    ns.active = e.active;
    if (e.open > ns.peak_open) ns.peak_open = e.open;
    if (e.active > ns.peak_active) ns.peak_active = e.active;
    return true;
}

std::array<sim_time, zone_state_count> zone_timeline::residency(const zone_history& z,
                                                                sim_time now) const {
    std::array<sim_time, zone_state_count> r = z.residency;
    if (now > z.since) r[state_index(z.state)] += now - z.since;
    return r;
}

const namespace_history* zone_timeline::find(std::uint32_t nsid) const {
    auto it = m_ns.find(nsid);
    return it == m_ns.end() ? nullptr : &it->second;
}

} // namespace znssim::zns
