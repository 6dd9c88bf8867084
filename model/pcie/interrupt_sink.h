#pragma once
// How a device core behind a PCIe function requests interrupts, without knowing which mechanism
// the host enabled. The PCIe function implements it (see pcie::function).
#include <cstdint>

namespace znssim::pcie {

enum class interrupt_mode : std::uint8_t {
    intx, ///< pin-based (INTA#), level-sensitive
    msix, ///< MSI-X enabled in config space (function mask may still be set)
};

class interrupt_sink {
  public:
    virtual ~interrupt_sink() = default;
    virtual interrupt_mode mode() const = 0;
    /// Number of MSI-X table entries (vectors usable by the core); 1 in INTx mode.
    virtual unsigned vector_count() const = 0;
    /// Message-based: sends the MSI-X message of 'vector' now, or sets its pending bit if it or the
    /// function is masked (sent on unmask). Ignored in INTx mode.
    virtual void signal(unsigned vector) = 0;
    /// Pin-based: the core's current INTx level. Always reported; it drives INTA# only in INTx mode
    /// with Command.INTx-Disable clear, and sets Status.Interrupt-Status regardless.
    virtual void set_level(bool asserted) = 0;
};

} // namespace znssim::pcie
