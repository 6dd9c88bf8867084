#pragma once
// The device core's view of host memory. Implementations: a TLM initiator with a DMI cache
// (tlm_dma_port), a plain buffer for unit tests (buffer_dma_port).
#include "model/sim/time.h"

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
    /// Time the targets annotated on the accesses since the last call (TLM-2.0 delay, and DMI
    /// latencies), which the caller adds to the time of what it was doing; resets to 0.
    virtual sim_time take_delay() { return 0; }
    /// Copies len bytes from host memory at addr. Either the whole range is accessible and copied,
    /// or an error is returned; a failing access never touches memory outside what the host gave.
    virtual dma_status read(std::uint64_t addr, void* dst, std::size_t len) = 0;
    virtual dma_status write(std::uint64_t addr, const void* src, std::size_t len) = 0;
};

} // namespace znssim
