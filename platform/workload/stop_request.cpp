#include "platform/workload/stop_request.h"

#include <csignal>

namespace znssim::platform {

std::string stop_reason_text(int reason) {
    if (reason == SIGINT) return "SIGINT";
    if (reason == SIGTERM) return "SIGTERM";
    if (reason > 0) return "signal " + std::to_string(reason);
    return "a stop request";
}

stop_request::stop_request(const char* name) : sc_core::sc_prim_channel(name) {}

void stop_request::post(int reason) {
    int none = 0;
    if (!m_reason.compare_exchange_strong(none, reason == 0 ? -1 : reason,
                                          std::memory_order_acq_rel))
        return;
    async_request_update();
}

void stop_request::update() {
    // Update phase: only delta notifications are allowed here.
    m_event.notify(sc_core::SC_ZERO_TIME);
}

} // namespace znssim::platform
