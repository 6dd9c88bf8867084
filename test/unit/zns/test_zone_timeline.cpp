// The zone timeline: what each event means, the time each zone spends in each state, resets
// and finishes, transitions by kind and the peaks of open and active zones.
#include "zns/trace/zone_timeline.h"

#include <doctest/doctest.h>

#include <string>

using namespace znssim;
using namespace znssim::zns;

namespace {

zone_state_machine machine() {
    zone_geometry g;
    g.zone_size = 100;
    g.zone_capacity = 80;
    g.zone_count = 4;
    g.max_open = 2;
    g.max_active = 3;
    return zone_state_machine(g);
}

zone_event event(sim_time at, std::uint32_t zone, zone_state from, zone_state to, zone_cause cause,
                 std::uint32_t open, std::uint32_t active) {
    zone_event e;
    e.at = at;
    e.nsid = 1;
    e.zone = zone;
    e.from = from;
    e.to = to;
    e.cause = cause;
    e.open = open;
    e.active = active;
    return e;
}

} // namespace

TEST_CASE("zone timeline: events are named by where the zone went and why") {
    using s = zone_state;
    CHECK(classify(event(0, 0, s::empty, s::imp_open, zone_cause::write, 1, 1)) ==
          zone_change::implicit_open);
    CHECK(classify(event(0, 0, s::empty, s::exp_open, zone_cause::action, 1, 1)) ==
          zone_change::explicit_open);
    CHECK(classify(event(0, 0, s::imp_open, s::closed, zone_cause::action, 0, 1)) ==
          zone_change::close);
    CHECK(classify(event(0, 0, s::imp_open, s::closed, zone_cause::auto_close, 0, 1)) ==
          zone_change::auto_close);
    CHECK(classify(event(0, 0, s::imp_open, s::full, zone_cause::write, 0, 0)) ==
          zone_change::full);
    CHECK(classify(event(0, 0, s::imp_open, s::full, zone_cause::action, 0, 0)) ==
          zone_change::finish);
    CHECK(classify(event(0, 0, s::full, s::empty, zone_cause::action, 0, 0)) == zone_change::reset);
    CHECK(classify(event(0, 0, s::empty, s::offline, zone_cause::fault, 0, 0)) ==
          zone_change::offline);
    CHECK(classify(event(0, 0, s::full, s::read_only, zone_cause::fault, 0, 0)) ==
          zone_change::read_only);
    zone_event rrl = event(0, 0, s::full, s::full, zone_cause::limit, 0, 0);
    rrl.kind = zone_event_kind::reset_recommended;
    CHECK(classify(rrl) == zone_change::reset_recommended);
    CHECK(std::string(zone_event_name(rrl)) == "reset_recommended");
    for (unsigned i = 0; i < zone_state_count; ++i)
        CHECK(state_index(state_of_index(i)) == i);
}

TEST_CASE("zone timeline: residency, resets, finishes, moves and peaks") {
    using s = zone_state;
    const zone_state_machine zones = machine();
    zone_timeline t;
    t.add_namespace(1, zones, 10);
    const namespace_history* ns = t.find(1);
    REQUIRE(ns);
    CHECK(ns->max_open == 2);
    CHECK(ns->max_active == 3);
    REQUIRE(ns->zones.size() == 4);

    zone_interval left;
    REQUIRE(t.apply(event(20, 0, s::empty, s::imp_open, zone_cause::write, 1, 1), &left));
    CHECK(left.state == s::empty);
    CHECK(left.from == 10);
    CHECK(left.to == 20);
    REQUIRE(t.apply(event(30, 1, s::empty, s::imp_open, zone_cause::write, 2, 2)));
    REQUIRE(t.apply(event(35, 2, s::empty, s::imp_open, zone_cause::write, 2, 3)));
    REQUIRE(t.apply(event(35, 0, s::imp_open, s::closed, zone_cause::auto_close, 2, 3), &left));
    CHECK(left.state == s::imp_open);
    CHECK(left.from == 20);
    CHECK(left.to == 35);
    CHECK(left.entered_by == zone_cause::write);
    REQUIRE(t.apply(event(50, 0, s::closed, s::full, zone_cause::action, 2, 2)));
    REQUIRE(t.apply(event(70, 0, s::full, s::empty, zone_cause::action, 2, 2)));
    REQUIRE(t.apply(event(90, 1, s::imp_open, s::full, zone_cause::write, 1, 1)));
    // An event of another namespace or a zone that does not exist changes nothing.
    zone_event stray = event(95, 9, s::empty, s::imp_open, zone_cause::write, 0, 0);
    CHECK_FALSE(t.apply(stray));
    stray.zone = 0;
    stray.nsid = 2;
    CHECK_FALSE(t.apply(stray));

    ns = t.find(1);
    const zone_history& z0 = ns->zones[0];
    CHECK(z0.state == s::empty);
    CHECK(z0.since == 70);
    CHECK(z0.resets == 1);
    CHECK(z0.finishes == 1);
    CHECK(z0.transitions == 4);
    const auto r0 = t.residency(z0, 100);
    CHECK(r0[state_index(s::empty)] == (20 - 10) + (100 - 70));
    CHECK(r0[state_index(s::imp_open)] == 15);
    CHECK(r0[state_index(s::closed)] == 15);
    CHECK(r0[state_index(s::full)] == 20);
    sim_time total = 0;
    for (sim_time v : r0)
        total += v;
    CHECK(total == 90); // from the start of the timeline to 'now'
    const zone_history& z1 = ns->zones[1];
    CHECK(z1.resets == 0);
    CHECK(z1.finishes == 0); // filled by writes: full, not finished
    CHECK(t.residency(z1, 100)[state_index(s::full)] == 10);
    CHECK(ns->zones[3].transitions == 0);
    CHECK(t.residency(ns->zones[3], 100)[state_index(s::empty)] == 90);

    CHECK(ns->peak_open == 2);
    CHECK(ns->peak_active == 3);
    CHECK(ns->open == 1);
    CHECK(ns->active == 1);
    CHECK(ns->count(zone_change::implicit_open) == 3);
    CHECK(ns->count(zone_change::auto_close) == 1);
    CHECK(ns->count(zone_change::finish) == 1);
    CHECK(ns->count(zone_change::full) == 1);
    CHECK(ns->count(zone_change::reset) == 1);
    CHECK(ns->moves[state_index(s::empty)][state_index(s::imp_open)] == 3);
    CHECK(ns->moves[state_index(s::closed)][state_index(s::full)] == 1);
}

TEST_CASE("zone timeline: an event stamped before the zone's last change does not go back") {
    using s = zone_state;
    const zone_state_machine zones = machine();
    zone_timeline t;
    t.add_namespace(1, zones, 100);
    zone_interval left;
    REQUIRE(t.apply(event(50, 0, s::empty, s::imp_open, zone_cause::write, 1, 1), &left));
    CHECK(left.to == 100);
    CHECK(t.find(1)->zones[0].since == 100);
}
