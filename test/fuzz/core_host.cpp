// The host side of the core harness: registers and doorbells, the driver-like bring-up, queues
// as the host knows them, reaping completions, and the bookkeeping of what was fetched.
#include "nvme/spec/registers.h"
#include "test/fuzz/core_session.h"
#include "test/fuzz/fuzz_check.h"

#include <cstring>

namespace znssim::fuzz {

namespace reg = nvme::spec::reg;
namespace op = nvme::spec::admin_opcode;

std::uint32_t core_session::sq_doorbell(unsigned q) const {
    return reg::sq_tail_doorbell(q, m_params.doorbell_stride);
}
std::uint32_t core_session::cq_doorbell(unsigned q) const {
    return reg::cq_head_doorbell(q, m_params.doorbell_stride);
}

void core_session::settle() {
    m_sched.settle();
    take_events();
}

void core_session::advance(sim_time d) {
    m_sched.advance_by(d);
    take_events();
}

void core_session::forget_host_queues() {
    m_sqs = {};
    m_cqs = {};
}

void core_session::write_reg(std::uint32_t off, std::uint32_t v) {
    const std::uint32_t old_cc = m_core->cc();
    m_core->write_register(off, v);
    if (off == reg::cc) {
        const bool was = old_cc & nvme::spec::cc::en, now = m_core->cc() & nvme::spec::cc::en;
        if (was && !now) {
            // A controller reset: every command is dropped without a completion.
            m_inflight.clear();
            forget_host_queues();
            m_enabled_by_host = false;
        }
    }
    settle();
}

void core_session::enable() {
    // Linux's order: disable, admin queue registers, CC with EN=0, then EN=1. The rings are
    // zeroed first, as a driver allocates them, so old entries cannot pass for new ones.
    disable();
    std::memset(m_host.at(asq_base), 0, 64u * admin_entries);
    std::memset(m_host.at(acq_base), 0, 16u * admin_entries);
    write_reg(reg::aqa, (admin_entries - 1) | (admin_entries - 1) << 16);
    write_reg(reg::asq, static_cast<std::uint32_t>(asq_base));
    write_reg(reg::asq + 4, 0);
    write_reg(reg::acq, static_cast<std::uint32_t>(acq_base));
    write_reg(reg::acq + 4, 0);
    const std::uint32_t cc = 0x00460060; // IOCQES 4, IOSQES 6, CSS: all I/O command sets
    write_reg(reg::cc, cc);
    write_reg(reg::cc, cc | nvme::spec::cc::en);
    advance(m_params.ready_delay);
    m_sqs[0] = {true, asq_base, admin_entries, 0, 0};
    m_cqs[0] = {true, acq_base, admin_entries, 0, true};
    m_view_trusted = true;
    m_enabled_by_host = true;
}

void core_session::disable() {
    write_reg(reg::cc, 0);
    advance(m_params.ready_delay);
    m_inflight.clear();
    forget_host_queues();
    m_enabled_by_host = false;
}

void core_session::submit(unsigned qid, const nvme::spec::sqe& e, bool ring) {
    host_sq& sq = m_sqs[qid];
    if (!sq.live) return;
    // A driver never overwrites an entry the controller has not fetched yet.
    const std::uint32_t next = (sq.tail + 1) % sq.entries;
    const nvme::submission_queue* csq = m_core->sq(static_cast<std::uint16_t>(qid));
    if (csq && next == csq->head) return;
    std::memcpy(m_host.at(sq.base + 64ull * sq.tail), &e, sizeof e);
    sq.tail = next;
    if (ring) write_reg(sq_doorbell(qid), sq.tail);
}

unsigned core_session::reap(unsigned q, unsigned max, bool ring) {
    host_cq& cq = m_cqs[q];
    if (!cq.live) return 0;
    unsigned n = 0;
    while (n < max) {
        nvme::spec::cqe e;
        std::memcpy(&e, m_host.at(cq.base + 16ull * cq.head), sizeof e);
        if ((e.status & 1) != (cq.phase ? 1 : 0)) break;
        if (++cq.head == cq.entries) {
            cq.head = 0;
            cq.phase = !cq.phase;
        }
        ++n;
    }
    if (!ring) return n;
    const nvme::completion_queue* ccq = m_core->cq(static_cast<std::uint16_t>(q));
    // Entries reaped earlier without ringing (an action may hold the doorbell back) are reported
    // now too: a host that never rings leaves the controller a full queue to post into.
    if (n || (ccq && ccq->head != cq.head)) {
        write_reg(cq_doorbell(q), cq.head);
        // Data the host let the controller write over its ring (a data pointer into the queue
        // memory) looks like entries: then the host's view and the controller's part.
        ccq = m_core->cq(static_cast<std::uint16_t>(q));
        if (!ccq || ccq->head != cq.head) m_view_trusted = false;
    }
    return n;
}

void core_session::reap_all() {
    for (unsigned q = 0; q <= max_queues; ++q)
        reap(q, ~0u, true);
}

void core_session::take_events() {
    for (const guarded_host::event& ev : m_host.take_events()) {
        if (ev.is_fetch) {
            const std::uint32_t key = std::uint32_t{ev.f.sqid} << 16 | ev.f.entry.cid;
            m_inflight[key].push_back({ev.f.entry, ev.f.cqid});
            ++m_fetched;
        } else {
            completed(ev.c);
        }
    }
}

void core_session::completed(const guarded_host::completion& c) {
    const nvme::spec::cqe& e = c.entry;
    const std::uint32_t key = std::uint32_t{e.sqid} << 16 | e.cid;
    auto it = m_inflight.find(key);
    FUZZ_CHECK(it != m_inflight.end() && !it->second.empty(),
               "completion entry at {:#x} (SQ {}, CID {:#06x}, status {:#x}) for a command that "
               "was not fetched or has completed already",
               c.addr, e.sqid, e.cid, e.status >> 1);
    if (it->second.size() > 1) m_view_trusted = false; // which of them is ambiguous
    const inflight cmd = it->second.front();
    it->second.pop_front();
    if (it->second.empty()) m_inflight.erase(it);
    ++m_completions;
    if (e.sqid == 0 && e.cid == m_probe_cid) m_probe_status = e.status >> 1;
    if (const nvme::completion_queue* cq = m_core->cq(cmd.cqid))
        FUZZ_CHECK(c.addr >= cq->base && c.addr < cq->base + 16ull * cq->size &&
                       (c.addr - cq->base) % 16 == 0,
                   "completion of SQ {} CID {:#06x} written at {:#x}, outside CQ {} ({:#x}, {} "
                   "entries)",
                   e.sqid, e.cid, c.addr, cmd.cqid, cq->base, cq->size);
    // Queues the host created or deleted: its view follows the admin completions.
    if (e.sqid != 0 || (e.status >> 1) != 0) return;
    const nvme::spec::sqe& s = cmd.entry;
    const unsigned qid = s.cdw10 & 0xffff;
    if (qid == 0 || qid > max_queues) return;
    switch (s.opcode) {
    case op::create_io_cq:
        m_cqs[qid] = {true, s.dptr1, (s.cdw10 >> 16) + 1, 0, true};
        break;
    case op::create_io_sq:
        m_sqs[qid] = {true, s.dptr1, (s.cdw10 >> 16) + 1, 0,
                      static_cast<std::uint16_t>(s.cdw11 >> 16)};
        break;
    case op::delete_io_sq:
        m_sqs[qid] = {};
        break;
    case op::delete_io_cq:
        // Completions still waiting for room in it are dropped with it.
        m_cqs[qid] = {};
        for (auto i = m_inflight.begin(); i != m_inflight.end();) {
            auto& list = i->second;
            for (auto j = list.begin(); j != list.end();)
                j = j->cqid == qid ? list.erase(j) : j + 1;
            i = list.empty() ? m_inflight.erase(i) : std::next(i);
        }
        break;
    default:
        break;
    }
}

} // namespace znssim::fuzz
