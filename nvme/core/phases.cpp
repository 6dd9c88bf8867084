// A fetched command's life: decode and dispatch when its entry arrives, then either its
// completion (handlers that finish commands themselves), its plan's phases (data from the host,
// the media access, data to the host, finish; see command.h), or a deferral. Every phase ends at
// the time the timing model gives; with the untimed model every phase ends at once and nothing
// is scheduled.
#include "nvme/core/controller_core.h"
#include "nvme/core/plan.h"

#include <algorithm>

namespace znssim::nvme {

using namespace spec;

void controller_core::on_phase_timer(command_slot& slot) {
    switch (slot.phase) {
    case slot_phase::data_in:
        data_arrived(slot);
        break;
    case slot_phase::completing:
        finish_and_post(slot);
        break;
    case slot_phase::signalling:
        signal_completion(slot);
        break;
    default:
        break;
    }
}

sim_time controller_core::posted_time(sim_time at) {
    // The entry, then the MSI-X message behind it: the completion is posted and signalled at
    // the time the message arrives (one timer for both, the entry written first).
    return m_env.timing.interrupt_sent(m_env.timing.completion_posted(at));
}

void controller_core::on_media_done(void* context, sim_time at) {
    auto* slot = static_cast<command_slot*>(context);
    if (slot->phase == slot_phase::media) slot->owner->media_done(*slot, at);
}

void controller_core::begin(command_slot& slot, sim_time arrival) {
    command& cmd = slot.cmd;
    const sim_time now = arrival;
    cmd.fetched_at = now;
    cmd.done_at = now;

    // A command the host asked to abort before it reached us is not executed.
    const std::uint32_t key = static_cast<std::uint32_t>(cmd.sqid) << 16 | cmd.sqe.cid;
    for (std::size_t i = 0; i < m_abort_requests.size(); ++i) {
        if (m_abort_requests[i] != key) continue;
        m_abort_requests.erase(m_abort_requests.begin() + static_cast<std::ptrdiff_t>(i));
        cmd.status = sc::abort_requested;
        complete_at(slot, m_timed ? posted_time(now) : now);
        return;
    }

    m_counting_dma.start_count();
    m_counting_dma.take_delay();
    disposition d;
    if (cmd.sqe.fuse() != 0) {
        cmd.status = sc::invalid_field; // fused operations are not supported (FUSES = 0)
        d = disposition::complete;
    } else {
        m_current = &cmd;
        d = cmd.is_admin() ? dispatch_admin(cmd) : dispatch_io(cmd);
        m_current = nullptr;
    }
    ZLOG_DEBUG(m_log, "SQ{} cid {:#06x} op {:#04x} nsid {} → {:#05x}{}", cmd.sqid, cmd.sqe.cid,
               cmd.sqe.opcode, cmd.sqe.nsid, cmd.status.code(),
               d == disposition::deferred  ? " (deferred)"
               : d == disposition::planned ? " (planned)"
                                           : "");
    if (d == disposition::deferred) {
        // Held until an event: it must not hold back its queue's fetching meanwhile.
        if (slot.holds_credit && m_cq_committed[slot.credit_cq]) --m_cq_committed[slot.credit_cq];
        slot.holds_credit = false;
        slot.phase = slot_phase::deferred;
        deliver_events();
        return;
    }
    // Time the host memory annotated on the handler's own accesses is part of the command's.
    sim_time processed = now + m_counting_dma.take_delay();
    if (m_timed) {
        command_cost_info c;
        c.admin = cmd.is_admin();
        c.opcode = cmd.sqe.opcode;
        c.sqid = cmd.sqid;
        c.bytes_from_host = m_counting_dma.from_host();
        c.bytes_to_host = m_counting_dma.to_host();
        processed = m_env.timing.command_processed(c, processed);
    }
    if (d == disposition::planned) {
        slot.planned = true;
        start_plan(slot, processed);
        return;
    }
    sim_time done = std::max(processed, cmd.done_at);
    if (m_timed) done = posted_time(done);
    complete_at(slot, done);
}

void controller_core::start_plan(command_slot& slot, sim_time processed_at) {
    const command_plan& plan = slot.cmd.plan;
    if (plan.data == data_direction::to_device) {
        const sim_time arrival =
            m_timed ? m_env.timing.data_from_host(processed_at, plan.bytes, 0) : processed_at;
        if (arrival > m_env.sched.now()) {
            slot.phase = slot_phase::data_in;
            m_env.sched.schedule(slot.phase_timer, arrival);
            return;
        }
        data_arrived(slot);
        return;
    }
    start_media(slot, processed_at);
}

void controller_core::data_arrived(command_slot& slot) {
    command& cmd = slot.cmd;
    m_counting_dma.take_delay();
    const status st = move_data_to_device(*this, cmd);
    const sim_time at = m_env.sched.now() + m_counting_dma.take_delay();
    if (!st.ok()) {
        // Nothing reaches the media: the finish step undoes what the handler reserved.
        cmd.status = st;
        slot.data_ok = false;
        complete_at(slot, m_timed ? posted_time(at) : at);
        return;
    }
    start_media(slot, at);
}

void controller_core::start_media(command_slot& slot, sim_time at) {
    const command_plan& plan = slot.cmd.plan;
    if (plan.has_media) slot.media_start = at;
    if (!m_timed || !plan.has_media) {
        media_done(slot, at);
        return;
    }
    slot.phase = slot_phase::media;
    const sim_time done = m_env.timing.start(slot.media, plan.media, at);
    if (done == media_timing::later) return; // on_media_done() follows
    media_done(slot, done);
}

void controller_core::media_done(command_slot& slot, sim_time at) {
    const command_plan& plan = slot.cmd.plan;
    if (plan.has_media) slot.media_end = at;
    sim_time t = std::max(at, plan.not_before);
    if (m_timed) {
        if (plan.data == data_direction::to_host) t = m_env.timing.data_to_host(t, plan.bytes);
        t = posted_time(t);
    }
    complete_at(slot, t);
}

void controller_core::complete_at(command_slot& slot, sim_time at) {
    slot.phase = slot_phase::completing;
    if (at > m_env.sched.now()) {
        m_env.sched.schedule(slot.phase_timer, at);
        return;
    }
    finish_and_post(slot);
}

void controller_core::finish_and_post(command_slot& slot) {
    command& cmd = slot.cmd;
    if (slot.planned) {
        slot.planned = false;
        m_counting_dma.take_delay();
        if (slot.data_ok && cmd.plan.data == data_direction::to_host) {
            const status st = move_data_to_host(*this, cmd);
            if (!st.ok()) {
                cmd.status = st;
                slot.data_ok = false;
            }
        }
        m_current = &cmd;
        if (cmd.plan.finish) cmd.plan.finish(*this, cmd, slot.data_ok);
        m_current = nullptr;
        // A target that annotated time on the data copy delays the completion behind it.
        const sim_time extra = m_counting_dma.take_delay();
        if (extra > 0) {
            m_env.sched.schedule(slot.phase_timer, m_env.sched.now() + extra);
            return;
        }
    }
    post_completion(slot);
}

void controller_core::cancel(command_slot& slot, status why) {
    m_env.sched.cancel(slot.phase_timer);
    if (slot.phase == slot_phase::media) m_env.timing.cancel(slot.media);
    if (slot.planned) {
        slot.planned = false;
        m_current = &slot.cmd;
        if (slot.cmd.plan.finish) slot.cmd.plan.finish(*this, slot.cmd, false);
        m_current = nullptr;
    }
    slot.cmd.status = why;
    slot.cmd.dw0 = slot.cmd.dw1 = 0;
}

} // namespace znssim::nvme
