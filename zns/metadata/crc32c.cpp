#include "zns/metadata/layout.h"

#include <array>

namespace znssim::zns::metadata {

namespace {
constexpr std::array<std::uint32_t, 256> make_table() {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
        std::uint32_t c = i;
        for (int k = 0; k < 8; ++k)
            c = (c & 1) ? (c >> 1) ^ 0x82f63b78u : c >> 1; // reflected Castagnoli polynomial
        t[i] = c;
    }
    return t;
}
constexpr auto table = make_table();
} // namespace

std::uint32_t crc32c(const void* data, std::size_t len, std::uint32_t crc) {
    const auto* p = static_cast<const std::uint8_t*>(data);
    crc = ~crc;
    for (std::size_t i = 0; i < len; ++i)
        crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
    return ~crc;
}

} // namespace znssim::zns::metadata
