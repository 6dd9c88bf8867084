// Posting completions (NVMe Base 2.0 §4.6): the entry goes to the CQ of the command's SQ with the
// current SQ head, the SQ id, the full 16-bit command identifier and the phase tag. A full CQ
// holds further completions back (in order) until the host's head doorbell frees space.
#include "nvme/core/controller_core.h"

namespace znssim::nvme {

using namespace spec;

void controller_core::on_completion_timer(command_slot& slot) {
    post_completion(slot);
}

void controller_core::complete_deferred(command& cmd) {
    for (auto& s : m_slots) {
        if (&s->cmd == &cmd) {
            s->deferred = false;
            post_completion(*s);
            return;
        }
    }
}

void controller_core::post_completion(command_slot& slot) {
    command& cmd = slot.cmd;
    if (!cmd.status.ok())
        m_logs.record_error(cmd.sqid, cmd.sqe.cid, cmd.status.raw(), cmd.sqe.nsid, 0);
    const std::uint16_t cqid = m_sqs[cmd.sqid].valid ? m_sqs[cmd.sqid].cqid : 0;
    completion_queue& cq = m_cqs[cqid];
    if (!cq.valid) {
        release(slot); // its queues are gone (controller reset): nothing to report to
        return;
    }
    if (cq.full() || m_cq_waiting_head[cqid]) {
        // Keep completion order: queue behind earlier waiters.
        slot.next_waiting = nullptr;
        if (m_cq_waiting_tail[cqid])
            m_cq_waiting_tail[cqid]->next_waiting = &slot;
        else
            m_cq_waiting_head[cqid] = &slot;
        m_cq_waiting_tail[cqid] = &slot;
        return;
    }
    if (!write_cqe(cq, slot)) return;
    m_interrupts.completions_posted(cq, 1);
    const bool resume = m_free_slots.empty();
    release(slot);
    if (resume) kick(); // slots were exhausted: fetching can go on
}

bool controller_core::write_cqe(completion_queue& cq, command_slot& slot) {
    command& cmd = slot.cmd;
    submission_queue& sq = m_sqs[cmd.sqid];
    cqe e;
    e.dw0 = cmd.dw0;
    e.dw1 = cmd.dw1;
    e.sqhd = static_cast<std::uint16_t>(sq.head);
    e.sqid = cmd.sqid;
    e.cid = cmd.sqe.cid;
    e.status = static_cast<std::uint16_t>((cmd.status.raw() << 1) | (cq.phase ? 1u : 0u));
    if (m_env.dma.write(cq.entry_address(cq.tail), &e, sizeof(e)) != dma_status::ok) {
        release(slot);
        fatal("completion queue entry write failed");
        return false;
    }
    if (sq.inflight) --sq.inflight;
    cq.advance_tail();
    ++m_completed;
    return true;
}

void controller_core::drain_waiting(completion_queue& cq) {
    unsigned posted = 0;
    while (command_slot* s = m_cq_waiting_head[cq.id]) {
        if (cq.full()) break;
        m_cq_waiting_head[cq.id] = s->next_waiting;
        if (!m_cq_waiting_head[cq.id]) m_cq_waiting_tail[cq.id] = nullptr;
        if (!write_cqe(cq, *s)) return;
        ++posted;
        release(*s);
    }
    if (posted) {
        m_interrupts.completions_posted(cq, posted);
        kick();
    }
}

void controller_core::tear_down_queues() {
    // Every held command is dropped: its queues no longer exist.
    for (auto& s : m_slots)
        if (s->in_use) release(*s);
    m_events.reset();
    m_abort_requests.clear();
    for (auto& sq : m_sqs)
        sq = submission_queue{};
    for (auto& cq : m_cqs)
        cq = completion_queue{};
    std::fill(m_cq_waiting_head.begin(), m_cq_waiting_head.end(), nullptr);
    std::fill(m_cq_waiting_tail.begin(), m_cq_waiting_tail.end(), nullptr);
    m_env.sched.cancel(m_arbitrate_timer);
    m_interrupts.refresh();
}

void controller_core::abort_inflight_of_sq(std::uint16_t sqid) {
    // Commands of a deleted SQ that already ran keep their effects, but their completions are
    // reported as aborted by the deletion, before the Delete completes.
    for (auto& s : m_slots) {
        if (!s->in_use || s->cmd.sqid != sqid) continue;
        command_slot& slot = *s;
        if (slot.deferred) continue;
        // Remove it from a CQ wait list if it is on one.
        const std::uint16_t cqid = m_sqs[sqid].cqid;
        command_slot** link = &m_cq_waiting_head[cqid];
        command_slot* prev = nullptr;
        while (*link && *link != &slot) {
            prev = *link;
            link = &(*link)->next_waiting;
        }
        if (*link == &slot) {
            *link = slot.next_waiting;
            if (m_cq_waiting_tail[cqid] == &slot) m_cq_waiting_tail[cqid] = prev;
        }
        m_env.sched.cancel(slot.completion_timer);
        slot.cmd.status = sc::aborted_sq_deletion;
        slot.cmd.dw0 = slot.cmd.dw1 = 0;
        post_completion(slot);
    }
}

} // namespace znssim::nvme
