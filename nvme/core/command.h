#pragma once
// A command in flight and the handler signature. Command objects live in a slot pool owned by
// the controller core: fetching, executing and completing a command never allocates.
//
// A handler either finishes a command itself (disposition::complete: everything it does happens
// when it runs, and the completion is posted at cmd.done_at at the earliest), keeps it
// (disposition::deferred, e.g. an AER), or hands the core a plan (disposition::planned): the data
// to move between host memory and the device, the media access, and a finish step. The core then
// runs the plan's phases at the times the timing model gives (all at once when untimed): data
// from the host, the media access, data to the host, then finish, then the completion.
#include "model/sim/time.h"
#include "model/timing/media_timing.h"
#include "nvme/spec/commands.h"
#include "nvme/spec/status.h"

#include <cstdint>

namespace znssim::nvme {

class command_context;
class data_transfer;
struct command;

enum class data_direction : std::uint8_t {
    none,
    to_device, ///< host memory → device (writes)
    to_host,   ///< device → host memory (reads)
};

/// Called when a planned command's media work is done, before its completion is posted.
/// data_ok is false when the data phase failed or the command was aborted (the finish step then
/// undoes what the handler reserved, e.g. a zone's issued write pointer).
using finish_fn = void (*)(command_context& ctx, command& cmd, bool data_ok);
/// Asked just before data moves to the device: false drops the data (read from the host, not
/// stored), e.g. a write whose zone was reset after the write was accepted.
using wanted_fn = bool (*)(const command& cmd);

struct command_plan {
    data_direction data = data_direction::none;
    /// Device-side bytes the data moves to or from (usually the mapped image). nullptr: the
    /// namespace stores no data: writes are discarded, reads return zeros.
    std::uint8_t* device_bytes = nullptr;
    std::uint64_t bytes = 0;
    bool has_media = false;
    media_request media{};
    /// The media phase ends no earlier than this (work the handler costed itself, e.g. a zone
    /// action on every zone of a Select All).
    sim_time not_before = 0;
    finish_fn finish = nullptr;
    wanted_fn wanted = nullptr; ///< nullptr: always stored
    /// State the finish step needs, set by the handler.
    void* target = nullptr;
    std::uint64_t lba = 0;
    std::uint64_t count = 0;
    std::uint64_t token = 0;
    std::uint32_t aux = 0;
};

struct command {
    spec::sqe sqe{};
    std::uint16_t sqid = 0;
    sim_time fetched_at = 0; ///< when the entry arrived in the controller
    /// This command's PRP/SGL scratch (nvme/transfer/data_transfer.h), owned by its slot: the
    /// resolved data pointer stays valid through every phase of the command.
    data_transfer* xfer = nullptr;

    // Filled in by the handler.
    spec::status status = spec::sc::success;
    std::uint32_t dw0 = 0;
    std::uint32_t dw1 = 0;
    /// disposition::complete: earliest time the completion may be posted; never before now.
    sim_time done_at = 0;
    command_plan plan;

    /// Convenience for handlers.
    void fail(spec::status s) { status = s; }
    bool failed() const { return !status.ok(); }
    bool is_admin() const { return sqid == 0; }
};

enum class disposition : std::uint8_t {
    complete, ///< post the completion at cmd.done_at
    deferred, ///< the handler kept the command and calls context.complete_deferred() later
    planned,  ///< run cmd.plan's phases, then finish, then post the completion
};

using command_handler = disposition (*)(command_context& ctx, command& cmd);

} // namespace znssim::nvme
