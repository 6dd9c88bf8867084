#pragma once
// Running a job file on a configuration for a benchmark: the images go to a scratch directory
// (the shipped tree keeps no state), the job's own output is kept unless asked for, and the
// streams' statistics come back. Call from sc_main; SystemC elaborates once per process.
#include "platform/config/load_config.h"
#include "platform/system.h"
#include "platform/workload/job.h"
#include "platform/workload/runner.h"

#include <systemc>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace znssim::bench {

struct job_result {
    bool ok = false;
    std::string output; ///< what the job printed (when not shown)
    std::vector<platform::stream_stats> streams;
    double wall_seconds = 0;
    double simulated_seconds = 0;
    const platform::stream_stats* find(const std::string& name) const {
        for (const auto& s : streams)
            if (s.name == name) return &s;
        return nullptr;
    }
};

inline job_result run_job(const std::string& config, const std::string& job_file, bool show) {
    platform::system_config cfg = platform::load_config(config);
    char dir[] = "/tmp/znssim-bench-XXXXXX";
    if (::mkdtemp(dir) == nullptr) throw std::runtime_error("mkdtemp failed");
    for (auto& ns : cfg.namespaces)
        ns.image = std::string(dir) + "/ns" + std::to_string(ns.nsid) + ".img";
    cfg.logging.default_level = log::level::warn;
    log::configure(cfg.logging);
    const platform::job job = platform::load_job(job_file);
    platform::driver_params dp;
    dp.request_queues = 64;
    platform::system sys("system", cfg, dp);
    std::ostringstream captured;
    platform::run_settings rs;
    rs.stores_data = [&cfg](std::uint32_t nsid) {
        for (const auto& ns : cfg.namespaces)
            if (ns.nsid == nsid) return ns.store_data;
        return true;
    };
    platform::job_process proc("job", sys.driver(), &job, show ? std::cout : captured, rs);
    const auto t0 = std::chrono::steady_clock::now();
    sc_core::sc_start();
    job_result r;
    r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    r.simulated_seconds = sc_core::sc_time_stamp().to_seconds();
    sys.shutdown();
    std::filesystem::remove_all(dir);
    r.ok = proc.finished() && proc.result().ok();
    r.output = captured.str();
    r.streams = proc.stream_results();
    return r;
}

/// For a benchmark's main(): SystemC's banner stays out of its output.
inline int quiet_main(int argc, char** argv) {
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
    setenv("SC_COPYRIGHT_MESSAGE", "DISABLE", 1);
    sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
    return sc_core::sc_elab_and_sim(argc, argv);
}

} // namespace znssim::bench
