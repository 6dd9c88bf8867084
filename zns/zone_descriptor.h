#pragma once
// The Report Zones descriptor of one zone, as Zone Management Receive returns it. Shared by the
// device (zoned_namespace::describe) and the offline report (zns/report.h), so that
// `znssim zones --json` shows what the device would report for the same image.
#include "zns/spec.h"

#include <cstdint>
#include <cstring>

namespace znssim::zns {

/// WP is all ones where a zone has no write pointer (ZNS 1.1 3.4.1: Full, Read Only and Offline
/// zones; conventional zones), as QEMU reports it; Linux takes a Full zone's write pointer to be
/// its end (start + zone size) whatever the descriptor says. ZAI is always 0 (no FZR/RZR time
/// limits are reported).
inline spec::zone_descriptor make_zone_descriptor(bool conventional, spec::zone_state state,
                                                  std::uint8_t attrs, std::uint64_t zslba,
                                                  std::uint64_t zcap, std::uint64_t wp) {
    spec::zone_descriptor d;
    std::memset(&d, 0, sizeof d);
    d.zt = conventional ? 0x1 : spec::zone_type_seq_write_required;
    d.zs = conventional ? 0 : static_cast<std::uint8_t>(static_cast<unsigned>(state) << 4);
    d.za = attrs;
    d.zcap = zcap;
    d.zslba = zslba;
    const bool no_wp = conventional || state == spec::zone_state::full ||
                       state == spec::zone_state::read_only || state == spec::zone_state::offline;
    d.wp = no_wp ? ~0ull : wp;
    return d;
}

} // namespace znssim::zns
