#pragma once
// Internal to the config loader: one reader per top-level section.
#include "platform/config/system_config.h"
#include "platform/config/yaml_reader.h"

#include <optional>
#include <string>

namespace znssim::platform::detail {

void read_controller(yaml_map controller, system_config& cfg);
/// The timing: section (the structural SSD model's parameters).
void read_timing(yaml_map timing, system_config& cfg);
/// Needs the controller already read (MDTS bounds ZASL). controller_zasl is the controller's
/// zasl key when given: a namespace's zoned.zasl must agree with it.
void read_namespaces(const yaml_value& list, const std::string& base_dir, system_config& cfg,
                     const std::optional<yaml_value>& controller_zasl);

} // namespace znssim::platform::detail
