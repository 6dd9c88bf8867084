#pragma once
// The one narrow interface every media access goes through. It answers "when does this access
// finish if issued now?" and may keep state (busy dies, write buffers) to model interference.
// zero_time_media answers "now": the functional (untimed) model.
#include "model/sim/time.h"

#include <cstdint>

namespace znssim {

enum class media_op : std::uint8_t {
    read,
    write,
    write_zeroes,
    deallocate,
    flush,
    compare,
    verify,
    zone_open,
    zone_close,
    zone_finish,
    zone_reset,
    zone_append,
};

struct media_request {
    media_op op;
    std::uint32_t nsid;
    std::uint64_t slba;      ///< first LBA (zone start for zone operations)
    std::uint64_t nlb;       ///< number of LBAs (1-based); for zone ops, LBAs written in zone
    std::uint32_t lba_bytes; ///< LBA size in bytes
    std::uint64_t zone_lbas; ///< zone capacity in LBAs for zone ops, else 0
};

class media_timing {
  public:
    virtual ~media_timing() = default;
    virtual sim_time complete_at(const media_request& request, sim_time now) = 0;
};

class zero_time_media final : public media_timing {
  public:
    sim_time complete_at(const media_request&, sim_time now) override { return now; }
};

} // namespace znssim
