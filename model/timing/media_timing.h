#pragma once
// The one seam every timed activity of the device goes through: the controller asks it when each
// phase of a command ends (SQ fetch, firmware processing, data over the PCIe link, media access,
// completion posting, interrupt message), and the media model may keep state (busy dies, write
// buffers) to model interference and run background work (buffer drains, the fill of a zone
// finish) on a scheduler of its own.
//
// zero_time_media is the functional (untimed) model: timed() is false and the controller then
// calls nothing here at all, so untimed runs pay nothing for the seam.
#include "model/sim/scheduler.h"
#include "model/sim/time.h"

#include <cstdint>

namespace znssim {

enum class media_op : std::uint8_t {
    read,
    write,
    write_zeroes,
    deallocate,
    flush,
    compare,
    verify,
    zone_open,
    zone_close,
    zone_finish,
    zone_reset,
    zone_append,
    zone_offline,
};

const char* media_op_name(media_op op);

/// Everything a media model may need to know about one access.
struct media_request {
    media_op op = media_op::read;
    std::uint32_t nsid = 0;
    std::uint64_t slba = 0; ///< first LBA (zone start for zone operations)
    std::uint64_t nlb = 0;  ///< LBAs (1-based); zone operations: 0
    std::uint32_t lba_bytes = 4096;
    std::uint64_t ns_lbas = 0; ///< namespace size in LBAs (NSZE)

    // Zoned namespaces (zoned == false: the fields below are 0).
    bool zoned = false;
    std::uint32_t zone = 0;          ///< zone index
    std::uint64_t zone_start = 0;    ///< ZSLBA
    std::uint64_t zone_size = 0;     ///< ZSZE in LBAs
    std::uint64_t zone_capacity = 0; ///< ZCAP in LBAs
    std::uint64_t zone_written = 0;  ///< LBAs of the zone written before this access
    /// Reads: the range lies above the zone's durable write pointer (never written).
    bool unwritten = false;
    /// Writes and appends: this access opened the zone implicitly (and, if auto_closed, made
    /// the controller close another zone to free an open resource).
    bool implicit_open = false;
    bool auto_closed = false;
    /// Zone actions on every zone of a Select All command: how many zones the action touched.
    std::uint32_t zones_touched = 1;

    // The command.
    std::uint16_t sqid = 0;
    std::uint16_t cid = 0;
    std::uint8_t opcode = 0;
    bool fua = false; ///< Force Unit Access: complete only once the data is on the media
};

/// What the controller tells the front-end model about a command it processes.
struct command_cost_info {
    bool admin = false;
    std::uint8_t opcode = 0;
    std::uint16_t sqid = 0;
    /// Host memory moved by the handler itself while it ran (Identify data, log pages, PRP and
    /// SGL lists, zone reports), in each direction.
    std::uint64_t bytes_from_host = 0;
    std::uint64_t bytes_to_host = 0;
};

/// An in-flight media operation the model may complete later (write buffer back-pressure, flush).
/// Owned by the caller (a command slot), so starting one never allocates.
struct media_op_handle {
    using done_fn = void (*)(void* context, sim_time at);
    done_fn done = nullptr; ///< called once, at the completion time, unless cancelled
    void* context = nullptr;

    // Owned by the model while the operation is pending.
    media_op_handle* next = nullptr;
    std::uint64_t bytes = 0;
    std::uint64_t model_tag = 0; ///< the model's own (e.g. which write stream it belongs to)
    sim_time ready_at = 0;
    bool pending = false;
};

class media_timing {
  public:
    /// start() returns this when the completion time is not known yet: the model calls
    /// handle.done(context, at) later (from a timer on the bound scheduler).
    static constexpr sim_time later = ~sim_time{0};

    virtual ~media_timing() = default;

    /// False: the functional model. The controller then skips every call below.
    virtual bool timed() const { return true; }
    /// The scheduler background work runs on (the device's own); called once by the controller.
    virtual void bind(scheduler& s) {}
    /// Drops all pending work and returns resources to idle (controller reset).
    virtual void reset() {}

    // ---- controller front end and PCIe link ----
    /// A tail doorbell was written at 'at': when the controller starts fetching.
    virtual sim_time fetch_start(sim_time at) { return at; }
    /// The controller reads one SQ entry starting at 'at': when the entry has arrived.
    virtual sim_time sqe_fetched(sim_time at) { return at; }
    /// Firmware handles a fetched command from 'at' (decode, checks, its own DMA): when done.
    virtual sim_time command_processed(const command_cost_info& c, sim_time at) { return at; }
    /// The controller reads 'bytes' of command data (and 'list_bytes' of PRP/SGL lists) from host
    /// memory starting at 'at': when all of it has arrived.
    virtual sim_time data_from_host(sim_time at, std::uint64_t bytes, std::uint64_t list_bytes) {
        return at;
    }
    /// The controller writes 'bytes' of read data to host memory starting at 'at'.
    virtual sim_time data_to_host(sim_time at, std::uint64_t bytes) { return at; }
    /// The completion queue entry is written starting at 'at': when it is visible to the host.
    virtual sim_time completion_posted(sim_time at) { return at; }
    /// The MSI-X message is sent starting at 'at': when it reaches the host.
    virtual sim_time interrupt_sent(sim_time at) { return at; }

    // ---- media ----
    /// When an access issued at 'at' completes, for callers that need the answer at once.
    virtual sim_time complete_at(const media_request& request, sim_time at) = 0;
    /// Starts an access at 'at' (>= the scheduler's now). Returns its completion time, or
    /// 'later': then handle.done is called once the time is known (back-pressure).
    virtual sim_time start(media_op_handle& handle, const media_request& request, sim_time at) {
        return complete_at(request, at);
    }
    /// Forgets a pending access (its command was aborted or the controller reset): handle.done
    /// will not be called. Media work already under way still occupies its resources.
    virtual void cancel(media_op_handle& handle) {}

    // ---- observation (traces) ----
    /// Bytes in the write buffer now, and its size (0 and 0: the model has no buffer).
    virtual std::uint64_t buffer_fill() const { return 0; }
    virtual std::uint64_t buffer_capacity() const { return 0; }
};

class zero_time_media final : public media_timing {
  public:
    bool timed() const override { return false; }
    sim_time complete_at(const media_request&, sim_time at) override { return at; }
};

} // namespace znssim
