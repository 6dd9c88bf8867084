#pragma once
// The plots of a run (latency CDF, throughput, open/active zones against the limits, zone-state
// heat map) as PNG images, drawn by matplotlib from the CSV files of `znssim run --out DIR`.
// The script (platform/plot/znssim_plot.py) is built into the library, so an installed znssim
// needs nothing but Debian's python3-matplotlib.
#include <string>
#include <vector>

namespace znssim::platform {

struct plot_result {
    bool ok = false;
    /// Why not, for one line of output; empty when the script already said it.
    std::string error;
};

/// Runs the plot script on 'dir' with 'args' (e.g. {"--out", "pictures"}); its output goes to
/// this process's stdout/stderr. The interpreter is $ZNSSIM_PYTHON, else /usr/bin/python3
/// (Debian's, where python3-matplotlib installs), else python3 on the PATH.
plot_result plot_run(const std::string& dir, const std::vector<std::string>& args = {});

} // namespace znssim::platform
