#include "test/fuzz/guarded_host.h"

#include "nvme/spec/registers.h"
#include "test/fuzz/fuzz_check.h"

#include <cstring>

namespace znssim::fuzz {

guarded_host::guarded_host(std::uint64_t base, std::size_t size)
    : m_base(base), m_size(size), m_mem(size + 2 * red_zone, 0) {
    std::memset(m_mem.data(), red_byte, red_zone);
    std::memset(m_mem.data() + red_zone + size, red_byte, red_zone);
}

void guarded_host::check_red_zones() const {
    for (std::size_t i = 0; i < red_zone; ++i) {
        FUZZ_CHECK(m_mem[i] == red_byte, "host memory written {} bytes below its base",
                   red_zone - i);
        FUZZ_CHECK(m_mem[red_zone + m_size + i] == red_byte,
                   "host memory written {} bytes past its end", i);
    }
}

void guarded_host::resolve() {
    if (!m_core) return;
    for (const fetch_candidate& c : m_fetch_candidates) {
        const nvme::submission_queue* sq = m_core->sq(c.sqid);
        if (sq && sq->head != c.head) m_events.push_back({true, {c.sqid, sq->cqid, c.entry}, {}});
    }
    m_fetch_candidates.clear();
    if (m_cqe_candidate && m_core->commands_completed() != m_completed_before) {
        FUZZ_CHECK(m_core->commands_completed() == m_completed_before + 1,
                   "{} completions counted for one completion entry write",
                   m_core->commands_completed() - m_completed_before);
        m_events.push_back({false, {}, m_cqe});
    }
    m_cqe_candidate = false;
}

std::vector<guarded_host::event> guarded_host::take_events() {
    resolve();
    std::vector<event> out;
    out.swap(m_events);
    return out;
}

void guarded_host::on_access() {
    ++m_accesses;
    resolve();
    // A disabled controller has no queues and no commands: it has no business with host memory
    // (the host may have handed that memory to something else).
    if (m_core)
        FUZZ_CHECK(m_core->cc() & nvme::spec::cc::en, "DMA while CC.EN = 0 (CC {:#x})",
                   m_core->cc());
}

dma_status guarded_host::read(std::uint64_t addr, void* dst, std::size_t len) {
    on_access();
    FUZZ_CHECK(len > 0, "zero-length DMA read at {:#x}", addr);
    if (!contains(addr, len)) return dma_status::address_error;
    std::memcpy(dst, at(addr), len);
    if (len == sizeof(nvme::spec::sqe) && m_core) {
        for (std::uint16_t q = 0; q <= m_core->params().max_io_queues; ++q) {
            const nvme::submission_queue* sq = m_core->sq(q);
            if (sq && !sq->empty() && sq->entry_address(sq->head) == addr) {
                fetch_candidate c{q, sq->head, {}};
                std::memcpy(&c.entry, dst, sizeof c.entry);
                m_fetch_candidates.push_back(c);
            }
        }
    }
    return dma_status::ok;
}

dma_status guarded_host::write(std::uint64_t addr, const void* src, std::size_t len) {
    on_access();
    FUZZ_CHECK(len > 0, "zero-length DMA write at {:#x}", addr);
    if (!contains(addr, len)) return dma_status::address_error;
    std::memcpy(at(addr), src, len);
    if (len == sizeof(nvme::spec::cqe) && m_core) {
        m_cqe_candidate = true;
        std::memcpy(&m_cqe.entry, src, sizeof m_cqe.entry);
        m_cqe.addr = addr;
        m_completed_before = m_core->commands_completed();
    }
    return dma_status::ok;
}

} // namespace znssim::fuzz
