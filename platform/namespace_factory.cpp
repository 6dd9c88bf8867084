#include "platform/namespace_factory.h"

#include "nvme/ns/nvm_namespace.h"
#include "nvme/nvm/nvm_command_set.h"
#include "zns/commands/zns_commands.h"
#include "zns/zoned_namespace.h"

namespace znssim::platform {

std::unique_ptr<nvme::nvme_namespace> make_namespace(const nvme::namespace_params& p,
                                                     const nvme::controller_params& ctrl,
                                                     scheduler& zone_timers) {
    if (p.zoned) return std::make_unique<zns::zoned_namespace>(p, zone_timers);
    return std::make_unique<nvme::nvm_namespace>(p, ctrl.serial);
}

std::vector<const nvme::io_command_set*> all_command_sets() {
    return {&nvme::nvm_command_set(), &zns::zns_command_set()};
}

void connect_namespace_events(nvme::controller_core& core) {
    for (std::uint32_t nsid = 1; nsid <= core.namespace_limit(); ++nsid)
        if (auto* zoned = dynamic_cast<zns::zoned_namespace*>(core.find_namespace(nsid)))
            zoned->set_event_hook([&core](const nvme::async_event& e) { core.raise_event(e); });
}

} // namespace znssim::platform
