// `znssim plot DIR`: (re)draws the PNG plots of a `znssim run --out DIR` directory from its CSV
// files, without running anything again.
#include "platform/cli/commands.h"
#include "platform/plot/plot.h"

#include <iostream>
#include <memory>
#include <string>

namespace znssim::cli {

namespace {
struct plot_options {
    std::string dir;
    std::string out;
    unsigned bins = 600;
};
} // namespace

void register_plot_command(CLI::App& app) {
    auto opts = std::make_shared<plot_options>();
    CLI::App* cmd = app.add_subcommand(
        "plot", "Draw latency-cdf.png, throughput.png, zone-limits.png and zone-heatmap.png "
                "from the files of a `znssim run --out DIR` (python3-matplotlib)");
    cmd->add_option("dir", opts->dir, "Directory written by znssim run --out")
        ->required()
        ->check(CLI::ExistingDirectory);
    cmd->add_option("--out", opts->out, "Where the images go (default: DIR)");
    cmd->add_option("--bins", opts->bins, "Time bins of the heat map (throughput: a third)")
        ->check(CLI::Range(10u, 10000u))
        ->capture_default_str();
    cmd->callback([opts] {
        std::vector<std::string> args = {"--bins", std::to_string(opts->bins)};
        if (!opts->out.empty()) args.insert(args.end(), {"--out", opts->out});
        const platform::plot_result r = platform::plot_run(opts->dir, args);
        if (!r.ok) {
            if (!r.error.empty()) std::cerr << "znssim: error: " << r.error << "\n";
            throw CLI::RuntimeError(1);
        }
    });
}

} // namespace znssim::cli
