#include "nvme/core/plan.h"

#include "nvme/core/context.h"
#include "nvme/transfer/data_transfer.h"

#include <algorithm>

namespace znssim::nvme {

namespace {
// Namespaces without data storage: what a write carries is read from the host (the bus work
// happens) and dropped; reads return zeros. Shared by every command: the contents never matter
// (sink) or never change (zeros).
constexpr std::uint64_t chunk = 64 * 1024;
std::uint8_t g_sink[chunk];
const std::uint8_t g_zeros[chunk] = {};
} // namespace

spec::status move_data_to_device(command_context& ctx, command& cmd) {
    const command_plan& p = cmd.plan;
    if (p.device_bytes && (!p.wanted || p.wanted(cmd)))
        return cmd.xfer->copy_from_host(ctx, 0, p.device_bytes, p.bytes);
    for (std::uint64_t at = 0; at < p.bytes; at += chunk) {
        const spec::status st =
            cmd.xfer->copy_from_host(ctx, at, g_sink, std::min(chunk, p.bytes - at));
        if (!st.ok()) return st;
    }
    return spec::sc::success;
}

spec::status move_data_to_host(command_context& ctx, command& cmd) {
    const command_plan& p = cmd.plan;
    if (p.device_bytes) return cmd.xfer->copy_to_host(ctx, 0, p.device_bytes, p.bytes);
    for (std::uint64_t at = 0; at < p.bytes; at += chunk) {
        const spec::status st =
            cmd.xfer->copy_to_host(ctx, at, g_zeros, std::min(chunk, p.bytes - at));
        if (!st.ok()) return st;
    }
    return spec::sc::success;
}

void run_plan_now(command_context& ctx, command& cmd) {
    spec::status st = spec::sc::success;
    if (cmd.plan.data == data_direction::to_device) st = move_data_to_device(ctx, cmd);
    if (st.ok() && cmd.plan.data == data_direction::to_host) st = move_data_to_host(ctx, cmd);
    if (!st.ok()) cmd.status = st;
    if (cmd.plan.finish) cmd.plan.finish(ctx, cmd, st.ok());
}

} // namespace znssim::nvme
