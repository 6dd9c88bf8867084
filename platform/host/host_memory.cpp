#include "platform/host/host_memory.h"

#include <cstring>
#include <new>
#include <stdexcept>
#include <string>

namespace znssim::platform {

// ---- dma_buffer ----------------------------------------------------------------------------

dma_buffer& dma_buffer::operator=(dma_buffer&& o) noexcept {
    if (this != &o) {
        release();
        m_owner = o.m_owner;
        m_bus = o.m_bus;
        m_ptr = o.m_ptr;
        m_size = o.m_size;
        m_pages = o.m_pages;
        o.m_owner = nullptr;
        o.m_ptr = nullptr;
        o.m_size = o.m_pages = 0;
        o.m_bus = 0;
    }
    return *this;
}

void dma_buffer::fill(std::uint8_t v) {
    if (m_ptr) std::memset(m_ptr, v, m_size);
}

void dma_buffer::release() {
    if (m_owner && m_ptr) m_owner->free_pages(m_bus, m_pages);
    m_owner = nullptr;
    m_ptr = nullptr;
    m_size = m_pages = 0;
    m_bus = 0;
}

// ---- page_allocator ------------------------------------------------------------------------

page_allocator::page_allocator(std::uint64_t bus_base, std::uint8_t* host_base, std::uint64_t bytes)
    : m_bus_base(bus_base), m_host_base(host_base) {
    if (bytes >= page_size) m_free.emplace(0, bytes / page_size);
}

dma_buffer page_allocator::allocate(std::size_t bytes) {
    std::uint64_t pages = bytes == 0 ? 1 : (bytes + page_size - 1) / page_size;
    for (auto it = m_free.begin(); it != m_free.end(); ++it) {
        if (it->second < pages) continue;
        std::uint64_t first = it->first;
        std::uint64_t left = it->second - pages;
        m_free.erase(it);
        if (left != 0) m_free.emplace(first + pages, left);
        dma_buffer b;
        b.m_owner = this;
        b.m_bus = m_bus_base + first * page_size;
        b.m_ptr = m_host_base + first * page_size;
        b.m_size = bytes;
        b.m_pages = pages;
        // Buffers come back dirty from earlier users; tests rely on fresh buffers being zero.
        std::memset(b.m_ptr, 0, pages * page_size);
        return b;
    }
    throw std::bad_alloc();
}

void page_allocator::free_pages(std::uint64_t bus, std::size_t pages) {
    std::uint64_t first = (bus - m_bus_base) / page_size;
    auto next = m_free.lower_bound(first);
    std::uint64_t count = pages;
    if (next != m_free.end() && next->first == first + count) {
        count += next->second;
        next = m_free.erase(next);
    }
    if (next != m_free.begin()) {
        auto prev = std::prev(next);
        if (prev->first + prev->second == first) {
            prev->second += count;
            return;
        }
    }
    m_free.emplace(first, count);
}

std::uint64_t page_allocator::free_bytes() const {
    std::uint64_t n = 0;
    for (const auto& [first, count] : m_free)
        n += count * page_size;
    return n;
}

// ---- host_memory ---------------------------------------------------------------------------

namespace {
std::uint8_t* checked_calloc(std::uint64_t bytes) {
    auto* p = static_cast<std::uint8_t*>(std::calloc(bytes, 1));
    if (!p)
        throw std::runtime_error("host_memory_bytes: cannot allocate " + std::to_string(bytes) +
                                 " bytes of host memory");
    return p;
}
} // namespace

host_memory::host_memory(const sc_core::sc_module_name& name, std::uint64_t bytes,
                         std::uint64_t reserved_low)
    : sc_module(name), mem_in("mem_in"), m_size(bytes), m_mem(checked_calloc(bytes)),
      m_alloc(reserved_low, m_mem.get() + reserved_low,
              bytes > reserved_low ? bytes - reserved_low : 0) {
    mem_in.register_b_transport(this, &host_memory::b_transport);
    mem_in.register_transport_dbg(this, &host_memory::transport_dbg);
    mem_in.register_get_direct_mem_ptr(this, &host_memory::get_direct_mem_ptr);
}

std::uint8_t* host_memory::at(std::uint64_t addr, std::size_t len) {
    if (len > m_size || addr > m_size - len) return nullptr;
    return m_mem.get() + addr;
}

bool host_memory::access(tlm::tlm_generic_payload& gp) {
    std::uint64_t addr = gp.get_address();
    std::size_t len = gp.get_data_length();
    std::uint8_t* p = at(addr, len);
    if (!p) {
        gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return false;
    }
    if (gp.get_byte_enable_ptr()) {
        // Byte enables are not used by the platform's initiators; refuse rather than mis-model.
        gp.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
        return false;
    }
    if (gp.is_read())
        std::memcpy(gp.get_data_ptr(), p, len);
    else if (gp.is_write())
        std::memcpy(p, gp.get_data_ptr(), len);
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
    return true;
}

void host_memory::b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time&) {
    if (access(gp)) gp.set_dmi_allowed(true);
}

unsigned host_memory::transport_dbg(tlm::tlm_generic_payload& gp) {
    return access(gp) ? gp.get_data_length() : 0;
}

bool host_memory::get_direct_mem_ptr(tlm::tlm_generic_payload&, tlm::tlm_dmi& dmi) {
    dmi.set_dmi_ptr(m_mem.get());
    dmi.set_start_address(0);
    dmi.set_end_address(m_size - 1);
    dmi.allow_read_write();
    dmi.set_read_latency(sc_core::SC_ZERO_TIME);
    dmi.set_write_latency(sc_core::SC_ZERO_TIME);
    return true;
}

} // namespace znssim::platform
