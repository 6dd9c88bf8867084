// `znssim run`: builds the reference platform from a config, lets the reference host driver bring
// the controller up, runs a job and prints its summary.
#include "model/log/log.h"
#include "platform/cli/commands.h"
#include "platform/cli/signal_watch.h"
#include "platform/config/load_config.h"
#include "platform/system.h"
#include "platform/workload/fio_file.h"
#include "platform/workload/job.h"
#include "platform/workload/runner.h"
#include "platform/workload/stats.h"
#include "platform/workload/stop_request.h"

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
    std::string config = "configs/default.yaml";
    std::string job;
    std::string log_level;
    std::vector<std::string> log_modules;
    std::string log_file;
    std::string fio;     ///< a plain fio job file instead of --job
    std::string out_dir; ///< where summary.txt and results.json go
    bool no_job = false;
};

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

void run(const run_options& o) {
    // From here on SIGINT/SIGTERM end the run cleanly (see signal_watch.h): the stop request
    // exists before anything that could take long (opening images, the job).
    platform::stop_request stop("stop_request");
    signal_watch signals([&stop](int sig) { stop.post(sig); });

    platform::system_config cfg = platform::load_config(o.config);
    apply_logging(o, cfg);
    make_image_dirs(cfg);

    // --job, else the config's workload:, else bring-up and shutdown only.
    std::unique_ptr<platform::job> job;
    std::string job_path = o.no_job ? "" : (o.job.empty() ? cfg.workload : o.job);
    if (!job_path.empty()) job = std::make_unique<platform::job>(platform::load_job(job_path));

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
    platform::job_process proc("job", sys.driver(), job.get(), out.stream(), rs);
    sc_core::sc_start();
    // Model exit: zone state and data made durable whatever the job did.
    sys.shutdown();
    std::cout.flush();
    if (!o.out_dir.empty()) write_outputs(o.out_dir, captured.str(), proc.stream_results());

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
    cmd->add_option("-c,--config", opts->config, "Configuration file (YAML)")
        ->capture_default_str();
    cmd->add_option("-j,--job", opts->job,
                    "Job file (YAML); default: the config's workload: key, else bring-up only");
    cmd->add_option("--fio", opts->fio,
                    "Plain fio job file (the subset README.md lists) instead of --job");
    cmd->add_option("--out", opts->out_dir,
                    "Directory for summary.txt and results.json (fio JSON layout)");
    cmd->add_flag("--no-job", opts->no_job, "Only bring the controller up and shut it down");
    cmd->add_option("--log-level", opts->log_level,
                    "Default log level: trace, debug, info, warn, error, critical, off");
    cmd->add_option("--log", opts->log_modules, "Per-module level, MODULE=LEVEL (repeatable)");
    cmd->add_option("--log-file", opts->log_file, "Also write the log to this file");
    cmd->callback([opts] { run(*opts); });
}

} // namespace znssim::cli
