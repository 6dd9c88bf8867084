#pragma once
// Runs the streams of a `run:` step concurrently through the reference host driver, one SystemC
// thread per stream, each on I/O queue pairs of its own, and measures them (stats.h); and
// brings zones to a state for a `prepare:` step. Must be called from an SC_THREAD.
#include "platform/driver/host_driver.h"
#include "platform/workload/op_source.h"
#include "platform/workload/stats.h"
#include "platform/workload/stop_request.h"
#include "platform/workload/stream_spec.h"

#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace znssim::platform {

class progress_meter;

/// Where error lines go: 'errors' when set (with 'out' flushed first, so that the two keep their
/// order on a terminal), otherwise 'out'.
std::ostream& error_stream(std::ostream& out, std::ostream* errors);

class stream_runner {
  public:
    struct options {
        /// Namespaces that keep no data (writes discarded): no data pattern is written there.
        std::function<bool(std::uint32_t nsid)> stores_data;
        progress_meter* progress = nullptr;
        std::ostream* errors = nullptr; ///< where errors go; null: the output stream
        /// Once requested: streams issue nothing more (no verify pass either), drain what is
        /// in flight and end; prepare stops after the writes in flight.
        const stop_request* stop = nullptr;
    };
    stream_runner(host_driver& driver, std::ostream& out, options opts);

    /// Runs the streams at once; returns their statistics (in the order given). Problems with a
    /// stream's definition (namespace, block size, zones) are reported as errors in its stats
    /// and on 'out', and it does not run.
    std::vector<stream_stats> run(const std::vector<stream_spec>& streams);
    /// Brings the zones of a prepare step to its state; false (with a message) on failure.
    bool prepare(const prepare_spec& p);

    /// Problems found before anything ran (one line each).
    const std::vector<std::string>& errors() const { return m_errors; }

  private:
    struct stream_run;
    void run_stream(stream_run& s);
    bool setup(stream_run& s);
    bool make_queues(stream_run& s);
    void issue(stream_run& s, const planned_io& io);
    void complete(stream_run& s, const completion& c);
    void verify_written(stream_run& s);
    void error(const stream_spec& s, const std::string& what);
    /// The error stream, after the output written so far.
    std::ostream& error_stream();
    bool stopping() const { return stop_requested(m_opts.stop); }
    /// Waits for d of simulated time, or less if a stop is requested meanwhile.
    void sleep_for(sc_core::sc_time d);

    host_driver& m_driver;
    std::ostream& m_out;
    options m_opts;
    std::vector<std::string> m_errors;
    unsigned m_running = 0;
    sc_core::sc_event m_stream_done;
    std::uint16_t m_next_qid = 0;
};

} // namespace znssim::platform
