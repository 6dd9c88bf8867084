// Get Log Page (admin opcode 02h): decodes LID / RAE / NUMD / LPO / CSI, builds the log in a
// 4 KiB stack buffer (every log the controller has fits), and sends the requested window of it.
// Bytes requested past the end of a log read as zero (NVMe Base 2.0 section 5.16).
#include "model/log/log.h"
#include "nvme/admin/admin_handlers.h"
#include "nvme/admin/get_log_page_builders.h"
#include "nvme/spec/log_pages.h"
#include "nvme/transfer/data_transfer.h"

#include <algorithm>
#include <cstring>

namespace znssim::nvme {

namespace {

constexpr std::size_t max_log_bytes = 4096;
alignas(8) const std::uint8_t zeros[max_log_bytes] = {};

struct log_request {
    std::uint8_t lid;
    bool rae;
    std::uint64_t len;    ///< bytes requested
    std::uint64_t offset; ///< byte offset into the log
    spec::csi csi;
};

log_request decode(const spec::sqe& s) {
    const std::uint64_t numd =
        ((static_cast<std::uint64_t>(s.cdw11 & 0xffff) << 16) | (s.cdw10 >> 16)) + 1;
    return log_request{static_cast<std::uint8_t>(s.cdw10 & 0xff), ((s.cdw10 >> 15) & 1) != 0,
                       numd * 4, (static_cast<std::uint64_t>(s.cdw13) << 32) | s.cdw12,
                       static_cast<spec::csi>(s.cdw14 >> 24)};
}

/// Sends bytes [offset, offset+len) of a log of log_len bytes held in buf; zeros past its end.
spec::status send_window(command_context& ctx, command& cmd, const std::uint8_t* buf,
                         std::size_t log_len, const log_request& r) {
    if (r.offset >= log_len) return spec::sc::invalid_field;
    spec::status st = cmd.xfer->prepare(ctx, cmd.sqe, r.len, false, false);
    if (!st.ok()) return st;
    const std::uint64_t avail = std::min<std::uint64_t>(r.len, log_len - r.offset);
    st = cmd.xfer->copy_to_host(ctx, 0, buf + r.offset, avail);
    for (std::uint64_t pos = avail; st.ok() && pos < r.len; pos += max_log_bytes)
        st = cmd.xfer->copy_to_host(ctx, pos, zeros,
                                    std::min<std::uint64_t>(max_log_bytes, r.len - pos));
    return st;
}

} // namespace

disposition handle_get_log_page(command_context& ctx, command& cmd) {
    const log::logger_ptr& lg = ctx.logger("nvme.admin");
    cmd.done_at = ctx.now();
    const log_request r = decode(cmd.sqe);
    ZLOG_DEBUG(lg, "get log page lid={:#04x} nsid={:#x} len={} offset={} csi={} rae={}", r.lid,
               cmd.sqe.nsid, r.len, r.offset, static_cast<unsigned>(r.csi), r.rae);

    // Offsets are dword granular; index offsets (OT, CDW14 bit 23) are not supported.
    if ((r.offset & 3) != 0 || ((cmd.sqe.cdw14 >> 23) & 1) != 0 ||
        r.len > data_transfer::max_transfer_bytes(ctx.params())) {
        cmd.status = spec::sc::invalid_field;
        return disposition::complete;
    }
    if (cmd.xfer == nullptr) {
        cmd.status = spec::sc::internal_error;
        return disposition::complete;
    }

    alignas(8) std::uint8_t buf[max_log_bytes];
    std::memset(buf, 0, sizeof buf);
    std::size_t log_len = 0;
    spec::status st = spec::sc::success;
    switch (r.lid) {
    case spec::lid::error_info:
        log_len = logs::error_info(ctx, buf);
        break;
    case spec::lid::smart:
        st = logs::smart(ctx, cmd.sqe.nsid, buf, log_len);
        break;
    case spec::lid::firmware_slot:
        log_len = logs::firmware_slot(ctx, buf);
        break;
    case spec::lid::changed_ns_list:
        log_len = logs::changed_ns_list(ctx, buf);
        break;
    case spec::lid::cmd_effects:
        st = logs::effects(ctx, r.csi, buf, log_len);
        break;
    default: {
        // Command-set specific logs (ZNS Changed Zone List) come from the set named by CSI.
        const io_command_set* set = ctx.command_set(r.csi);
        if (set == nullptr || set->log_page == nullptr) {
            st = spec::sc::invalid_log_page;
            break;
        }
        const std::uint64_t window = std::min<std::uint64_t>(r.len, max_log_bytes);
        st = set->log_page(ctx, cmd, r.lid, r.offset, buf, window);
        if (st.ok()) {
            // The set already applied the offset: send the window as a log starting at 0.
            log_request whole = r;
            whole.offset = 0;
            st = send_window(ctx, cmd, buf, static_cast<std::size_t>(window), whole);
            if (st.ok()) ctx.log_page_read(r.lid, r.rae);
        }
        cmd.status = st;
        return disposition::complete;
    }
    }
    if (st.ok()) st = send_window(ctx, cmd, buf, log_len, r);
    if (st.ok()) {
        // Reading the Changed Namespace List consumes it (unless the host retains the event).
        if (r.lid == spec::lid::changed_ns_list && !r.rae) ctx.logs().changed_namespaces.clear();
        ctx.log_page_read(r.lid, r.rae);
    }
    cmd.status = st;
    return disposition::complete;
}

} // namespace znssim::nvme
