#include "zns/trace/run_recorder.h"

#include "zns/spec.h"
#include "zns/trace/command_names.h"
#include "zns/zoned_namespace.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <filesystem>

namespace znssim::zns {

namespace {

/// Seconds with nanosecond decimals, as the CSV files write time.
struct seconds_text {
    char text[32];
    explicit seconds_text(sim_time t) {
        const sim_time ns = t / 1000;
        std::snprintf(text, sizeof text, "%" PRIu64 ".%09" PRIu64, ns / 1000000000u,
                      ns % 1000000000u);
    }
    operator const char*() const { return text; }
};

} // namespace

run_recorder::run_recorder(recorder_options options) : m_opts(std::move(options)) {}

run_recorder::~run_recorder() {
    detach();
}

void run_recorder::attach(nvme::controller_core& core, const media_timing* timing) {
    detach();
    m_core = &core;
    m_timing = timing && timing->buffer_capacity() ? timing : nullptr;
    m_finished = false;
    const sim_time now = core.now();
    if (!m_opts.dir.empty()) open_files();
    for (std::uint32_t nsid = 1; nsid <= core.namespace_limit(); ++nsid) {
        auto* zoned = dynamic_cast<zoned_namespace*>(core.find_namespace(nsid));
        if (!zoned) continue;
        m_zoned.push_back(nsid);
        m_timeline.add_namespace(nsid, zoned->zones(), now);
        m_action_until[nsid].assign(zoned->zones().zone_count(), 0);
        if (m_files) {
            const namespace_history& ns = *m_timeline.find(nsid);
            // The timeline starts from the zones as they are (restored from the image).
            for (std::uint32_t z = 0; z < ns.zones.size(); ++z)
                if (ns.zones[z].state != zone_state::empty)
                    m_zones_csv->row("%s,%u,%u,initial,,%s,restore,,,,%u,%u",
                                     static_cast<const char*>(seconds_text(now)), nsid, z,
                                     zone_state_name(ns.zones[z].state), ns.open, ns.active);
            m_limits_csv->row("%s,%u,%u,%u,%u,%u", static_cast<const char*>(seconds_text(now)),
                              nsid, ns.open, ns.active, ns.max_open, ns.max_active);
            if (m_trace) {
                m_trace->add_namespace(nsid);
                m_trace->zone_counts(nsid, now, ns.open, ns.active);
            }
        }
        const nvme::controller_core* owner = &core;
        zoned->set_trace(this, [owner] {
            command_cause c;
            if (const nvme::command* cmd = owner->current_command()) {
                c.valid = true;
                c.opcode = cmd->sqe.opcode;
                c.sqid = cmd->sqid;
                c.cid = cmd->sqe.cid;
            }
            return c;
        });
    }
    core.set_command_sink(this);
}

void run_recorder::open_files() {
    const std::filesystem::path dir(m_opts.dir);
    m_zones_csv = std::make_unique<trace::csv_writer>(
        (dir / "zones.csv").string(),
        "time_s,nsid,zone,event,from,to,cause,opcode,sqid,cid,open,active");
    m_limits_csv = std::make_unique<trace::csv_writer>(
        (dir / "limits.csv").string(), "time_s,nsid,open,active,max_open,max_active");
    if (m_opts.commands_csv)
        m_commands_csv = std::make_unique<trace::csv_writer>(
            (dir / "commands.csv").string(),
            "sqid,cid,nsid,op,opcode,slba,nlb,zone,status,bytes,submitted_s,fetched_s,"
            "media_start_s,media_end_s,completed_s,latency_us");
    if (m_opts.trace_json)
        m_trace = std::make_unique<trace_tracks>((dir / "trace.json").string(), m_opts.window);
    m_files = true;
}

void run_recorder::detach() {
    if (!m_core) return;
    m_core->set_command_sink(nullptr);
    for (std::uint32_t nsid : m_zoned)
        if (auto* zoned = dynamic_cast<zoned_namespace*>(m_core->find_namespace(nsid)))
            zoned->set_trace(nullptr, {});
    m_core = nullptr;
}

void run_recorder::write_failed(const std::exception& e) {
    if (m_error.empty()) m_error = e.what();
    m_files = false;
}

void run_recorder::zone_event(const struct zone_event& e) {
    if (m_finished) return;
    const namespace_history* ns = m_timeline.find(e.nsid);
    if (!ns) return;
    const bool counts_changed = ns->open != e.open || ns->active != e.active;
    zone_interval left;
    if (!m_timeline.apply(e, &left) || !m_files) return;
    try {
        const seconds_text at(e.at);
        char who[48] = ",,";
        if (e.by_command) std::snprintf(who, sizeof who, "0x%02x,%u,%u", e.opcode, e.sqid, e.cid);
        const bool move = e.kind == zone_event_kind::transition;
        m_zones_csv->row("%s,%u,%u,%s,%s,%s,%s,%s,%u,%u", static_cast<const char*>(at), e.nsid,
                         e.zone, zone_event_name(e), zone_state_name(e.from), zone_state_name(e.to),
                         zone_cause_name(e.cause), who, e.open, e.active);
        if (counts_changed)
            m_limits_csv->row("%s,%u,%u,%u,%u,%u", static_cast<const char*>(at), e.nsid, e.open,
                              e.active, ns->max_open, ns->max_active);
        if (m_trace && move) {
            m_trace->zone_state(e.nsid, e.zone, left);
            m_trace->zone_counts(e.nsid, e.at, e.open, e.active);
        }
    } catch (const std::exception& ex) {
        write_failed(ex);
    }
}

void run_recorder::command_done(const nvme::command_record& r) {
    if (m_finished) return;
    const sim_time latency = r.completed - r.submitted;
    if (r.status == 0 && is_zone_action(r, static_cast<std::uint8_t>(spec::zsa::reset)))
        m_resets.latency.record(latency);
    if (r.status == 0 && is_zone_action(r, static_cast<std::uint8_t>(spec::zsa::finish)))
        m_finishes.latency.record(latency);
    if (!m_files) return;
    try {
        const char* name = command_name(r);
        if (m_commands_csv) {
            char media[80] = ",";
            if (r.media_start || r.media_end)
                std::snprintf(media, sizeof media, "%s,%s",
                              static_cast<const char*>(seconds_text(r.media_start)),
                              static_cast<const char*>(seconds_text(r.media_end)));
            char zone[24] = "";
            if (r.zone >= 0) std::snprintf(zone, sizeof zone, "%" PRId64, r.zone);
            m_commands_csv->row(
                "%u,%u,%u,%s,0x%02x,%" PRIu64 ",%u,%s,0x%x,%" PRIu64 ",%s,%s,%s,%s,%.3f", r.sqid,
                r.cid, r.nsid, name, r.opcode, r.slba, r.nlb, zone, r.status, r.bytes,
                static_cast<const char*>(seconds_text(r.submitted)),
                static_cast<const char*>(seconds_text(r.fetched)), media,
                static_cast<const char*>(seconds_text(r.completed)), to_us(latency));
        }
        if (m_trace) {
            m_trace->command(r, name);
            if (!r.admin && r.opcode == nvme::spec::io_opcode::zone_mgmt_send && !selects_all(r))
                place_zone_action(r, name);
            if (m_timing) m_trace->buffer_fill(r.completed, m_timing->buffer_fill());
        }
    } catch (const std::exception& ex) {
        write_failed(ex);
    }
}

void run_recorder::place_zone_action(const nvme::command_record& r, const char* name) {
    const namespace_history* ns = m_timeline.find(r.nsid);
    if (!ns || r.zone < 0 || static_cast<std::uint64_t>(r.zone) >= ns->zones.size()) return;
    const auto zone = static_cast<std::uint32_t>(r.zone);
    const zone_history& z = ns->zones[zone];
    // Inside the state the action ended (it changed the zone as it completed) or, if it changed
    // nothing, the current one; never overlapping the zone's previous action.
    const sim_time boundary = z.since == r.completed && z.transitions ? z.previous_since : z.since;
    sim_time& until = m_action_until[r.nsid][zone];
    sim_time start = std::max({r.fetched, boundary, until});
    if (start > r.completed) start = r.completed;
    until = r.completed;
    m_trace->zone_action(r.nsid, zone, name, start, r.completed, r.cid);
}

void run_recorder::finish(sim_time end) {
    if (m_finished) return;
    detach();
    m_finished = true;
    m_end = end;
    if (m_files) {
        try {
            for (const auto& [nsid, ns] : m_timeline.namespaces()) {
                m_limits_csv->row("%s,%u,%u,%u,%u,%u", static_cast<const char*>(seconds_text(end)),
                                  nsid, ns.open, ns.active, ns.max_open, ns.max_active);
                if (!m_trace) continue;
                for (std::uint32_t z = 0; z < ns.zones.size(); ++z) {
                    const zone_history& h = ns.zones[z];
                    if (h.transitions)
                        m_trace->zone_state(nsid, z, {h.state, h.since, end, h.entered_by});
                }
            }
            write_residency(end);
            m_zones_csv->close();
            m_limits_csv->close();
            if (m_commands_csv) m_commands_csv->close();
            if (m_trace) m_trace->close();
        } catch (const std::exception& ex) {
            write_failed(ex);
        }
    }
    m_zones_csv.reset();
    m_limits_csv.reset();
    m_commands_csv.reset();
    m_trace.reset();
    if (!m_error.empty()) throw std::runtime_error(m_error);
}

void run_recorder::write_residency(sim_time end) {
    trace::csv_writer out((std::filesystem::path(m_opts.dir) / "zone-residency.csv").string(),
                          "nsid,zone,empty_s,implicitly_open_s,explicitly_open_s,closed_s,full_s,"
                          "read_only_s,offline_s,resets,finishes,transitions");
    for (const auto& [nsid, ns] : m_timeline.namespaces()) {
        for (std::uint32_t z = 0; z < ns.zones.size(); ++z) {
            const zone_history& h = ns.zones[z];
            const auto t = m_timeline.residency(h, end);
            out.row("%u,%u,%s,%s,%s,%s,%s,%s,%s,%u,%u,%u", nsid, z,
                    static_cast<const char*>(seconds_text(t[0])),
                    static_cast<const char*>(seconds_text(t[1])),
                    static_cast<const char*>(seconds_text(t[2])),
                    static_cast<const char*>(seconds_text(t[3])),
                    static_cast<const char*>(seconds_text(t[4])),
                    static_cast<const char*>(seconds_text(t[5])),
                    static_cast<const char*>(seconds_text(t[6])), h.resets, h.finishes,
                    h.transitions);
        }
    }
    out.close();
}

} // namespace znssim::zns
