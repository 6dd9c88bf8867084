// `znssim zones IMAGE [--json]`: the zones persisted in a namespace image, without simulating.
#include "platform/cli/commands.h"
#include "zns/report.h"

#include <iostream>
#include <memory>
#include <string>

namespace znssim::cli {

void register_zones_command(CLI::App& app) {
    struct options {
        std::string image;
        bool json = false;
    };
    auto opts = std::make_shared<options>();
    CLI::App* cmd = app.add_subcommand(
        "zones", "Print the zones persisted in a zoned namespace image (offline, blkzone style)");
    cmd->add_option("image", opts->image, "Namespace image file")->required();
    cmd->add_flag("--json", opts->json, "JSON output (positions in LBAs)");
    cmd->callback([opts] {
        zns::zone_report r = zns::read_zone_report(opts->image);
        std::cout << (opts->json ? zns::format_zone_report_json(r)
                                 : zns::format_zone_report_text(r));
        std::cout.flush();
    });
}

} // namespace znssim::cli
