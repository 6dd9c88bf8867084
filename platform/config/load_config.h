#pragma once
// Loading a device/platform configuration file (YAML) into a validated system_config.
// The schema is documented in README.md ("Configuration reference"); every error is a
// config_error "<file>:<line>:<column>: <key.path>: <message>".
#include "platform/config/system_config.h"
#include "platform/config/yaml_reader.h"

#include <string>

namespace znssim::platform {

/// Reads and validates a config file; relative paths in it (images, log file, workload) are
/// resolved against the file's directory.
system_config load_config(const std::string& path);

/// The same from text: name_for_errors is used in messages, base_dir resolves relative paths.
system_config parse_config(const std::string& yaml_text, const std::string& name_for_errors,
                           const std::string& base_dir);

/// Resolves a path from a config file against its directory (absolute paths are kept).
std::string resolve_path(const std::string& base_dir, const std::string& path);

} // namespace znssim::platform
