#pragma once
// Runs a job through the reference host driver and prints what it did. All calls block on the
// device, so run() must be called from an SC_THREAD (job_process below provides one).
#include "platform/driver/host_driver.h"
#include "platform/workload/job.h"
#include "platform/workload/stats.h"
#include "platform/workload/stop_request.h"
#include "platform/workload/stream_runner.h"

#include <systemc>

#include <chrono>
#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace znssim::platform {

struct job_summary {
    std::uint64_t commands = 0;
    std::uint64_t bytes_written = 0;
    std::uint64_t bytes_read = 0;
    std::uint64_t errors = 0; ///< failed commands and steps that could not run
    std::uint64_t verified_lbas = 0;
    std::uint64_t verify_mismatches = 0;
    double simulated_seconds = 0;
    double wall_seconds = 0;
    /// Set when a stop request (a signal) ended the job early: its reason (the signal), and the
    /// step it came in (1-based) of how many.
    int stopped_by = 0;
    std::size_t stopped_in_step = 0;
    std::size_t steps = 0;
    /// A job fails when any verify found a mismatch or any command or step failed.
    bool ok() const { return errors == 0 && verify_mismatches == 0; }
};

/// How a job runs beyond its steps: what the platform knows about its namespaces, and progress.
struct run_settings {
    /// Namespaces that keep no data (their writes are discarded): no pattern is written there,
    /// and verifying them is an error.
    std::function<bool(std::uint32_t nsid)> stores_data;
    bool progress = false; ///< draw a progress line (on a terminal)
    /// Where step errors go (znssim run: stderr); null: the output stream.
    std::ostream* errors = nullptr;
    /// Polled before each command: once requested, nothing more is issued, what is in flight
    /// completes, and the remaining steps are skipped.
    const stop_request* stop = nullptr;
};

class job_runner {
  public:
    job_runner(host_driver& driver, std::ostream& out, run_settings settings = {});
    job_summary run(const job& j);
    void print_summary(const job& j, const job_summary& s) const;
    /// Statistics of every stream of every run step, in order (for the fio JSON output).
    const std::vector<stream_stats>& stream_results() const { return m_streams; }

  private:
    /// One I/O of a sequential or random stream.
    struct io {
        std::uint64_t lba;
        std::uint32_t nlb;
        bool write;
    };
    using next_io = std::function<bool(io&)>;

    void run_step(const job_step& s);
    void step_error(const job_step& s, const std::string& message);
    /// The error stream, after the output written so far (so the two interleave in order).
    std::ostream& error_stream();
    const namespace_info* lookup(const job_step& s);
    bool zones_of(const job_step& s, const namespace_info& ns, std::vector<zone_descriptor>& out);
    std::vector<std::uint32_t> select(const job_step& s, const std::vector<zone_descriptor>& zones,
                                      std::uint32_t count);

    // io_steps.cpp
    void sequential(const job_step& s, const namespace_info& ns);
    void random(const job_step& s, const namespace_info& ns);
    /// Keeps up to queue_depth commands in flight; verifies reads against the pattern if asked.
    void pump(const job_step& s, const namespace_info& ns, const next_io& next, bool check);
    bool range_of(const job_step& s, const namespace_info& ns, std::uint64_t& start,
                  std::uint64_t& count);

    // zone_steps.cpp
    void zone_action(const job_step& s, const namespace_info& ns);
    void append(const job_step& s, const namespace_info& ns);
    void report(const job_step& s, const namespace_info& ns);

    void count(const completion& c, const job_step& s, const std::string& what);
    bool stopping() const { return stop_requested(m_settings.stop); }
    // run steps
    void run_streams(const job_step& s);
    void prepare(const job_step& s);

    host_driver& m_driver;
    std::ostream& m_out;
    run_settings m_settings;
    std::vector<stream_stats> m_streams;
    std::uint16_t m_qid = 1;
    job_summary m_sum;
};

/// A SystemC process that waits for the driver's bring-up, runs the job, shuts the controller
/// down and stops the simulation. result() is valid after sc_start returns.
class job_process : public sc_core::sc_module {
  public:
    SC_HAS_PROCESS(job_process);
    job_process(const sc_core::sc_module_name& name, host_driver& driver, const job* j,
                std::ostream& out, run_settings settings = {});
    /// Statistics of the job's run steps (valid after sc_start returns).
    const std::vector<stream_stats>& stream_results() const { return m_streams; }
    bool finished() const { return m_finished; }
    bool driver_failed() const { return m_driver_failed; }
    const job_summary& result() const { return m_result; }

  private:
    void thread();
    host_driver& m_driver;
    const job* m_job;
    std::ostream& m_out;
    run_settings m_settings;
    std::vector<stream_stats> m_streams;
    bool m_finished = false;
    bool m_driver_failed = false;
    job_summary m_result;
};

/// "status 0x1b9" (plus " DNR" when set), for messages.
std::string status_text(const completion& c);

} // namespace znssim::platform
