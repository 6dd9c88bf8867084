// `znssim run`: builds the reference platform from a config, lets the reference host driver bring
// the controller up, runs a job and prints its summary.
#include "model/log/log.h"
#include "platform/cli/commands.h"
#include "platform/cli/default_config.h"
#include "platform/cli/signal_watch.h"
#include "platform/config/load_config.h"
#include "platform/plot/plot.h"
#include "platform/system.h"
#include "platform/workload/fio_file.h"
#include "platform/workload/job.h"
#include "platform/workload/job_check.h"
#include "platform/workload/runner.h"
#include "platform/workload/stats.h"
#include "platform/workload/stop_request.h"
#include "zns/trace/run_recorder.h"

#include <systemc>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace znssim::cli {
namespace {

struct run_options {
    std::string config; ///< empty: default_config_path()
    std::string job;
    std::string log_level;
    std::vector<std::string> log_modules;
    std::string log_file;
    std::string fio;          ///< a plain fio job file instead of --job
    std::string out_dir;      ///< where summary.txt, results.json and the zone/command traces go
    std::string trace_window; ///< "START:END" in simulated seconds
    std::uint32_t trace_sample = 1;
    std::uint64_t trace_max_events = zns::trace_window{}.max_events;
    bool no_commands_csv = false;
    bool no_plots = false;
    bool no_job = false;
};

/// A --log or logging.modules key that names no logger of the built platform is a mistake.
void check_log_modules(const platform::system_config& cfg) {
    const std::vector<std::string> unknown = log::unmatched_module_keys();
    if (unknown.empty()) return;
    std::string known;
    for (const std::string& m : log::known_modules())
        known += (known.empty() ? "" : ", ") + m;
    throw std::invalid_argument("logging module '" + unknown.front() +
                                "' (--log or logging.modules of " + cfg.source +
                                ") names no logger; the platform's modules: " + known +
                                " (a key covers its children: nvme covers nvme.ctrl; an instance "
                                "name such as system covers its loggers)");
}

/// Command-line logging options override the config's logging: section.
void apply_logging(const run_options& o, platform::system_config& cfg) {
    if (!o.log_level.empty()) cfg.logging.default_level = log::parse_level(o.log_level);
    for (const auto& m : o.log_modules) {
        auto eq = m.find('=');
        if (eq == std::string::npos || eq == 0)
            throw std::runtime_error("--log expects MODULE=LEVEL (got '" + m + "')");
        cfg.logging.module_levels[m.substr(0, eq)] = log::parse_level(m.substr(eq + 1));
    }
    if (!o.log_file.empty()) cfg.logging.file = o.log_file;
    log::configure(cfg.logging);
}

/// Images are created on first use; their directory (e.g. configs/images/) is created here.
void make_image_dirs(const platform::system_config& cfg) {
    for (const auto& ns : cfg.namespaces) {
        std::filesystem::path dir = std::filesystem::path(ns.image).parent_path();
        std::error_code ec;
        if (!dir.empty()) std::filesystem::create_directories(dir, ec);
        if (ec)
            throw std::runtime_error("cannot create the image directory " + dir.string() + ": " +
                                     ec.message());
    }
}

/// Writes to two streams at once (the terminal and the --out capture).
class tee_stream {
  public:
    tee_stream(std::ostream& a, std::ostream& b, bool both)
        : m_buf(a.rdbuf(), b.rdbuf(), both), m_stream(&m_buf) {}
    std::ostream& stream() { return m_stream; }

  private:
    struct tee_buf : std::streambuf {
        tee_buf(std::streambuf* a, std::streambuf* b, bool both) : a(a), b(both ? b : nullptr) {}
        int overflow(int c) override {
            if (c == EOF) return !EOF;
            const int r = a->sputc(static_cast<char>(c));
            if (b) b->sputc(static_cast<char>(c));
            return r;
        }
        std::streamsize xsputn(const char* s, std::streamsize n) override {
            if (b) b->sputn(s, n);
            return a->sputn(s, n);
        }
        int sync() override { return a->pubsync(); }
        std::streambuf* a;
        std::streambuf* b;
    };
    tee_buf m_buf;
    std::ostream m_stream;
};

/// --out DIR: the text output of the run and the fio-layout JSON of its run steps.
void write_outputs(const std::string& dir, const std::string& text,
                   const std::vector<platform::stream_stats>& streams) {
    const std::filesystem::path base(dir);
    std::ofstream summary(base / "summary.txt");
    summary << text;
    std::ofstream json(base / "results.json");
    platform::print_fio_json(json, streams);
    if (!summary || !json) throw std::runtime_error("cannot write the results into " + dir);
}

/// --trace-window START:END (simulated seconds, either side may be empty).
zns::trace_window parse_trace_window(const run_options& o) {
    zns::trace_window w;
    w.sample_every = o.trace_sample;
    w.max_events = o.trace_max_events;
    if (o.trace_window.empty()) return w;
    const auto colon = o.trace_window.find(':');
    auto seconds = [&](const std::string& s, sim_time fallback) {
        if (s.empty()) return fallback;
        std::size_t used = 0;
        double v = -1;
        try {
            v = std::stod(s, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != s.size() || !(v >= 0) || v > 1e6)
            throw std::invalid_argument("--trace-window expects START:END in seconds (got '" +
                                        o.trace_window + "')");
        return static_cast<sim_time>(v * 1e12 + 0.5);
    };
    if (colon == std::string::npos)
        throw std::invalid_argument("--trace-window expects START:END in seconds (got '" +
                                    o.trace_window + "')");
    w.start = seconds(o.trace_window.substr(0, colon), 0);
    w.end = seconds(o.trace_window.substr(colon + 1), ~sim_time{0});
    if (w.end <= w.start)
        throw std::invalid_argument("--trace-window: END must be after START (got '" +
                                    o.trace_window + "')");
    return w;
}

void run(run_options o) {
    // From here on SIGINT/SIGTERM end the run cleanly (see signal_watch.h): the stop request
    // exists before anything that could take long (opening images, the job).
    platform::stop_request stop("stop_request");
    signal_watch signals([&stop](int sig) { stop.post(sig); });
    if (o.config.empty()) o.config = default_config_path();

    platform::system_config cfg = platform::load_config(o.config);
    apply_logging(o, cfg);
    make_image_dirs(cfg);

    // --fio or --job, else the config's workload:, else bring-up and shutdown only.
    std::unique_ptr<platform::job> job;
    if (!o.fio.empty() && !o.job.empty())
        throw std::invalid_argument("give either --job or --fio, not both");
    const std::string job_path =
        o.no_job ? "" : (!o.fio.empty() ? o.fio : (o.job.empty() ? cfg.workload : o.job));
    if (!job_path.empty())
        job = std::make_unique<platform::job>(!o.fio.empty() ? platform::load_fio_job(job_path)
                                                             : platform::load_job(job_path));
    // What the job gets wrong against this configuration is an error before anything runs.
    if (job) platform::check_job(*job, cfg);

    const zns::trace_window window = parse_trace_window(o);
    if (!o.out_dir.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(o.out_dir, ec);
        if (ec)
            throw std::runtime_error("cannot create the output directory " + o.out_dir + ": " +
                                     ec.message());
    }
    std::cout << "znssim: config " << o.config << ", job "
              << (job ? job_path : std::string("(none: bring-up only)")) << std::endl;
    platform::driver_params dp;
    dp.request_queues = 64; // run steps give each stream queue pairs of its own
    platform::system sys("system", cfg, dp);
    check_log_modules(cfg);
    // The zone and command recorder: files with --out, the zone activity summary always.
    zns::recorder_options ro;
    ro.dir = o.out_dir;
    ro.commands_csv = !o.no_commands_csv;
    ro.window = window;
    zns::run_recorder recorder(ro);
    recorder.attach(sys.device().core().core(), &sys.timing());
    platform::run_settings rs;
    rs.progress = true;
    rs.stop = &stop;
    rs.stores_data = [&cfg](std::uint32_t nsid) {
        for (const auto& ns : cfg.namespaces)
            if (ns.nsid == nsid) return ns.store_data;
        return true;
    };
    // Everything the job prints also goes to summary.txt with --out.
    std::ostringstream captured;
    tee_stream out(std::cout, captured, !o.out_dir.empty());
    // Step errors go to stderr (and summary.txt).
    tee_stream errors(std::cerr, captured, !o.out_dir.empty());
    rs.errors = &errors.stream();
    platform::job_process proc("job", sys.driver(), job.get(), out.stream(), rs);
    sc_core::sc_start();
    // Model exit: zone state and data made durable whatever the job did.
    sys.shutdown();
    std::string trace_error;
    try {
        recorder.finish(from_sc_time(sc_core::sc_time_stamp()));
    } catch (const std::exception& e) {
        trace_error = e.what();
    }
    if (job) recorder.print_activity(out.stream());
    std::cout.flush();
    if (!trace_error.empty()) {
        std::cerr << "znssim: error: zone/command trace: " << trace_error << "\n";
        throw CLI::RuntimeError(1);
    }
    if (!o.out_dir.empty()) {
        write_outputs(o.out_dir, captured.str(), proc.stream_results());
        // The pictures are a convenience: without matplotlib the run still succeeds.
        if (!o.no_plots)
            if (const platform::plot_result r = platform::plot_run(o.out_dir); !r.ok)
                std::cerr << "znssim: warning: plots not drawn"
                          << (r.error.empty() ? "" : ": " + r.error) << " (znssim plot "
                          << o.out_dir << " draws them later)\n";
    }

    // Interrupted: the shell's convention for a process ended by a signal, after the clean
    // shutdown above.
    if (const int sig = signals.received()) throw CLI::RuntimeError(128 + sig);
    if (proc.driver_failed()) throw CLI::RuntimeError(1);
    if (!proc.finished()) {
        std::cerr << "znssim: error: the simulation ended before the job finished\n";
        throw CLI::RuntimeError(1);
    }
    if (!proc.result().ok()) throw CLI::RuntimeError(1);
}

} // namespace

void quiet_systemc() {
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
    setenv("SC_COPYRIGHT_MESSAGE", "DISABLE", 1);
    sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
}

void register_run_command(CLI::App& app) {
    auto opts = std::make_shared<run_options>();
    CLI::App* cmd = app.add_subcommand(
        "run", "Run a job on the reference platform (host driver + controller) from a config");
    cmd->add_option("-c,--config", opts->config,
                    "Configuration file (YAML); default: configs/default.yaml of the installation "
                    "or source tree this binary belongs to");
    cmd->add_option("-j,--job", opts->job,
                    "Job file (YAML); default: the config's workload: key, else bring-up only");
    cmd->add_option("--fio", opts->fio,
                    "Plain fio job file (the subset README.md lists) instead of --job");
    cmd->add_option("--out", opts->out_dir,
                    "Directory for summary.txt, results.json (fio JSON layout), zones.csv, "
                    "zone-residency.csv, limits.csv, commands.csv and trace.json");
    cmd->add_option("--trace-window", opts->trace_window,
                    "trace.json holds only START:END (simulated seconds; e.g. 0.5:1.5, 2:)");
    cmd->add_option("--trace-sample", opts->trace_sample,
                    "trace.json shows one command in N of each I/O queue")
        ->check(CLI::Range(1u, 1000000000u))
        ->capture_default_str();
    cmd->add_option("--trace-max-events", opts->trace_max_events,
                    "trace.json stops adding commands after this many events (~150 bytes each)")
        ->check(CLI::Range(std::uint64_t{1000}, std::uint64_t{1} << 40))
        ->capture_default_str();
    cmd->add_flag("--no-commands-csv", opts->no_commands_csv,
                  "Do not write commands.csv (one row per command)");
    cmd->add_flag("--no-plots", opts->no_plots,
                  "With --out: do not draw the PNG plots (znssim plot DIR draws them later)");
    cmd->add_flag("--no-job", opts->no_job, "Only bring the controller up and shut it down");
    cmd->add_option("--log-level", opts->log_level,
                    "Default log level: trace, debug, info, warn, error, critical, off");
    cmd->add_option("--log", opts->log_modules, "Per-module level, MODULE=LEVEL (repeatable)");
    cmd->add_option("--log-file", opts->log_file, "Also write the log to this file");
    cmd->callback([opts] { run(*opts); });
}

} // namespace znssim::cli
