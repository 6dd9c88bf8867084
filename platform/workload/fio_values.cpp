#include "platform/workload/fio_values.h"

#include <cctype>
#include <cstdlib>

namespace znssim::platform::fio {
namespace {

using u128 = unsigned __int128;

std::string lower(std::string s) {
    for (char& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

/// Leading integer (decimal or 0x hex) of text; rest receives what follows.
std::optional<std::uint64_t> leading_number(const std::string& text, std::string& rest,
                                            std::string& error) {
    u128 v = 0;
    std::size_t i = 0;
    const bool hex = text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
    if (hex) {
        i = 2;
        for (; i < text.size() && std::isxdigit(static_cast<unsigned char>(text[i])); ++i) {
            const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
            v = v * 16 + static_cast<unsigned>(c <= '9' ? c - '0' : c - 'a' + 10);
            if (v > UINT64_MAX) break;
        }
    } else {
        for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
            v = v * 10 + static_cast<unsigned>(text[i] - '0');
            if (v > UINT64_MAX) break;
        }
    }
    if (i == (hex ? 2u : 0u)) {
        error = "'" + text + "' is not a number";
        return std::nullopt;
    }
    if (v > UINT64_MAX) {
        error = "'" + text + "' is too large";
        return std::nullopt;
    }
    rest = text.substr(i);
    return static_cast<std::uint64_t>(v);
}

std::optional<std::uint64_t> scaled(std::uint64_t n, std::uint64_t scale, const std::string& text,
                                    std::string& error) {
    const u128 v = u128(n) * scale;
    if (v > UINT64_MAX) {
        error = "'" + text + "' is too large";
        return std::nullopt;
    }
    return static_cast<std::uint64_t>(v);
}

} // namespace

std::optional<size_value> parse_size(const std::string& text, bool allow_zones,
                                     std::string& error) {
    if (text.find('%') != std::string::npos) {
        error = "'" + text + "': percentages of the device are not supported (give a size)";
        return std::nullopt;
    }
    std::string rest;
    auto n = leading_number(text, rest, error);
    if (!n) return std::nullopt;
    const std::string unit = lower(rest);
    struct suffix {
        const char* name;
        unsigned power;
    };
    static const suffix suffixes[] = {{"", 0},  {"b", 0},  {"k", 1}, {"kb", 1},
                                      {"m", 2}, {"mb", 2}, {"g", 3}, {"gb", 3},
                                      {"t", 4}, {"tb", 4}, {"p", 5}, {"pb", 5}};
    for (const auto& s : suffixes)
        if (unit == s.name) {
            auto v = scaled(*n, 1ull << (10 * s.power), text, error);
            if (!v) return std::nullopt;
            return size_value{*v, false};
        }
    if (unit == "z") {
        if (!allow_zones) {
            error = "'" + text + "': a number of zones (z) needs zonemode=zbd";
            return std::nullopt;
        }
        return size_value{*n, true};
    }
    if (unit.size() >= 2 && unit[1] == 'i') {
        error = "'" + text +
                "': with fio's default kb_base=1024 an 'i' suffix means a power of 1000; write "
                "the size with k, m, g (1024-based) or in bytes";
        return std::nullopt;
    }
    error = "'" + text + "' is not a size (a number with an optional suffix k, m, g, t or p)";
    return std::nullopt;
}

std::optional<sim_time> parse_time(const std::string& text, std::string& error) {
    std::string rest;
    auto n = leading_number(text, rest, error);
    if (!n) return std::nullopt;
    struct unit {
        const char* name;
        std::uint64_t ps;
    };
    static const unit units[] = {{"", from_s(1)},      {"s", from_s(1)},     {"sec", from_s(1)},
                                 {"ms", from_ms(1)},   {"msec", from_ms(1)}, {"us", from_us(1)},
                                 {"usec", from_us(1)}, {"m", from_s(60)},    {"min", from_s(60)},
                                 {"h", from_s(3600)},  {"d", from_s(86400)}};
    const std::string u = lower(rest);
    for (const auto& x : units)
        if (u == x.name) return scaled(*n, x.ps, text, error);
    error = "'" + text + "' is not a time (a number of seconds, or with a unit us, ms, s, m, h, d)";
    return std::nullopt;
}

std::optional<double> parse_fraction(const std::string& text, std::string& error) {
    bool ok = !text.empty() && text.front() != '.' && text.back() != '.';
    int dots = 0;
    for (char c : text) {
        dots += c == '.';
        ok = ok && (std::isdigit(static_cast<unsigned char>(c)) || c == '.');
    }
    if (!ok || dots > 1) {
        error = "'" + text + "' is not a number from 0 to 1";
        return std::nullopt;
    }
    // strtod, not std::stod: hundreds of digits are still only a number (stod throws when the
    // value is beyond double's range); an overflow reads as infinity and fails the check below.
    const double f = std::strtod(text.c_str(), nullptr);
    if (f > 1) {
        error = "must be from 0 to 1 (got " + text + ")";
        return std::nullopt;
    }
    return f;
}

std::optional<std::uint64_t> parse_uint(const std::string& text, std::uint64_t min,
                                        std::uint64_t max, std::string& error) {
    std::string rest;
    auto n = leading_number(text, rest, error);
    if (!n) return std::nullopt;
    if (!rest.empty()) {
        error = "'" + text + "' is not a whole number";
        return std::nullopt;
    }
    if (*n < min || *n > max) {
        error = "must be from " + std::to_string(min) + " to " + std::to_string(max) + " (got " +
                text + ")";
        return std::nullopt;
    }
    return n;
}

std::optional<bool> parse_flag(const std::string& text, bool bare, std::string& error) {
    if (bare) return true;
    if (text == "1") return true;
    if (text == "0") return false;
    error = "must be given bare, =1 or =0 (got '" + text + "')";
    return std::nullopt;
}

} // namespace znssim::platform::fio
