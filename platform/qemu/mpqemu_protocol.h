#pragma once
// Wire format of QEMU 7.2's multi-process link (include/hw/remote/mpqemu-link.h), as spoken by
// x-pci-proxy-dev. One message = a 16-byte header plus `size` payload bytes in one sendmsg; fds
// travel as SCM_RIGHTS on the header's first byte and are never part of the bytes. x86-64 only:
// the layouts below are the in-memory C structs of a little-endian LP64 QEMU.
#include <cstddef>
#include <cstdint>

namespace znssim::platform::mpqemu {

enum class command : std::int32_t {
    sync_sysmem = 0,  ///< proxy→remote, SyncSysmemMsg, 1..8 fds (guest RAM regions), no reply
    ret = 1,          ///< remote→proxy reply, u64 (size 8; 0 accepted)
    pci_cfgwrite = 2, ///< PciConfDataMsg, reply 0
    pci_cfgread = 3,  ///< PciConfDataMsg, reply value zero-extended (never all-ones 64-bit)
    bar_write = 4,    ///< BarAccessMsg, reply 0
    bar_read = 5,     ///< BarAccessMsg, reply value
    set_irqfd = 6,    ///< no payload, 2 fds (irq eventfd, resample eventfd), no reply
    device_reset = 7, ///< no payload, reply (size 0 or 8)
    max = 8,          ///< sentinel: anything >= is not a command
};

constexpr std::size_t max_fds = 8;         ///< REMOTE_MAX_FDS
constexpr std::size_t max_payload = 192;   ///< sizeof(MPQemuMsg.data)
constexpr std::size_t socket_max_fds = 16; ///< QEMU's own receive buffer; we accept as many

#pragma pack(push, 1)
struct header {
    std::int32_t cmd;
    std::uint32_t pad; ///< padding of the C struct; zero in practice, ignored
    std::uint64_t size;
};
static_assert(sizeof(header) == 16);
static_assert(offsetof(header, cmd) == 0);
static_assert(offsetof(header, size) == 8);

struct pci_conf_data {
    std::uint32_t addr; ///< config offset 0..255
    std::uint32_t val;  ///< write value (low len bytes); 0 for reads
    std::int32_t len;   ///< 1, 2 or 4
};
static_assert(sizeof(pci_conf_data) == 12);
static_assert(offsetof(pci_conf_data, val) == 4);
static_assert(offsetof(pci_conf_data, len) == 8);

struct bar_access {
    std::uint64_t addr;  ///< absolute bus address (BAR base + offset); the BAR index is not sent
    std::uint64_t val;   ///< write value, zero-extended
    std::uint32_t size;  ///< 1, 2, 4 or 8
    std::uint8_t memory; ///< C bool: 1 memory BAR, 0 I/O BAR
    std::uint8_t pad[3];
};
static_assert(sizeof(bar_access) == 24);
static_assert(offsetof(bar_access, val) == 8);
static_assert(offsetof(bar_access, size) == 16);
static_assert(offsetof(bar_access, memory) == 20);

struct sync_sysmem {
    std::uint64_t gpas[max_fds];
    std::uint64_t sizes[max_fds];
    std::int64_t offsets[max_fds]; ///< off_t inside each region's fd
};
static_assert(sizeof(sync_sysmem) == 192);
static_assert(offsetof(sync_sysmem, sizes) == 64);
static_assert(offsetof(sync_sysmem, offsets) == 128);

struct ret_msg {
    header hdr;
    std::uint64_t value;
};
static_assert(sizeof(ret_msg) == 24);
#pragma pack(pop)

/// Name for logs ("SYNC_SYSMEM", ...; "UNKNOWN" for anything else).
constexpr const char* command_name(std::int32_t cmd) {
    switch (cmd) {
    case 0:
        return "SYNC_SYSMEM";
    case 1:
        return "RET";
    case 2:
        return "PCI_CFGWRITE";
    case 3:
        return "PCI_CFGREAD";
    case 4:
        return "BAR_WRITE";
    case 5:
        return "BAR_READ";
    case 6:
        return "SET_IRQFD";
    case 7:
        return "DEVICE_RESET";
    default:
        return "UNKNOWN";
    }
}

} // namespace znssim::platform::mpqemu
