// Timed-mode simulation speed (see bench/timed): 4 KiB random reads at queue depth 256 on the
// ZN540-like device. Prints the measured stream's simulated IOPS and how many simulated seconds
// pass per wall-clock second; the target is at least 1 (as fast as the real drive runs it).
#include "bench/bench_job.h"

#include <CLI/CLI.hpp>

#include <cstdio>

using namespace znssim;

int sc_main(int argc, char** argv) {
    CLI::App app{"Timed-mode simulation speed: 4 KiB random reads at QD256 on the ZN540-like "
                 "device",
                 "bench_timed"};
    std::string config = "configs/zn540.yaml", job_file = "bench/jobs/timed-randread.yaml";
    std::string stream = "randread-4k-qd256";
    bool verbose = false;
    app.add_option("--config", config, "device configuration")->capture_default_str();
    app.add_option("--job", job_file, "the job (its stream --stream is measured)")
        ->capture_default_str();
    app.add_option("--stream", stream, "the stream whose speed is reported")->capture_default_str();
    app.add_flag("--verbose", verbose, "print the job's own output too");
    CLI11_PARSE(app, argc, argv);

    const bench::job_result run = bench::run_job(config, job_file, verbose);
    const platform::stream_stats* s = run.find(stream);
    if (!run.ok || !s || s->wall_seconds <= 0) {
        std::fprintf(stderr, "bench_timed: the job failed or has no stream '%s':\n%s",
                     stream.c_str(), run.output.c_str());
        return 1;
    }
    const double sim = to_s(s->runtime());
    const std::uint64_t ios = s->read.ios + s->write.ios;
    const double iops = sim > 0 ? static_cast<double>(ios) / sim : 0;
    std::printf("%s: %llu commands, %.3f s simulated in %.3f s wall (%.0f commands per wall "
                "second); whole job %.1f s wall\n",
                stream.c_str(), static_cast<unsigned long long>(ios), sim, s->wall_seconds,
                static_cast<double>(ios) / s->wall_seconds, run.wall_seconds);
    std::printf("sim_seconds_per_wall_second=%.3f sim_iops=%.0f\n", sim / s->wall_seconds, iops);
    return 0;
}

int main(int argc, char** argv) {
    return bench::quiet_main(argc, argv);
}
