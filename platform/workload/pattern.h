#pragma once
// The data pattern of workload writes: every LBA's content is a function of (seed, LBA), so a
// later run (or a verify step) can check data without keeping a copy. The first 16 bytes of each
// block are the LBA and the seed in the clear, which makes a mismatch readable in a hex dump.
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace znssim::platform {

inline std::uint64_t pattern_word(std::uint64_t seed, std::uint64_t lba, std::uint64_t i) {
    // splitmix64 of a per-word key: cheap, and no two nearby words repeat.
    std::uint64_t z = seed * 0x9e3779b97f4a7c15ull + lba * 0xbf58476d1ce4e5b9ull + i;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/// Fills 'count' blocks of lba_bytes starting at LBA 'lba'.
inline void fill_pattern(std::uint8_t* dst, std::uint64_t lba, std::uint64_t count,
                         std::uint32_t lba_bytes, std::uint64_t seed) {
    for (std::uint64_t b = 0; b < count; ++b, dst += lba_bytes) {
        const std::uint64_t cur = lba + b;
        std::memcpy(dst, &cur, 8);
        std::memcpy(dst + 8, &seed, 8);
        for (std::uint64_t i = 2; i < lba_bytes / 8; ++i) {
            const std::uint64_t w = pattern_word(seed, cur, i);
            std::memcpy(dst + i * 8, &w, 8);
        }
    }
}

/// Number of blocks among 'count' that do not match the pattern.
inline std::uint64_t check_pattern(const std::uint8_t* src, std::uint64_t lba, std::uint64_t count,
                                   std::uint32_t lba_bytes, std::uint64_t seed) {
    std::uint64_t bad = 0;
    for (std::uint64_t b = 0; b < count; ++b, src += lba_bytes) {
        const std::uint64_t cur = lba + b;
        bool ok = std::memcmp(src, &cur, 8) == 0 && std::memcmp(src + 8, &seed, 8) == 0;
        for (std::uint64_t i = 2; ok && i < lba_bytes / 8; ++i) {
            const std::uint64_t w = pattern_word(seed, cur, i);
            ok = std::memcmp(src + i * 8, &w, 8) == 0;
        }
        bad += ok ? 0 : 1;
    }
    return bad;
}

} // namespace znssim::platform
