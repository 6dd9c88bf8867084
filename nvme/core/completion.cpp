// Posting completions (NVMe Base 2.0 §4.6): the entry goes to the CQ of the command's SQ with the
// current SQ head, the SQ id, the full 16-bit command identifier and the phase tag. Fetching keeps
// room in each CQ for the completions it owes, so a completion waits for space only in the rare
// case a deferred command (an AER) took the room; waiting ones are posted in order when the
// host's head doorbell frees space.
#include "nvme/core/controller_core.h"

namespace znssim::nvme {

using namespace spec;

void controller_core::complete_deferred(command& cmd) {
    command_slot* s = slot_of(cmd);
    if (s == nullptr || s->phase != slot_phase::deferred) return;
    // An event already pending when the command is decoded completes it, but no earlier than it
    // arrived: the arbiter decodes an entry when it reads it, and a timed fetch (or a delay the
    // host memory annotated) puts the arrival later.
    if (cmd.fetched_at > m_env.sched.now()) {
        complete_at(*s, m_timed ? posted_time(cmd.fetched_at) : cmd.fetched_at);
        return;
    }
    post_completion(*s);
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
    m_env.dma.take_delay();
    // The host may have reaped entries without ringing; it learns the head the controller saw.
    if (cq.shadowed) {
        sync_cq_head(cq, m_interrupts.mode() != pcie::interrupt_mode::msix);
        if (m_fatal) {
            release(slot);
            return;
        }
    }
    if (cq.full() || m_cq_waiting_head[cqid]) {
        // Keep completion order: queue behind earlier waiters.
        slot.phase = slot_phase::waiting_cq;
        slot.next_waiting = nullptr;
        if (m_cq_waiting_tail[cqid])
            m_cq_waiting_tail[cqid]->next_waiting = &slot;
        else
            m_cq_waiting_head[cqid] = &slot;
        m_cq_waiting_tail[cqid] = &slot;
        return;
    }
    if (!write_cqe(cq, slot)) return;
    if (m_command_sink) trace_completion(slot);
    // The interrupt may not overtake its entry: if host memory annotated time on the write, the
    // message follows once that time has passed.
    if (const sim_time extra = m_env.dma.take_delay(); extra > 0) {
        slot.phase = slot_phase::signalling;
        m_env.sched.schedule(slot.phase_timer, m_env.sched.now() + extra);
        return;
    }
    m_interrupts.completions_posted(cq, 1);
    release(slot);
}

void controller_core::trace_completion(const command_slot& slot) {
    const command& cmd = slot.cmd;
    command_record r;
    r.nsid = cmd.sqe.nsid;
    r.opcode = cmd.sqe.opcode;
    r.admin = cmd.is_admin();
    r.sqid = cmd.sqid;
    r.cid = cmd.sqe.cid;
    r.status = cmd.status.code();
    if (!r.admin) {
        r.slba = std::uint64_t{cmd.sqe.cdw11} << 32 | cmd.sqe.cdw10;
        r.nlb = (cmd.sqe.cdw12 & 0xffffu) + 1u;
    }
    if (cmd.plan.has_media && cmd.plan.media.zoned) r.zone = cmd.plan.media.zone;
    if (cmd.plan.data != data_direction::none && cmd.status.ok()) r.bytes = cmd.plan.bytes;
    r.cdw13 = cmd.sqe.cdw13;
    r.submitted = slot.doorbell_at;
    r.fetched = cmd.fetched_at;
    r.media_start = slot.media_start;
    r.media_end = slot.media_end;
    r.completed = m_env.sched.now();
    m_command_sink->command_done(r);
}

void controller_core::signal_completion(command_slot& slot) {
    const std::uint16_t cqid = m_sqs[slot.cmd.sqid].valid ? m_sqs[slot.cmd.sqid].cqid : 0;
    if (m_cqs[cqid].valid) m_interrupts.completions_posted(m_cqs[cqid], 1);
    release(slot);
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
        if (m_command_sink) trace_completion(*s);
        ++posted;
        release(*s);
    }
    if (posted) {
        m_interrupts.completions_posted(cq, posted);
        kick();
    }
}

void controller_core::unlink_waiting(command_slot& slot) {
    for (std::size_t cqid = 0; cqid < m_cq_waiting_head.size(); ++cqid) {
        command_slot** link = &m_cq_waiting_head[cqid];
        command_slot* prev = nullptr;
        while (*link && *link != &slot) {
            prev = *link;
            link = &(*link)->next_waiting;
        }
        if (*link != &slot) continue;
        *link = slot.next_waiting;
        if (m_cq_waiting_tail[cqid] == &slot) m_cq_waiting_tail[cqid] = prev;
        slot.next_waiting = nullptr;
        return;
    }
}

void controller_core::tear_down_queues() {
    // Every held command is dropped: its queues no longer exist. Planned commands undo what
    // they reserved (a zone's issued write pointer) as if aborted.
    for (auto& s : m_slots) {
        if (s->phase == slot_phase::free) continue;
        if (s->phase == slot_phase::waiting_cq) unlink_waiting(*s);
        cancel(*s, sc::aborted_sq_deletion);
        release(*s);
    }
    m_events.reset();
    m_abort_requests.clear();
    for (auto& sq : m_sqs)
        sq = submission_queue{};
    for (auto& cq : m_cqs)
        cq = completion_queue{};
    std::fill(m_cq_committed.begin(), m_cq_committed.end(), 0u);
    std::fill(m_sq_pending.begin(), m_sq_pending.end(), 0u);
    std::fill(m_cq_waiting_head.begin(), m_cq_waiting_head.end(), nullptr);
    std::fill(m_cq_waiting_tail.begin(), m_cq_waiting_tail.end(), nullptr);
    m_env.sched.cancel(m_arbitrate_timer);
    // A controller reset forgets the doorbell buffers (the host sends the command again).
    m_dbbuf = false;
    m_dbbuf_dbs = m_dbbuf_eis = 0;
    m_fetch_carry = 0;
    m_interrupts.refresh();
}

void controller_core::abort_inflight_of_sq(std::uint16_t sqid) {
    // Every command of a deleted SQ still in progress completes as aborted by the deletion,
    // before the Delete completes (NVMe Base 2.0 §5.6); planned ones undo their reservations.
    for (auto& s : m_slots) {
        command_slot& slot = *s;
        if (slot.phase == slot_phase::free || slot.phase == slot_phase::deferred ||
            slot.phase == slot_phase::signalling || slot.cmd.sqid != sqid)
            continue;
        if (slot.phase == slot_phase::waiting_cq) unlink_waiting(slot);
        cancel(slot, sc::aborted_sq_deletion);
        post_completion(slot);
    }
}

} // namespace znssim::nvme
