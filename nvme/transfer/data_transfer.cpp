#include "nvme/transfer/data_transfer.h"

#include "nvme/core/context.h"

#include <algorithm>

namespace znssim::nvme {

namespace {

spec::status from_dma(dma_status s) {
    // Unreachable host memory and bus mastering disabled both end the command with a Data
    // Transfer Error: the host gave (or left) the device nothing it may touch.
    return s == dma_status::ok ? spec::sc::success : spec::sc::data_transfer_error;
}

} // namespace

data_transfer::data_transfer(std::size_t max_segments)
    : m_segments(std::max<std::size_t>(max_segments, 2)) {}

std::uint64_t data_transfer::max_transfer_bytes(const controller_params& p) {
    return p.mdts == 0 ? unlimited_bytes : (4096ull << p.mdts);
}

std::size_t data_transfer::segments_for(std::uint64_t max_bytes) {
    // Page-sized PRP entries plus one for a first entry with an offset.
    return static_cast<std::size_t>((max_bytes + 4095) / 4096) + 1;
}

bool data_transfer::add(std::uint64_t addr, std::uint64_t len, bool bit_bucket) {
    if (len == 0) return true;
    if (m_count > 0) {
        // Physically contiguous pieces become one segment: fewer, larger DMA accesses.
        dma_segment& last = m_segments[m_count - 1];
        if (last.bit_bucket == bit_bucket && (bit_bucket || last.addr + last.len == addr)) {
            last.len += len;
            return true;
        }
    }
    if (m_count == m_segments.size()) return false;
    m_segments[m_count++] = dma_segment{addr, len, bit_bucket};
    return true;
}

spec::status data_transfer::prepare(command_context& ctx, const spec::sqe& sqe,
                                    std::uint64_t length, bool host_to_device, bool allow_sgl) {
    reset();
    if (length > max_transfer_bytes(ctx.params())) return spec::sc::invalid_field;
    if (length == 0) return spec::sc::success;
    spec::status st;
    switch (sqe.psdt()) {
    case 0:
        st = prepare_prp(ctx, sqe, length);
        break;
    case 1:
        // MPTR-as-SGL (PSDT 10b) would need metadata support, which the model does not have.
        st = allow_sgl ? prepare_sgl(ctx, sqe, length, host_to_device) : spec::sc::invalid_field;
        break;
    default:
        st = spec::sc::invalid_field;
        break;
    }
    if (st.ok())
        m_length = length;
    else
        reset();
    return st;
}

template <class Move>
spec::status data_transfer::for_each_piece(std::uint64_t offset, std::uint64_t len,
                                           Move move) const {
    if (len > m_length || offset > m_length - len) return spec::sc::invalid_field;
    std::uint64_t done = 0; // bytes of the caller's buffer handled so far
    std::uint64_t pos = 0;  // transfer offset of segment i
    for (std::size_t i = 0; i < m_count && done < len; pos += m_segments[i].len, ++i) {
        const dma_segment& s = m_segments[i];
        if (offset + done >= pos + s.len) continue;
        const std::uint64_t skip = offset + done - pos;
        const std::uint64_t n = std::min(s.len - skip, len - done);
        if (!s.bit_bucket) {
            const spec::status st = move(s.addr + skip, done, n);
            if (!st.ok()) return st;
        }
        done += n;
    }
    return spec::sc::success;
}

spec::status data_transfer::copy_from_host(command_context& ctx, std::uint64_t offset, void* dst,
                                           std::uint64_t len) {
    auto* out = static_cast<std::uint8_t*>(dst);
    return for_each_piece(offset, len, [&](std::uint64_t addr, std::uint64_t at, std::uint64_t n) {
        return from_dma(ctx.dma().read(addr, out + at, n));
    });
}

spec::status data_transfer::copy_to_host(command_context& ctx, std::uint64_t offset,
                                         const void* src, std::uint64_t len) {
    const auto* in = static_cast<const std::uint8_t*>(src);
    return for_each_piece(offset, len, [&](std::uint64_t addr, std::uint64_t at, std::uint64_t n) {
        return from_dma(ctx.dma().write(addr, in + at, n));
    });
}

} // namespace znssim::nvme
