#pragma once
// Offline zone report: reads the zone metadata persisted at the end of an image, without starting
// a simulation (`znssim zones IMAGE [--json]`).
#include "zns/metadata/layout.h"
#include "zns/spec.h"

#include <cstdint>
#include <string>
#include <vector>

namespace znssim::zns {

struct zone_report_entry {
    std::uint32_t index = 0;
    std::uint64_t start = 0; ///< ZSLBA (LBAs)
    std::uint64_t len = 0;   ///< zone size (LBAs)
    std::uint64_t cap = 0;   ///< zone capacity (LBAs)
    std::uint64_t wp = 0;    ///< write pointer (LBA; start + cap for Full zones)
    spec::zone_state state = spec::zone_state::empty;     ///< as the next start presents it
    spec::zone_state persisted = spec::zone_state::empty; ///< as recorded
    std::uint8_t attrs = 0;
    bool conventional = false;
    /// What the device's Report Zones returns for the zone after the next start
    /// (zns/zone_descriptor.h): its WP is all ones for Full, Read Only, Offline and conventional
    /// zones.
    spec::zone_descriptor descriptor{};
    /// The zone descriptor extension when ZA.ZDEV is set (geometry ext_bytes), else empty.
    std::vector<std::uint8_t> extension;
};

struct zone_report {
    std::string image;
    metadata::geometry geo;
    std::vector<zone_report_entry> zones;
};

/// Throws image_error (naming the image) when it has no valid zone metadata.
zone_report read_zone_report(const std::string& image_path);
/// Zones per state (as the next start presents them); conventional zones counted apart.
struct zone_state_counts {
    std::uint32_t by_state[16] = {}; ///< indexed by the ZNS state value (1 empty ... 15 offline)
    std::uint32_t conventional = 0;
    std::uint32_t of(spec::zone_state s) const { return by_state[static_cast<unsigned>(s) & 15]; }
};
zone_state_counts count_zone_states(const zone_report& r);

/// blkzone-style text, positions in 512-byte sectors as blkzone prints them (Linux's view: a
/// Full zone's wptr is its length), then one line of zones per state.
std::string format_zone_report_text(const zone_report& r);
/// JSON (positions in LBAs): {"image","lba_size","zone_size",...,"states":{...},"zones":[...],
/// "nr_zones","zone_list":[...]}. "zone_list" holds what `nvme zns report-zones -o json`
/// (nvme-cli 2.3) prints for the device's Report Zones of the same image: slba, wp, cap, state
/// ("EMPTY", "IMP_OPENED", ...), type ("SEQWRITE_REQ"), attrs, attrs_info, and ext_data (as
/// `report-zones -e` prints it) for zones with a valid extension. Every "wp" (also in "zones")
/// is the descriptor's WP.
std::string format_zone_report_json(const zone_report& r);

} // namespace znssim::zns
