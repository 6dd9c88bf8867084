// Doorbell writes (NVMe Base 2.0 §3.1.22-23). Writes to doorbells of queues that do not exist and
// values that exceed the queue or overrun it are ignored and reported as asynchronous error
// events (Invalid Doorbell Register / Invalid Doorbell Write Value). With Doorbell Buffer Config
// the I/O queues' shadow doorbells count too (see shadow_doorbells.cpp): an MMIO write to such a
// queue is taken only as far as it gets ahead of what the controller knows, and makes it look at
// the shadow at once.
#include "nvme/core/controller_core.h"
#include "nvme/spec/registers.h"

namespace znssim::nvme {

using namespace spec;

namespace {
constexpr std::uint8_t info_invalid_doorbell_register = 0x00;
constexpr std::uint8_t info_invalid_doorbell_value = 0x01;
constexpr std::uint8_t log_error_information = 0x01;
} // namespace

void controller_core::invalid_doorbell(std::uint8_t info) {
    raise_event({event_type::error, info, log_error_information});
}

void controller_core::note_submitted(const submission_queue& sq, std::uint32_t new_tail) {
    std::vector<sim_time>& at = m_submitted_at[sq.id];
    if (at.size() != sq.size) at.assign(sq.size, 0); // once per queue while tracing
    const sim_time now = m_env.sched.now();
    for (std::uint32_t i = sq.tail; i != new_tail; i = i + 1 == sq.size ? 0 : i + 1)
        at[i] = now;
}

void controller_core::write_doorbell(std::uint32_t offset, std::uint32_t value) {
    if (!(m_csts & csts::rdy) || m_fatal)
        return; // doorbells are inert until the controller is ready
    const std::uint32_t rel = offset - reg::doorbell_base;
    if (rel % m_doorbell_stride != 0) return; // between doorbells: reserved
    const std::uint32_t index = rel / m_doorbell_stride;
    const std::uint32_t qid = index / 2;
    const bool is_cq = index & 1;
    value &= 0xffff;

    if (!is_cq) {
        if (qid >= m_sqs.size() || !m_sqs[qid].valid) {
            ZLOG_DEBUG(m_log, "SQ{} tail doorbell for a missing queue", qid);
            invalid_doorbell(info_invalid_doorbell_register);
            return;
        }
        submission_queue& sq = m_sqs[qid];
        if (sq.shadowed) {
            if (value >= sq.size) {
                ZLOG_DEBUG(m_log, "SQ{} tail doorbell {} invalid (size {})", qid, value, sq.size);
                invalid_doorbell(info_invalid_doorbell_value);
                return;
            }
            take_sq_tail(sq, value);
            std::uint32_t shadow = 0;
            m_env.dma.take_delay();
            if (shadow_read(sq.shadow_addr, shadow)) take_sq_tail(sq, shadow);
            m_fetch_carry += m_env.dma.take_delay();
            kick();
            return;
        }
        if (!sq.tail_valid(value)) {
            ZLOG_DEBUG(m_log, "SQ{} tail doorbell {} invalid (size {}, head {}, tail {})", qid,
                       value, sq.size, sq.head, sq.tail);
            invalid_doorbell(info_invalid_doorbell_value);
            return;
        }
        if (m_command_sink) note_submitted(sq, value);
        sq.tail = value;
        if (qid != 0) mark_pending(static_cast<std::uint16_t>(qid), !sq.empty());
        kick();
        return;
    }

    if (qid >= m_cqs.size() || !m_cqs[qid].valid) {
        ZLOG_DEBUG(m_log, "CQ{} head doorbell for a missing queue", qid);
        invalid_doorbell(info_invalid_doorbell_register);
        return;
    }
    completion_queue& cq = m_cqs[qid];
    if (cq.shadowed) {
        if (value >= cq.size) {
            ZLOG_DEBUG(m_log, "CQ{} head doorbell {} invalid (size {})", qid, value, cq.size);
            invalid_doorbell(info_invalid_doorbell_value);
            return;
        }
        take_cq_head(cq, value, false);
        // Entries still unconsumed: a pin-based interrupt drops only once the controller sees
        // the host reap them, so EventIdx becomes the head just given (the host rings again).
        if (cq.unconsumed() != 0 && m_interrupts.mode() != pcie::interrupt_mode::msix)
            sync_cq_head(cq, true);
        return;
    }
    if (!cq.head_valid(value)) {
        ZLOG_DEBUG(m_log, "CQ{} head doorbell {} invalid (size {}, head {}, tail {})", qid, value,
                   cq.size, cq.head, cq.tail);
        invalid_doorbell(info_invalid_doorbell_value);
        return;
    }
    apply_cq_head(cq, value);
}

void controller_core::apply_cq_head(completion_queue& cq, std::uint32_t value) {
    const bool was_full = cq.full();
    // Queues feeding it may have stopped fetching for want of room in it (see fetch_allowed).
    const bool was_blocked = m_cq_committed[cq.id] >= cq.size - 1 - cq.unconsumed();
    cq.head = value;
    m_interrupts.head_updated(cq);
    if (was_full) drain_waiting(cq);
    if (was_blocked) kick();
}

} // namespace znssim::nvme
