#pragma once
// The NVM command set (CSI 00h): handlers for Flush, Write, Read, Compare, Write Zeroes, Dataset
// Management and Verify, and the io_command_set that registers them. The ZNS command set starts
// from a copy of this set and reuses execute_write() for Zone Append.
#include "nvme/core/command.h"
#include "nvme/core/command_set.h"
#include "nvme/ns/namespace.h"

namespace znssim::nvme {

/// The NVM command set with its Commands Supported and Effects entries.
const io_command_set& nvm_command_set();

disposition handle_flush(command_context& ctx, command& cmd);
disposition handle_write(command_context& ctx, command& cmd);
disposition handle_read(command_context& ctx, command& cmd);
disposition handle_compare(command_context& ctx, command& cmd);
disposition handle_write_zeroes(command_context& ctx, command& cmd);
disposition handle_dataset_management(command_context& ctx, command& cmd);
disposition handle_verify(command_context& ctx, command& cmd);

/// A data-carrying write of 'kind' (write or append): namespace lookup, field checks, MDTS,
/// begin_write / data copy into the image / end_write, health counters and timing. For appends
/// SLBA is the zone start; the assigned LBA goes to CQE DW0/DW1 and end_write() receives it.
disposition execute_write(command_context& ctx, command& cmd, write_kind kind);

} // namespace znssim::nvme
