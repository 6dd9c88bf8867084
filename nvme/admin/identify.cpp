// Identify (admin opcode 06h): decodes CNS/CNTID/CSI, builds the 4096-byte structure on the
// stack and sends it through the command's PRPs (admin commands may not use SGLs).
#include "model/log/log.h"
#include "nvme/admin/admin_handlers.h"
#include "nvme/admin/identify_builders.h"
#include "nvme/transfer/host_copy.h"

#include <cstring>

namespace znssim::nvme {

disposition handle_identify(command_context& ctx, command& cmd) {
    const log::logger_ptr& lg = ctx.logger("nvme.admin");
    const std::uint8_t cns = cmd.sqe.cdw10 & 0xff;
    const std::uint32_t nsid = cmd.sqe.nsid;
    const auto csi = static_cast<spec::csi>(cmd.sqe.cdw11 >> 24);
    ZLOG_DEBUG(lg, "identify cns={:#04x} nsid={:#x} csi={}", cns, nsid, static_cast<unsigned>(csi));

    alignas(8) std::uint8_t buf[spec::identify_bytes];
    std::memset(buf, 0, sizeof buf);
    spec::status st = spec::sc::success;
    switch (cns) {
    case spec::cns::ns:
        st = identify::ns(ctx, nsid, buf);
        break;
    case spec::cns::ctrl:
        identify::controller(ctx, *reinterpret_cast<spec::id_ctrl*>(buf));
        break;
    case spec::cns::active_ns_list:
        st = identify::active_ns_list(ctx, nsid, true, csi, *reinterpret_cast<spec::ns_list*>(buf));
        break;
    case spec::cns::ns_desc_list:
        st = identify::ns_descriptors(ctx, nsid, buf);
        break;
    case spec::cns::csi_ns:
        st = identify::csi_ns(ctx, nsid, csi, buf);
        break;
    case spec::cns::csi_ctrl:
        st = identify::csi_controller(ctx, csi, buf);
        break;
    case spec::cns::csi_active_ns_list:
        st =
            identify::active_ns_list(ctx, nsid, false, csi, *reinterpret_cast<spec::ns_list*>(buf));
        break;
    case spec::cns::indep_ns:
        st = identify::independent_ns(ctx, nsid, *reinterpret_cast<spec::id_ns_indep*>(buf));
        break;
    case spec::cns::iocs:
        identify::iocs(ctx, *reinterpret_cast<spec::id_iocs*>(buf));
        break;
    default:
        st = spec::sc::invalid_field;
        break;
    }
    if (st.ok()) st = send_to_host(ctx, cmd, buf, sizeof buf, false);
    cmd.status = st;
    cmd.done_at = ctx.now();
    return disposition::complete;
}

} // namespace znssim::nvme
