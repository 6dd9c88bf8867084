#pragma once
// Command tracing: one record per completed command with the simulated times of its phases, for
// a recorder attached to the controller (nothing is built while none is attached).
#include "model/sim/time.h"

#include <cstdint>

namespace znssim::nvme {

struct command_record {
    std::uint32_t nsid = 0;
    std::uint8_t opcode = 0;
    bool admin = false;
    std::uint16_t sqid = 0;
    std::uint16_t cid = 0;
    std::uint16_t status = 0; ///< SCT and SC (e.g. 0x1b9)
    std::uint64_t slba = 0;   ///< I/O commands: CDW10-11
    std::uint32_t nlb = 0;    ///< 1-based, I/O commands with a range
    std::int64_t zone = -1;   ///< the zone a zoned namespace's command acted on
    std::uint64_t bytes = 0;  ///< data moved (reads and writes)
    std::uint32_t cdw13 = 0;  ///< e.g. the Zone Send Action and Select All of a ZMS
    sim_time submitted = 0;   ///< the tail doorbell write that made the entry visible
    sim_time fetched = 0;     ///< the entry reached the controller
    sim_time media_start = 0; ///< 0: no media phase
    sim_time media_end = 0;
    sim_time completed = 0; ///< the completion entry was posted
};

class command_record_sink {
  public:
    virtual ~command_record_sink() = default;
    virtual void command_done(const command_record& r) = 0;
};

} // namespace znssim::nvme
