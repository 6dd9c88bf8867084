#pragma once
// Subcommands of the `znssim` command. Each lives in its own file (platform/cli/cmd_<name>.cpp)
// and registers itself on the application; main.cpp calls the register functions in order.
//
// A subcommand's callback returns normally on success and reports failure by throwing
// CLI::RuntimeError(exit_code) (1 = the run failed, e.g. a verify mismatch). Configuration,
// image and other runtime errors are left to propagate: main prints them on one line and exits
// with status 2.
#include <CLI/CLI.hpp>

namespace znssim::cli {

void register_run_command(CLI::App& app);   // cmd_run.cpp
void register_zones_command(CLI::App& app); // cmd_zones.cpp
void register_lspci_command(CLI::App& app); // cmd_lspci.cpp
void register_qemu_command(CLI::App& app);  // cmd_qemu.cpp
void register_plot_command(CLI::App& app);  // cmd_plot.cpp

/// Silences SystemC's banner and informational reports (call before any SystemC object exists).
void quiet_systemc();

} // namespace znssim::cli
