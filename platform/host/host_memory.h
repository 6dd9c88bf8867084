#pragma once
// Host DRAM at bus address 0: a TLM target granting DMI for its whole range, plus the driver's
// page allocator (a host-side convenience, not a bus concern) handing out 4 KiB-aligned buffers.
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>

namespace znssim::platform {

class page_allocator;

/// A buffer in host memory: its bus address (what goes into PRPs/SGLs) and the host pointer the
/// driver reads and writes. Move-only; returns its pages to the allocator when destroyed.
class dma_buffer {
  public:
    dma_buffer() = default;
    dma_buffer(dma_buffer&& o) noexcept { *this = std::move(o); }
    dma_buffer& operator=(dma_buffer&& o) noexcept;
    dma_buffer(const dma_buffer&) = delete;
    dma_buffer& operator=(const dma_buffer&) = delete;
    ~dma_buffer() { release(); }

    std::uint64_t bus() const { return m_bus; }
    std::uint8_t* data() const { return m_ptr; }
    std::size_t size() const { return m_size; }
    explicit operator bool() const { return m_ptr != nullptr; }
    template <class T> T* as() const { return reinterpret_cast<T*>(m_ptr); }

    void fill(std::uint8_t v);
    void release();

  private:
    friend class page_allocator;
    page_allocator* m_owner = nullptr;
    std::uint64_t m_bus = 0;
    std::uint8_t* m_ptr = nullptr;
    std::size_t m_size = 0; ///< bytes requested
    std::size_t m_pages = 0;
};

/// First-fit allocator over whole 4 KiB pages of a memory region, coalescing on free.
class page_allocator {
  public:
    static constexpr std::uint64_t page_size = 4096;
    page_allocator(std::uint64_t bus_base, std::uint8_t* host_base, std::uint64_t bytes);

    /// A zeroed buffer of at least 'bytes' (rounded up to pages, at least one page); throws
    /// std::bad_alloc when host memory is exhausted.
    dma_buffer allocate(std::size_t bytes);
    std::uint64_t free_bytes() const;

  private:
    friend class dma_buffer;
    void free_pages(std::uint64_t bus, std::size_t pages);

    std::uint64_t m_bus_base;
    std::uint8_t* m_host_base;
    std::map<std::uint64_t, std::uint64_t> m_free; ///< first page index → page count
};

class host_memory : public sc_core::sc_module {
  public:
    tlm_utils::simple_target_socket<host_memory> mem_in;

    /// 'reserved_low' bytes at the bottom are not handed out by the allocator (so that bus
    /// address 0 is never a valid buffer).
    host_memory(const sc_core::sc_module_name& name, std::uint64_t bytes,
                std::uint64_t reserved_low = 1 << 20);

    std::uint64_t size() const { return m_size; }
    /// Host pointer for bus address [addr, addr+len), or nullptr if outside.
    std::uint8_t* at(std::uint64_t addr, std::size_t len = 1);
    page_allocator& allocator() { return m_alloc; }

  private:
    void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
    unsigned transport_dbg(tlm::tlm_generic_payload& gp);
    bool get_direct_mem_ptr(tlm::tlm_generic_payload& gp, tlm::tlm_dmi& dmi);
    bool access(tlm::tlm_generic_payload& gp);

    struct free_deleter {
        void operator()(std::uint8_t* p) const { std::free(p); }
    };
    std::uint64_t m_size;
    std::unique_ptr<std::uint8_t, free_deleter> m_mem; // calloc: untouched pages stay unbacked
    page_allocator m_alloc;
};

} // namespace znssim::platform
