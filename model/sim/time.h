#pragma once
// Simulated time as plain integers, so that time-free logic (queues, zones, timing models) can
// reason about time without SystemC.
#include <cstdint>

namespace znssim {

/// Simulated time in picoseconds since the start of simulation (SystemC's default resolution).
using sim_time = std::uint64_t;

constexpr sim_time from_ps(std::uint64_t v) {
    return v;
}
constexpr sim_time from_ns(std::uint64_t v) {
    return v * 1000ull;
}
constexpr sim_time from_us(std::uint64_t v) {
    return v * 1000'000ull;
}
constexpr sim_time from_ms(std::uint64_t v) {
    return v * 1000'000'000ull;
}
constexpr sim_time from_s(std::uint64_t v) {
    return v * 1000'000'000'000ull;
}

constexpr double to_ns(sim_time t) {
    return static_cast<double>(t) / 1e3;
}
constexpr double to_us(sim_time t) {
    return static_cast<double>(t) / 1e6;
}
constexpr double to_ms(sim_time t) {
    return static_cast<double>(t) / 1e9;
}
constexpr double to_s(sim_time t) {
    return static_cast<double>(t) / 1e12;
}

} // namespace znssim
