#include "nvme/transfer/host_copy.h"

#include "nvme/core/context.h"
#include "nvme/transfer/data_transfer.h"

namespace znssim::nvme {

spec::status send_to_host(command_context& ctx, command& cmd, const void* src, std::uint64_t len,
                          bool allow_sgl) {
    if (cmd.xfer == nullptr)
        return spec::sc::internal_error; // the core always binds slot scratch; a wiring bug
    spec::status st = cmd.xfer->prepare(ctx, cmd.sqe, len, false, allow_sgl);
    if (st.ok()) st = cmd.xfer->copy_to_host(ctx, src);
    return st;
}

spec::status fetch_from_host(command_context& ctx, command& cmd, void* dst, std::uint64_t len,
                             bool allow_sgl) {
    if (cmd.xfer == nullptr) return spec::sc::internal_error;
    spec::status st = cmd.xfer->prepare(ctx, cmd.sqe, len, true, allow_sgl);
    if (st.ok()) st = cmd.xfer->copy_from_host(ctx, dst);
    return st;
}

} // namespace znssim::nvme
