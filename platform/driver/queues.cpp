// Queue pairs, command submission and completion: the driver's hot path. Submission writes the
// SQE into host memory and batches SQ doorbells; completion reaps every new CQE of the
// interrupting vector and writes each CQ head doorbell once per batch, like nvme_irq().
#include "platform/driver/queue_pair.h"

#include "nvme/spec/registers.h"

#include <atomic>
#include <cstring>

namespace znssim::platform {

namespace spec = nvme::spec;

namespace {
// Linux's nvme_dbbuf_need_event: the controller asked to be told once the index passes
// event_idx, i.e. event_idx lies in [old, new_idx) (16-bit arithmetic, as Linux).
bool need_event(std::uint16_t event_idx, std::uint16_t new_idx, std::uint16_t old) {
    return static_cast<std::uint16_t>(new_idx - event_idx - 1) <
           static_cast<std::uint16_t>(new_idx - old);
}
// Linux's nvme_dbbuf_update_and_check_event: the shadow entry first, then EventIdx.
bool update_and_check(std::uint16_t value, std::uint32_t* shadow, const std::uint32_t* eventidx) {
    if (!shadow) return true;
    const std::uint16_t old = static_cast<std::uint16_t>(*shadow);
    *shadow = value;
    std::atomic_thread_fence(std::memory_order_seq_cst); // mb(): shadow visible before the read
    return need_event(static_cast<std::uint16_t>(*eventidx), value, old);
}
} // namespace

host_driver::queue_pair* host_driver::queue(std::uint16_t qid) const {
    return qid < m_queues.size() ? m_queues[qid].get() : nullptr;
}

host_driver::queue_pair& host_driver::add_queue(std::uint16_t qid, std::uint16_t entries,
                                                std::uint16_t vector) {
    auto q = std::make_unique<queue_pair>();
    q->qid = qid;
    q->entries = entries;
    q->vector = m_msix ? vector : 0;
    q->sq_mem = alloc(std::size_t{entries} * sizeof(spec::sqe));
    q->cq_mem = alloc(std::size_t{entries} * sizeof(spec::cqe));
    q->sq = q->sq_mem.as<spec::sqe>();
    q->cq = q->cq_mem.data();
    q->sq_doorbell = spec::reg::sq_tail_doorbell(qid, m_dstrd);
    q->cq_doorbell = spec::reg::cq_head_doorbell(qid, m_dstrd);
    q->timeout = qid == 0 ? m_params.admin_timeout : m_params.io_timeout;
    // One SQ entry stays empty (full = tail+1 == head); the admin queue also leaves room for the
    // AER, whose CID lies outside the tags.
    const unsigned tags = qid == 0 ? entries - 2u : entries - 1u;
    q->slots.resize(tags);
    q->free_tags.reserve(tags);
    for (unsigned t = tags; t-- > 0;)
        q->free_tags.push_back(static_cast<std::uint16_t>(t));
    q->done_ring.assign(tags, 0);

    if (m_wait_lists.size() <= q->vector) m_wait_lists.resize(q->vector + 1u);
    if (!m_wait_lists[q->vector]) {
        auto list = std::make_unique<sc_core::sc_event_or_list>();
        if (m_msix)
            *list |= m_irq.vector_event(q->vector);
        else
            *list |= m_irq.intx_event();
        *list |= m_reaped;
        *list |= m_watchdog_check;
        m_wait_lists[q->vector] = std::move(list);
    }
    if (m_queues.size() <= qid) m_queues.resize(qid + 1u);
    m_queues[qid] = std::move(q);
    return *m_queues[qid];
}

void host_driver::drop_queue(std::uint16_t qid) {
    if (qid < m_queues.size()) m_queues[qid].reset();
    for (auto it = m_io_qids.begin(); it != m_io_qids.end(); ++it)
        if (*it == qid) {
            m_io_qids.erase(it);
            break;
        }
}

int host_driver::take_slot(queue_pair& q) {
    if (q.free_tags.empty()) return -1;
    std::uint16_t tag = q.free_tags.back();
    q.free_tags.pop_back();
    auto& s = q.slots[tag];
    s.busy = true;
    s.done = false;
    s.abandoned = false;
    s.generation = static_cast<std::uint8_t>((s.generation + 1) & 0xf);
    s.cid = static_cast<std::uint16_t>(s.generation << cid_tag_bits | tag);
    ++q.outstanding;
    return tag;
}

ticket host_driver::push(queue_pair& q, int tag, const spec::sqe& sqe) {
    auto& s = q.slots[static_cast<std::size_t>(tag)];
    s.submitted_at = from_sc_time(host_now());
    host_spend(m_params.submit_cost);
    spec::sqe* entry = &q.sq[q.sq_tail];
    std::memcpy(entry, &sqe, sizeof sqe);
    entry->cid = s.cid;
    q.sq_tail = static_cast<std::uint16_t>(q.sq_tail + 1 == q.entries ? 0 : q.sq_tail + 1);
    ZLOG_TRACE(driver_log(), "SQ{} cid {:#06x} opcode {:#04x} nsid {} queued (tail {})", q.qid,
               s.cid, sqe.opcode, sqe.nsid, q.sq_tail);
    if (++q.unrung >= m_params.doorbell_batch) ring(q.qid);
    return ticket{q.qid, s.cid};
}

void host_driver::ring(std::uint16_t qid) {
    queue_pair* q = queue(qid);
    if (!q || q->unrung == 0) return;
    q->unrung = 0;
    if (!update_and_check(q->sq_tail, q->sq_shadow, q->sq_eventidx)) return;
    reg_write(q->sq_doorbell, q->sq_tail);
    ++m_sq_doorbell_writes;
}

unsigned host_driver::outstanding(std::uint16_t qid) const {
    const queue_pair* q = queue(qid);
    return q ? q->outstanding : 0;
}

ticket host_driver::submit_async(std::uint16_t qid, const spec::sqe& sqe) {
    queue_pair* q = queue(qid);
    if (!q) {
        ZLOG_WARN(driver_log(), "submit on SQ {}: no such queue", qid);
        return {};
    }
    int tag = take_slot(*q);
    if (tag < 0) {
        ZLOG_WARN(driver_log(), "submit on SQ {}: all {} slots busy", qid, q->slots.size());
        return {};
    }
    q->slots[static_cast<std::size_t>(tag)].async = true;
    return push(*q, tag, sqe);
}

ticket host_driver::submit_async(std::uint16_t qid, const spec::sqe& sqe, std::uint64_t bus,
                                 std::uint64_t len) {
    queue_pair* q = queue(qid);
    if (!q) return submit_async(qid, sqe); // logs and fails
    int tag = take_slot(*q);
    if (tag < 0) {
        ZLOG_WARN(driver_log(), "submit on SQ {}: all {} slots busy", qid, q->slots.size());
        return {};
    }
    q->slots[static_cast<std::size_t>(tag)].async = true;
    spec::sqe s = sqe;
    set_prps(s, slot_prps(*q, tag, bus, len));
    return push(*q, tag, s);
}

prp_pair host_driver::slot_prps(queue_pair& q, int tag, std::uint64_t bus, std::uint64_t len) {
    const std::uint32_t page = 4096;
    auto& lists = q.slots[static_cast<std::size_t>(tag)].prp_lists;
    std::size_t need = prp_list_pages_needed(bus, len, page);
    while (lists.size() < need)
        lists.push_back(alloc(page)); // first use of this slot with a large transfer only
    prp_list_page pages[16];
    std::vector<prp_list_page> many;
    prp_list_page* p = pages;
    if (need > 16) {
        many.resize(need);
        p = many.data();
    }
    for (std::size_t i = 0; i < need; ++i)
        p[i] = prp_list_page{lists[i].bus(), lists[i].as<std::uint64_t>()};
    return build_prps(bus, len, page, p, need);
}

prp_pair host_driver::map_prps(std::uint64_t bus, std::uint64_t len) {
    std::size_t need = prp_list_pages_needed(bus, len, 4096);
    m_scratch_lists.clear();
    std::vector<prp_list_page> pages;
    for (std::size_t i = 0; i < need; ++i) {
        m_scratch_lists.push_back(alloc(4096));
        pages.push_back({m_scratch_lists.back().bus(), m_scratch_lists.back().as<std::uint64_t>()});
    }
    return build_prps(bus, len, 4096, pages.data(), pages.size());
}

bool host_driver::reap(queue_pair& q) {
    bool any = false;
    for (;;) {
        spec::cqe e;
        std::memcpy(&e, q.cq + std::size_t{q.cq_head} * sizeof(spec::cqe), sizeof e);
        if ((e.status & 1u) != q.phase) break;
        any = true;
        if (++q.cq_head == q.entries) {
            q.cq_head = 0;
            q.phase ^= 1u;
        }
        host_spend(m_params.complete_cost);
        completion c;
        c.completed_at = from_sc_time(host_now());
        c.status = spec::status::from_raw(static_cast<std::uint16_t>(e.status >> 1));
        c.dw0 = e.dw0;
        c.dw1 = e.dw1;
        c.sqhd = e.sqhd;
        c.sqid = e.sqid;
        c.cid = e.cid;
        if (q.qid == 0 && e.cid == aer_cid && m_aer_outstanding) {
            m_aer_outstanding = false;
            m_events.push_back(c);
            ZLOG_INFO(driver_log(),
                      "async event: dw0 {:#010x} (type {}, info {:#04x}, log {:#04x}) status {:#x}",
                      c.dw0, c.dw0 & 7u, (c.dw0 >> 8) & 0xffu, (c.dw0 >> 16) & 0xffu,
                      c.status.code());
            continue;
        }
        const std::size_t tag = e.cid & ((1u << cid_tag_bits) - 1);
        if (tag >= q.slots.size() || !q.slots[tag].busy || q.slots[tag].done ||
            q.slots[tag].cid != e.cid) {
            ++m_unexpected;
            ZLOG_WARN(driver_log(),
                      "CQ{}: completion for unknown cid {:#06x} (sqid {}, status {:#x})", q.qid,
                      e.cid, e.sqid, c.status.code());
            continue;
        }
        auto& s = q.slots[tag];
        if (s.abandoned) { // the command timed out earlier: just free its slot now
            s.busy = false;
            --q.outstanding;
            q.free_tags.push_back(static_cast<std::uint16_t>(tag));
            continue;
        }
        s.done = true;
        s.result = c;
        s.result.submitted_at = s.submitted_at;
        if (s.async) q.push_done(static_cast<std::uint16_t>(tag));
        ZLOG_TRACE(driver_log(), "CQ{} cid {:#06x} status {:#x} dw0 {:#x}", q.qid, e.cid,
                   c.status.code(), c.dw0);
    }
    if (any) {
        if (update_and_check(q.cq_head, q.cq_shadow, q.cq_eventidx)) {
            reg_write(q.cq_doorbell, q.cq_head);
            ++m_cq_doorbell_writes;
        }
        m_reaped.notify();
    }
    return any;
}

void host_driver::reap_vector(std::uint16_t vector) {
    // Shared vectors (INTx, or a 1-entry MSI-X table) serve every queue, like IRQF_SHARED.
    for (auto& q : m_queues)
        if (q && q->vector == vector) reap(*q);
    if (m_aer_enabled && !m_aer_outstanding && m_state == driver_state::ready &&
        (m_events.empty() || m_events.back().status.ok()))
        submit_aer();
}

completion host_driver::collect(queue_pair& q, int tag) {
    auto& s = q.slots[static_cast<std::size_t>(tag)];
    completion c = s.result;
    s.busy = false;
    s.done = false;
    --q.outstanding;
    q.free_tags.push_back(static_cast<std::uint16_t>(tag));
    return c;
}

void host_driver::block(queue_pair& q, bool& timed_out, const sc_core::sc_time& deadline,
                        const sc_core::sc_time&) {
    ++m_waiters;
    if (!m_watchdog_armed) {
        m_watchdog_armed = true;
        sc_core::sc_time period = m_params.io_timeout < m_params.admin_timeout
                                      ? m_params.io_timeout
                                      : m_params.admin_timeout;
        m_watchdog_tick.notify(period / 4);
    }
    if (!m_msix && m_irq.intx_level() && m_intx_spins < 4) {
        // The level is still high from CQEs we just consumed: the device drops it a delta
        // later; a new CQE would not make an edge, so look again after the delta (bounded, in
        // case something else holds the line).
        ++m_intx_spins;
        sc_core::wait(sc_core::SC_ZERO_TIME);
    } else {
        m_intx_spins = 0;
        sc_core::wait(*m_wait_lists[q.vector]);
        // Interrupt-driven: the handler runs only some time after the message arrived.
        if (!m_params.polled) {
            const sc_core::sc_time handler = sc_core::sc_time_stamp() + m_params.interrupt_latency;
            if (m_host_clock < handler) m_host_clock = handler;
        }
    }
    --m_waiters;
    timed_out = sc_core::sc_time_stamp() >= deadline;
}

void host_driver::watchdog() {
    m_watchdog_armed = false;
    if (m_waiters == 0) return;
    m_watchdog_check.notify();
    m_watchdog_armed = true;
    sc_core::sc_time period =
        m_params.io_timeout < m_params.admin_timeout ? m_params.io_timeout : m_params.admin_timeout;
    m_watchdog_tick.notify(period / 4);
}

completion host_driver::wait_slot(queue_pair& q, int tag, std::uint16_t cid, bool async) {
    ring(q.qid);
    const sc_core::sc_time deadline = sc_core::sc_time_stamp() + q.timeout;
    auto& s = q.slots[static_cast<std::size_t>(tag)];
    for (;;) {
        if (!s.done) reap_vector(q.vector);
        if (s.done) {
            if (async) q.remove_done(static_cast<std::uint16_t>(tag));
            return collect(q, tag);
        }
        bool timed_out = false;
        block(q, timed_out, deadline, q.timeout);
        if (timed_out && !s.done) {
            reap_vector(q.vector);
            if (s.done) continue;
            ++m_timeouts;
            s.abandoned = true;
            ZLOG_ERROR(driver_log(), "QID {} cid {:#06x}: no completion within {}", q.qid, cid,
                       q.timeout.to_string());
            completion c;
            c.timed_out = true;
            c.sqid = q.qid;
            c.cid = cid;
            c.status = spec::sc::abort_requested;
            return c;
        }
    }
}

completion host_driver::wait(const ticket& t) {
    queue_pair* q = queue(t.qid);
    completion none;
    none.submitted = false;
    if (!q) return none;
    const std::size_t tag = t.cid & ((1u << cid_tag_bits) - 1);
    if (tag >= q->slots.size() || !q->slots[tag].busy || q->slots[tag].cid != t.cid) return none;
    return wait_slot(*q, static_cast<int>(tag), t.cid, q->slots[tag].async);
}

completion host_driver::wait_any(std::uint16_t qid) {
    completion none;
    none.submitted = false;
    queue_pair* q = queue(qid);
    if (!q) return none;
    const sc_core::sc_time deadline = sc_core::sc_time_stamp() + q->timeout;
    for (;;) {
        if (q->done_count == 0) reap_vector(q->vector);
        if (q->done_count != 0) return collect(*q, q->pop_done());
        if (q->outstanding == 0) return none;
        // Ring only when about to sleep: submissions made while completions were still being
        // collected go to the device in one doorbell write.
        ring(qid);
        bool timed_out = false;
        block(*q, timed_out, deadline, q->timeout);
        if (timed_out) {
            reap_vector(q->vector);
            if (q->done_count != 0) continue;
            ++m_timeouts;
            ZLOG_ERROR(driver_log(), "QID {}: none of {} commands completed within {}", qid,
                       q->outstanding, q->timeout.to_string());
            completion c;
            c.timed_out = true;
            c.sqid = qid;
            c.status = spec::sc::abort_requested;
            return c;
        }
    }
}

completion host_driver::wait_any_of(const std::vector<std::uint16_t>& qids) {
    completion none;
    none.submitted = false;
    if (qids.empty()) return none;
    if (qids.size() == 1) return wait_any(qids.front());
    queue_pair* first = queue(qids.front());
    if (!first) return none;
    const sc_core::sc_time deadline = sc_core::sc_time_stamp() + first->timeout;
    for (unsigned round = 0;; ++round) {
        unsigned outstanding = 0;
        for (std::uint16_t qid : qids) {
            queue_pair* q = queue(qid);
            if (!q) continue;
            if (q->done_count == 0 && round > 0) reap_vector(q->vector);
            if (q->done_count != 0) return collect(*q, q->pop_done());
            outstanding += q->outstanding;
        }
        if (round == 0) continue; // reap once before deciding there is nothing
        if (outstanding == 0) return none;
        for (std::uint16_t qid : qids)
            ring(qid);
        bool timed_out = false;
        block(*first, timed_out, deadline, first->timeout);
        if (timed_out) {
            ++m_timeouts;
            completion c;
            c.timed_out = true;
            c.sqid = qids.front();
            c.status = spec::sc::abort_requested;
            return c;
        }
    }
}

completion host_driver::submit_admin(const spec::sqe& sqe) {
    return sync_command(0, sqe, nullptr, 0, 0);
}

completion host_driver::submit_io(std::uint16_t qid, const spec::sqe& sqe) {
    return sync_command(qid, sqe, nullptr, 0, 0);
}

completion host_driver::sync_command(std::uint16_t qid, const spec::sqe& sqe, const dma_buffer* buf,
                                     std::size_t offset, std::uint64_t len) {
    completion none;
    none.submitted = false;
    queue_pair* q = queue(qid);
    if (!q) {
        ZLOG_WARN(driver_log(), "command on SQ {}: no such queue", qid);
        return none;
    }
    int tag = take_slot(*q);
    if (tag < 0) {
        ZLOG_WARN(driver_log(), "command on SQ {}: all slots busy", qid);
        return none;
    }
    auto& s = q->slots[static_cast<std::size_t>(tag)];
    s.async = false;
    ticket t;
    if (buf) {
        spec::sqe c = sqe;
        set_prps(c, slot_prps(*q, tag, buf->bus() + offset, len));
        t = push(*q, tag, c);
    } else {
        t = push(*q, tag, sqe);
    }
    return wait_slot(*q, tag, t.cid, false);
}

bool host_driver::submit_aer() {
    queue_pair* q = queue(0);
    if (!q || m_aer_outstanding) return false;
    spec::sqe s = make_sqe(spec::admin_opcode::async_event_request);
    spec::sqe* entry = &q->sq[q->sq_tail];
    std::memcpy(entry, &s, sizeof s);
    entry->cid = aer_cid;
    q->sq_tail = static_cast<std::uint16_t>(q->sq_tail + 1 == q->entries ? 0 : q->sq_tail + 1);
    m_aer_outstanding = true;
    ++q->unrung;
    ring(0);
    ZLOG_DEBUG(driver_log(), "AER submitted (cid {})", aer_cid);
    return true;
}

} // namespace znssim::platform
