#pragma once
// Where data sits on the flash: the program unit (pages × planes × cell bits of one die), the
// read unit (a multi-plane page), and how units are striped: a zone's consecutive program units
// go round robin over its set of dies (all dies, as on the ZN540, or a few, as on small-zone
// drives); a conventional namespace's units go round robin over all dies.
#include "model/timing/ssd_params.h"

#include <algorithm>
#include <cstdint>

namespace znssim::timing {

class flash_layout {
  public:
    flash_layout(const nand_params& n, unsigned dies_per_zone);

    unsigned dies() const { return m_dies; }
    /// Dies one zone is striped over.
    unsigned zone_dies() const { return m_zone_dies; }
    std::uint64_t unit_bytes() const { return m_unit; }
    std::uint64_t read_unit_bytes() const { return m_read_unit; }

    /// The die holding program unit 'unit' of zone 'zone'.
    unsigned zone_die(std::uint32_t zone, std::uint64_t unit) const {
        const std::uint64_t groups = std::max<std::uint64_t>(1, m_dies / m_zone_dies);
        const std::uint64_t base = (zone % groups) * m_zone_dies;
        const std::uint64_t rotation = (zone / groups) % m_zone_dies;
        return static_cast<unsigned>((base + (rotation + unit) % m_zone_dies) % m_dies);
    }
    /// The die a zone's first unit is on. Zones are spread over the die groups (dies /
    /// zone_dies of them) and rotated within their group, so zones written at the same time
    /// start on different dies instead of marching over the same ones in step.
    unsigned first_die(std::uint32_t zone) const { return zone_die(zone, 0); }
    /// The die of program unit 'unit' of a conventional namespace.
    unsigned linear_die(std::uint64_t unit) const { return static_cast<unsigned>(unit % m_dies); }
    /// Page type (lower, middle, upper...) of a byte offset within a program unit.
    unsigned page_type(std::uint64_t offset_in_unit) const {
        return static_cast<unsigned>((offset_in_unit % m_unit) / m_read_unit);
    }
    /// Of 'count' consecutive units starting at unit 'first' of a zone, how many land on member
    /// 'k' (0-based) of its die set.
    std::uint64_t units_on_member(std::uint64_t first, std::uint64_t count, unsigned k) const;

  private:
    unsigned m_dies;
    unsigned m_zone_dies;
    std::uint64_t m_unit;
    std::uint64_t m_read_unit;
};

} // namespace znssim::timing
