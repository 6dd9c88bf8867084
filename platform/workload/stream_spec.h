#pragma once
// One concurrent workload of a `run:` step (a "stream", like one fio job): what it does, where,
// how hard and for how long. Read from a job file's `run:` step (job.cpp) or from a plain fio job
// file (fio_file.cpp); executed by the stream runner (stream_runner.cpp) through the reference
// host driver. All sizes are bytes, all times simulated picoseconds.
#include "model/sim/time.h"

#include <cstdint>
#include <string>

namespace znssim::platform {

enum class stream_op : std::uint8_t {
    write,     ///< sequential writes (zoned: at each open zone's write pointer)
    append,    ///< Zone Append (zoned namespaces only)
    read,      ///< sequential reads
    randread,  ///< random reads
    randwrite, ///< random writes (conventional namespaces only)
    readwrite, ///< sequential mix of reads and writes (read_percent)
    randrw,    ///< random mix (read_percent; conventional namespaces only)
    zone_open, ///< Zone Management Send on each zone of the range in turn
    zone_close,
    zone_finish,
    zone_reset,
};

/// The job-file word of an op: write, append, read, randread, randwrite, readwrite, randrw,
/// open, close, finish, reset.
const char* stream_op_name(stream_op op);
bool is_zone_mgmt(stream_op op);
bool writes_data(stream_op op); ///< write, append, randwrite, readwrite, randrw
bool reads_data(stream_op op);  ///< read, randread, readwrite, randrw
bool is_random(stream_op op);   ///< randread, randwrite, randrw

struct stream_spec {
    std::string name;  ///< printed and used as the fio JSON "jobname"
    std::string where; ///< "file:line" of its definition, for messages
    std::uint32_t nsid = 1;
    stream_op op = stream_op::randread;
    unsigned read_percent = 50;       ///< readwrite/randrw: share of reads (fio rwmixread)
    std::uint64_t block_bytes = 4096; ///< bytes per command
    /// Commands in flight: for write/append on a zoned namespace per open zone (as fio's
    /// --zonemode=zbd keeps one zone's writes in order); otherwise for the whole stream.
    unsigned queue_depth = 1;
    unsigned queues = 1; ///< I/O queue pairs the stream spreads its commands over

    // Where: a byte range (offset/size; size 0 = to the end of the namespace) or whole zones.
    bool by_zone = false;
    std::uint32_t zone_first = 0;
    std::uint32_t zone_count = 0; ///< 0 = to the last zone
    std::uint64_t offset_bytes = 0;
    std::uint64_t size_bytes = 0;
    /// by_zone with the zones given as the byte range [offset_bytes, offset_bytes + size_bytes)
    /// (size 0 = to the end; zone_first/zone_count unused): the zones wholly inside it, as fio
    /// --zonemode=zbd rounds the offset up and the end down to zone boundaries. Only fio job
    /// files set it (YAML streams name zones).
    bool zones_in_bytes = false;
    /// Zoned writes/appends: zones written at once (fio max_open_zones); each has its own
    /// queue_depth. When a zone fills, the next zone of the range takes its place.
    unsigned open_zones = 1;
    /// Zoned writes/appends: when every zone of the range is full, reset the full ones and go on
    /// (fio resets full zones it needs); false: the stream ends.
    bool reset_full_zones = false;
    /// fio zone_reset_threshold / zone_reset_frequency: with threshold t (fraction of the range's
    /// capacity written) and frequency f, after t is reached a zone is reset every 1/f zones.
    double zone_reset_threshold = 0;
    double zone_reset_frequency = 0;

    // How much: the first limit reached ends the stream. All zero: once over the range.
    std::uint64_t amount_bytes = 0;
    std::uint64_t amount_commands = 0;
    sim_time runtime = 0;    ///< simulated run time limit (0 = none)
    bool time_based = false; ///< with runtime: wrap around the range until the runtime is over
    std::uint64_t rate_bytes_per_s = 0; ///< per simulated second (0 = unlimited)
    sim_time start_delay = 0;           ///< after the run step starts
    bool verify = false;    ///< reads are checked against the data pattern (writes: read back)
    std::uint64_t seed = 1; ///< random offsets and the data pattern
};

/// Bring zones to a state before a measurement (excluded from its statistics).
struct prepare_spec {
    std::string where;
    std::uint32_t nsid = 1;
    std::uint32_t zone_first = 0;
    std::uint32_t zone_count = 1; ///< 0 = to the last zone
    enum class target : std::uint8_t { empty, fill, closed, open, full } state = target::fill;
    double fill_fraction = 0; ///< state fill/closed/open: fraction of the zone capacity written
    /// When nonzero, bytes written per zone instead of fill_fraction (the job gave a size; the
    /// runner checks it against the zone capacity).
    std::uint64_t fill_bytes = 0;
    std::uint64_t block_bytes = 128 * 1024;
    std::uint64_t seed = 1;
};

} // namespace znssim::platform
