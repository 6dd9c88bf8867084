// Command arbitration and dispatch (NVMe Base 2.0 §3.4.4): round robin over submission queues,
// the admin queue first in each round, at most 2^AB commands per queue per turn. A fetched
// command runs to its functional end at once; its completion is posted when the media timing
// model says it is done.
#include "nvme/core/controller_core.h"
#include "nvme/spec/registers.h"

namespace znssim::nvme {

using namespace spec;

void controller_core::kick() {
    if (!m_arbitrate_timer.pending()) m_env.sched.schedule(m_arbitrate_timer, m_env.sched.now());
}

void controller_core::on_arbitrate() {
    if (!(m_csts & csts::rdy) || m_fatal || (m_csts & (3u << csts::shst_shift))) return;
    const unsigned ab = m_features.arbitration() & 0x7;
    const std::uint32_t burst = ab == 7 ? ~0u : (1u << ab);
    const std::size_t nq = m_sqs.size();
    bool progress = true;
    while (progress && !m_free_slots.empty()) {
        progress = false;
        // The admin queue gets a turn every round.
        for (std::uint32_t n = 0; n < burst && !m_sqs[0].empty() && !m_free_slots.empty(); ++n) {
            if (!fetch_one(m_sqs[0])) return;
            progress = true;
        }
        for (std::size_t i = 0; i + 1 < nq && !m_free_slots.empty(); ++i) {
            const std::uint16_t qid = static_cast<std::uint16_t>(m_rr_next);
            m_rr_next = static_cast<std::uint16_t>(m_rr_next + 1 >= nq ? 1 : m_rr_next + 1);
            submission_queue& sq = m_sqs[qid];
            if (!sq.valid || sq.empty()) continue;
            for (std::uint32_t n = 0; n < burst && !sq.empty() && !m_free_slots.empty(); ++n) {
                if (!fetch_one(sq)) return;
                progress = true;
            }
        }
        if (m_fatal || !(m_csts & csts::rdy)) return;
    }
}

bool controller_core::fetch_one(submission_queue& sq) {
    command_slot* slot = allocate_slot();
    command& cmd = slot->cmd;
    if (m_env.dma.read(sq.entry_address(sq.head), &cmd.sqe, sizeof(cmd.sqe)) != dma_status::ok) {
        release(*slot);
        fatal("submission queue entry fetch failed");
        return false;
    }
    sq.head = sq.head + 1 == sq.size ? 0 : sq.head + 1;
    ++sq.inflight;
    cmd.sqid = sq.id;
    cmd.fetched_at = m_env.sched.now();
    cmd.status = sc::success;
    cmd.dw0 = cmd.dw1 = 0;
    cmd.done_at = cmd.fetched_at;

    // A command the host asked to abort before we fetched it is not executed.
    for (std::size_t i = 0; i < m_abort_requests.size(); ++i) {
        if (m_abort_requests[i] == (static_cast<std::uint32_t>(sq.id) << 16 | cmd.sqe.cid)) {
            m_abort_requests.erase(m_abort_requests.begin() + static_cast<std::ptrdiff_t>(i));
            cmd.status = sc::abort_requested;
            post_completion(*slot);
            return true;
        }
    }
    execute(*slot);
    return true;
}

void controller_core::execute(command_slot& slot) {
    command& cmd = slot.cmd;
    disposition d;
    if (cmd.sqe.fuse() != 0) {
        cmd.status = sc::invalid_field; // fused operations are not supported (FUSES = 0)
        d = disposition::complete;
    } else {
        d = cmd.is_admin() ? dispatch_admin(cmd) : dispatch_io(cmd);
    }
    ZLOG_DEBUG(m_log, "SQ{} cid {:#06x} op {:#04x} nsid {} → {:#05x}{}", cmd.sqid, cmd.sqe.cid,
               cmd.sqe.opcode, cmd.sqe.nsid, cmd.status.code(),
               d == disposition::deferred ? " (deferred)" : "");
    if (d == disposition::deferred) {
        slot.deferred = true;
        deliver_events();
        return;
    }
    const sim_time now = m_env.sched.now();
    if (cmd.done_at <= now)
        post_completion(slot);
    else
        m_env.sched.schedule(slot.completion_timer, cmd.done_at);
}

} // namespace znssim::nvme
