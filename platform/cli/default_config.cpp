#include "platform/cli/default_config.h"

#include <filesystem>
#include <system_error>

namespace znssim::cli {

std::string default_config_path() {
    namespace fs = std::filesystem;
    std::error_code ec;
    // An installed binary: <prefix>/bin/znssim next to <prefix>/share/znssim/configs.
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    const fs::path installed =
        exe.parent_path().parent_path() / "share/znssim/configs/default.yaml";
    if (!ec && fs::exists(installed, ec)) return installed.string();
    // A binary of a build tree: the sources it was built from.
    const fs::path source = fs::path(ZNSSIM_SOURCE_DIR) / "configs/default.yaml";
    if (fs::exists(source, ec)) return source.string();
    return installed.string(); // missing: the error names where it should be
}

} // namespace znssim::cli
