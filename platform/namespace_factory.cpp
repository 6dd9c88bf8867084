#include "platform/namespace_factory.h"

#include "nvme/ns/nvm_namespace.h"

#include <stdexcept>
#include <string>

namespace znssim::platform {

std::unique_ptr<nvme::nvme_namespace> make_namespace(const nvme::namespace_params& p,
                                                     const nvme::controller_params& ctrl) {
    if (p.zoned)
        throw std::invalid_argument("namespace " + std::to_string(p.nsid) + " (" + p.image +
                                    "): zoned namespaces not available");
    return std::make_unique<nvme::nvm_namespace>(p, ctrl.serial);
}

} // namespace znssim::platform
