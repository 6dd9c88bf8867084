#include "platform/driver/data_pointer.h"

#include <cstring>

namespace znssim::platform {

std::size_t prp_pages_touched(std::uint64_t addr, std::uint64_t len, std::uint32_t page_size) {
    if (len == 0) return 0;
    const std::uint64_t offset = addr & (page_size - 1);
    return static_cast<std::size_t>((offset + len + page_size - 1) / page_size);
}

std::size_t prp_list_pages_needed(std::uint64_t addr, std::uint64_t len, std::uint32_t page_size) {
    const std::size_t pages = prp_pages_touched(addr, len, page_size);
    if (pages <= 2) return 0;
    // Entries after PRP1; each list page holds per_page entries, but all except the last give
    // their final slot to the chain pointer.
    std::size_t entries = pages - 1;
    const std::size_t per_page = page_size / 8;
    std::size_t lists = 1;
    while (entries > per_page) {
        entries -= per_page - 1;
        ++lists;
    }
    return lists;
}

prp_pair build_prps(std::uint64_t addr, std::uint64_t len, std::uint32_t page_size,
                    const prp_list_page* pages, std::size_t page_count) {
    prp_pair out;
    const std::size_t touched = prp_pages_touched(addr, len, page_size);
    out.prp1 = addr;
    if (touched <= 1) {
        out.ok = true;
        return out;
    }
    const std::uint64_t mask = ~std::uint64_t{page_size - 1};
    std::uint64_t next = (addr & mask) + page_size; // second page
    if (touched == 2) {
        out.prp2 = next;
        out.ok = true;
        return out;
    }
    const std::size_t needed = prp_list_pages_needed(addr, len, page_size);
    if (needed > page_count) return out;
    const std::size_t per_page = page_size / 8;
    std::size_t remaining = touched - 1;
    out.prp2 = pages[0].bus;
    for (std::size_t l = 0; l < needed; ++l) {
        std::uint64_t* entry = pages[l].host;
        const bool last = remaining <= per_page;
        const std::size_t n = last ? remaining : per_page - 1;
        for (std::size_t i = 0; i < n; ++i, next += page_size)
            entry[i] = next;
        remaining -= n;
        if (!last) entry[per_page - 1] = pages[l + 1].bus;
    }
    out.list_pages_used = needed;
    out.ok = true;
    return out;
}

namespace sgl {
namespace {
sgl_descriptor make(std::uint64_t addr, std::uint32_t len, std::uint8_t type) {
    sgl_descriptor d;
    d.address = addr;
    d.length = len;
    d.identifier = static_cast<std::uint8_t>(type << 4 | subtype_address);
    return d;
}
} // namespace
sgl_descriptor data_block(std::uint64_t addr, std::uint32_t len) {
    return make(addr, len, type_data_block);
}
sgl_descriptor bit_bucket(std::uint32_t len) {
    return make(0, len, type_bit_bucket);
}
sgl_descriptor segment(std::uint64_t addr, std::uint32_t count) {
    return make(addr, count * 16u, type_segment);
}
sgl_descriptor last_segment(std::uint64_t addr, std::uint32_t count) {
    return make(addr, count * 16u, type_last_segment);
}
} // namespace sgl

void set_sgl(nvme::spec::sqe& s, const sgl_descriptor& d) {
    static_assert(sizeof(d) == sizeof(s.dptr1) + sizeof(s.dptr2));
    std::memcpy(&s.dptr1, &d, 8);
    std::memcpy(&s.dptr2, reinterpret_cast<const std::uint8_t*>(&d) + 8, 8);
    s.flags = static_cast<std::uint8_t>((s.flags & 0x3f) | (1u << 6));
}

void set_prps(nvme::spec::sqe& s, const prp_pair& p) {
    s.dptr1 = p.prp1;
    s.dptr2 = p.prp2;
    s.flags &= 0x3f;
}

} // namespace znssim::platform
