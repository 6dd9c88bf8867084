#pragma once
// The PCIe link as two calendars, one per direction: what the device reads from host memory
// (request upstream, completions with the data downstream after the read latency) and what it
// writes (posted, upstream). Payload moves in TLPs of at most max_payload, each with its
// overhead, at the link's encoded rate.
#include "model/sim/scheduler.h"
#include "model/timing/calendar.h"
#include "model/timing/ssd_params.h"

namespace znssim::timing {

class pcie_link {
  public:
    explicit pcie_link(const link_params& p);
    /// The clock that tells which reservations are over (none: nothing is forgotten).
    void bind(const scheduler& s) { m_clock = &s; }

    /// Time 'bytes' of payload occupy one direction of the link (TLP overhead included).
    sim_time wire_time(std::uint64_t bytes) const;

    struct span {
        sim_time start; ///< first byte on the wire
        sim_time end;   ///< last byte delivered
    };
    /// The device reads 'bytes' from host memory, issuing at 'at'.
    span device_read(sim_time at, std::uint64_t bytes);
    /// The device writes 'bytes' to host memory starting at 'at'; returns when delivered.
    sim_time device_write(sim_time at, std::uint64_t bytes);
    void reset();

    double bytes_per_second() const { return m_rate; }

  private:
    link_params m_p;
    double m_rate;
    sim_time now() const { return m_clock ? m_clock->now() : 0; }
    const scheduler* m_clock = nullptr;
    gap_calendar m_to_host;
    gap_calendar m_to_device;
};

} // namespace znssim::timing
