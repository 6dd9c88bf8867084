#pragma once
// dma_port over a plain byte buffer at a base address: host memory for unit tests.
#include "model/dma/dma_port.h"

#include <cstring>
#include <vector>

namespace znssim {

class buffer_dma_port final : public dma_port {
  public:
    buffer_dma_port(std::uint64_t base, std::size_t size) : m_base(base), m_mem(size, 0) {}

    dma_status read(std::uint64_t addr, void* dst, std::size_t len) override {
        if (!contains(addr, len)) return dma_status::address_error;
        if (!m_enabled) return dma_status::disabled;
        std::memcpy(dst, m_mem.data() + (addr - m_base), len);
        ++m_reads;
        return dma_status::ok;
    }
    dma_status write(std::uint64_t addr, const void* src, std::size_t len) override {
        if (!contains(addr, len)) return dma_status::address_error;
        if (!m_enabled) return dma_status::disabled;
        std::memcpy(m_mem.data() + (addr - m_base), src, len);
        ++m_writes;
        return dma_status::ok;
    }

    std::uint8_t* at(std::uint64_t addr) { return m_mem.data() + (addr - m_base); }
    std::uint64_t base() const { return m_base; }
    std::size_t size() const { return m_mem.size(); }
    void set_enabled(bool on) { m_enabled = on; }
    std::size_t reads() const { return m_reads; }
    std::size_t writes() const { return m_writes; }

  private:
    bool contains(std::uint64_t addr, std::size_t len) const {
        return addr >= m_base && len <= m_mem.size() && addr - m_base <= m_mem.size() - len;
    }
    std::uint64_t m_base;
    std::vector<std::uint8_t> m_mem;
    bool m_enabled = true;
    std::size_t m_reads = 0, m_writes = 0;
};

} // namespace znssim
