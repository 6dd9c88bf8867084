// PRP walking, NVMe Base 2.0 section 4.1.1: PRP1 may start inside a page (dword aligned); every
// later entry addresses a whole page (offset 0). PRP2 is the second page when the transfer
// touches exactly two pages, else a pointer to a PRP list whose last entry in each list page
// chains to the next list page when more entries are needed.
#include "nvme/core/context.h"
#include "nvme/transfer/data_transfer.h"

#include <algorithm>

namespace znssim::nvme {

spec::status data_transfer::prepare_prp(command_context& ctx, const spec::sqe& sqe,
                                        std::uint64_t length) {
    const unsigned shift = ctx.state().page_shift;
    const std::uint64_t page = 1ull << shift;
    const std::uint64_t mask = page - 1;

    const std::uint64_t prp1 = sqe.dptr1;
    if (prp1 & 0x3) return spec::sc::prp_offset_invalid;
    const std::uint64_t first = std::min(length, page - (prp1 & mask));
    if (!add(prp1, first, false)) return spec::sc::invalid_field;
    std::uint64_t remaining = length - first;
    if (remaining == 0) return spec::sc::success;

    const std::uint64_t prp2 = sqe.dptr2;
    if (remaining <= page) {
        if (prp2 & mask) return spec::sc::prp_offset_invalid;
        return add(prp2, remaining, false) ? spec::sc::success : spec::sc::invalid_field;
    }

    // PRP2 points to a list; the list itself may start at a (qword aligned) offset.
    if (prp2 & 0x7) return spec::sc::prp_offset_invalid;
    std::uint64_t list = prp2;
    constexpr std::size_t chunk = 64;
    std::uint64_t entries[chunk];
    while (remaining > 0) {
        const std::uint64_t in_page = (page - (list & mask)) / 8;
        const std::uint64_t needed = (remaining + page - 1) >> shift;
        // All entries of this list page are data, unless more are needed than fit: then the
        // last one chains to the next list page.
        const bool chains = needed > in_page;
        const std::uint64_t data_entries = chains ? in_page - 1 : needed;
        std::uint64_t done = 0;
        while (done < data_entries) {
            const std::size_t n =
                static_cast<std::size_t>(std::min<std::uint64_t>(chunk, data_entries - done));
            if (ctx.dma().read(list + done * 8, entries, n * 8) != dma_status::ok)
                return spec::sc::data_transfer_error;
            for (std::size_t i = 0; i < n; ++i) {
                if (entries[i] & mask) return spec::sc::prp_offset_invalid;
                const std::uint64_t len = std::min(remaining, page);
                if (!add(entries[i], len, false)) return spec::sc::invalid_field;
                remaining -= len;
            }
            done += n;
        }
        if (!chains) break;
        std::uint64_t next = 0;
        if (ctx.dma().read(list + (in_page - 1) * 8, &next, 8) != dma_status::ok)
            return spec::sc::data_transfer_error;
        if (next & mask) return spec::sc::prp_offset_invalid;
        list = next;
    }
    return spec::sc::success;
}

} // namespace znssim::nvme
