// `znssim lspci --config FILE`: the configured function's config space, `lspci -vvv` style,
// computed from the parameters alone (no simulation), after any identity_from_host copy.
#include "model/identity/host_identity.h"
#include "model/identity/lspci.h"
#include "model/pcie/config_space.h"
#include "platform/cli/commands.h"
#include "platform/config/load_config.h"

#include <iostream>
#include <memory>
#include <string>

namespace znssim::cli {

void register_lspci_command(CLI::App& app) {
    struct options {
        std::string config = "configs/default.yaml";
        std::string slot = "00:00.0";
    };
    auto opts = std::make_shared<options>();
    CLI::App* cmd = app.add_subcommand(
        "lspci", "Print the configured PCIe function's config space in lspci -vvv style");
    cmd->add_option("-c,--config", opts->config, "Configuration file (YAML)")
        ->capture_default_str();
    cmd->add_option("--slot", opts->slot, "Slot printed in the header line")->capture_default_str();
    cmd->callback([opts] {
        platform::system_config cfg = platform::load_config(opts->config);
        if (!cfg.identity_from_host.empty())
            identity::apply_host_identity(identity::read_host_identity(cfg.identity_from_host),
                                          cfg.pcie);
        pcie::config_space cs(cfg.pcie);
        std::cout << identity::lspci_dump(cs, opts->slot);
        std::cout.flush();
    });
}

} // namespace znssim::cli
