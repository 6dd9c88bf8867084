#pragma once
// The 4 KiB configuration space of the NVMe PCIe function, without SystemC: a byte image plus a
// per-byte write mask (1 = bit is RW) and W1C mask (1 = writing 1 clears it). Everything the host
// can write goes through these masks, so BAR sizing, read-only IDs and RW1C status bits fall out
// of the data; the few registers with extra rules (PMCSR power state, Initiate FLR, the dynamic
// Interrupt Status bit) are handled explicitly.
#include "model/pcie/interrupt_sink.h"
#include "model/pcie/params.h"
#include "model/pcie/pci_regs.h"

#include <array>
#include <cstddef>
#include <cstdint>

namespace znssim::pcie {

/// Checks the parameters of a function; throws std::invalid_argument naming the field.
void validate(const function_params& p);

class config_space {
  public:
    /// Builds the power-on image; throws std::invalid_argument if params are invalid.
    explicit config_space(const function_params& params);

    /// Conventional reset: restores every register to its power-on value.
    void reset();

    /// A host read of len (1, 2 or 4) bytes at a naturally aligned offset below 4096, little
    /// endian. Returns false (value untouched) for any other access.
    bool read(std::uint32_t offset, unsigned len, std::uint32_t& value) const;
    /// A host write, same rules as read(); returns false and changes nothing if malformed.
    bool write(std::uint32_t offset, unsigned len, std::uint32_t value);

    /// Raw bytes (debug access, dumps): any range inside the 4 KiB; returns false if outside.
    bool peek(std::uint32_t offset, std::uint8_t* dst, std::size_t len) const;
    /// Host-visible write of any byte range (write/W1C masks apply, byte by byte).
    bool poke(std::uint32_t offset, const std::uint8_t* src, std::size_t len);

    const std::uint8_t* image() const { return m_data.data(); }
    const function_params& params() const { return m_params; }

    std::uint8_t read8(std::uint32_t offset) const { return m_data[offset]; }
    std::uint16_t read16(std::uint32_t offset) const;
    std::uint32_t read32(std::uint32_t offset) const;

    // Decoded state used by the SystemC shell.
    std::uint16_t command_reg() const { return read16(cfg::command); }
    std::uint16_t status_reg() const { return read16(cfg::status); }
    /// D0 or D3hot (PMCSR.PowerState); D0 when there is no PM capability.
    std::uint8_t power_state() const;
    /// Memory decode: Command.MEM set and in D0 (a D3hot function answers config accesses only).
    bool memory_enabled() const;
    /// Bus mastering allowed: Command.BME set and in D0.
    bool bus_master_enabled() const;
    bool intx_disabled() const { return command_reg() & command_bits::intx_disable; }
    /// BAR0 base address (BAR1 forms the high half for a 64-bit BAR); 0 if never assigned.
    std::uint64_t bar0_base() const;
    std::uint64_t bar0_size() const { return m_params.bar0_size; }

    bool has_msix() const { return m_params.capabilities && m_params.msix_vectors > 0; }
    unsigned msix_vectors() const { return has_msix() ? m_params.msix_vectors : 0; }
    bool msix_enabled() const;
    bool msix_function_masked() const;
    /// msix iff the MSI-X capability exists and its Enable bit is set.
    interrupt_mode mode() const {
        return msix_enabled() ? interrupt_mode::msix : interrupt_mode::intx;
    }

    /// What INTA# carries for the core's level: only in INTx mode (MSI-X Enable clear) and with
    /// Command.INTx-Disable clear.
    bool intx_pin(bool level) const {
        return level && mode() == interrupt_mode::intx && !intx_disabled();
    }

    /// Mirrors the INTx level into Status.Interrupt-Status (read-only to the host).
    void set_interrupt_status(bool level);
    /// Records error conditions in the RW1C Status bits (e.g. received master abort).
    void set_status_errors(std::uint16_t bits);
    /// True once after a host write set Device Control.Initiate-FLR (the bit itself reads 0).
    bool take_flr_request();

  private:
    void build();
    void put8(std::uint32_t off, std::uint8_t v, std::uint8_t wmask = 0, std::uint8_t w1c = 0);
    void put16(std::uint32_t off, std::uint16_t v, std::uint16_t wmask = 0, std::uint16_t w1c = 0);
    void put32(std::uint32_t off, std::uint32_t v, std::uint32_t wmask = 0, std::uint32_t w1c = 0);
    void write_byte(std::uint32_t off, std::uint8_t v);
    void apply_special(std::uint32_t offset, std::size_t len, std::uint16_t old_pmcsr,
                       const std::uint8_t* src);

    function_params m_params;
    std::array<std::uint8_t, config_space_size> m_data{};
    std::array<std::uint8_t, config_space_size> m_wmask{};
    std::array<std::uint8_t, config_space_size> m_w1c{};
    std::array<std::uint8_t, config_space_size> m_power_on{};
    bool m_flr_requested = false;
};

} // namespace znssim::pcie
