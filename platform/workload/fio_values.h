#pragma once
// Values of fio job options as fio reads them (fio_values.cpp): sizes with 1024-based suffixes
// (fio's default kb_base=1024), times in seconds unless a unit is given, fractions. Each reader
// returns an error message instead of throwing, so the caller adds the file, line and option.
#include "model/sim/time.h"

#include <cstdint>
#include <optional>
#include <string>

namespace znssim::platform::fio {

struct size_value {
    std::uint64_t value = 0;
    bool zones = false; ///< given with fio's 'z' suffix (zonemode=zbd: a number of zones)
};

/// "4096", "4k", "4KB", "1m", "2g", "0x1000": k/m/g/t/p (optionally with b) are powers of
/// 1024. "Ki"-style suffixes are refused: with kb_base=1024 fio reads them as powers of 1000,
/// which would surprise. allow_zones accepts "10z".
std::optional<size_value> parse_size(const std::string& text, bool allow_zones, std::string& error);
/// "10" (seconds), "500ms", "20us", "2m", "1h", "1d" (units are not case sensitive).
std::optional<sim_time> parse_time(const std::string& text, std::string& error);
/// A decimal fraction from 0 to 1 ("0.25").
std::optional<double> parse_fraction(const std::string& text, std::string& error);
/// A plain decimal integer in [min, max].
std::optional<std::uint64_t> parse_uint(const std::string& text, std::uint64_t min,
                                        std::uint64_t max, std::string& error);
/// A boolean option: given bare (value empty), "1" or "0".
std::optional<bool> parse_flag(const std::string& text, bool bare, std::string& error);

} // namespace znssim::platform::fio
