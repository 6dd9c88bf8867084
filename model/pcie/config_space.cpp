#include "model/pcie/config_space.h"

#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>

namespace znssim::pcie {

namespace {

std::string hex(std::uint64_t v) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
    return buf;
}

[[noreturn]] void bad(const std::string& what) {
    throw std::invalid_argument("pcie function parameters: " + what);
}

bool is_pow2(std::uint64_t v) {
    return v != 0 && (v & (v - 1)) == 0;
}

std::uint64_t pba_bytes(unsigned vectors) {
    return (vectors + 63) / 64 * 8;
}

} // namespace

void validate(const function_params& p) {
    if (!is_pow2(p.bar0_size) || p.bar0_size < 16 * 1024)
        bad("bar0_size " + hex(p.bar0_size) + " must be a power of two of at least 16 KiB");
    if (!p.bar0_64bit && p.bar0_size > (1ull << 31))
        bad("bar0_size " + hex(p.bar0_size) + " does not fit a 32-bit BAR (at most 2 GiB)");
    if (p.bar0_size > (1ull << 62)) bad("bar0_size " + hex(p.bar0_size) + " is too large");
    if (p.class_code > 0xffffff) bad("class_code " + hex(p.class_code) + " has more than 24 bits");
    if (p.interrupt_pin > 4)
        bad("interrupt_pin " + std::to_string(p.interrupt_pin) +
            " must be 0 (none) or 1..4 (INTA#..INTD#)");
    if (p.msix_vectors > msix_ctl::max_vectors)
        bad("msix_vectors " + std::to_string(p.msix_vectors) + " exceeds 2048");
    if (!p.capabilities || p.msix_vectors == 0) return;
    const std::uint64_t table_end = std::uint64_t(p.msix_table_offset) + 16ull * p.msix_vectors;
    const std::uint64_t pba_end = std::uint64_t(p.msix_pba_offset) + pba_bytes(p.msix_vectors);
    if (p.msix_table_offset % 8 != 0)
        bad("msix_table_offset " + hex(p.msix_table_offset) + " must be 8-byte aligned");
    if (p.msix_pba_offset % 8 != 0)
        bad("msix_pba_offset " + hex(p.msix_pba_offset) + " must be 8-byte aligned");
    if (table_end > p.bar0_size)
        bad("MSI-X table (msix_table_offset " + hex(p.msix_table_offset) + ", " +
            std::to_string(p.msix_vectors) + " vectors) does not fit in bar0_size " +
            hex(p.bar0_size));
    if (pba_end > p.bar0_size)
        bad("MSI-X PBA (msix_pba_offset " + hex(p.msix_pba_offset) +
            ") does not fit in bar0_size " + hex(p.bar0_size));
    if (p.msix_table_offset < pba_end && p.msix_pba_offset < table_end)
        bad("MSI-X table (" + hex(p.msix_table_offset) + ".." + hex(table_end) + ") and PBA (" +
            hex(p.msix_pba_offset) + ".." + hex(pba_end) + ") overlap");
}

config_space::config_space(const function_params& params) : m_params(params) {
    validate(params);
    build();
    m_power_on = m_data;
}

void config_space::reset() {
    m_data = m_power_on;
    m_flr_requested = false;
}

void config_space::put8(std::uint32_t off, std::uint8_t v, std::uint8_t wmask, std::uint8_t w1c) {
    m_data[off] = v;
    m_wmask[off] = wmask;
    m_w1c[off] = w1c;
}
void config_space::put16(std::uint32_t off, std::uint16_t v, std::uint16_t wmask,
                         std::uint16_t w1c) {
    for (unsigned i = 0; i < 2; ++i)
        put8(off + i, std::uint8_t(v >> (8 * i)), std::uint8_t(wmask >> (8 * i)),
             std::uint8_t(w1c >> (8 * i)));
}
void config_space::put32(std::uint32_t off, std::uint32_t v, std::uint32_t wmask,
                         std::uint32_t w1c) {
    for (unsigned i = 0; i < 4; ++i)
        put8(off + i, std::uint8_t(v >> (8 * i)), std::uint8_t(wmask >> (8 * i)),
             std::uint8_t(w1c >> (8 * i)));
}

void config_space::build() {
    const function_params& p = m_params;
    const bool caps = p.capabilities;
    const bool msix = has_msix();

    put16(cfg::vendor_id, p.vendor_id);
    put16(cfg::device_id, p.device_id);
    put16(cfg::command, 0, command_bits::writable);
    put16(cfg::status, caps ? status_bits::capabilities_list : 0, 0, status_bits::error_bits);
    put8(cfg::revision_id, p.revision);
    put8(cfg::class_code + 0, std::uint8_t(p.class_code));
    put8(cfg::class_code + 1, std::uint8_t(p.class_code >> 8));
    put8(cfg::class_code + 2, std::uint8_t(p.class_code >> 16));
    // Cache Line Size has no effect on PCIe but must be read/write (PCIe Base 7.5.1.1.7).
    put8(cfg::cache_line_size, 0, 0xff);

    // BAR sizing falls out of the mask: bits below the size are read-only, so writing all ones
    // reads back ~(size-1) with the type bits.
    const std::uint64_t size_mask = ~(p.bar0_size - 1);
    if (p.bar0_64bit) {
        put32(cfg::bar0, bar_bits::type_64bit, std::uint32_t(size_mask) & ~bar_bits::flags_mask);
        put32(cfg::bar1, 0, std::uint32_t(size_mask >> 32));
    } else {
        put32(cfg::bar0, 0, std::uint32_t(size_mask) & ~bar_bits::flags_mask);
    }
    put16(cfg::subsystem_vendor_id, p.subsystem_vendor_id);
    put16(cfg::subsystem_id, p.subsystem_id);
    put8(cfg::capabilities_ptr, caps ? cap_offset::power_management : 0);
    put8(cfg::interrupt_line, 0, 0xff);
    put8(cfg::interrupt_pin, p.interrupt_pin);
    if (!caps) return;

    const std::uint32_t pmo = cap_offset::power_management;
    put8(pmo + offsetof(pm_capability, cap_id), cap_id::power_management);
    put8(pmo + offsetof(pm_capability, next), msix ? cap_offset::msix : cap_offset::pci_express);
    put16(pmo + offsetof(pm_capability, pmc), pm::pmc_version_1_2);
    put16(pmo + offsetof(pm_capability, pmcsr), pm::pmcsr_no_soft_reset,
          pm::pmcsr_power_state_mask);

    if (msix) {
        const std::uint32_t mo = cap_offset::msix;
        put8(mo + offsetof(msix_capability, cap_id), cap_id::msix);
        put8(mo + offsetof(msix_capability, next), cap_offset::pci_express);
        put16(mo + offsetof(msix_capability, message_control), std::uint16_t(p.msix_vectors - 1),
              msix_ctl::enable | msix_ctl::function_mask);
        put32(mo + offsetof(msix_capability, table_offset_bir), p.msix_table_offset); // BIR 0
        put32(mo + offsetof(msix_capability, pba_offset_bir), p.msix_pba_offset);
    }

    const std::uint32_t eo = cap_offset::pci_express;
    using namespace pcie_cap;
    put8(eo + offsetof(pcie_capability, cap_id), cap_id::pci_express);
    put8(eo + offsetof(pcie_capability, next), 0);
    put16(eo + offsetof(pcie_capability, pcie_caps), version_2 | type_endpoint);
    put32(eo + offsetof(pcie_capability, device_caps),
          devcap_mps_256 | devcap_ext_tag | devcap_rber | devcap_flr);
    put16(eo + offsetof(pcie_capability, device_control),
          devctl_relaxed_ordering | devctl_no_snoop | devctl_mrrs_512,
          devctl_error_reporting | devctl_relaxed_ordering | devctl_mps_mask | devctl_ext_tag |
              devctl_no_snoop | devctl_mrrs_mask);
    put16(eo + offsetof(pcie_capability, device_status), 0, 0, devsta_errors);
    put32(eo + offsetof(pcie_capability, link_caps),
          link_speed_8gt | (link_width_x4 << 4) | lnkcap_aspm_opt_compliance);
    put16(eo + offsetof(pcie_capability, link_control), 0, lnkctl_writable);
    put16(eo + offsetof(pcie_capability, link_status),
          std::uint16_t(link_speed_8gt | (link_width_x4 << 4) | lnksta_slot_clock));
    put32(eo + offsetof(pcie_capability, device_caps2), devcap2_timeout_disable);
    put16(eo + offsetof(pcie_capability, device_control2), 0, devctl2_timeout_disable);
    put32(eo + offsetof(pcie_capability, link_caps2), lnkcap2_speeds_2_5_to_8);
    put16(eo + offsetof(pcie_capability, link_control2), link_speed_8gt, lnkctl2_target_speed_mask);
}

std::uint16_t config_space::read16(std::uint32_t off) const {
    return std::uint16_t(m_data[off] | (m_data[off + 1] << 8));
}

std::uint32_t config_space::read32(std::uint32_t off) const {
    return std::uint32_t(m_data[off]) | (std::uint32_t(m_data[off + 1]) << 8) |
           (std::uint32_t(m_data[off + 2]) << 16) | (std::uint32_t(m_data[off + 3]) << 24);
}

namespace {
bool well_formed(std::uint32_t offset, unsigned len) {
    return (len == 1 || len == 2 || len == 4) && offset % len == 0 && offset < config_space_size;
}
} // namespace

bool config_space::read(std::uint32_t offset, unsigned len, std::uint32_t& value) const {
    if (!well_formed(offset, len)) return false;
    std::uint32_t v = 0;
    for (unsigned i = 0; i < len; ++i)
        v |= std::uint32_t(m_data[offset + i]) << (8 * i);
    value = v;
    return true;
}

bool config_space::write(std::uint32_t offset, unsigned len, std::uint32_t value) {
    if (!well_formed(offset, len)) return false;
    std::uint8_t bytes[4];
    for (unsigned i = 0; i < 4; ++i)
        bytes[i] = std::uint8_t(value >> (8 * i));
    return poke(offset, bytes, len);
}

bool config_space::peek(std::uint32_t offset, std::uint8_t* dst, std::size_t len) const {
    if (offset > config_space_size || len > config_space_size - offset) return false;
    std::memcpy(dst, m_data.data() + offset, len);
    return true;
}

void config_space::write_byte(std::uint32_t off, std::uint8_t v) {
    std::uint8_t b = std::uint8_t((m_data[off] & ~m_wmask[off]) | (v & m_wmask[off]));
    b &= std::uint8_t(~(v & m_w1c[off]));
    m_data[off] = b;
}

bool config_space::poke(std::uint32_t offset, const std::uint8_t* src, std::size_t len) {
    if (offset > config_space_size || len > config_space_size - offset) return false;
    const std::uint16_t old_pmcsr =
        read16(cap_offset::power_management + offsetof(pm_capability, pmcsr));
    for (std::size_t i = 0; i < len; ++i)
        write_byte(offset + std::uint32_t(i), src[i]);
    apply_special(offset, len, old_pmcsr, src);
    return true;
}

// Registers whose rules are not expressible as plain RW/RO/RW1C bits.
void config_space::apply_special(std::uint32_t offset, std::size_t len, std::uint16_t old_pmcsr,
                                 const std::uint8_t* src) {
    if (!m_params.capabilities) return;
    const auto covers = [&](std::uint32_t reg) { return reg >= offset && reg < offset + len; };
    // PCI PM 1.2 5.4.1: a write of an unsupported power state (D1, D2) is ignored.
    const std::uint32_t pmcsr = cap_offset::power_management + offsetof(pm_capability, pmcsr);
    if (covers(pmcsr)) {
        const std::uint8_t state = m_data[pmcsr] & pm::pmcsr_power_state_mask;
        if (state != pm::state_d0 && state != pm::state_d3hot)
            m_data[pmcsr] = std::uint8_t((m_data[pmcsr] & ~pm::pmcsr_power_state_mask) |
                                         (old_pmcsr & pm::pmcsr_power_state_mask));
    }
    // Initiate FLR is write-only (reads 0): remember the request for the shell.
    const std::uint32_t devctl_hi =
        cap_offset::pci_express + offsetof(pcie_capability, device_control) + 1;
    if (covers(devctl_hi) && (src[devctl_hi - offset] & (pcie_cap::devctl_initiate_flr >> 8)))
        m_flr_requested = true;
}

std::uint8_t config_space::power_state() const {
    if (!m_params.capabilities) return pm::state_d0;
    return m_data[cap_offset::power_management + offsetof(pm_capability, pmcsr)] &
           pm::pmcsr_power_state_mask;
}

bool config_space::memory_enabled() const {
    return (command_reg() & command_bits::memory_space) && power_state() == pm::state_d0;
}

bool config_space::bus_master_enabled() const {
    return (command_reg() & command_bits::bus_master) && power_state() == pm::state_d0;
}

std::uint64_t config_space::bar0_base() const {
    std::uint64_t base = read32(cfg::bar0) & ~bar_bits::flags_mask;
    if (m_params.bar0_64bit) base |= std::uint64_t(read32(cfg::bar1)) << 32;
    return base;
}

bool config_space::msix_enabled() const {
    return has_msix() && (read16(cap_offset::msix + offsetof(msix_capability, message_control)) &
                          msix_ctl::enable);
}

bool config_space::msix_function_masked() const {
    return has_msix() && (read16(cap_offset::msix + offsetof(msix_capability, message_control)) &
                          msix_ctl::function_mask);
}

void config_space::set_interrupt_status(bool level) {
    if (level)
        m_data[cfg::status] |= status_bits::interrupt_status;
    else
        m_data[cfg::status] &= std::uint8_t(~status_bits::interrupt_status);
}

void config_space::set_status_errors(std::uint16_t bits) {
    bits &= status_bits::error_bits;
    m_data[cfg::status] |= std::uint8_t(bits);
    m_data[cfg::status + 1] |= std::uint8_t(bits >> 8);
}

bool config_space::take_flr_request() {
    const bool r = m_flr_requested;
    m_flr_requested = false;
    return r;
}

} // namespace znssim::pcie
