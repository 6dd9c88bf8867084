// The invariants of the core harness: after every step (host memory intact, zones within their
// rules and limits) and at the end (the admin queue answers, nothing fetched was lost, the
// images read back as the zones were).
#include "nvme/spec/registers.h"
#include "platform/namespace_factory.h"
#include "test/fuzz/core_session.h"
#include "test/fuzz/fuzz_check.h"
#include "zns/report.h"
#include "zns/zoned_namespace.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>

namespace znssim::fuzz {

namespace {

using zns::zone_state;

bool is_open(zone_state s) {
    return s == zone_state::imp_open || s == zone_state::exp_open;
}

/// What the image must hold for a zone (docs/image-format.md, "Zone record").
struct record {
    zone_state state;
    std::uint64_t wp;
};
record expected_record(const zns::zone& z) {
    record r{z.state, z.wp};
    if (z.state == zone_state::full) r.wp = z.end();
    if (z.state == zone_state::closed && z.wp == z.start && !(z.attrs & zns::spec::za::zdev))
        r.state = zone_state::empty;
    if (r.state == zone_state::empty || z.state == zone_state::offline) r.wp = z.start;
    return r;
}

/// What a start makes of a record (opened zones come back Closed, or Empty with nothing
/// written and no extension).
zone_state restored(const record& r, const zns::zone& z) {
    if (!is_open(r.state)) return r.state;
    return r.wp == z.start && !(z.attrs & zns::spec::za::zdev) ? zone_state::empty
                                                               : zone_state::closed;
}

} // namespace

void core_session::check_zones(const zns::zoned_namespace& ns) const {
    const zns::zone_state_machine& sm = ns.zones();
    const auto& cfg = ns.zoned_config();
    std::uint32_t open = 0, active = 0;
    for (std::uint32_t i = 0; i < sm.zone_count(); ++i) {
        const zns::zone& z = sm.at(i);
        if (z.conventional) continue;
        open += z.is_open();
        active += z.is_active();
        FUZZ_CHECK(z.start <= z.wp && z.wp <= z.issued && z.issued <= z.end(),
                   "zone {}: start {} wp {} issued {} end {}", i, z.start, z.wp, z.issued, z.end());
        switch (z.state) {
        case zone_state::empty:
            FUZZ_CHECK(z.wp == z.start && z.issued == z.start && z.inflight == 0,
                       "zone {} Empty with wp {} issued {} ({} writes in flight)", i, z.wp,
                       z.issued, z.inflight);
            break;
        case zone_state::full:
            FUZZ_CHECK(z.issued == z.end() && (z.inflight > 0 || z.wp == z.end()),
                       "zone {} Full with wp {} issued {} end {}", i, z.wp, z.issued, z.end());
            break;
        case zone_state::offline:
            FUZZ_CHECK(z.wp == z.start && z.inflight == 0, "zone {} Offline with wp {}", i, z.wp);
            break;
        case zone_state::imp_open:
        case zone_state::exp_open:
        case zone_state::closed:
            FUZZ_CHECK(z.wp < z.end(), "zone {} active with its write pointer at the capacity", i);
            break;
        case zone_state::read_only:
            break;
        }
    }
    FUZZ_CHECK(open == sm.open_count() && active == sm.active_count(),
               "zone counts: {} open, {} active, the state machine says {} and {}", open, active,
               sm.open_count(), sm.active_count());
    FUZZ_CHECK(cfg.max_open == 0 || open <= cfg.max_open, "{} zones open, MOR allows {}", open,
               cfg.max_open);
    FUZZ_CHECK(cfg.max_active == 0 || active <= cfg.max_active, "{} zones active, MAR allows {}",
               active, cfg.max_active);
}

void core_session::check_invariants() {
    m_host.check_red_zones();
    for (const zns::zoned_namespace* ns : m_zoned)
        check_zones(*ns);
    FUZZ_CHECK(m_core->slots_in_use() <= m_core->pool_size(nvme::slot_pool::io) +
                                             m_core->pool_size(nvme::slot_pool::admin) +
                                             m_core->pool_size(nvme::slot_pool::aer),
               "{} command slots in use", m_core->slots_in_use());
}

bool core_session::admin_answers() {
    reap_all();
    nvme::spec::sqe id{};
    id.opcode = nvme::spec::admin_opcode::identify;
    // Harness-assigned admin CIDs have bit 15 set; pick one the input's raw CIDs do not hold.
    std::uint16_t cid = 0x7fff;
    while (m_inflight.count(cid)) // key of SQ 0 = the CID
        --cid;
    id.cid = cid;
    id.cdw10 = 1; // Identify Controller
    id.dptr1 = data_base;
    m_probe_cid = cid;
    m_probe_status = -1;
    submit(0, id, true);
    for (int i = 0; i < 200 && m_probe_status < 0; ++i) {
        reap_all();
        if (m_probe_status < 0) advance(from_ms(1));
    }
    m_probe_cid = -1;
    reap_all();
    if (m_probe_status != 0 && std::getenv("ZNSSIM_FUZZ_VERBOSE")) {
        const auto* sq = m_core->sq(0);
        const auto* cq = m_core->cq(0);
        std::fprintf(stderr, "probe: status %d; SQ0 %s head %u tail %u; CQ0 %s head %u tail %u\n",
                     m_probe_status, sq ? "valid" : "-", sq ? sq->head : 0, sq ? sq->tail : 0,
                     cq ? "valid" : "-", cq ? cq->head : 0, cq ? cq->tail : 0);
    }
    return m_probe_status == 0;
}

void core_session::finish() {
    // Everything in flight gets time to finish, with the host reaping every queue.
    for (int i = 0; i < 12; ++i) {
        reap_all();
        advance(from_us(100) << i);
    }
    reap_all();
    namespace csts = nvme::spec::csts;
    const std::uint32_t status = m_core->csts();
    const bool usable = m_view_trusted && m_enabled_by_host && (status & csts::rdy) &&
                        !(status & csts::cfs) && (status & (3u << csts::shst_shift)) == 0;
    if (usable) {
        FUZZ_CHECK(admin_answers(),
                   "the admin queue does not answer (CSTS {:#x}, {} fetched, {} "
                   "completed, {} slots in use)",
                   m_core->csts(), m_fetched, m_completions, m_core->slots_in_use());
        // Nothing fetched was lost: everything completed but the AERs waiting for events.
        for (const auto& [key, list] : m_inflight)
            for (const inflight& c : list)
                FUZZ_CHECK((key >> 16) == 0 &&
                               c.entry.opcode == nvme::spec::admin_opcode::async_event_request,
                           "command of SQ {} CID {:#06x} (opcode {:#04x}) fetched and never "
                           "completed",
                           key >> 16, key & 0xffff, c.entry.opcode);
    }
    if (std::getenv("ZNSSIM_FUZZ_VERBOSE"))
        std::fprintf(stderr, "session: %llu fetched, %llu completed, %llu DMA, csts %#x, %s\n",
                     static_cast<unsigned long long>(m_fetched),
                     static_cast<unsigned long long>(m_completions),
                     static_cast<unsigned long long>(m_host.accesses()), status,
                     usable ? "usable" : "reset");
    // After a reset, a bring-up must always work and the admin queue answer.
    enable();
    FUZZ_CHECK(m_core->csts() & csts::rdy, "the controller does not become ready (CSTS {:#x})",
               m_core->csts());
    FUZZ_CHECK(admin_answers(), "the admin queue does not answer after a reset (CSTS {:#x})",
               m_core->csts());

    // The recorder's view of the run: its zone intervals close and its summary prints.
    m_recorder->finish(m_core->now());
    std::ostringstream activity;
    m_recorder->print_activity(activity);
    m_recorder.reset();

    // The images hold what the zones are, and a restart restores it.
    m_core->shutdown();
    const zns::zoned_namespace& ns = *m_zoned.front();
    std::vector<record> want;
    std::vector<zns::zone> zones;
    for (std::uint32_t i = 0; i < ns.zones().zone_count(); ++i) {
        zones.push_back(ns.zones().at(i));
        want.push_back(expected_record(zones.back()));
    }
    m_zoned.clear();
    m_core.reset();
    const nvme::namespace_params& p = m_ns_params.front();
    const zns::zone_report report = zns::read_zone_report(p.image);
    FUZZ_CHECK(report.zones.size() == zones.size(), "the image reports {} zones of {}",
               report.zones.size(), zones.size());
    for (std::size_t i = 0; i < zones.size(); ++i) {
        if (zones[i].conventional) continue;
        const zns::zone_report_entry& e = report.zones[i];
        FUZZ_CHECK(e.persisted == want[i].state && e.wp == want[i].wp,
                   "zone {}: the image records {} at {}, the zone was {} at {} (wp {})", i,
                   zns::zone_state_name(e.persisted), e.wp, zns::zone_state_name(zones[i].state),
                   want[i].wp, zones[i].wp);
    }
    manual_scheduler sched;
    const auto again = platform::make_namespace(p, m_params, sched);
    const auto* back = dynamic_cast<const zns::zoned_namespace*>(again.get());
    FUZZ_CHECK(back, "nsid 1 is not zoned after a restart");
    for (std::size_t i = 0; i < zones.size(); ++i) {
        bool faulted = false;
        for (const nvme::zone_fault& f : p.zoned_cfg.faults)
            faulted = faulted || f.zone == i;
        if (zones[i].conventional || faulted) continue;
        const zns::zone& z = back->zones().at(static_cast<std::uint32_t>(i));
        const zone_state s = restored(want[i], zones[i]);
        FUZZ_CHECK(z.state == s && (s == zone_state::empty || z.wp == want[i].wp),
                   "zone {} restarts {} at {}, expected {} at {}", i, zns::zone_state_name(z.state),
                   z.wp, zns::zone_state_name(s), want[i].wp);
    }
}

} // namespace znssim::fuzz
