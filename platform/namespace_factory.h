#pragma once
// Creating the namespace object for one "namespaces:" config entry.
#include "nvme/ns/namespace.h"
#include "nvme/ns/namespace_params.h"
#include "nvme/params.h"

#include <memory>

namespace znssim::platform {

/// A conventional nvme::nvm_namespace, or (once available) a zoned one. Throws
/// std::invalid_argument / image_error naming the namespace and the image for bad input.
std::unique_ptr<nvme::nvme_namespace> make_namespace(const nvme::namespace_params& p,
                                                     const nvme::controller_params& ctrl);

} // namespace znssim::platform
