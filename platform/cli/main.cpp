// The `znssim` command: parses the command line (CLI11) and dispatches to the subcommands
// registered from platform/cli/cmd_*.cpp.
#include "platform/cli/commands.h"

#include <systemc>

#include <cstdio>
#include <exception>
#include <iostream>
#include <string>

namespace {

int run_cli(int argc, char** argv) {
    CLI::App app{"znssim: a SystemC/TLM-2.0 model of a PCIe NVMe controller with Zoned "
                 "Namespaces",
                 "znssim"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "znssim 0.1");

    // One line per subcommand file; add new ones at the end.
    znssim::cli::register_run_command(app);
    znssim::cli::register_zones_command(app);
    znssim::cli::register_lspci_command(app);
    znssim::cli::register_qemu_command(app);
    znssim::cli::register_plot_command(app);

    // CLI11 would call an unknown word "extra" after complaining that a subcommand is missing.
    std::string known;
    bool found = false;
    for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
        known += (known.empty() ? "" : ", ") + sub->get_name();
        found = found || (argc > 1 && sub->check_name(argv[1]));
    }
    if (argc > 1 && argv[1][0] != '-' && !found) {
        std::cerr << "znssim: error: unknown subcommand '" << argv[1] << "' (known: " << known
                  << ")\n";
        return 2;
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // Usage errors (unknown subcommand, bad option) print CLI11's message and usage hint;
        // run failures thrown as CLI::RuntimeError(code) exit with their code silently.
        return app.exit(e);
    }
    return 0;
}

} // namespace

// SystemC calls this from its own main (via sc_elab_and_sim) once the banner question is settled.
int sc_main(int argc, char** argv) {
    try {
        return run_cli(argc, argv);
    } catch (const std::exception& e) {
        // Config, image and other runtime errors: one clear line, status 2, never a core dump.
        std::fflush(stdout);
        std::cerr << "znssim: error: " << e.what() << "\n";
        return 2;
    } catch (...) {
        std::cerr << "znssim: error: unexpected exception\n";
        return 2;
    }
}

// Our own entry point, so SystemC's copyright banner can be silenced before SystemC starts.
int main(int argc, char** argv) {
    znssim::cli::quiet_systemc();
    return sc_core::sc_elab_and_sim(argc, argv);
}
