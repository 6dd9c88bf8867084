// SGL walking, NVMe Base 2.0 section 4.1.2. The SQE holds the first descriptor; Segment and Last
// Segment descriptors point to further lists of 16-byte descriptors in host memory. Supported:
// Data Block and Bit Bucket (reads only) with address subtype. The walk is bounded so a chain
// that loops back on itself ends with Invalid Number of SGL Descriptors.
#include "nvme/core/context.h"
#include "nvme/transfer/data_transfer.h"

#include <algorithm>
#include <cstring>

namespace znssim::nvme {

namespace {

#pragma pack(push, 1)
struct sgl_descriptor {
    std::uint64_t addr;
    std::uint32_t len;
    std::uint8_t rsvd[3];
    std::uint8_t id; ///< type in bits 7:4, subtype in bits 3:0
};
static_assert(sizeof(sgl_descriptor) == 16);
#pragma pack(pop)

namespace sgl_type {
constexpr unsigned data_block = 0x0;
constexpr unsigned bit_bucket = 0x1;
constexpr unsigned segment = 0x2;
constexpr unsigned last_segment = 0x3;
} // namespace sgl_type

constexpr unsigned subtype_address = 0x0;

} // namespace

spec::status data_transfer::prepare_sgl(command_context& ctx, const spec::sqe& sqe,
                                        std::uint64_t length, bool host_to_device) {
    sgl_descriptor d{};
    std::memcpy(&d.addr, &sqe.dptr1, 8);
    std::memcpy(reinterpret_cast<std::uint8_t*>(&d) + 8, &sqe.dptr2, 8);

    // Every descriptor visited counts, data or not, so that no chain can run forever.
    const std::size_t budget = 4 * m_segments.size() + 64;
    std::size_t visited = 0;

    std::uint64_t remaining = length;
    bool in_last_segment = false; // inside the list a Last Segment descriptor pointed to
    // The descriptor list being walked: 'left' descriptors at 'next' after the current one.
    std::uint64_t next = 0;
    std::uint64_t left = 0;
    constexpr std::size_t chunk = 16;
    sgl_descriptor buf[chunk];
    std::size_t buf_pos = 0, buf_len = 0;

    for (;;) {
        if (++visited > budget) return spec::sc::invalid_sgl_descriptor_count;
        const unsigned type = d.id >> 4;
        const unsigned subtype = d.id & 0xf;
        const bool last_in_list = left == 0;

        switch (type) {
        case sgl_type::data_block:
        case sgl_type::bit_bucket: {
            if (subtype != subtype_address && type == sgl_type::data_block)
                return spec::sc::sgl_descriptor_type_invalid;
            const bool bucket = type == sgl_type::bit_bucket;
            if (bucket && host_to_device) return spec::sc::sgl_descriptor_type_invalid;
            const std::uint64_t take = std::min<std::uint64_t>(d.len, remaining);
            if (!add(d.addr, take, bucket)) return spec::sc::invalid_sgl_descriptor_count;
            remaining -= take;
            // A longer SGL than the transfer is allowed (SGLS bit 18): stop once covered.
            if (remaining == 0) return spec::sc::success;
            if (last_in_list) return spec::sc::data_sgl_length_invalid;
            break;
        }
        case sgl_type::segment:
        case sgl_type::last_segment:
            if (subtype != subtype_address) return spec::sc::sgl_descriptor_type_invalid;
            // A segment pointer must end its list, and the last segment has none at all.
            if (in_last_segment || !last_in_list) return spec::sc::invalid_sgl_segment_descriptor;
            if (d.len == 0 || d.len % sizeof(sgl_descriptor) != 0)
                return spec::sc::invalid_sgl_segment_descriptor;
            in_last_segment = type == sgl_type::last_segment;
            next = d.addr;
            left = d.len / sizeof(sgl_descriptor);
            buf_pos = buf_len = 0;
            break;
        default:
            return spec::sc::sgl_descriptor_type_invalid;
        }

        if (left == 0) return spec::sc::data_sgl_length_invalid;
        if (buf_pos == buf_len) {
            const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(chunk, left));
            if (ctx.dma().read(next, buf, n * sizeof(sgl_descriptor)) != dma_status::ok)
                return spec::sc::data_transfer_error;
            next += n * sizeof(sgl_descriptor);
            buf_pos = 0;
            buf_len = n;
        }
        d = buf[buf_pos++];
        --left;
    }
}

} // namespace znssim::nvme
