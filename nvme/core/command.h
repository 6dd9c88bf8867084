#pragma once
// A command in flight and the handler signature. Command objects live in a slot pool owned by
// the controller core: fetching, executing and completing a command never allocates.
#include "model/sim/time.h"
#include "nvme/spec/commands.h"
#include "nvme/spec/status.h"

#include <cstdint>

namespace znssim::nvme {

class command_context;
class data_transfer;

struct command {
    spec::sqe sqe{};
    std::uint16_t sqid = 0;
    sim_time fetched_at = 0;
    /// The slot's preallocated PRP/SGL scratch (nvme/transfer/data_transfer.h), set by the core.
    data_transfer* xfer = nullptr;

    // Filled in by the handler.
    spec::status status = spec::sc::success;
    std::uint32_t dw0 = 0;
    std::uint32_t dw1 = 0;
    /// Earliest time the completion may be posted (the media timing result); never before now.
    sim_time done_at = 0;

    /// Convenience for handlers.
    void fail(spec::status s) { status = s; }
    bool failed() const { return !status.ok(); }
    bool is_admin() const { return sqid == 0; }
};

enum class disposition : std::uint8_t {
    complete, ///< post the completion at cmd.done_at
    deferred, ///< the handler kept the command and calls context.complete_deferred() later
};

using command_handler = disposition (*)(command_context& ctx, command& cmd);

} // namespace znssim::nvme
