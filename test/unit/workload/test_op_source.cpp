// What a stream issues: sequential and random offsets within its range, zoned writes over a set
// of open zones each with its own queue depth, full zones recycled by resets, zone actions in
// order, and the amount limits.
#include "platform/workload/op_source.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <set>

using namespace znssim::platform;

namespace {

stream_spec base(stream_op op) {
    stream_spec s;
    s.op = op;
    s.block_bytes = 16384; // 4 LBAs
    s.queue_depth = 2;
    return s;
}

std::vector<stream_zone> zones(unsigned n, std::uint64_t cap = 16) {
    std::vector<stream_zone> v;
    for (unsigned i = 0; i < n; ++i) {
        stream_zone z;
        z.index = i;
        z.start = i * 32ull;
        z.capacity = cap;
        z.wp = z.start;
        v.push_back(z);
    }
    return v;
}

const op_source::geometry conventional{1024, 4096, false};
const op_source::geometry zoned{1024, 4096, true};

} // namespace

TEST_CASE("op_source: sequential reads cover the range once, block by block, at the queue depth") {
    op_source src(base(stream_op::read), conventional, 100, 10, {});
    planned_io a, b, c;
    REQUIRE(src.next(a));
    REQUIRE(src.next(b));
    CHECK_FALSE(src.next(c)); // queue depth 2 reached
    CHECK(a.lba == 100);
    CHECK(a.nlb == 4);
    CHECK(b.lba == 104);
    src.completed(a, true);
    REQUIRE(src.next(c));
    CHECK(c.lba == 108);
    CHECK(c.nlb == 2); // the range ends inside the block
    src.completed(b, true);
    src.completed(c, true);
    CHECK_FALSE(src.next(a));
    CHECK(src.done());
    CHECK(src.issued_bytes() == 10 * 4096u);
}

TEST_CASE(
    "op_source: random reads stay block aligned inside the range; the command count ends them") {
    stream_spec s = base(stream_op::randread);
    s.amount_commands = 200;
    s.queue_depth = 1;
    op_source src(s, conventional, 64, 64, {});
    std::set<std::uint64_t> seen;
    planned_io io;
    unsigned n = 0;
    while (src.next(io)) {
        CHECK(io.lba >= 64);
        CHECK(io.lba + io.nlb <= 128);
        CHECK((io.lba - 64) % 4 == 0);
        seen.insert(io.lba);
        src.completed(io, true);
        ++n;
    }
    CHECK(n == 200);
    CHECK(seen.size() == 16); // every block of the range was picked
    CHECK(src.done());
}

TEST_CASE("op_source: zoned writes go to each open zone's write pointer with their own depth") {
    stream_spec s = base(stream_op::write);
    s.by_zone = true;
    s.open_zones = 2;
    s.queue_depth = 1;
    auto z = zones(3);
    z[1].full = true; // skipped
    z[1].wp = z[1].end();
    op_source src(s, zoned, 0, 0, z);
    planned_io a, b, c;
    REQUIRE(src.next(a));
    REQUIRE(src.next(b));
    CHECK_FALSE(src.next(c)); // one per zone
    CHECK(a.lba == 0);
    CHECK(b.lba == 64); // zone 2: zone 1 is full
    src.completed(a, true);
    REQUIRE(src.next(c));
    CHECK(c.lba == 4); // zone 0 goes on at its pointer
    // Fill zone 0 (16 LBAs): it leaves the open set; no other zone remains, so the stream ends
    // once zone 2 is full too.
    src.completed(b, true);
    src.completed(c, true);
    unsigned writes = 3;
    while (src.next(a)) {
        src.completed(a, true);
        ++writes;
    }
    CHECK(writes == 8); // 4 + 4 blocks of 4 LBAs
    CHECK(src.done());
    CHECK(src.zones()[0].full);
    CHECK(src.zones()[2].full);
    REQUIRE(src.written().size() == 2);
    CHECK(src.written()[0].lba == 0);
}

TEST_CASE("op_source: with reset_full_zones, full zones are reset and written again") {
    stream_spec s = base(stream_op::write);
    s.by_zone = true;
    s.reset_full_zones = true;
    s.queue_depth = 1;
    s.amount_commands = 10; // 4 writes fill the zone, then a reset, then more writes
    op_source src(s, zoned, 0, 0, zones(1));
    planned_io io;
    std::vector<planned_io::kind> kinds;
    while (src.next(io)) {
        kinds.push_back(io.what);
        src.completed(io, true);
    }
    REQUIRE(kinds.size() == 10);
    CHECK(kinds[4] == planned_io::kind::zone_action);
    CHECK(std::count(kinds.begin(), kinds.end(), planned_io::kind::zone_action) == 2);
}

TEST_CASE("op_source: appends target the zone start and predict the LBAs they will get") {
    stream_spec s = base(stream_op::append);
    s.by_zone = true;
    s.queue_depth = 3;
    op_source src(s, zoned, 0, 0, zones(1));
    planned_io a, b;
    REQUIRE(src.next(a));
    REQUIRE(src.next(b));
    CHECK(a.what == planned_io::kind::append);
    CHECK(a.lba == 0);
    CHECK(b.lba == 0);
    CHECK(src.zones()[0].wp == 8);
}

TEST_CASE("op_source: zone actions go over the range in order at the queue depth") {
    stream_spec s = base(stream_op::zone_reset);
    s.by_zone = true;
    s.queue_depth = 2;
    op_source src(s, zoned, 0, 0, zones(3));
    planned_io a, b, c;
    REQUIRE(src.next(a));
    REQUIRE(src.next(b));
    CHECK_FALSE(src.next(c));
    CHECK(a.zsa == 0x4);
    CHECK(a.lba == 0);
    CHECK(b.lba == 32);
    src.completed(a, true);
    REQUIRE(src.next(c));
    CHECK(c.lba == 64);
    src.completed(b, true);
    src.completed(c, true);
    CHECK_FALSE(src.next(a));
    CHECK(src.done());
}

TEST_CASE("op_source: stop() ends a time-based stream that would wrap forever") {
    stream_spec s = base(stream_op::read);
    s.time_based = true;
    s.runtime = 1;
    s.queue_depth = 1;
    op_source src(s, conventional, 0, 8, {});
    planned_io io;
    for (int i = 0; i < 10; ++i) { // wraps around the 2-block range
        REQUIRE(src.next(io));
        src.completed(io, true);
    }
    CHECK(io.lba == 4);
    src.stop();
    CHECK_FALSE(src.next(io));
    CHECK(src.done());
}
