#pragma once
// Zone-state tracing: every transition of a zoned namespace's zones (and every Reset / Finish
// Recommended attribute the controller raises), with its simulated time and cause, handed to a
// sink as it happens. Nothing is recorded and nothing costs anything while no sink is attached.
#include "model/sim/time.h"
#include "zns/zone_state_machine.h"

#include <cstdint>

namespace znssim::zns {

enum class zone_event_kind : std::uint8_t {
    transition,         ///< the zone's state changed (from → to)
    reset_recommended,  ///< RRL reached: Reset Zone Recommended set (state unchanged)
    finish_recommended, ///< FRL reached: Finish Zone Recommended set
};

struct zone_event {
    sim_time at = 0;
    std::uint32_t nsid = 0;
    std::uint32_t zone = 0;
    zone_event_kind kind = zone_event_kind::transition;
    zone_state from = zone_state::empty;
    zone_state to = zone_state::empty;
    zone_cause cause = zone_cause::write;
    /// The command whose execution caused it (writes, appends, zone actions, and the
    /// controller's auto-close during one); false for the controller acting on its own (faults,
    /// RRL/FRL, restore).
    bool by_command = false;
    std::uint8_t opcode = 0;
    std::uint16_t sqid = 0;
    std::uint16_t cid = 0;
    std::uint32_t open = 0;   ///< open zones of the namespace after the event
    std::uint32_t active = 0; ///< active zones after the event
};

class zone_event_sink {
  public:
    virtual ~zone_event_sink() = default;
    virtual void zone_event(const struct zone_event& e) = 0;
};

/// Which command (if any) is running when a zone changes: supplied by the controller.
struct command_cause {
    bool valid = false;
    std::uint8_t opcode = 0;
    std::uint16_t sqid = 0;
    std::uint16_t cid = 0;
};

const char* zone_cause_name(zone_cause c);
const char* zone_event_kind_name(zone_event_kind k);

} // namespace znssim::zns
