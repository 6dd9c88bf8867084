#pragma once
// The configuration `znssim run` and `znssim lspci` use without --config: the shipped
// configs/default.yaml of the installation the binary belongs to, else of the source tree it
// was built from; never one that happens to be in the current directory.
#include <string>

namespace znssim::cli {

std::string default_config_path();

} // namespace znssim::cli
