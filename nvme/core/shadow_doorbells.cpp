// Shadow doorbells (Doorbell Buffer Config, NVMe Base 2.0 §5.8; NVMe 1.3 §7.13), as Linux's
// nvme-pci driver and QEMU's emulated controller use them. The host writes each I/O queue's SQ tail
// and CQ head into the Shadow Doorbell buffer and writes the MMIO doorbell only when the new value
// passes the EventIdx the controller last wrote for that queue. So the controller:
//  - reads the shadow SQ tail when an MMIO tail doorbell is written, and again after it has drained
//    the queue, having first set the SQ's EventIdx to the tail it consumed: entries written before
//    the host could see that EventIdx are found by the read, later ones make the host ring;
//  - sets the CQ's EventIdx to the head it knows and then reads the shadow head before it posts
//    a completion (as QEMU: the EventIdx stays one read behind, so a host that reaps between two
//    completions is not asked to ring: the next completion reads its head anyway), and, until
//    the two agree, whenever a CQ looks too full to fetch for or the level of a pin-based
//    interrupt depends on it;
//  - takes from either source only what gets further than it knows (maximum progress): the host
//    writes the shadow before the doorbell, so an MMIO value may be older than the shadow.
// The admin queues keep MMIO doorbells alone: Linux (like SPDK) never writes their shadow entries,
// and a host that does must also write their doorbell registers (the specification, as QEMU's
// controller quotes it). Everything is forgotten at a controller reset; queues created after the
// command use the buffers too.
#include "nvme/core/controller_core.h"

namespace znssim::nvme {

using namespace spec;

namespace {
constexpr std::uint8_t info_invalid_doorbell_value = 0x01;
constexpr std::uint32_t page_mask(unsigned shift) {
    return (1u << shift) - 1u;
}
} // namespace

disposition controller_core::doorbell_buffer_config(command& cmd) {
    if (!m_params.doorbell_buffer) return cmd.fail(sc::invalid_opcode), disposition::complete;
    // PRP1 = Shadow Doorbell buffer, PRP2 = EventIdx buffer, both memory page aligned (QEMU and
    // the specification: Invalid Field in Command otherwise).
    const std::uint64_t dbs = cmd.sqe.dptr1, eis = cmd.sqe.dptr2;
    const std::uint64_t mask = page_mask(m_state.page_shift);
    if (cmd.sqe.psdt() != 0 || (dbs & mask) != 0 || (eis & mask) != 0)
        return cmd.fail(sc::invalid_field), disposition::complete;
    std::uint32_t probe = 0;
    if (m_env.dma.read(dbs, &probe, sizeof probe) != dma_status::ok ||
        m_env.dma.read(eis, &probe, sizeof probe) != dma_status::ok)
        return cmd.fail(sc::invalid_field), disposition::complete;
    m_dbbuf = true;
    m_dbbuf_dbs = dbs;
    m_dbbuf_eis = eis;
    // Queues that exist already use the buffers from now on, starting from what the controller
    // knows of them (as QEMU does): the host continues from these values.
    for (std::size_t qid = 1; qid < m_sqs.size(); ++qid) {
        if (m_cqs[qid].valid) attach_shadow(m_cqs[qid]);
        if (m_sqs[qid].valid) attach_shadow(m_sqs[qid]);
    }
    m_log->info("doorbell buffers: shadow {:#x}, EventIdx {:#x}", dbs, eis); // once per enable
    return disposition::complete;
}

void controller_core::attach_shadow(submission_queue& sq) {
    const std::uint64_t off = 2ull * sq.id * m_doorbell_stride;
    sq.shadowed = true;
    sq.shadow_addr = m_dbbuf_dbs + off;
    sq.eventidx_addr = m_dbbuf_eis + off;
    shadow_write(sq.shadow_addr, sq.tail);
    shadow_write(sq.eventidx_addr, sq.tail);
    sq.eventidx = sq.tail;
}

void controller_core::attach_shadow(completion_queue& cq) {
    const std::uint64_t off = (2ull * cq.id + 1) * m_doorbell_stride;
    cq.shadowed = true;
    cq.shadow_addr = m_dbbuf_dbs + off;
    cq.eventidx_addr = m_dbbuf_eis + off;
    shadow_write(cq.shadow_addr, cq.head);
    shadow_write(cq.eventidx_addr, cq.head);
    cq.eventidx = cq.head;
}

bool controller_core::shadow_read(std::uint64_t addr, std::uint32_t& value) {
    if (m_timed) m_env.timing.data_from_host(m_env.sched.now(), sizeof value, 0);
    std::uint32_t raw = 0;
    if (m_env.dma.read(addr, &raw, sizeof raw) != dma_status::ok) {
        fatal("shadow doorbell read failed");
        return false;
    }
    value = raw & 0xffff; // as the doorbell register: bits 31:16 are reserved
    return true;
}

void controller_core::shadow_write(std::uint64_t addr, std::uint32_t value) {
    if (m_timed) m_env.timing.data_to_host(m_env.sched.now(), sizeof value);
    if (m_env.dma.write(addr, &value, sizeof value) != dma_status::ok)
        fatal("EventIdx write failed");
}

bool controller_core::take_sq_tail(submission_queue& sq, std::uint32_t value) {
    if (value >= sq.size) {
        ZLOG_DEBUG(m_log, "SQ{} shadow tail {} invalid (size {})", sq.id, value, sq.size);
        invalid_doorbell(info_invalid_doorbell_value);
        return false;
    }
    // Every tail short of the head is reachable (at most size - 1 entries): only one that does
    // not get as far as the known tail is not progress.
    if (sq.reach(value) <= sq.reach(sq.tail)) return false;
    if (m_command_sink) note_submitted(sq, value);
    sq.tail = value;
    mark_pending(sq.id, true);
    return true;
}

bool controller_core::take_cq_head(completion_queue& cq, std::uint32_t value, bool from_shadow) {
    if (value == cq.head) return false;
    if (value >= cq.size || !cq.head_valid(value)) {
        if (from_shadow || value >= cq.size) {
            ZLOG_DEBUG(m_log, "CQ{} shadow head {} invalid (size {}, head {}, tail {})", cq.id,
                       value, cq.size, cq.head, cq.tail);
            invalid_doorbell(info_invalid_doorbell_value);
        }
        return false;
    }
    apply_cq_head(cq, value);
    return true;
}

bool controller_core::sync_sq_tail(submission_queue& sq) {
    if (sq.eventidx != sq.tail) {
        shadow_write(sq.eventidx_addr, sq.tail);
        sq.eventidx = sq.tail;
    }
    std::uint32_t value = 0;
    return shadow_read(sq.shadow_addr, value) && take_sq_tail(sq, value);
}

void controller_core::sync_cq_head(completion_queue& cq, bool settle) {
    // Ends: each round consumes posted entries, of which there are fewer than the queue's size.
    do {
        if (cq.eventidx != cq.head) {
            shadow_write(cq.eventidx_addr, cq.head);
            cq.eventidx = cq.head;
        }
        std::uint32_t value = 0;
        if (!cq.valid || !shadow_read(cq.shadow_addr, value)) return;
        if (!take_cq_head(cq, value, true)) return;
    } while (settle);
}

} // namespace znssim::nvme
