// The zone state machine against the ZNS 1.1 state tables: every state × every action and I/O kind.
#include "zns/zone_state_machine.h"

#include <doctest/doctest.h>

#include <vector>

using namespace znssim;
using namespace znssim::zns;
namespace nsc = znssim::nvme::spec::sc;
using S = zone_state;

namespace {

zone_geometry small_geo(std::uint32_t max_open = 0, std::uint32_t max_active = 0) {
    zone_geometry g;
    g.zone_size = 64;
    g.zone_capacity = 48;
    g.zone_count = 8;
    g.max_open = max_open;
    g.max_active = max_active;
    return g;
}

constexpr std::uint16_t ok = 0;
constexpr std::uint16_t ist = 0x1bf;

/// Accepts a write and completes it at once, as an untimed Write (or Append) command does.
status write_now(zone_state_machine& m, std::uint64_t slba, std::uint64_t nlb, bool append = false,
                 std::uint64_t* at = nullptr) {
    zone_write w;
    const status s = m.begin_write(append, slba, nlb, 0, w);
    if (!s.ok()) return s;
    m.end_write(w, true);
    if (at) *at = w.lba;
    return s;
}

/// Brings zone 1 into state s through the ordinary paths.
void enter(zone_state_machine& m, S s) {
    const std::uint64_t zs = m.at(1).start;
    switch (s) {
    case S::empty:
        break;
    case S::imp_open:
        REQUIRE(write_now(m, zs, 1).ok());
        break;
    case S::exp_open:
        REQUIRE(m.open(1, 0).ok());
        break;
    case S::closed:
        REQUIRE(write_now(m, zs, 2).ok());
        REQUIRE(m.close(1).ok());
        break;
    case S::full:
        REQUIRE(m.finish(1, 0).ok());
        break;
    case S::read_only:
        m.make_read_only(1);
        break;
    case S::offline:
        m.make_offline(1);
        break;
    }
    REQUIRE(m.at(1).state == s);
}

struct action_row {
    S from;
    spec::zsa action;
    std::uint16_t code;
    S to;
};

// ZNS 1.1 section 4.4.3 (Zone Management Send actions) per state.
const std::vector<action_row> action_table = {
    {S::empty, spec::zsa::open, ok, S::exp_open},
    {S::empty, spec::zsa::close, ist, S::empty},
    {S::empty, spec::zsa::finish, ok, S::full},
    {S::empty, spec::zsa::reset, ok, S::empty},
    {S::empty, spec::zsa::offline, ist, S::empty},
    {S::empty, spec::zsa::set_extension, ok, S::closed},
    {S::imp_open, spec::zsa::open, ok, S::exp_open},
    {S::imp_open, spec::zsa::close, ok, S::closed},
    {S::imp_open, spec::zsa::finish, ok, S::full},
    {S::imp_open, spec::zsa::reset, ok, S::empty},
    {S::imp_open, spec::zsa::offline, ist, S::imp_open},
    {S::imp_open, spec::zsa::set_extension, ist, S::imp_open},
    {S::exp_open, spec::zsa::open, ok, S::exp_open},
    {S::exp_open, spec::zsa::close, ok, S::closed},
    {S::exp_open, spec::zsa::finish, ok, S::full},
    {S::exp_open, spec::zsa::reset, ok, S::empty},
    {S::exp_open, spec::zsa::offline, ist, S::exp_open},
    {S::exp_open, spec::zsa::set_extension, ist, S::exp_open},
    {S::closed, spec::zsa::open, ok, S::exp_open},
    {S::closed, spec::zsa::close, ok, S::closed},
    {S::closed, spec::zsa::finish, ok, S::full},
    {S::closed, spec::zsa::reset, ok, S::empty},
    {S::closed, spec::zsa::offline, ist, S::closed},
    {S::closed, spec::zsa::set_extension, ist, S::closed},
    {S::full, spec::zsa::open, ist, S::full},
    {S::full, spec::zsa::close, ist, S::full},
    {S::full, spec::zsa::finish, ok, S::full},
    {S::full, spec::zsa::reset, ok, S::empty},
    {S::full, spec::zsa::offline, ist, S::full},
    {S::full, spec::zsa::set_extension, ist, S::full},
    {S::read_only, spec::zsa::open, ist, S::read_only},
    {S::read_only, spec::zsa::close, ist, S::read_only},
    {S::read_only, spec::zsa::finish, ist, S::read_only},
    {S::read_only, spec::zsa::reset, ist, S::read_only},
    {S::read_only, spec::zsa::offline, ok, S::offline},
    {S::read_only, spec::zsa::set_extension, ist, S::read_only},
    {S::offline, spec::zsa::open, ist, S::offline},
    {S::offline, spec::zsa::close, ist, S::offline},
    {S::offline, spec::zsa::finish, ist, S::offline},
    {S::offline, spec::zsa::reset, ist, S::offline},
    {S::offline, spec::zsa::offline, ok, S::offline},
    {S::offline, spec::zsa::set_extension, ist, S::offline},
};

struct io_row {
    S from;
    std::uint16_t write, append, read;
    S after_write;
};

const std::vector<io_row> io_table = {
    {S::empty, ok, ok, ok, S::imp_open},           {S::imp_open, ok, ok, ok, S::imp_open},
    {S::exp_open, ok, ok, ok, S::exp_open},        {S::closed, ok, ok, ok, S::imp_open},
    {S::full, 0x1b9, 0x1b9, ok, S::full},          {S::read_only, 0x1ba, 0x1ba, ok, S::read_only},
    {S::offline, 0x1bb, 0x1bb, 0x1bb, S::offline},
};

std::uint32_t count_open(const zone_state_machine& m) {
    std::uint32_t n = 0;
    for (std::uint32_t i = 0; i < m.zone_count(); ++i)
        n += m.at(i).is_open();
    return n;
}
std::uint32_t count_active(const zone_state_machine& m) {
    std::uint32_t n = 0;
    for (std::uint32_t i = 0; i < m.zone_count(); ++i)
        n += m.at(i).is_active();
    return n;
}

} // namespace

TEST_CASE("zns_sm: every state x every zone send action") {
    for (const action_row& r : action_table) {
        CAPTURE(static_cast<int>(r.from));
        CAPTURE(static_cast<int>(r.action));
        zone_state_machine m(small_geo());
        enter(m, r.from);
        const status st = m.apply(r.action, 1, 0);
        CHECK(st.code() == r.code);
        if (!st.ok()) CHECK(st.dnr());
        CHECK(m.at(1).state == r.to);
        CHECK(m.open_count() == count_open(m));
        CHECK(m.active_count() == count_active(m));
    }
}

TEST_CASE("zns_sm: every state x write, append and read") {
    for (const io_row& r : io_table) {
        CAPTURE(static_cast<int>(r.from));
        zone_state_machine m(small_geo());
        enter(m, r.from);
        const zone& z = m.at(1);
        zone_write w;
        const std::uint64_t wp = z.wp;
        CHECK(m.check_read(z.start, 4, false).code() == r.read);
        CHECK(m.begin_write(false, wp, 1, 0, w).code() == r.write);
        CHECK(m.at(1).state == r.after_write);
        if (r.write == ok) m.end_write(w, true);
        const std::uint64_t before = m.at(1).issued;
        const status sa = m.begin_write(true, z.start, 1, 0, w);
        CHECK(sa.code() == r.append);
        if (sa.ok()) {
            CHECK(w.lba == before);
            m.end_write(w, true);
        } else {
            CHECK(sa.dnr());
        }
        CHECK(m.open_count() == count_open(m));
        CHECK(m.active_count() == count_active(m));
    }
}

TEST_CASE("zns_sm: write pointer checks and boundary") {
    zone_state_machine m(small_geo());
    zone_write w, more;
    const std::uint64_t zs = m.at(2).start;
    CHECK(m.begin_write(false, zs + 1, 1, 0, w) == nsc::zone_invalid_write);
    CHECK(m.at(2).state == S::empty); // a rejected write opens nothing
    CHECK(m.begin_write(false, zs, 49, 0, w) == nsc::zone_boundary_error);
    CHECK(m.begin_write(false, zs, 48, 0, w).ok());
    // Accepted up to the capacity, not yet written: still open (ZNS 1.1: the zone becomes Full
    // when the write pointer reaches the capacity, i.e. when the write completes), and a write
    // at the issue pointer would cross the zone boundary, as on QEMU.
    CHECK(m.at(2).state == S::imp_open);
    CHECK(m.begin_write(false, zs + 48, 1, 0, more) == nsc::zone_boundary_error);
    CHECK(m.begin_write(true, zs, 1, 0, more) == nsc::zone_boundary_error);
    m.end_write(w, true);
    CHECK(m.at(2).state == S::full); // capacity reached: Full, resources released
    CHECK(m.open_count() == 0);
    CHECK(m.at(2).wp == zs + 48);
    CHECK(m.begin_write(false, zs + 48, 1, 0, w) == nsc::zone_is_full);
    CHECK(m.begin_write(true, zs + 1, 1, 0, w) == nsc::invalid_field);
    CHECK(m.begin_write(false, m.size_lbas(), 1, 0, w) == nsc::lba_out_of_range);
    CHECK(m.begin_write(false, 0, 0, 0, w) == nsc::lba_out_of_range);
}

TEST_CASE("zns_sm: reads across zone boundaries") {
    zone_state_machine m(small_geo());
    CHECK(m.check_read(60, 8, false) == nsc::zone_boundary_error);
    CHECK(m.check_read(60, 8, true).ok());
    CHECK(m.check_read(50, 14, false).ok()); // above ZCAP but inside the zone: zeros
    CHECK(m.check_read(m.size_lbas() - 1, 2, true) == nsc::lba_out_of_range);
    m.make_offline(1);
    CHECK(m.check_read(60, 8, true) == nsc::zone_is_offline);
}

TEST_CASE("zns_sm: in-flight in-order writes and appends advance the issue pointer") {
    zone_state_machine m(small_geo());
    zone_write w1, w2, w3, bad;
    REQUIRE(m.begin_write(false, 0, 4, 0, w1).ok());
    REQUIRE(m.begin_write(false, 4, 4, 0, w2).ok());
    REQUIRE(m.begin_write(true, 0, 4, 0, w3).ok());
    CHECK(w3.lba == 8);
    CHECK(m.at(0).wp == 0); // nothing completed yet: the durable pointer has not moved
    CHECK(m.begin_write(false, 8, 1, 0, bad) == nsc::zone_invalid_write);
    // Out of order completion: the durable pointer waits for the gap to close.
    m.end_write(w2, true);
    CHECK(m.at(0).wp == 0);
    m.end_write(w1, true);
    CHECK(m.at(0).wp == 4);
    m.end_write(w3, true);
    CHECK(m.at(0).wp == 12);
}

TEST_CASE("zns_sm: a failed write rolls the write pointer back and reports what to discard") {
    zone_state_machine m(small_geo());
    zone_write w1, w2, w3;
    REQUIRE(m.begin_write(false, 0, 4, 0, w1).ok());
    REQUIRE(m.begin_write(false, 4, 4, 0, w2).ok());
    REQUIRE(m.begin_write(false, 8, 4, 0, w3).ok());
    CHECK(m.end_write(w1, true).empty());
    CHECK(m.end_write(w2, false).empty());
    const lba_range d = m.end_write(w3, true);
    CHECK(d.first == 4);
    CHECK(d.last == 12);
    CHECK(m.at(0).wp == 4);
    CHECK(m.at(0).issued == 4);
    CHECK(m.begin_write(false, 4, 1, 0, w1).ok());
}

TEST_CASE("zns_sm: a write that completes after its zone was reset leaves the new zone alone") {
    zone_state_machine m(small_geo());
    zone_write old_write, new_write;
    REQUIRE(m.begin_write(false, 0, 4, 0, old_write).ok());
    CHECK(m.current(old_write));
    REQUIRE(m.reset(0).ok());
    CHECK_FALSE(m.current(old_write)); // its data must not be stored any more
    // The zone is written again before the old write completes: the old completion must not
    // move the new write pointer or discard the new data.
    REQUIRE(m.begin_write(false, 0, 8, 0, new_write).ok());
    CHECK(m.current(new_write));
    CHECK(m.end_write(old_write, true).empty());
    CHECK(m.at(0).wp == 0);
    CHECK(m.at(0).inflight == 1);
    CHECK(m.end_write(new_write, true).empty());
    CHECK(m.at(0).wp == 8);
    CHECK(m.at(0).state == S::imp_open);
}

TEST_CASE("zns_sm: open limit auto-closes the least recently implicitly opened zone") {
    zone_state_machine m(small_geo(2, 0));
    zone_write w;
    REQUIRE(write_now(m, m.at(0).start, 1).ok());
    REQUIRE(write_now(m, m.at(1).start, 1).ok());
    REQUIRE(m.begin_write(false, m.at(2).start, 1, 0, w).ok());
    CHECK(w.opened);
    CHECK(w.auto_closed);
    CHECK(m.at(0).state == S::closed);
    CHECK(m.at(1).state == S::imp_open);
    CHECK(m.at(2).state == S::imp_open);
    CHECK(m.open_count() == 2);
    // An explicit open at the limit closes an implicitly opened zone too (as QEMU, null_blk and
    // ZBC do): zone 1 is the least recently opened of them.
    CHECK(m.check(spec::zsa::open, 3).ok());
    REQUIRE(m.open(3, 0).ok());
    CHECK(m.at(1).state == S::closed);
    CHECK(m.at(3).state == S::exp_open);
    // With only explicitly opened zones nothing can be auto-closed.
    REQUIRE(m.open(2, 0).ok());
    CHECK(m.check(spec::zsa::open, 4) == nsc::too_many_open_zones);
    CHECK(m.open(4, 0) == nsc::too_many_open_zones);
    CHECK(m.begin_write(false, m.at(4).start, 1, 0, w) == nsc::too_many_open_zones);
    CHECK(m.at(4).state == S::empty);
}

TEST_CASE("zns_sm: active limit gives Too Many Active") {
    zone_state_machine m(small_geo(0, 2));
    zone_write a;
    REQUIRE(m.begin_write(false, m.at(0).start, 1, 0, a).ok());
    REQUIRE(m.open(1, 0).ok());
    CHECK(m.begin_write(false, m.at(2).start, 1, 0, a) == nsc::too_many_active_zones);
    CHECK(m.open(2, 0) == nsc::too_many_active_zones);
    CHECK(m.finish(2, 0) == nsc::too_many_active_zones);
    CHECK(m.set_extension(2, 0) == nsc::too_many_active_zones);
    REQUIRE(m.close(0).ok());
    CHECK(m.active_count() == 2); // Closed still holds an active resource
    REQUIRE(m.finish(0, 0).ok()); // Full releases it
    CHECK(m.begin_write(false, m.at(2).start, 1, 0, a).ok());
}

TEST_CASE("zns_sm: select all touches only the states each action names") {
    zone_state_machine m(small_geo());
    REQUIRE(write_now(m, m.at(0).start, 1).ok()); // imp open
    REQUIRE(m.open(1, 0).ok());                   // exp open
    REQUIRE(m.open(2, 0).ok());
    REQUIRE(m.close(2).ok());     // closed
    REQUIRE(m.finish(3, 0).ok()); // full
    m.make_read_only(4);
    m.make_offline(5);
    SUBCASE("open") {
        CHECK(m.apply_all(spec::zsa::open, 0).ok());
        CHECK(m.at(0).state == S::imp_open);
        CHECK(m.at(2).state == S::exp_open);
        CHECK(m.at(6).state == S::empty);
    }
    SUBCASE("close") {
        CHECK(m.apply_all(spec::zsa::close, 0).ok());
        CHECK(m.at(0).state == S::closed);
        CHECK(m.at(1).state == S::closed);
        CHECK(m.at(3).state == S::full);
    }
    SUBCASE("finish") {
        CHECK(m.apply_all(spec::zsa::finish, 0).ok());
        for (int i = 0; i < 4; ++i)
            CHECK(m.at(i).state == S::full);
        CHECK(m.at(6).state == S::empty);
        CHECK(m.at(4).state == S::read_only);
    }
    SUBCASE("reset") {
        CHECK(m.apply_all(spec::zsa::reset, 0).ok());
        for (int i = 0; i < 4; ++i)
            CHECK(m.at(i).state == S::empty);
        CHECK(m.at(4).state == S::read_only);
        CHECK(m.at(5).state == S::offline);
        CHECK(m.active_count() == 0);
    }
    SUBCASE("offline") {
        CHECK(m.apply_all(spec::zsa::offline, 0).ok());
        CHECK(m.at(4).state == S::offline);
        CHECK(m.at(3).state == S::full);
    }
    SUBCASE("set extension") {
        CHECK(m.apply_all(spec::zsa::set_extension, 0) == nsc::invalid_field);
    }
}

TEST_CASE("zns_sm: restore brings opened zones back closed or empty") {
    zone_state_machine m(small_geo(1, 2));
    CHECK(m.restore(0, S::imp_open, 0, 0, 0) == S::empty);
    CHECK(m.restore(1, S::exp_open, 64 + 5, 0, 0) == S::closed);
    CHECK(m.restore(2, S::exp_open, 128, spec::za::zdev, 0) == S::closed);
    CHECK(m.restore(3, S::full, 0, 0, 0) == S::full);
    CHECK(m.at(3).wp == m.at(3).end());
    CHECK(m.open_count() == 0);
    CHECK(m.active_count() == 2);
    CHECK(m.at(1).wp == 69);
}

TEST_CASE("zns_sm: conventional zones have no write pointer") {
    zone_geometry g = small_geo();
    g.conventional = 2;
    zone_state_machine m(g);
    zone_write a;
    CHECK(m.begin_write(false, 10, 4, 0, a).ok());
    CHECK(m.begin_write(false, 3, 4, 0, a).ok());
    CHECK(m.begin_write(false, 120, 16, 0, a) == nsc::zone_boundary_error);
    CHECK(m.begin_write(true, 0, 1, 0, a) == nsc::invalid_field);
    CHECK(m.apply(spec::zsa::reset, 0, 0) == nsc::zone_invalid_state_transition);
    CHECK(m.at(0).state == S::empty);
    CHECK(m.apply_all(spec::zsa::finish, 0).ok());
    CHECK(m.at(0).state == S::empty);
}

TEST_CASE("zns_sm: faults release resources and clear recommendations") {
    zone_state_machine m(small_geo(0, 1));
    zone_write a;
    REQUIRE(m.begin_write(false, 0, 1, 0, a).ok());
    CHECK(m.raise_attributes(0, spec::za::rzr));
    CHECK_FALSE(m.raise_attributes(0, spec::za::rzr));
    m.make_read_only(0);
    CHECK(m.at(0).attrs == 0);
    CHECK(m.active_count() == 0);
    CHECK(m.begin_write(false, m.at(1).start, 1, 0, a).ok());
}
