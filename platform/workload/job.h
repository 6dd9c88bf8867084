#pragma once
// A job: the list of steps `znssim run` drives through the reference host driver. Read from YAML
// with the same strict reader as configs (unknown keys, ranges, file:line in every error); the
// format is documented in README.md ("Job format").
#include "platform/config/yaml_reader.h"
#include "platform/workload/stream_spec.h"

#include <cstdint>
#include <string>
#include <vector>

namespace znssim::platform {

enum class step_kind : std::uint8_t {
    write,  ///< sequential write of a range (optionally read back and compared)
    read,   ///< sequential read of a range
    verify, ///< sequential read of a range, compared with the pattern
    random, ///< random reads/writes at a queue depth
    open,   ///< Zone Management Send actions
    close,
    finish,
    reset,
    append, ///< Zone Append of N blocks, printing each assigned LBA
    report, ///< zone report as a blkzone-like table
    flush,
    run,     ///< streams run concurrently and measured (job_step::streams)
    prepare, ///< bring zones to a state before a measurement (job_step::prepare)
};

/// Which zone(s) a zone step acts on, resolved against a zone report when the step runs.
struct zone_selector {
    enum class kind : std::uint8_t {
        index,
        first_empty,
        first_open,
        first_closed,
        first_full,
        all
    };
    kind what = kind::index;
    std::uint32_t index = 0;
};

struct job_step {
    step_kind kind = step_kind::flush;
    std::string where; ///< "file:line" of the step, for messages
    std::uint32_t nsid = 1;

    // Range (write/read/verify/random): by LBA, by bytes, or whole zones.
    bool by_zone = false;
    zone_selector zone;           ///< first zone (by_zone) / target zone (zone steps)
    std::uint32_t zone_count = 1; ///< zones covered from 'zone' (by_zone)
    std::uint64_t start_lba = 0;
    std::uint64_t start_bytes = 0; ///< used when start was given in bytes
    bool start_in_bytes = false;
    std::uint64_t length = 0; ///< 0 = to the end of the namespace
    bool length_in_bytes = false;

    std::uint64_t block_bytes = 128 * 1024; ///< bytes per command
    unsigned queue_depth = 1;
    std::uint64_t seed = 1;    ///< data pattern seed
    bool verify_after = false; ///< write/append: read back and compare

    // random
    std::uint64_t commands = 0;
    unsigned read_percent = 100;

    // append
    std::uint32_t blocks = 1;

    // run: at least one stream, names unique within the step. nsid above is the first
    // stream's (each stream carries its own).
    std::vector<stream_spec> streams;
    // prepare (nsid above is prepare.nsid)
    prepare_spec prepare;
};

struct job {
    std::string name;
    std::string source;
    std::vector<job_step> steps;
};

job load_job(const std::string& path);
job parse_job(const std::string& yaml_text, const std::string& name_for_errors);

const char* step_name(step_kind k);

} // namespace znssim::platform
