#include "model/timing/flash_layout.h"

#include <algorithm>

namespace znssim::timing {

flash_layout::flash_layout(const nand_params& n, unsigned dies_per_zone)
    : m_dies(std::max(1u, n.dies())),
      m_zone_dies(dies_per_zone == 0 ? std::max(1u, n.dies())
                                     : std::min(dies_per_zone, std::max(1u, n.dies()))),
      m_unit(std::max<std::uint64_t>(1, n.program_unit_bytes())),
      m_read_unit(
          std::max<std::uint64_t>(1, std::uint64_t{n.page_bytes} * std::max(1u, n.planes))) {}

std::uint64_t flash_layout::units_on_member(std::uint64_t first, std::uint64_t count,
                                            unsigned k) const {
    if (count == 0) return 0;
    // Units first..first+count-1 land on member (u mod m): count those with u ≡ k.
    const std::uint64_t m = m_zone_dies;
    const std::uint64_t full = count / m;
    const std::uint64_t rest = count % m;
    const std::uint64_t start = first % m;
    const std::uint64_t offset = (k + m - start) % m; // position of member k after 'first'
    return full + (offset < rest ? 1 : 0);
}

} // namespace znssim::timing
