#pragma once
// The largest transfer a host issues to a controller with a given MDTS (in units of the 4 KiB
// minimum memory page size). Like Linux, "no limit" (0) and anything above 4 MiB count as 4 MiB.
#include <cstdint>

namespace znssim::platform {

constexpr std::uint32_t mdts_transfer_bytes(unsigned mdts) {
    return mdts == 0 || mdts > 10 ? 4u << 20 : 4096u << mdts;
}

} // namespace znssim::platform
