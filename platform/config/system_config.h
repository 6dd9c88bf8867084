#pragma once
// The whole validated configuration of a simulation: device, platform and logging.
#include "model/log/log.h"
#include "model/pcie/params.h"
#include "model/timing/ssd_params.h"
#include "nvme/ns/namespace_params.h"
#include "nvme/params.h"

#include <cstdint>
#include <string>
#include <vector>

namespace znssim::platform {

enum class timing_mode : std::uint8_t {
    untimed, ///< functional: media accesses cost no simulated time
    timed,   ///< the structural SSD timing model (timing: section) decides
};

struct system_config {
    std::string source; ///< the file it was read from
    pcie::function_params pcie;
    std::string
        identity_from_host; ///< PCI address ("0000:00:1f.2") whose IDs to copy; empty = none
    nvme::controller_params controller;
    std::vector<nvme::namespace_params> namespaces;

    std::uint64_t host_memory_bytes = 256ull << 20; ///< host DRAM modelled by the platform
    timing_mode timing = timing_mode::untimed;
    /// The timing model's parameters (timing: section; used when timing is timed).
    timing::ssd_params ssd;
    log::settings logging;
    /// Job file `znssim run` executes when --job is not given ("workload:" key, resolved against
    /// the config file's directory). Empty: bring the platform up and down without I/O.
    std::string workload;
};

} // namespace znssim::platform
