#pragma once
// Readers of the `run:` and `prepare:` job steps (job_run.cpp), used by parse_job (job.cpp).
#include "platform/config/yaml_reader.h"
#include "platform/workload/stream_spec.h"

#include <vector>

namespace znssim::platform {

/// Largest bytes per command a job may ask for (the driver splits nothing).
constexpr std::uint64_t job_max_block = 64ull << 20;

/// `run:` - a non-empty list of stream mappings.
std::vector<stream_spec> read_run_step(const yaml_value& list);
/// `prepare:` - a mapping of zones, state, fill, block, seed, nsid.
prepare_spec read_prepare_step(const yaml_value& params);

} // namespace znssim::platform
