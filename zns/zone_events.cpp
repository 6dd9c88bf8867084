// Controller-initiated zone changes: faults from config, RRL/FRL recommendations, the Changed
// Zone List log and the Zone Descriptor Changed asynchronous event.
#include "zns/zoned_namespace.h"

#include <algorithm>
#include <cstring>

namespace znssim::zns {

void zoned_namespace::set_event_hook(std::function<void(const nvme::async_event&)> hook) {
    m_event_hook = std::move(hook);
    if (m_event_pending && m_event_hook) {
        m_event_pending = false;
        raise_changed_event();
    }
}

void zoned_namespace::set_trace(zone_event_sink* sink, std::function<command_cause()> current) {
    m_trace = sink;
    m_current_command = std::move(current);
}

void zoned_namespace::trace(std::uint32_t zone, zone_event_kind kind, zone_state from,
                            zone_state to, zone_cause cause) {
    struct zone_event e;
    e.at = m_sched.now();
    e.nsid = m_params.nsid;
    e.zone = zone;
    e.kind = kind;
    e.from = from;
    e.to = to;
    e.cause = cause;
    if (m_current_command && (cause == zone_cause::write || cause == zone_cause::action ||
                              cause == zone_cause::auto_close)) {
        const command_cause c = m_current_command();
        e.by_command = c.valid;
        e.opcode = c.opcode;
        e.sqid = c.sqid;
        e.cid = c.cid;
    }
    e.open = m_zones.open_count();
    e.active = m_zones.active_count();
    m_trace->zone_event(e);
}

const char* zone_cause_name(zone_cause c) {
    switch (c) {
    case zone_cause::write:
        return "write";
    case zone_cause::auto_close:
        return "auto_close";
    case zone_cause::action:
        return "action";
    case zone_cause::fault:
        return "fault";
    case zone_cause::restore:
        return "restore";
    case zone_cause::limit:
        return "limit";
    }
    return "?";
}

const char* zone_event_kind_name(zone_event_kind k) {
    switch (k) {
    case zone_event_kind::transition:
        return "transition";
    case zone_event_kind::reset_recommended:
        return "reset_recommended";
    case zone_event_kind::finish_recommended:
        return "finish_recommended";
    }
    return "?";
}

void zoned_namespace::note_changed(std::uint32_t i) {
    if (m_is_changed[i]) return;
    const bool first = m_changed.empty() && !m_changed_overflow;
    m_is_changed[i] = true;
    if (m_changed.size() < 511)
        m_changed.push_back(i); // capacity reserved at construction: no allocation here
    else
        m_changed_overflow = true;
    // One event per batch: the host reads the log (which clears it) before the next one matters.
    if (first) raise_changed_event();
}

void zoned_namespace::raise_changed_event() {
    if (!m_event_hook) {
        m_event_pending = true;
        return;
    }
    nvme::async_event ev{nvme::event_type::notice, spec::aei_zone_descriptor_changed,
                         spec::lid_changed_zone_list, m_params.nsid};
    m_event_hook(ev);
}

void zoned_namespace::changed_zone_log(spec::changed_zone_list& out, bool clear) {
    std::memset(&out, 0, sizeof out);
    if (m_changed_overflow) {
        out.nrzid = 0xffff;
    } else {
        out.nrzid = static_cast<std::uint16_t>(m_changed.size());
        for (std::size_t k = 0; k < m_changed.size(); ++k)
            out.zid[k] = m_zones.at(m_changed[k]).start;
    }
    if (!clear) return;
    for (std::uint32_t i : m_changed)
        m_is_changed[i] = false;
    if (m_changed_overflow) m_is_changed.assign(m_is_changed.size(), false);
    m_changed.clear();
    m_changed_overflow = false;
}

void zoned_namespace::apply_faults() {
    const sim_time now = m_sched.now();
    for (const nvme::zone_fault& f : m_params.zoned_cfg.faults) {
        if (f.at > now) continue;
        const zone& z = m_zones.at(f.zone);
        if (f.offline && z.state != zone_state::offline) {
            m_log->info("zone {} (slba {:#x}) taken offline by configured fault", f.zone, z.start);
            m_zones.make_offline(f.zone);
        } else if (!f.offline && z.state != zone_state::read_only &&
                   z.state != zone_state::offline) {
            m_log->info("zone {} (slba {:#x}) made read-only by configured fault", f.zone, z.start);
            m_zones.make_read_only(f.zone);
        }
    }
}

void zoned_namespace::check_limits() {
    const nvme::zoned_params& c = m_params.zoned_cfg;
    const sim_time now = m_sched.now();
    for (std::uint32_t i = 0; i < m_zones.zone_count(); ++i) {
        const zone& z = m_zones.at(i);
        if (!z.is_active()) continue;
        std::uint8_t bits = 0;
        if (c.finish_recommended_after && now - z.active_since >= c.finish_recommended_after)
            bits |= spec::za::fzr;
        if (c.reset_recommended_after && now - z.active_since >= c.reset_recommended_after)
            bits |= spec::za::rzr;
        const std::uint8_t before = z.attrs;
        if (bits && m_zones.raise_attributes(i, bits)) {
            note_changed(i);
            if (m_trace && (bits & spec::za::rzr) && !(before & spec::za::rzr))
                trace(i, zone_event_kind::reset_recommended, z.state, z.state, zone_cause::limit);
            if (m_trace && (bits & spec::za::fzr) && !(before & spec::za::fzr))
                trace(i, zone_event_kind::finish_recommended, z.state, z.state, zone_cause::limit);
        }
    }
    arm_limit_timer();
}

void zoned_namespace::arm_limit_timer() {
    const nvme::zoned_params& c = m_params.zoned_cfg;
    if (!c.finish_recommended_after && !c.reset_recommended_after) return;
    sim_time next = ~sim_time{0};
    for (std::uint32_t i = 0; i < m_zones.zone_count(); ++i) {
        const zone& z = m_zones.at(i);
        if (!z.is_active()) continue;
        if (c.finish_recommended_after && !(z.attrs & spec::za::fzr))
            next = std::min(next, z.active_since + c.finish_recommended_after);
        if (c.reset_recommended_after && !(z.attrs & spec::za::rzr))
            next = std::min(next, z.active_since + c.reset_recommended_after);
    }
    if (next == ~sim_time{0}) return;
    if (!m_limit_timer.pending() || m_limit_timer.deadline() > next)
        m_sched.schedule(m_limit_timer, next);
}

} // namespace znssim::zns
