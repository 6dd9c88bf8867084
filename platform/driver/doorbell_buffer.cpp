// Doorbell Buffer Config the way Linux 6.1's nvme-pci does it (nvme_dbbuf_dma_alloc,
// nvme_dbbuf_set, nvme_dbbuf_init): when Identify OACS bit 8 is set, two zeroed buffers with an
// entry per doorbell (the MMIO doorbells' layout and stride) are given to the controller once the
// I/O queues exist; the I/O queues then write their tails and heads there and the MMIO doorbell
// only when the controller's EventIdx asks for it (queues.cpp). The admin queue keeps its MMIO
// doorbells. A failed command leaves the driver on MMIO doorbells, as Linux ("unable to set
// dbbuf"); a controller reset forgets the buffers and the next bring-up sends them again.
#include "platform/driver/queue_pair.h"

#include <cstring>

namespace znssim::platform {

namespace spec = nvme::spec;

completion host_driver::doorbell_buffer_config(std::uint64_t shadow, std::uint64_t eventidx) {
    spec::sqe s = make_sqe(spec::admin_opcode::doorbell_buffer_config);
    s.dptr1 = shadow;
    s.dptr2 = eventidx;
    return submit_admin(s);
}

void host_driver::setup_doorbell_buffer() {
    m_dbbuf = false;
    if (!m_params.shadow_doorbells ||
        !(m_id_ctrl->oacs & spec::ctrl_bits::oacs_doorbell_buffer_config) || m_io_qids.empty())
        return;
    // nvme_dbbuf_size: a tail and a head entry per queue the controller granted, plus the admin's.
    const std::size_t bytes = std::size_t{m_queues_granted + 1u} * 8u << m_dstrd;
    if (m_dbbuf_dbs.size() >= bytes && m_dbbuf_eis.size() >= bytes) {
        // Kept from an earlier bring-up: no stale values from the previous instance.
        std::memset(m_dbbuf_dbs.data(), 0, m_dbbuf_dbs.size());
        std::memset(m_dbbuf_eis.data(), 0, m_dbbuf_eis.size());
    } else {
        m_dbbuf_dbs = alloc(bytes);
        m_dbbuf_eis = alloc(bytes);
    }
    const completion c = doorbell_buffer_config(m_dbbuf_dbs.bus(), m_dbbuf_eis.bus());
    if (!c.ok()) {
        ZLOG_WARN(driver_log(), "unable to set dbbuf (status {:#x})", c.status.code());
        return;
    }
    m_dbbuf = true;
    for (std::uint16_t qid : m_io_qids)
        if (queue_pair* q = queue(qid)) attach_shadow(*q);
    ZLOG_INFO(driver_log(), "doorbell buffers: shadow {:#x}, EventIdx {:#x}", m_dbbuf_dbs.bus(),
              m_dbbuf_eis.bus());
}

void host_driver::attach_shadow(queue_pair& q) {
    if (q.qid == 0 || q.qid > m_queues_granted) return;
    const std::size_t stride = std::size_t{1} << m_dstrd; // in 32-bit entries
    auto* dbs = m_dbbuf_dbs.as<std::uint32_t>();
    const auto* eis = m_dbbuf_eis.as<std::uint32_t>();
    q.sq_shadow = dbs + 2u * q.qid * stride;
    q.sq_eventidx = eis + 2u * q.qid * stride;
    q.cq_shadow = dbs + (2u * q.qid + 1u) * stride;
    q.cq_eventidx = eis + (2u * q.qid + 1u) * stride;
}

} // namespace znssim::platform
