#pragma once
// Host memory for the controller-core harness: a dma_port over a buffer with red zones on both
// sides, which also checks the invariants about DMA itself and observes what the completion
// check needs. A 64-byte read is a fetch only if the submission queue's head moved past it, and
// a 16-byte write is a completion entry only if the core counted a completion for it; both are
// decided at the next DMA access (or resolve()), so data that merely looks like an entry (a
// 64-byte SGL segment, a 16-byte log page) is never taken for one.
#include "model/dma/dma_port.h"
#include "nvme/core/controller_core.h"
#include "nvme/spec/commands.h"

#include <cstdint>
#include <vector>

namespace znssim::fuzz {

class guarded_host final : public dma_port {
  public:
    static constexpr std::size_t red_zone = 4096;
    static constexpr std::uint8_t red_byte = 0xa5;

    guarded_host(std::uint64_t base, std::size_t size);
    /// The core whose queues and counters tell fetches and completions apart.
    void attach(const nvme::controller_core* core) { m_core = core; }

    dma_status read(std::uint64_t addr, void* dst, std::size_t len) override;
    dma_status write(std::uint64_t addr, const void* src, std::size_t len) override;

    std::uint8_t* at(std::uint64_t addr) { return m_mem.data() + red_zone + (addr - m_base); }
    bool contains(std::uint64_t addr, std::size_t len) const {
        return addr >= m_base && len <= m_size && addr - m_base <= m_size - len;
    }
    std::uint64_t base() const { return m_base; }
    std::size_t size() const { return m_size; }
    /// Fails (FUZZ_CHECK) when anything wrote outside the host memory.
    void check_red_zones() const;

    struct fetch {
        std::uint16_t sqid = 0;
        std::uint16_t cqid = 0;
        nvme::spec::sqe entry{};
    };
    struct completion {
        nvme::spec::cqe entry{};
        std::uint64_t addr = 0;
    };
    /// Settles the last access's fetch/completion candidates (call after the core ran).
    void resolve();
    /// Fetches and completion entries seen since the last call, in the order they happened.
    struct event {
        bool is_fetch;
        fetch f;
        completion c;
    };
    std::vector<event> take_events();

    std::uint64_t accesses() const { return m_accesses; }

  private:
    void on_access();
    const nvme::controller_core* m_core = nullptr;
    std::uint64_t m_base;
    std::size_t m_size;
    std::vector<std::uint8_t> m_mem; ///< red zone, host memory, red zone
    std::uint64_t m_accesses = 0;

    struct fetch_candidate {
        std::uint16_t sqid;
        std::uint32_t head;
        nvme::spec::sqe entry;
    };
    std::vector<fetch_candidate> m_fetch_candidates;
    bool m_cqe_candidate = false;
    completion m_cqe;
    std::uint64_t m_completed_before = 0;
    std::vector<event> m_events;
};

} // namespace znssim::fuzz
