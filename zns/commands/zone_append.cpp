// Zone Append (7Dh): the NVM write path with the zone's write pointer choosing the LBA.
#include "nvme/nvm/nvm_command_set.h"
#include "zns/commands/zns_commands.h"
#include "zns/zoned_namespace.h"

namespace znssim::zns {

nvme::disposition handle_zone_append(nvme::command_context& ctx, nvme::command& cmd) {
    zoned_namespace* ns = detail::zoned_target(ctx, cmd);
    if (ns == nullptr) {
        cmd.done_at = ctx.now();
        return nvme::disposition::complete;
    }
    const std::uint64_t nlb = (cmd.sqe.cdw12 & 0xffffu) + 1ull;
    if ((nlb << ns->lba_shift()) > detail::append_limit_bytes(ctx, *ns)) {
        cmd.status = nvme::spec::sc::invalid_field;
        cmd.done_at = ctx.now();
        return nvme::disposition::complete;
    }
    // ZSLBA must be a zone start: begin_write() checks it (Invalid Field) with the write pointer.
    return nvme::execute_write(ctx, cmd, nvme::write_kind::append);
}

} // namespace znssim::zns
