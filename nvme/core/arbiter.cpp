// Command arbitration and fetch (NVMe Base 2.0 §3.4.4): round robin over submission queues, the
// admin queue first in each round, at most 2^AB commands per queue per turn. A queue is fetched
// from only while a command slot of its reserve is free and its completion queue has room for
// every completion already owed to it, as real controllers fetch per queue within their
// resources: one queue the host stops reaping stalls that queue alone.
#include "nvme/core/controller_core.h"
#include "nvme/spec/registers.h"

namespace znssim::nvme {

using namespace spec;

void controller_core::kick() {
    if (m_arbitrate_timer.pending()) return;
    const sim_time now = m_env.sched.now();
    m_env.sched.schedule(m_arbitrate_timer, m_timed ? m_env.timing.fetch_start(now) : now);
}

void controller_core::fetch_now() {
    if (!m_arbitrate_timer.pending() || m_arbitrate_timer.deadline() > m_env.sched.now()) return;
    m_env.sched.cancel(m_arbitrate_timer);
    on_arbitrate();
}

bool controller_core::fetch_allowed(const submission_queue& sq) const {
    if (sq.empty()) return false;
    const completion_queue& cq = m_cqs[sq.cqid];
    if (!cq.valid || m_cq_waiting_head[sq.cqid]) return false;
    const std::uint32_t room = cq.size - 1 - cq.unconsumed();
    return m_cq_committed[sq.cqid] < room;
}

void controller_core::on_arbitrate() {
    if (!(m_csts & csts::rdy) || m_fatal || (m_csts & (3u << csts::shst_shift))) return;
    const unsigned ab = m_features.arbitration() & 0x7;
    const std::uint32_t burst = ab == 7 ? ~0u : (1u << ab);
    const std::size_t nq = m_sqs.size();
    bool progress = true;
    while (progress) {
        progress = false;
        // The admin queue gets a turn every round.
        for (std::uint32_t n = 0; n < burst && fetch_allowed(m_sqs[0]); ++n) {
            const fetch_result r = fetch_one(m_sqs[0]);
            if (r == fetch_result::failed) return;
            if (r == fetch_result::no_slot) break;
            progress = true;
        }
        if (m_free[static_cast<unsigned>(slot_pool::io)].empty()) continue;
        for (std::size_t i = 0; i + 1 < nq; ++i) {
            const std::uint16_t qid = m_rr_next;
            m_rr_next = static_cast<std::uint16_t>(m_rr_next + 1 >= nq ? 1 : m_rr_next + 1);
            submission_queue& sq = m_sqs[qid];
            if (!sq.valid) continue;
            for (std::uint32_t n = 0; n < burst && fetch_allowed(sq); ++n) {
                const fetch_result r = fetch_one(sq);
                if (r == fetch_result::failed) return;
                if (r == fetch_result::no_slot) break;
                progress = true;
            }
            if (m_free[static_cast<unsigned>(slot_pool::io)].empty()) break;
        }
        if (m_fatal || !(m_csts & csts::rdy)) return;
    }
}

controller_core::fetch_result controller_core::fetch_one(submission_queue& sq) {
    slot_pool pool = sq.id == 0 ? slot_pool::admin : slot_pool::io;
    if (pool == slot_pool::admin && m_free[static_cast<unsigned>(slot_pool::admin)].empty() &&
        m_free[static_cast<unsigned>(slot_pool::aer)].empty())
        return fetch_result::no_slot;
    if (pool == slot_pool::io && m_free[static_cast<unsigned>(slot_pool::io)].empty())
        return fetch_result::no_slot;
    sqe entry;
    if (m_env.dma.read(sq.entry_address(sq.head), &entry, sizeof(entry)) != dma_status::ok) {
        fatal("submission queue entry fetch failed");
        return fetch_result::failed;
    }
    // AERs wait in slots of their own (AERL+1 of them): never in the admin reserve.
    if (pool == slot_pool::admin && entry.opcode == admin_opcode::async_event_request &&
        !m_free[static_cast<unsigned>(slot_pool::aer)].empty())
        pool = slot_pool::aer;
    command_slot* slot = allocate_slot(pool);
    if (slot == nullptr) return fetch_result::no_slot; // the entry stays in the queue
    command& cmd = slot->cmd;
    cmd.sqe = entry;
    sq.head = sq.head + 1 == sq.size ? 0 : sq.head + 1;
    ++sq.inflight;
    cmd.sqid = sq.id;
    cmd.status = sc::success;
    cmd.dw0 = cmd.dw1 = 0;
    cmd.plan.has_media = false;
    cmd.plan.not_before = 0;
    slot->data_ok = true;
    slot->holds_credit = true;
    slot->credit_cq = sq.cqid;
    ++m_cq_committed[sq.cqid];
    const sim_time now = m_env.sched.now();
    cmd.done_at = now;
    if (m_timed) {
        // The link carries one entry after the other: each arrives at its own time.
        const sim_time arrival = m_env.timing.sqe_fetched(now);
        if (arrival > now) {
            slot->phase = slot_phase::arriving;
            m_env.sched.schedule(slot->phase_timer, arrival);
            return fetch_result::fetched;
        }
    }
    begin(*slot);
    return fetch_result::fetched;
}

} // namespace znssim::nvme
