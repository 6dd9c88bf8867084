#include "model/timing/pcie_link.h"

namespace znssim::timing {

double link_bytes_per_second(const link_params& p) {
    static constexpr double gt_per_s[] = {0, 2.5e9, 5e9, 8e9, 16e9, 32e9};
    const unsigned gen = p.generation >= 1 && p.generation <= 5 ? p.generation : 3;
    // 8b/10b on gen 1 and 2, 128b/130b from gen 3; one bit per transfer per lane.
    const double efficiency = gen <= 2 ? 8.0 / 10.0 : 128.0 / 130.0;
    return gt_per_s[gen] * efficiency * p.lanes / 8.0;
}

pcie_link::pcie_link(const link_params& p) : m_p(p), m_rate(link_bytes_per_second(p)) {}

sim_time pcie_link::wire_time(std::uint64_t bytes) const {
    if (bytes == 0) return 0;
    const std::uint64_t mps = m_p.max_payload ? m_p.max_payload : 256;
    const std::uint64_t tlps = (bytes + mps - 1) / mps;
    return transfer_time(bytes + tlps * m_p.tlp_overhead, m_rate);
}

namespace {
// Transfers this small (a queue entry, a completion, an MSI-X message) occupy the link for a few
// nanoseconds: they cost their wire time but take no place in a calendar, which keeps the
// calendars short (they hold the data transfers, reserved out of time order).
constexpr std::uint64_t small_transfer = 64;
} // namespace

pcie_link::span pcie_link::device_read(sim_time at, std::uint64_t bytes) {
    if (bytes <= small_transfer) {
        const sim_time start = at + transfer_time(m_p.tlp_overhead, m_rate) + m_p.read_latency;
        return {start, start + wire_time(bytes)};
    }
    // The read requests are header-only TLPs upstream; the data comes back downstream once the
    // host answered, behind whatever else is already coming down.
    const sim_time request =
        m_to_host.reserve_end(at, transfer_time(m_p.tlp_overhead, m_rate), now());
    const sim_time duration = wire_time(bytes);
    const sim_time start = m_to_device.reserve(request + m_p.read_latency, duration, now());
    return {start, start + duration};
}

sim_time pcie_link::device_write(sim_time at, std::uint64_t bytes) {
    if (bytes <= small_transfer) return at + wire_time(bytes);
    return m_to_host.reserve_end(at, wire_time(bytes), now());
}

void pcie_link::reset() {
    m_to_host.reset();
    m_to_device.reset();
}

} // namespace znssim::timing
