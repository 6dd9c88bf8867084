// PCI enumeration as Linux does it before nvme_probe runs: identify the function, size and
// assign BAR0, enable memory decoding and bus mastering, then set up MSI-X (or INTx).
#include "platform/driver/queue_pair.h"

#include "platform/driver/pci_regs.h"
#include "platform/host/address_map.h"

#include <cstring>

namespace znssim::platform {

namespace {
constexpr std::uint32_t msi_address = 0xFEE0'0000; // x86 LAPIC message address
} // namespace

std::uint32_t host_driver::cfg_read(std::uint16_t offset, unsigned size) {
    std::uint32_t v = 0;
    m_last_response = bus_read(address_map::ecam_base + offset, &v, size);
    return v;
}

void host_driver::cfg_write(std::uint16_t offset, std::uint32_t value, unsigned size) {
    m_last_response = bus_write(address_map::ecam_base + offset, &value, size);
}

std::uint16_t host_driver::find_capability(std::uint8_t id) {
    if (!(cfg_read(pci::status, 2) & pci::sts::cap_list)) return 0;
    std::uint16_t at = static_cast<std::uint16_t>(cfg_read(pci::capabilities_ptr, 1) & 0xfc);
    for (int hops = 0; at != 0 && hops < 48; ++hops) { // 48: a looped list cannot hang us
        std::uint32_t header = cfg_read(at, 2);
        if ((header & 0xff) == id) return at;
        at = static_cast<std::uint16_t>((header >> 8) & 0xfc);
    }
    return 0;
}

bool host_driver::enumerate() {
    std::uint32_t ids = cfg_read(pci::vendor_id, 4);
    if ((ids & 0xffff) == 0xffff) return fail("no PCI function at 00:00.0 (vendor ID reads FFFFh)");
    std::uint32_t class_code = cfg_read(pci::revision_class, 4) >> 8;
    ZLOG_INFO(driver_log(), "00:00.0 [{:04x}:{:04x}] class {:06x} rev {:02x}", ids & 0xffff,
              ids >> 16, class_code, cfg_read(pci::revision_class, 1));
    if (class_code != pci::nvme_class_code)
        return fail(
            fmt::format("class code {:06x} is not an NVMe controller (010802)", class_code));
    if (!size_and_assign_bar0()) return false;
    std::uint16_t cmd = static_cast<std::uint16_t>(cfg_read(pci::command, 2));
    cmd |= pci::cmd::memory | pci::cmd::bus_master;
    cfg_write(pci::command, cmd, 2);
    ZLOG_INFO(driver_log(), "Command = {:#06x} (memory space, bus master)", cmd);
    return setup_interrupts();
}

bool host_driver::size_and_assign_bar0() {
    // Decoding stays off while the BAR is sized, as the PCI core does.
    std::uint16_t cmd = static_cast<std::uint16_t>(cfg_read(pci::command, 2));
    cfg_write(pci::command, cmd & ~(pci::cmd::memory | pci::cmd::io), 2);
    std::uint32_t orig = cfg_read(pci::bar0);
    if (orig & pci::bar::io_space) return fail("BAR0 is an I/O BAR; NVMe needs a memory BAR");
    m_bar0_64 = (orig & pci::bar::type_mask) == pci::bar::type_64;
    cfg_write(pci::bar0, 0xffffffff);
    std::uint64_t mask = cfg_read(pci::bar0) & pci::bar::mem_address_mask;
    if (m_bar0_64) {
        cfg_write(pci::bar1, 0xffffffff);
        mask |= std::uint64_t{cfg_read(pci::bar1)} << 32;
    } else {
        mask |= 0xffffffff00000000ull;
    }
    m_bar0_size = mask ? (~mask + 1) : 0;
    if (m_bar0_size < 8192)
        return fail(fmt::format("BAR0 size {} is below the 8 KiB Linux maps", m_bar0_size));
    const std::uint64_t base = m_bar0_64 ? address_map::mmio64_base : address_map::mmio32_base;
    const std::uint64_t window = m_bar0_64 ? address_map::mmio64_size : address_map::mmio32_size;
    if (m_bar0_size > window)
        return fail(fmt::format("BAR0 size {:#x} does not fit the MMIO window", m_bar0_size));
    m_bar0 = base; // the only BAR in the system: naturally aligned at the window start
    cfg_write(pci::bar0, static_cast<std::uint32_t>(m_bar0) | (orig & 0xf));
    if (m_bar0_64) cfg_write(pci::bar1, static_cast<std::uint32_t>(m_bar0 >> 32));
    std::uint64_t readback = cfg_read(pci::bar0) & pci::bar::mem_address_mask;
    if (m_bar0_64) readback |= std::uint64_t{cfg_read(pci::bar1)} << 32;
    if (readback != m_bar0)
        return fail(fmt::format("BAR0 reads back {:#x} after assigning {:#x}", readback, m_bar0));
    cfg_write(pci::command, cmd, 2);
    ZLOG_INFO(driver_log(), "BAR0: {}-bit memory, {} KiB, assigned at {:#x}", m_bar0_64 ? 64 : 32,
              m_bar0_size / 1024, m_bar0);
    return true;
}

std::uint32_t host_driver::msix_entry_offset(unsigned vector) const {
    return m_msix_table_offset + vector * pci::msix::entry_bytes;
}

bool host_driver::setup_interrupts() {
    m_msix_cap = find_capability(pci::cap_id::msix);
    m_msix = false;
    if (m_msix_cap != 0) {
        std::uint16_t mc =
            static_cast<std::uint16_t>(cfg_read(m_msix_cap + pci::msix::message_control, 2));
        m_msix_table_size = (mc & pci::msix::mc_table_size_mask) + 1u;
        std::uint32_t table = cfg_read(m_msix_cap + pci::msix::table);
        m_msix_table_offset = table & ~7u;
        if ((table & 7u) != 0) {
            ZLOG_WARN(driver_log(), "MSI-X table in BAR{}, only BAR0 is assigned: using INTx",
                      table & 7u);
        } else if (m_params.use_msix) {
            m_msix = true;
        }
    }
    if (m_msix) {
        // Linux: min(table size, 1 + I/O queues) vectors; vector 0 is the admin queue's.
        m_vectors = m_msix_table_size < 1u + m_params.io_queues ? m_msix_table_size
                                                                : 1u + m_params.io_queues;
        program_msix(m_vectors);
        ZLOG_INFO(driver_log(), "MSI-X: {} of {} vectors, table at BAR0+{:#x}", m_vectors,
                  m_msix_table_size, m_msix_table_offset);
        return true;
    }
    m_vectors = 1;
    const std::uint32_t pin = cfg_read(pci::interrupt_pin, 1);
    if (pin == 0) return fail("no MSI-X and Interrupt Pin is 0: no interrupt resource");
    std::uint16_t cmd = static_cast<std::uint16_t>(cfg_read(pci::command, 2));
    cfg_write(pci::command, cmd & ~pci::cmd::intx_disable, 2);
    ZLOG_INFO(driver_log(), "INTx: pin INT{}#, INTx Disable cleared",
              static_cast<char>('A' + pin - 1));
    return true;
}

void host_driver::program_msix(unsigned vectors) {
    const std::uint16_t mc_at = m_msix_cap + pci::msix::message_control;
    std::uint16_t mc = static_cast<std::uint16_t>(cfg_read(mc_at, 2));
    // Like msix_capability_init: enable with the function masked, program masked entries,
    // clear the function mask, then unmask each vector as its handler is requested.
    cfg_write(mc_at, mc | pci::msix::mc_enable | pci::msix::mc_function_mask, 2);
    for (unsigned v = 0; v < vectors; ++v) {
        const std::uint32_t e = msix_entry_offset(v);
        reg_write(e + pci::msix::entry_control, 1);
        reg_write(e + pci::msix::entry_addr_lo, msi_address);
        reg_write(e + pci::msix::entry_addr_hi, 0);
        reg_write(e + pci::msix::entry_data, v);
    }
    cfg_write(mc_at, (mc | pci::msix::mc_enable) & ~pci::msix::mc_function_mask, 2);
    for (unsigned v = 0; v < vectors; ++v)
        reg_write(msix_entry_offset(v) + pci::msix::entry_control, 0);
}

} // namespace znssim::platform
