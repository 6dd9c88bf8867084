#pragma once
// Creating the namespace object for one "namespaces:" config entry, and connecting what a
// namespace reports on its own (zone descriptor changes) to the controller.
#include "model/sim/scheduler.h"
#include "nvme/core/command_set.h"
#include "nvme/core/controller_core.h"
#include "nvme/ns/namespace.h"
#include "nvme/ns/namespace_params.h"
#include "nvme/params.h"

#include <memory>
#include <vector>

namespace znssim::platform {

/// A conventional nvme::nvm_namespace or a zns::zoned_namespace. 'zone_timers' runs the zoned
/// namespace's timers (faults after a delay, reset/finish recommended limits). Throws
/// std::invalid_argument / image_error naming the namespace and the image for bad input.
std::unique_ptr<nvme::nvme_namespace> make_namespace(const nvme::namespace_params& p,
                                                     const nvme::controller_params& ctrl,
                                                     scheduler& zone_timers);

/// The I/O command sets every platform registers: NVM and Zoned Namespace.
std::vector<const nvme::io_command_set*> all_command_sets();

/// Routes each zoned namespace's asynchronous events (Zone Descriptor Changed) to the
/// controller that owns it.
void connect_namespace_events(nvme::controller_core& core);

} // namespace znssim::platform
