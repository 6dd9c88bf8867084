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
};

struct zone_report {
    std::string image;
    metadata::geometry geo;
    std::vector<zone_report_entry> zones;
};

/// Throws image_error (naming the image) when it has no valid zone metadata.
zone_report read_zone_report(const std::string& image_path);
/// blkzone-style text, positions in 512-byte sectors as blkzone prints them.
std::string format_zone_report_text(const zone_report& r);
/// JSON (positions in LBAs): {"image","lba_size","zone_size",...,"zones":[...]}.
std::string format_zone_report_json(const zone_report& r);

} // namespace znssim::zns
