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

std::uint16_t controller_core::next_pending(std::uint16_t from) const {
    const std::size_t words = m_sq_pending.size();
    const std::size_t limit = m_sqs.size();
    for (std::size_t pass = 0; pass < 2; ++pass) {
        std::size_t q = pass == 0 ? from : 1;
        const std::size_t end = pass == 0 ? limit : from;
        while (q < end) {
            const std::uint64_t w = m_sq_pending[q >> 6] >> (q & 63);
            if (w == 0) {
                q = (q | 63) + 1; // the rest of this word is empty
                continue;
            }
            q += static_cast<std::size_t>(__builtin_ctzll(w));
            if (q < end && q >> 6 < words) return static_cast<std::uint16_t>(q);
            break;
        }
    }
    return 0;
}

bool controller_core::fetch_allowed(submission_queue& sq) {
    if (sq.empty()) return false;
    completion_queue& cq = m_cqs[sq.cqid];
    if (!cq.valid || m_cq_waiting_head[sq.cqid]) return false;
    if (m_cq_committed[sq.cqid] < cq.size - 1 - cq.unconsumed()) return true;
    if (!cq.shadowed) return false;
    // No room as far as the controller knows: the host may have reaped without ringing.
    sync_cq_head(cq, true);
    return cq.valid && !m_cq_waiting_head[sq.cqid] &&
           m_cq_committed[sq.cqid] < cq.size - 1 - cq.unconsumed();
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
        // One turn for each I/O SQ with entries, in round-robin order.
        std::uint32_t turns = 0;
        for (std::uint64_t w : m_sq_pending)
            turns += static_cast<std::uint32_t>(__builtin_popcountll(w));
        for (; turns > 0; --turns) {
            const std::uint16_t qid = next_pending(m_rr_next);
            if (qid == 0) break;
            m_rr_next = static_cast<std::uint16_t>(qid + 1u >= nq ? 1 : qid + 1u);
            submission_queue& sq = m_sqs[qid];
            for (std::uint32_t n = 0; n < burst && fetch_allowed(sq); ++n) {
                const fetch_result r = fetch_one(sq);
                if (r == fetch_result::failed) return;
                if (r == fetch_result::no_slot) break;
                progress = true;
            }
            // A drained shadowed queue: EventIdx, then what the host wrote meanwhile.
            if (sq.valid && sq.shadowed && sq.empty()) {
                m_env.dma.take_delay();
                if (sync_sq_tail(sq)) m_fetch_carry += m_env.dma.take_delay();
                if (m_fatal) return;
            }
            if (!sq.valid || sq.empty()) mark_pending(qid, false);
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
    m_env.dma.take_delay();
    if (m_env.dma.read(sq.entry_address(sq.head), &entry, sizeof(entry)) != dma_status::ok) {
        fatal("submission queue entry fetch failed");
        return fetch_result::failed;
    }
    // Time the host memory annotated on the fetch delays the entry's arrival.
    // Delays carried from the shadow-doorbell accesses go onto the next entry fetched.
    // (If the entry stays in the queue, the carry waits for the next fetch.)
    const sim_time fetch_delay = m_env.dma.take_delay() + m_fetch_carry;
    // AERs wait in slots of their own (AERL+1 of them): never in the admin reserve, where an
    // outstanding one would keep every other admin command out. All AER slots taken while the
    // limit still accepts one means an AER slot is held by a completing (failed) AER: this one
    // waits in the SQ until that completion is posted (release() kicks the arbiter). Beyond the
    // limit it fails at once (Asynchronous Event Request Limit Exceeded) in an admin slot.
    if (pool == slot_pool::admin && entry.opcode == admin_opcode::async_event_request) {
        if (!m_free[static_cast<unsigned>(slot_pool::aer)].empty())
            pool = slot_pool::aer;
        else if (m_events.can_accept())
            return fetch_result::no_slot;
    }
    command_slot* slot = allocate_slot(pool);
    if (slot == nullptr) return fetch_result::no_slot; // the entry stays in the queue
    m_fetch_carry = 0;
    command& cmd = slot->cmd;
    cmd.sqe = entry;
    if (m_command_sink) {
        const std::vector<sim_time>& at = m_submitted_at[sq.id];
        slot->doorbell_at = at.size() == sq.size ? at[sq.head] : m_env.sched.now();
    }
    sq.head = sq.head + 1 == sq.size ? 0 : sq.head + 1;
    ++sq.inflight;
    cmd.sqid = sq.id;
    cmd.status = sc::success;
    cmd.dw0 = cmd.dw1 = 0;
    cmd.plan = command_plan{};
    slot->data_ok = true;
    slot->holds_credit = true;
    slot->credit_cq = sq.cqid;
    slot->media_start = slot->media_end = 0;
    ++m_cq_committed[sq.cqid];
    const sim_time now = m_env.sched.now();
    cmd.done_at = now;
    // The link carries one entry after the other: each arrives at its own time, and the
    // command's phases are timed from then (decoding it at once changes nothing the host sees).
    begin(*slot, (m_timed ? m_env.timing.sqe_fetched(now) : now) + fetch_delay);
    return fetch_result::fetched;
}

} // namespace znssim::nvme
