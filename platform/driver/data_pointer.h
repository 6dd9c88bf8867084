#pragma once
// Building the data pointer of a command: PRP1/PRP2 and PRP lists (NVMe Base 2.0, 4.1.1) and SGL
// descriptors (4.1.2). Pure helpers: they take bus addresses and host pointers, no SystemC.
#include "nvme/spec/commands.h"

#include <cstddef>
#include <cstdint>

namespace znssim::platform {

/// One page the PRP builder may fill with list entries: its bus address and host pointer.
struct prp_list_page {
    std::uint64_t bus = 0;
    std::uint64_t* host = nullptr;
};

struct prp_pair {
    std::uint64_t prp1 = 0;
    std::uint64_t prp2 = 0;
    std::size_t list_pages_used = 0;
    bool ok = false; ///< false: not enough list pages were given
};

/// Number of memory pages a physically contiguous transfer [addr, addr+len) touches.
std::size_t prp_pages_touched(std::uint64_t addr, std::uint64_t len, std::uint32_t page_size);
/// List pages needed for that transfer (0 when PRP1 or PRP1+PRP2 suffice). Each list page holds
/// page_size/8 entries; when more entries follow, the last one chains to the next list page.
std::size_t prp_list_pages_needed(std::uint64_t addr, std::uint64_t len, std::uint32_t page_size);
/// PRP1/PRP2 for a contiguous transfer, writing list entries into 'pages' as needed. The first
/// entry keeps addr's offset inside its page (the only entry allowed to).
prp_pair build_prps(std::uint64_t addr, std::uint64_t len, std::uint32_t page_size,
                    const prp_list_page* pages, std::size_t page_count);

#pragma pack(push, 1)
/// SGL descriptor (16 bytes): address, length, 3 reserved bytes, identifier (type << 4 | subtype).
struct sgl_descriptor {
    std::uint64_t address = 0;
    std::uint32_t length = 0;
    std::uint8_t reserved[3] = {};
    std::uint8_t identifier = 0;
};
#pragma pack(pop)
static_assert(sizeof(sgl_descriptor) == 16);
static_assert(offsetof(sgl_descriptor, length) == 8);
static_assert(offsetof(sgl_descriptor, identifier) == 15);

namespace sgl {
constexpr std::uint8_t type_data_block = 0x0;
constexpr std::uint8_t type_bit_bucket = 0x1;
constexpr std::uint8_t type_segment = 0x2;
constexpr std::uint8_t type_last_segment = 0x3;
constexpr std::uint8_t subtype_address = 0x0;

sgl_descriptor data_block(std::uint64_t addr, std::uint32_t len);
sgl_descriptor bit_bucket(std::uint32_t len);
/// A segment of 'count' descriptors at addr (length = count × 16).
sgl_descriptor segment(std::uint64_t addr, std::uint32_t count);
sgl_descriptor last_segment(std::uint64_t addr, std::uint32_t count);
} // namespace sgl

/// Puts descriptor d into DPTR and sets PSDT=01b (SGL, MPTR an address).
void set_sgl(nvme::spec::sqe& s, const sgl_descriptor& d);
/// Puts PRPs into DPTR and sets PSDT=00b.
void set_prps(nvme::spec::sqe& s, const prp_pair& p);

} // namespace znssim::platform
