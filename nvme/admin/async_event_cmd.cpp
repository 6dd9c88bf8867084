// Asynchronous Event Request (NVMe Base 2.0 §5.2) and Abort (§5.1).
#include "nvme/core/controller_core.h"

namespace znssim::nvme {

using namespace spec;

disposition controller_core::async_event_request(command& cmd) {
    if (!m_events.can_accept())
        return cmd.fail(sc::async_event_limit_exceeded), disposition::complete;
    m_events.add_request(&cmd);
    // Held until an event arrives; execute() delivers an already queued event once the slot is
    // marked deferred.
    return disposition::deferred;
}

disposition controller_core::abort(command& cmd) {
    const std::uint16_t sqid = cmd.sqe.cdw10 & 0xffff;
    const std::uint16_t cid = cmd.sqe.cdw10 >> 16;
    cmd.dw0 = 1; // bit 0 set: command not aborted
    if (sqid >= m_sqs.size() || !m_sqs[sqid].valid) return disposition::complete;
    if (m_abort_requests.size() >= m_params.acl + 1u)
        return cmd.fail(sc::abort_command_limit_exceeded), disposition::complete;
    // A fetched command that has not completed yet is aborted now (planned commands undo what
    // they reserved); one whose completion is already due is too late. A command still waiting
    // in the SQ is found by its CID and completed as aborted when fetched.
    for (auto& s : m_slots) {
        command_slot& slot = *s;
        if (&slot.cmd == &cmd || slot.cmd.sqid != sqid || slot.cmd.sqe.cid != cid) continue;
        const bool abortable =
            slot.phase == slot_phase::arriving || slot.phase == slot_phase::data_in ||
            slot.phase == slot_phase::media || (slot.phase == slot_phase::deferred && sqid == 0);
        if (!abortable) continue;
        cancel(slot, sc::abort_requested);
        post_completion(slot);
        cmd.dw0 = 0;
        return disposition::complete;
    }
    submission_queue& sq = m_sqs[sqid];
    for (std::uint32_t i = sq.head; i != sq.tail; i = i + 1 == sq.size ? 0 : i + 1) {
        sqe entry;
        if (m_env.dma.read(sq.entry_address(i), &entry, sizeof(entry)) != dma_status::ok) break;
        if (entry.cid == cid) {
            m_abort_requests.push_back(static_cast<std::uint32_t>(sqid) << 16 | cid);
            cmd.dw0 = 0;
            break;
        }
    }
    return disposition::complete;
}

} // namespace znssim::nvme
