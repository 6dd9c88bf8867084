#pragma once
// Short names of commands for traces and tables ("read", "append", "zone reset", "identify").
#include "nvme/core/command_trace.h"

namespace znssim::zns {

/// The command's name; a ZMS is named by its action ("zone reset", "zone finish all").
/// Unknown opcodes give "admin" or "io".
const char* command_name(const nvme::command_record& r);

/// Is this a Zone Management Send with the given action (spec::zsa value)?
bool is_zone_action(const nvme::command_record& r, std::uint8_t action);
/// Does a Zone Management Send act on every zone (Select All)?
bool selects_all(const nvme::command_record& r);

} // namespace znssim::zns
