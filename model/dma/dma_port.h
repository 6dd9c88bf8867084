#pragma once
// The device core's view of host memory. Implementations: a TLM initiator with a DMI cache
// (tlm_dma_port), a plain buffer for unit tests (buffer_dma_port).
#include <cstddef>
#include <cstdint>

namespace znssim {

enum class dma_status : std::uint8_t {
    ok,
    address_error, ///< no host memory at that address (or beyond it)
    disabled,      ///< bus mastering is off: the function may not issue DMA
};

class dma_port {
  public:
    virtual ~dma_port() = default;
    /// Copies len bytes from host memory at addr. Either the whole range is accessible and copied,
    /// or an error is returned; a failing access never touches memory outside what the host gave.
    virtual dma_status read(std::uint64_t addr, void* dst, std::size_t len) = 0;
    virtual dma_status write(std::uint64_t addr, const void* src, std::size_t len) = 0;
};

} // namespace znssim
