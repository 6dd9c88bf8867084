// Zone Management Receive (7Ah): Report Zones and Extended Report Zones with the ZRASF filters
// and the Partial Report bit. Only whole descriptors are returned.
#include "model/log/log.h"
#include "nvme/ns/media_status.h"
#include "nvme/transfer/data_transfer.h"
#include "zns/commands/zns_commands.h"
#include "zns/zoned_namespace.h"

#include <algorithm>
#include <cstring>

namespace znssim::zns {

namespace nsc = nvme::spec::sc;

nvme::disposition handle_zone_mgmt_recv(nvme::command_context& ctx, nvme::command& cmd) {
    const log::logger_ptr& lg = ctx.logger("zns.cmd");
    cmd.done_at = ctx.now();
    zoned_namespace* ns = detail::zoned_target(ctx, cmd);
    if (ns == nullptr) return nvme::disposition::complete;
    const std::uint64_t slba = (std::uint64_t(cmd.sqe.cdw11) << 32) | cmd.sqe.cdw10;
    const std::uint64_t len = (std::uint64_t(cmd.sqe.cdw12) + 1) * 4;
    const std::uint32_t cdw13 = cmd.sqe.cdw13;
    const std::uint8_t zra = cdw13 & 0xff;
    const std::uint8_t zrasf = (cdw13 >> 8) & 0xff;
    const bool partial = (cdw13 & spec::zmr_partial_report) != 0;
    ZLOG_DEBUG(lg, "zmr nsid={} slba={:#x} len={} zra={} zrasf={} partial={}", ns->nsid(), slba,
               len, zra, zrasf, partial);

    const std::uint32_t ext = ns->extension_bytes();
    if (zra > 1 || (zra == 1 && ext == 0) || zrasf > 7 || len < sizeof(spec::report_header)) {
        cmd.status = nsc::invalid_field;
        return nvme::disposition::complete;
    }
    if (slba >= ns->size_lbas()) {
        cmd.status = nsc::lba_out_of_range;
        return nvme::disposition::complete;
    }
    if (cmd.xfer == nullptr) {
        cmd.status = nsc::internal_error;
        return nvme::disposition::complete;
    }
    // Beyond MDTS → Invalid Field (prepare() checks it).
    nvme::spec::status st = cmd.xfer->prepare(ctx, cmd.sqe, len, false, ctx.params().sgl);
    if (!st.ok()) {
        cmd.status = st;
        return nvme::disposition::complete;
    }

    const auto filter = static_cast<spec::zrasf>(zrasf);
    const std::uint64_t entry = sizeof(spec::zone_descriptor) + (zra == 1 ? ext : 0);
    const std::uint64_t room = (len - sizeof(spec::report_header)) / entry;
    static std::uint8_t ext_buf[255 * 64];
    std::uint64_t matched = 0, returned = 0;
    std::uint64_t pos = sizeof(spec::report_header);
    const zone_state_machine& zones = ns->zones();
    for (std::uint32_t i = zones.zone_of(slba); i < zones.zone_count() && st.ok(); ++i) {
        if (!ns->matches(i, filter)) continue;
        ++matched;
        if (returned == room) {
            if (partial) break; // nothing else is needed: the header counts what was returned
            continue;
        }
        spec::zone_descriptor d;
        ns->describe(i, d);
        st = cmd.xfer->copy_to_host(ctx, pos, &d, sizeof d);
        if (st.ok() && zra == 1) {
            st = ns->read_extension(i, ext_buf);
            nvme::count_media_error(ctx.logs(), st);
            if (st.ok()) st = cmd.xfer->copy_to_host(ctx, pos + sizeof d, ext_buf, ext);
        }
        pos += entry;
        ++returned;
    }
    // Header, then zeros after the last whole entry (the host may reuse its buffer).
    spec::report_header h{};
    h.nr_zones = partial ? returned : matched;
    if (st.ok()) st = cmd.xfer->copy_to_host(ctx, 0, &h, sizeof h);
    static const std::uint8_t zeros[4096] = {};
    for (; st.ok() && pos < len; pos += sizeof zeros)
        st = cmd.xfer->copy_to_host(ctx, pos, zeros,
                                    std::min<std::uint64_t>(sizeof zeros, len - pos));
    cmd.status = st;
    return nvme::disposition::complete;
}

} // namespace znssim::zns
