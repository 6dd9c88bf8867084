// A SystemC-free consumer: znssim::core only (no SystemC on the link line). Drives the ZNS zone
// state machine through write, explicit open, close, finish and reset, and exits 0 when every
// state is the one ZNS 1.1 prescribes.
#include <znssim/zns/zone_state_machine.h>

#include <cstdio>

using znssim::zns::zone_state;

namespace {

int failures = 0;

void expect_state(const znssim::zns::zone_state_machine& m, std::uint32_t zone, zone_state want,
                  const char* step) {
    const zone_state got = m.at(zone).state;
    if (got != want) {
        std::fprintf(stderr, "core_example: after %s zone %u is %s, expected %s\n", step, zone,
                     znssim::zns::zone_state_name(got), znssim::zns::zone_state_name(want));
        ++failures;
    }
}

} // namespace

int main() {
    znssim::zns::zone_geometry g;
    g.zone_size = 64;
    g.zone_capacity = 48;
    g.zone_count = 4;
    g.max_open = 2;
    g.max_active = 3;
    znssim::zns::zone_state_machine m(g);

    znssim::zns::zone_write w;
    if (!m.begin_write(false, 0, 8, 0, w).ok()) ++failures;
    m.end_write(w, true);
    expect_state(m, 0, zone_state::imp_open, "a write");
    if (m.at(0).wp != 8) ++failures;
    if (!m.open(1, 0).ok() || !m.close(0).ok()) ++failures;
    expect_state(m, 1, zone_state::exp_open, "open");
    expect_state(m, 0, zone_state::closed, "close");
    if (!m.finish(1, 0).ok()) ++failures;
    expect_state(m, 1, zone_state::full, "finish");
    if (!m.reset(0).ok()) ++failures;
    expect_state(m, 0, zone_state::empty, "reset");
    // Writes must start at the write pointer.
    if (m.begin_write(false, 64 * 2 + 1, 1, 0, w).ok()) ++failures;
    if (failures) return 1;
    std::printf("core_example: ok: zone state machine without SystemC\n");
    return 0;
}
