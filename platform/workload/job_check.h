#pragma once
// What can be known wrong about a job before the controller is brought up: steps and streams
// that name a namespace the configuration does not have, zone steps on a conventional
// namespace, blocks that are not whole LBAs or exceed the transfer limit (MDTS), verification of
// a namespace that keeps no data. znssim run checks a job this way and refuses it (status 2)
// instead of failing it step by step after bring-up; the runner still checks each step.
#include "platform/config/system_config.h"
#include "platform/workload/job.h"

namespace znssim::platform {

/// The bytes one command may move with the configured MDTS, as the reference driver and Linux
/// use it (a limit of 0 or above 4 MiB is taken as 4 MiB).
std::uint64_t transfer_limit_bytes(const system_config& cfg);

/// Throws std::invalid_argument naming the step ("file:line: step: ...") of the first problem.
void check_job(const job& j, const system_config& cfg);

} // namespace znssim::platform
