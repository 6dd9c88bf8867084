#pragma once
// Measurement results of a run step, per stream and per operation, and their output: a fio-like
// text summary and JSON in the layout of `fio --output-format=json`, so tools written for fio's
// output read ours. Latencies are in simulated nanoseconds.
#include "model/sim/time.h"
#include "model/trace/histogram.h"
#include "platform/workload/stream_spec.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <ctime>
#include <ostream>
#include <string>
#include <vector>

namespace znssim::platform {

using trace::latency_histogram;

/// One direction (read, write, trim) or one zone action of a stream.
struct op_stats {
    std::uint64_t ios = 0;
    std::uint64_t bytes = 0;
    std::uint64_t errors = 0;
    latency_histogram clat; ///< completion latency (submission to completion), ns
    latency_histogram slat; ///< submission latency (host submit call to doorbell), ns
    latency_histogram lat;  ///< slat + clat per command (fio's "lat"), ns

    /// One successful command (failed ones only count errors: ++errors).
    void record(std::uint64_t bytes_moved, std::uint64_t clat_ns, std::uint64_t slat_ns = 0);
    void merge(const op_stats& other);
};

enum class zone_action_kind : std::uint8_t { open, close, finish, reset };
constexpr std::size_t zone_action_kinds = 4;
const char* zone_action_name(zone_action_kind k); ///< "open", "close", "finish", "reset"
/// The zone action a zone-management stream op performs (op must be one: is_zone_mgmt).
zone_action_kind zone_action_of(stream_op op);

struct stream_stats {
    std::string name;
    std::string op; ///< stream_op name, for the summary
    unsigned queue_depth = 0;
    std::uint64_t block_bytes = 0;
    op_stats read;
    op_stats write;
    op_stats trim; ///< deallocate (DSM); also where fio puts trims
    std::array<op_stats, zone_action_kinds> zone_mgmt;
    sim_time started = 0;    ///< first submission
    sim_time finished = 0;   ///< last completion
    double wall_seconds = 0; ///< wall-clock time the stream took to simulate
    std::uint64_t verified_lbas = 0;
    std::uint64_t verify_mismatches = 0;
    /// Failed commands of every direction and zone action (not verify mismatches).
    std::uint64_t errors() const;
    /// Runtime used for IOPS and bandwidth (finished - started; at least 1 ns when anything ran).
    sim_time runtime() const;
    /// Anything submitted at all (a command completed or failed).
    bool ran() const;
    /// fio's job "error": 5 (EIO) when a command failed, else 84 (EILSEQ, fio's verify failure)
    /// when verify found a mismatch, else 0.
    int error_code() const;
    op_stats& zone(zone_action_kind k) { return zone_mgmt[static_cast<std::size_t>(k)]; }
    const op_stats& zone(zone_action_kind k) const {
        return zone_mgmt[static_cast<std::size_t>(k)];
    }
};

/// fio's default clat percentile list (text and JSON report these).
extern const std::array<double, 17> fio_percentiles;

/// Empty statistics labelled with a stream's name, op, queue depth and block size.
stream_stats make_stream_stats(const stream_spec& s);

/// fio-like text: per stream "name: (groupid=0, jobs=1): err= 0" then read/write lines with
/// IOPS, bandwidth, clat min/max/avg/stdev and the clat percentiles, and zone action latencies.
void print_text_summary(std::ostream& out, const std::vector<stream_stats>& streams);

/// {"fio version": "znssim-<v>", "time": ..., "jobs": [ {"jobname": ..., "read": {...},
/// "write": {...}, "trim": {...}, "zone_mgmt": {...}} ] } with fio's field names: io_bytes,
/// io_kbytes, bw (KiB/s), bw_bytes, iops, runtime (ms), total_ios, clat_ns/lat_ns/slat_ns with
/// min, max, mean, stddev, N and percentile {"50.000000": ns, ...}. 'when' stamps "timestamp",
/// "timestamp_ms" and "time" (local time, as fio prints it).
nlohmann::json fio_json(const std::vector<stream_stats>& streams,
                        std::time_t when = std::time(nullptr));
/// The same document with the keys in fio's order (nlohmann::json sorts them).
nlohmann::ordered_json fio_json_ordered(const std::vector<stream_stats>& streams,
                                        std::time_t when = std::time(nullptr));
/// fio_json_ordered, indented, followed by a newline: what `--output-format=json` writes.
void print_fio_json(std::ostream& out, const std::vector<stream_stats>& streams,
                    std::time_t when = std::time(nullptr));

} // namespace znssim::platform
