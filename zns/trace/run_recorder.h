#pragma once
// The run recorder: follows a controller and its zoned namespaces while they run and writes
// what a zone-timing study needs, as it happens (bounded memory whatever the run length):
//   zones.csv           every zone transition and Reset/Finish Recommended, with time and cause
//   commands.csv        every command's submission, fetch, media and completion times
//   limits.csv          open and active zones over time, with the namespace's limits
//   zone-residency.csv  time per zone per state, resets and finishes (written at the end)
//   trace.json          the Chrome trace (see trace_tracks.h)
// and keeps the zone activity the run summary prints. An integrator attaches it to the
// controller_core of their own platform the same way `znssim run --out` does:
//   zns::run_recorder rec({.dir = "out"}); rec.attach(ctrl.core(), &timing);
//   ... sc_start() ...; rec.finish(now);
// While nothing is attached the controller and the namespaces build no records at all.
#include "model/timing/media_timing.h"
#include "model/trace/csv_writer.h"
#include "model/trace/histogram.h"
#include "nvme/core/command_trace.h"
#include "nvme/core/controller_core.h"
#include "zns/trace/trace_tracks.h"
#include "zns/trace/zone_timeline.h"
#include "zns/zone_trace.h"

#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace znssim::zns {

struct recorder_options {
    std::string dir;          ///< where the files go; empty: none (the summary only)
    bool commands_csv = true; ///< one row per command can be large: this turns it off
    bool trace_json = true;
    trace_window window; ///< bounds trace.json
};

/// Latencies (submission to completion) of one kind of zone action's commands.
struct zone_action_latency {
    trace::latency_histogram latency;
};

class run_recorder final : public zone_event_sink, public nvme::command_record_sink {
  public:
    explicit run_recorder(recorder_options options);
    ~run_recorder() override;
    run_recorder(const run_recorder&) = delete;
    run_recorder& operator=(const run_recorder&) = delete;

    /// Starts recording the controller's commands and its zoned namespaces' zones (their
    /// current states are the start of the timeline). 'timing' (optional) gives the write-buffer
    /// counter. Creates the files; throws std::runtime_error naming one that cannot be created.
    void attach(nvme::controller_core& core, const media_timing* timing = nullptr);
    /// Stops recording at 'end' (the simulated time the run ended), closes the zone intervals
    /// and writes the files out. Throws std::runtime_error if a file could not be written.
    void finish(sim_time end);

    /// The first write error (the recorder stops writing files then; the run goes on).
    const std::string& error() const { return m_error; }
    const zone_timeline& timeline() const { return m_timeline; }
    const zone_action_latency& resets() const { return m_resets; }
    const zone_action_latency& finishes() const { return m_finishes; }
    /// Zone activity of the run, for the run summary: transitions by kind, auto-closes, faults,
    /// peak open/active against the limits, resets and finishes with their latencies.
    void print_activity(std::ostream& out) const;

    // sinks
    void zone_event(const struct zone_event& e) override;
    void command_done(const nvme::command_record& r) override;

  private:
    void open_files();
    void detach();
    void write_failed(const std::exception& e);
    void place_zone_action(const nvme::command_record& r, const char* name);
    void write_residency(sim_time end);

    recorder_options m_opts;
    nvme::controller_core* m_core = nullptr;
    const media_timing* m_timing = nullptr;
    std::vector<std::uint32_t> m_zoned; ///< nsids of the zoned namespaces followed
    zone_timeline m_timeline;
    zone_action_latency m_resets;
    zone_action_latency m_finishes;
    std::unique_ptr<trace::csv_writer> m_zones_csv;
    std::unique_ptr<trace::csv_writer> m_commands_csv;
    std::unique_ptr<trace::csv_writer> m_limits_csv;
    std::unique_ptr<trace_tracks> m_trace;
    /// Per zoned namespace and zone: when its last traced zone action ended.
    std::map<std::uint32_t, std::vector<sim_time>> m_action_until;
    bool m_files = false; ///< files open and healthy
    std::string m_error;
    sim_time m_end = 0;
    bool m_finished = false;
};

} // namespace znssim::zns
