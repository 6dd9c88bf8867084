#pragma once
// A command's data pointer (PRP or SGL, NVMe Base 2.0 section 4.1) resolved into a list of host
// memory segments, and the copies between those segments and a device-side buffer (usually the
// mapped backing image). The controller core owns one data_transfer per command slot, so walking
// PRP lists and SGL segments never allocates.
#include "nvme/spec/commands.h"
#include "nvme/spec/status.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace znssim::nvme {

class command_context;
struct controller_params;

/// One contiguous piece of the transfer in host memory.
struct dma_segment {
    std::uint64_t addr = 0;
    std::uint64_t len = 0;
    bool bit_bucket = false; ///< SGL Bit Bucket: read data for this piece is discarded
};

class data_transfer {
  public:
    /// max_segments bounds the host segments one command may use (see segments_for()).
    explicit data_transfer(std::size_t max_segments);

    /// Largest transfer MDTS allows, in bytes (MDTS is in units of CAP.MPSMIN = 4 KiB). With
    /// MDTS = 0 ("no limit") the model still bounds its scratch: unlimited_bytes.
    static std::uint64_t max_transfer_bytes(const controller_params& p);
    static constexpr std::uint64_t unlimited_bytes = 4ull << 20; // what Linux assumes too
    /// Segment capacity a slot needs for transfers of up to max_bytes with 4 KiB pages.
    static std::size_t segments_for(std::uint64_t max_bytes);

    /// Resolves the data pointer of 'sqe' for 'length' bytes. host_to_device: the command
    /// writes to the device (data flows from host memory). allow_sgl: SGLs are accepted (I/O
    /// commands with SGL support); otherwise PSDT != 0 is Invalid Field. Errors: Invalid Field
    /// (length beyond MDTS, PSDT), PRP Offset Invalid, SGL errors, Data Transfer Error (host
    /// memory unreachable while reading PRP lists or SGL segments).
    spec::status prepare(command_context& ctx, const spec::sqe& sqe, std::uint64_t length,
                         bool host_to_device, bool allow_sgl);

    /// Copies the whole prepared transfer from host memory into dst (length() bytes).
    spec::status copy_from_host(command_context& ctx, void* dst) {
        return copy_from_host(ctx, 0, dst, m_length);
    }
    /// Copies src (length() bytes) to host memory; bit-bucket pieces are skipped.
    spec::status copy_to_host(command_context& ctx, const void* src) {
        return copy_to_host(ctx, 0, src, m_length);
    }
    /// Partial copies: bytes [offset, offset+len) of the transfer (e.g. chunked compares, whole
    /// descriptors of a report). Out-of-range → Invalid Field.
    spec::status copy_from_host(command_context& ctx, std::uint64_t offset, void* dst,
                                std::uint64_t len);
    spec::status copy_to_host(command_context& ctx, std::uint64_t offset, const void* src,
                              std::uint64_t len);

    std::uint64_t length() const { return m_length; }
    std::size_t segment_count() const { return m_count; }
    std::size_t capacity() const { return m_segments.size(); }
    const dma_segment& segment(std::size_t i) const { return m_segments[i]; }
    void reset() {
        m_count = 0;
        m_length = 0;
    }

  private:
    spec::status prepare_prp(command_context& ctx, const spec::sqe& sqe, std::uint64_t length);
    spec::status prepare_sgl(command_context& ctx, const spec::sqe& sqe, std::uint64_t length,
                             bool host_to_device);
    bool add(std::uint64_t addr, std::uint64_t len, bool bit_bucket);
    /// Calls move(host address, buffer offset, length) for each host piece of transfer bytes
    /// [offset, offset+len), skipping bit buckets; stops at the first error.
    template <class Move>
    spec::status for_each_piece(std::uint64_t offset, std::uint64_t len, Move move) const;

    std::vector<dma_segment> m_segments; ///< preallocated; m_count are in use
    std::size_t m_count = 0;
    std::uint64_t m_length = 0;
};

} // namespace znssim::nvme
