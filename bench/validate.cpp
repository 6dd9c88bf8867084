// Validation of the timing model against a real drive (see bench/validate): runs the calibration
// job on the ZN540-like config and prints, for every point of
// ../shared/reference/zn540-calibration.md, the real device's value, the model's and the error.
// Last line: points=<N> within_10pct=<M> worst_error_pct=<E>.
#include "bench/bench_job.h"

#include <CLI/CLI.hpp>
#include <systemc>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

using namespace znssim;

namespace {

enum class metric { mean_latency, p99_latency, iops, bandwidth };

struct point {
    const char* what;   ///< the measurement, as the reference names it
    const char* stream; ///< the calibration job's stream that measures it
    metric m;
    bool zone_action; ///< the stream's zone management latency instead of its I/O
    double real;      ///< the real drive: seconds, IOPS or bytes per second
};

// ../shared/reference/zn540-calibration.md, "Latency and throughput points".
const point points[] = {
    {"4 KiB write, 1 zone, QD1: mean latency", "write-4k-qd1", metric::mean_latency, false,
     11.4e-6},
    {"4 KiB write, 1 zone, QD1: p99 latency", "write-4k-qd1", metric::p99_latency, false, 13.5e-6},
    {"4 KiB write, 1 zone, QD1: IOPS", "write-4k-qd1", metric::iops, false, 85e3},
    {"64 KiB write, 1 zone, QD1: mean latency", "write-64k-qd1", metric::mean_latency, false,
     53e-6},
    {"write ceiling: 1 zone, 128 KiB writes, QD1", "ceiling-1zone-128k", metric::bandwidth, false,
     1.20e9},
    {"write ceiling: 1 zone, 8 KiB appends, QD8", "ceiling-1zone-append-8k", metric::bandwidth,
     false, 1.20e9},
    {"write ceiling: 14 zones, 64 KiB writes, QD1 each", "ceiling-14zones-64k", metric::bandwidth,
     false, 1.20e9},
    {"4 KiB random read, QD1: mean latency", "randread-4k-qd1", metric::mean_latency, false,
     72.6e-6},
    {"4 KiB random read, QD1: p99 latency", "randread-4k-qd1", metric::p99_latency, false, 81.4e-6},
    {"explicit zone open (empty zone)", "open-empty", metric::mean_latency, true, 9.4e-6},
    {"zone close", "close", metric::mean_latency, true, 10.8e-6},
    {"zone reset, empty zone", "reset-empty", metric::mean_latency, true, 1.61e-3},
    {"zone reset, full zone", "reset-full", metric::mean_latency, true, 15.8e-3},
    {"zone finish, 1 LBA written", "finish-1-lba", metric::mean_latency, true, 908e-3},
    {"zone finish, full but 1 LBA", "finish-full-but-1", metric::mean_latency, true, 2.6e-3},
};

std::string show(metric m, double v) {
    char buf[64];
    switch (m) {
    case metric::iops:
        std::snprintf(buf, sizeof buf, "%.1f K IOPS", v / 1e3);
        break;
    case metric::bandwidth:
        std::snprintf(buf, sizeof buf, "%.3f GB/s", v / 1e9);
        break;
    default:
        if (v >= 1e-3)
            std::snprintf(buf, sizeof buf, "%.2f ms", v * 1e3);
        else
            std::snprintf(buf, sizeof buf, "%.2f us", v * 1e6);
    }
    return buf;
}

/// The model's value of a point from its stream's statistics; NaN when the stream did not run.
double measured(const point& p, const std::vector<platform::stream_stats>& streams) {
    for (const auto& s : streams) {
        if (s.name != p.stream) continue;
        const platform::op_stats* o = nullptr;
        if (p.zone_action) {
            for (const auto& z : s.zone_mgmt)
                if (z.ios) o = &z;
        } else {
            o = s.write.ios ? &s.write : &s.read;
        }
        if (!o || o->ios == 0) return NAN;
        const double runtime = to_s(s.runtime());
        switch (p.m) {
        case metric::mean_latency:
            return o->clat.mean() * 1e-9;
        case metric::p99_latency:
            return static_cast<double>(o->clat.percentile(99)) * 1e-9;
        case metric::iops:
            return runtime > 0 ? static_cast<double>(o->ios) / runtime : NAN;
        case metric::bandwidth:
            return runtime > 0 ? static_cast<double>(o->bytes) / runtime : NAN;
        }
    }
    return NAN;
}

} // namespace

int sc_main(int argc, char** argv) {
    CLI::App app{"Timing model validation against the WD ZN540 calibration points",
                 "bench_validate"};
    std::string config = "configs/zn540.yaml", job_file = "bench/jobs/zn540-calibration.yaml";
    bool verbose = false;
    app.add_option("--config", config, "the ZN540-like configuration")->capture_default_str();
    app.add_option("--job", job_file, "the calibration job")->capture_default_str();
    app.add_flag("--verbose", verbose, "print the job's own output too");
    CLI11_PARSE(app, argc, argv);

    const bench::job_result run = bench::run_job(config, job_file, verbose);
    if (!run.ok) {
        std::cerr << "bench_validate: the calibration job failed:\n" << run.output;
        return 1;
    }
    std::printf("%-50s %14s %14s %8s\n", "measurement", "real device", "model", "error");
    unsigned n = 0, within = 0;
    double worst = 0;
    for (const point& p : points) {
        const double model = measured(p, run.streams);
        const double err = (model - p.real) / p.real * 100;
        ++n;
        if (std::isnan(model)) {
            std::printf("%-50s %14s %14s %8s\n", p.what, show(p.m, p.real).c_str(), "(no data)",
                        "-");
            worst = INFINITY;
            continue;
        }
        if (std::fabs(err) <= 10) ++within;
        worst = std::max(worst, std::fabs(err));
        std::printf("%-50s %14s %14s %+7.1f%%\n", p.what, show(p.m, p.real).c_str(),
                    show(p.m, model).c_str(), err);
    }
    std::printf("simulated %.3f s in %.1f s wall\n", run.simulated_seconds, run.wall_seconds);
    std::printf("points=%u within_10pct=%u worst_error_pct=%.1f\n", n, within, worst);
    return within == n ? 0 : 1;
}

int main(int argc, char** argv) {
    return bench::quiet_main(argc, argv);
}
