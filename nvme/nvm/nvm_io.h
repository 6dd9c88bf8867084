#pragma once
// Shared decoding and bookkeeping for the NVM I/O handlers (internal to nvme/nvm and zns).
#include "nvme/core/context.h"
#include "nvme/ns/namespace.h"

#include <cstdint>

namespace znssim::nvme::nvm {

/// Read / Write / Compare / Write Zeroes / Verify / Append LBA fields (CDW10-12).
struct lba_range {
    std::uint64_t slba;
    std::uint64_t nlb; ///< 1-based
};

inline lba_range decode_range(const spec::sqe& s) {
    return lba_range{(static_cast<std::uint64_t>(s.cdw11) << 32) | s.cdw10,
                     (s.cdw12 & 0xffffu) + 1ull};
}

/// CDW12 fields the model does not support and must not silently ignore: directive type
/// (bits 23:20), storage tag check (bit 24) and PRINFO (bits 29:26; no protection information
/// on any namespace). Invalid Field if any is set.
inline bool unsupported_cdw12(const spec::sqe& s) {
    return (s.cdw12 & 0x3df0'0000u) != 0;
}

/// The addressed active namespace, or nullptr with cmd.status set.
inline nvme_namespace* lookup(command_context& ctx, command& cmd) {
    nvme_namespace* ns = ctx.find_namespace(cmd.sqe.nsid);
    if (ns == nullptr) cmd.status = spec::sc::invalid_namespace_or_format;
    return ns;
}

/// Fails the command now (no media time).
inline disposition fail(command_context& ctx, command& cmd, spec::status st) {
    cmd.status = st;
    cmd.done_at = ctx.now();
    return disposition::complete;
}

/// Fills cmd.plan.media for an access of op to [slba, slba+nlb) of ns (the namespace adds zone
/// details) and marks the plan as having a media phase.
void plan_media(command& cmd, const nvme_namespace& ns, media_op op, std::uint64_t slba,
                std::uint64_t nlb);

/// Completion time of a media access through the timing model, for handlers that finish a
/// command themselves (Compare, Verify, Dataset Management).
inline sim_time media_done(command_context& ctx, command& cmd, media_op op,
                           const nvme_namespace& ns, std::uint64_t slba, std::uint64_t nlb) {
    if (!ctx.timing().timed()) return ctx.now();
    plan_media(cmd, ns, op, slba, nlb);
    cmd.plan.has_media = false; // answered here, not run as a phase
    return ctx.timing().complete_at(cmd.plan.media, ctx.now());
}

/// A command that reads LBAs of a namespace through a data pointer (Read, Compare).
struct read_request {
    nvme_namespace* ns = nullptr;
    lba_range range{};
    std::uint64_t offset = 0; ///< byte offset of range.slba in the image
    std::uint64_t len = 0;    ///< bytes
};

/// The checks Read and Compare share, in the order the errors are reported: namespace, CDW12,
/// MDTS, the namespace's read rules, the image range, then the data pointer (host_to_device for
/// Compare, whose data comes from the host). Fills 'out' on success.
spec::status prepare_read(command_context& ctx, command& cmd, bool host_to_device,
                          read_request& out);

constexpr std::uint64_t data_units(std::uint64_t bytes) {
    return (bytes + 511'999) / 512'000;
}

inline void count_read(command_context& ctx, std::uint64_t bytes) {
    health_counters& h = ctx.logs().health;
    ++h.host_read_commands;
    h.bytes_read += bytes;
    h.data_units_read = data_units(h.bytes_read);
}

inline void count_write(command_context& ctx, std::uint64_t bytes) {
    health_counters& h = ctx.logs().health;
    ++h.host_write_commands;
    h.bytes_written += bytes;
    h.data_units_written = data_units(h.bytes_written);
}

} // namespace znssim::nvme::nvm
