// Create/Delete I/O Submission and Completion Queue (NVMe Base 2.0 §5.4-5.7), with every check the
// spec names: queue identifier, size, physical contiguity, alignment, interrupt vector, the
// completion queue an SQ binds to, and deleting a CQ that SQs still use.
#include "nvme/core/controller_core.h"
#include "nvme/spec/registers.h"

namespace znssim::nvme {

using namespace spec;

namespace {
struct queue_fields {
    std::uint16_t qid;
    std::uint32_t entries; ///< 1-based
};
queue_fields decode(const sqe& s) {
    return {static_cast<std::uint16_t>(s.cdw10 & 0xffff), (s.cdw10 >> 16) + 1u};
}
} // namespace

disposition controller_core::create_io_cq(command& cmd) {
    const auto [qid, entries] = decode(cmd.sqe);
    const bool contiguous = cmd.sqe.cdw11 & 1;
    const bool ien = cmd.sqe.cdw11 & 2;
    const std::uint16_t iv = static_cast<std::uint16_t>(cmd.sqe.cdw11 >> 16);
    const std::uint64_t base = cmd.sqe.dptr1;

    if (qid == 0 || qid >= m_cqs.size() || qid > m_features.cqs_granted() || m_cqs[qid].valid)
        return cmd.fail(sc::invalid_queue_identifier), disposition::complete;
    if (entries < 2 || entries > m_params.mqes + 1u)
        return cmd.fail(sc::invalid_queue_size), disposition::complete;
    if (!contiguous || cc::iocqes(m_cc) != 4)
        return cmd.fail(sc::invalid_field), disposition::complete;
    if (base == 0 || (base & ((1ull << m_state.page_shift) - 1)) != 0)
        return cmd.fail(sc::prp_offset_invalid), disposition::complete;
    const bool msix = m_interrupts.mode() == pcie::interrupt_mode::msix;
    if ((msix && iv >= m_interrupts.vector_count()) || (!msix && iv != 0))
        return cmd.fail(sc::invalid_interrupt_vector), disposition::complete;
    // The whole ring must be host memory: probe its first and last entries now rather than fail
    // fatally when the first completion is posted.
    cqe probe;
    if (m_env.dma.read(base, &probe, sizeof(probe)) != dma_status::ok ||
        m_env.dma.read(base + 16ull * (entries - 1), &probe, sizeof(probe)) != dma_status::ok)
        return cmd.fail(sc::invalid_field), disposition::complete;

    completion_queue& cq = m_cqs[qid];
    cq = completion_queue{};
    cq.valid = true;
    cq.id = qid;
    cq.base = base;
    cq.size = entries;
    cq.interrupts = ien;
    cq.vector = iv;
    if (m_dbbuf) attach_shadow(cq);
    ZLOG_DEBUG(m_log, "created CQ{}: {} entries at {:#x}, IEN={} IV={}", qid, entries, base, ien,
               iv);
    return disposition::complete;
}

disposition controller_core::create_io_sq(command& cmd) {
    const auto [qid, entries] = decode(cmd.sqe);
    const bool contiguous = cmd.sqe.cdw11 & 1;
    const std::uint16_t cqid = static_cast<std::uint16_t>(cmd.sqe.cdw11 >> 16);
    const std::uint64_t base = cmd.sqe.dptr1;

    if (qid == 0 || qid >= m_sqs.size() || qid > m_features.sqs_granted() || m_sqs[qid].valid)
        return cmd.fail(sc::invalid_queue_identifier), disposition::complete;
    if (entries < 2 || entries > m_params.mqes + 1u)
        return cmd.fail(sc::invalid_queue_size), disposition::complete;
    if (cqid == 0 || cqid >= m_cqs.size() || !m_cqs[cqid].valid)
        return cmd.fail(sc::completion_queue_invalid), disposition::complete;
    if (!contiguous || cc::iosqes(m_cc) != 6)
        return cmd.fail(sc::invalid_field), disposition::complete;
    if (base == 0 || (base & ((1ull << m_state.page_shift) - 1)) != 0)
        return cmd.fail(sc::prp_offset_invalid), disposition::complete;
    sqe probe;
    if (m_env.dma.read(base, &probe, sizeof(probe)) != dma_status::ok ||
        m_env.dma.read(base + 64ull * (entries - 1), &probe, sizeof(probe)) != dma_status::ok)
        return cmd.fail(sc::invalid_field), disposition::complete;

    submission_queue& sq = m_sqs[qid];
    sq = submission_queue{};
    sq.valid = true;
    sq.id = qid;
    sq.cqid = cqid;
    sq.base = base;
    sq.size = entries;
    sq.priority = (cmd.sqe.cdw11 >> 1) & 3;
    if (m_dbbuf) attach_shadow(sq);
    ++m_cqs[cqid].sq_refs;
    ZLOG_DEBUG(m_log, "created SQ{}: {} entries at {:#x} → CQ{}", qid, entries, base, cqid);
    return disposition::complete;
}

disposition controller_core::delete_io_sq(command& cmd) {
    const std::uint16_t qid = static_cast<std::uint16_t>(cmd.sqe.cdw10 & 0xffff);
    if (qid == 0 || qid >= m_sqs.size() || !m_sqs[qid].valid)
        return cmd.fail(sc::invalid_queue_identifier), disposition::complete;
    abort_inflight_of_sq(qid);
    completion_queue& cq = m_cqs[m_sqs[qid].cqid];
    if (cq.sq_refs) --cq.sq_refs;
    m_sqs[qid] = submission_queue{};
    mark_pending(qid, false);
    ZLOG_DEBUG(m_log, "deleted SQ{}", qid);
    return disposition::complete;
}

disposition controller_core::delete_io_cq(command& cmd) {
    const std::uint16_t qid = static_cast<std::uint16_t>(cmd.sqe.cdw10 & 0xffff);
    if (qid == 0 || qid >= m_cqs.size() || !m_cqs[qid].valid)
        return cmd.fail(sc::invalid_queue_identifier), disposition::complete;
    if (m_cqs[qid].sq_refs != 0) return cmd.fail(sc::invalid_queue_deletion), disposition::complete;
    // Completions still waiting for room in it have nowhere to go: their slots come back.
    while (command_slot* s = m_cq_waiting_head[qid]) {
        m_cq_waiting_head[qid] = s->next_waiting;
        s->next_waiting = nullptr;
        release(*s);
    }
    m_cqs[qid] = completion_queue{};
    m_cq_waiting_head[qid] = m_cq_waiting_tail[qid] = nullptr;
    m_cq_committed[qid] = 0;
    m_interrupts.refresh();
    ZLOG_DEBUG(m_log, "deleted CQ{}", qid);
    return disposition::complete;
}

} // namespace znssim::nvme
