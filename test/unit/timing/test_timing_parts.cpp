// The timing model's pure parts: calendars, the PCIe link's cost formula, the flash layout, the
// die queues (reads between background operations) and the write buffer's accounting.
#include "model/sim/scheduler.h"
#include "model/timing/calendar.h"
#include "model/timing/flash_layout.h"
#include "model/timing/nand_array.h"
#include "model/timing/pcie_link.h"
#include "model/timing/write_buffer.h"

#include <doctest/doctest.h>

using namespace znssim;
using namespace znssim::timing;

TEST_CASE("timing_parts: a calendar serves reservations in order, a pool picks the freest server") {
    resource_calendar c;
    CHECK(c.reserve(100, 50) == 100);
    CHECK(c.reserve(120, 10) == 150); // waits for the first
    CHECK(c.reserve(500, 10) == 500); // idle gap
    server_pool p(2);
    CHECK(p.reserve_end(0, 100) == 100);
    CHECK(p.reserve_end(0, 100) == 100); // the second server
    CHECK(p.reserve_end(0, 100) == 200); // both busy: the first frees at 100
    CHECK(transfer_time(1'000'000'000, 1e9) == from_s(1));
    CHECK(transfer_time(0, 1e9) == 0);
}

TEST_CASE("timing_parts: PCIe payload rate by generation and lanes, TLP overhead per payload") {
    link_params p;
    p.generation = 3;
    p.lanes = 4;
    CHECK(link_bytes_per_second(p) == doctest::Approx(3.938e9).epsilon(0.001));
    p.generation = 2;
    CHECK(link_bytes_per_second(p) == doctest::Approx(2.0e9)); // 8b/10b
    p.generation = 4;
    p.lanes = 8;
    CHECK(link_bytes_per_second(p) == doctest::Approx(15.75e9).epsilon(0.001));
    link_params q;
    q.max_payload = 256;
    q.tlp_overhead = 24;
    pcie_link link(q);
    // 4 KiB = 16 TLPs of 256 B, each with 24 B of overhead.
    CHECK(link.wire_time(4096) == transfer_time(4096 + 16 * 24, link.bytes_per_second()));
    CHECK(link.wire_time(1) == transfer_time(1 + 24, link.bytes_per_second()));
    // A device read: the data comes back after the read latency; two back to back queue.
    const auto a = link.device_read(0, 4096);
    CHECK(a.start >= q.read_latency);
    CHECK(a.end == a.start + link.wire_time(4096));
    const auto b = link.device_read(0, 4096);
    CHECK(b.start == a.end);
    // Writes go the other way and do not wait for reads' completions.
    CHECK(link.device_write(0, 64) < a.end);
}

TEST_CASE("timing_parts: zones stripe program units over their dies") {
    nand_params n;
    n.channels = 4;
    n.dies_per_channel = 2; // 8 dies
    n.page_bytes = 16384;
    n.planes = 2;
    n.cell_bits = 3;
    flash_layout all(n, 0);
    CHECK(all.unit_bytes() == 16384u * 2 * 3);
    CHECK(all.read_unit_bytes() == 32768u);
    CHECK(all.zone_dies() == 8);
    // Zones over all dies start one die apart, so concurrent zones do not march in step.
    CHECK(all.zone_die(0, 0) == 0);
    CHECK(all.zone_die(5, 0) == 5);
    CHECK(all.zone_die(5, 9) == 6);
    CHECK(all.page_type(0) == 0);
    CHECK(all.page_type(32768) == 1);
    CHECK(all.page_type(65536 + 4096) == 2);
    flash_layout small(n, 2);
    CHECK(small.zone_dies() == 2);
    CHECK(small.zone_die(0, 0) == 0);
    CHECK(small.zone_die(0, 1) == 1);
    CHECK(small.zone_die(0, 2) == 0);
    CHECK(small.zone_die(3, 0) == 6); // 4 groups of 2 dies: zone 3 in the last group
    CHECK(small.zone_die(4, 0) == 1); // zone 4 in the first group again, rotated by one
    CHECK(small.zone_die(4, 1) == 0);
    // 5 units from unit 1 over 2 members: units 1,2,3,4,5 → member 1 gets 1,3,5.
    CHECK(small.units_on_member(1, 5, 1) == 3);
    CHECK(small.units_on_member(1, 5, 0) == 2);
    CHECK(all.units_on_member(0, 0, 3) == 0);
}

namespace {
struct job_log {
    std::vector<std::pair<std::uint64_t, sim_time>> done;
    static void record(void* c, die_job& j, sim_time at) {
        static_cast<job_log*>(c)->done.emplace_back(j.tag, at);
    }
};
nand_params small_nand() {
    nand_params n;
    n.channels = 1;
    n.dies_per_channel = 2;
    n.read_time = {from_us(50), from_us(60), from_us(70), from_us(70)};
    n.program_time = from_us(1000);
    n.erase_time = from_us(3000);
    n.channel_bytes_per_second = 1e9;
    return n;
}
} // namespace

TEST_CASE("timing_parts: reads slip in between a die's background operations") {
    manual_scheduler sched;
    nand_array nand(small_nand());
    nand.bind(sched);
    job_log log;
    die_job erase;
    erase.what = die_job::kind::erase;
    erase.count = 3; // three block erases, one after the other
    erase.done = job_log::record;
    erase.context = &log;
    erase.tag = 7;
    nand.queue(0, erase);
    // A read during the first erase waits for it, not for all three.
    sched.advance_to(from_us(1000));
    const sim_time r = nand.read(0, 0, 4096, sched.now());
    CHECK(r == from_us(3000) + from_us(50) + transfer_time(4096, 1e9));
    // The other die is free.
    CHECK(nand.read(1, 2, 4096, sched.now()) ==
          sched.now() + from_us(70) + transfer_time(4096, 1e9));
    sched.advance_to(from_s(1));
    REQUIRE(log.done.size() == 1);
    // Erases 2 and 3 ran after the read.
    CHECK(log.done[0].second == r + 2 * from_us(3000));
    CHECK(nand.pending_jobs(0) == 0);
}

TEST_CASE(
    "timing_parts: a die runs its jobs in order; a program moves its data over the channel first") {
    manual_scheduler sched;
    nand_array nand(small_nand());
    nand.bind(sched);
    job_log log;
    die_job a, b;
    for (die_job* j : {&a, &b}) {
        j->what = die_job::kind::program;
        j->bytes = 100'000;
        j->done = job_log::record;
        j->context = &log;
    }
    a.tag = 1;
    b.tag = 2;
    nand.queue(0, a);
    nand.queue(0, b);
    CHECK(nand.pending_jobs(0) == 2);
    sched.advance_to(from_s(1));
    REQUIRE(log.done.size() == 2);
    const sim_time xfer = transfer_time(100'000, 1e9);
    CHECK(log.done[0] == std::make_pair(std::uint64_t{1}, xfer + from_us(1000)));
    CHECK(log.done[1] == std::make_pair(std::uint64_t{2}, 2 * (xfer + from_us(1000))));
}

TEST_CASE("timing_parts: an erase goes before the programs a long job still has to start") {
    manual_scheduler sched;
    nand_array nand(small_nand());
    nand.bind(sched);
    job_log log;
    die_job fill, erase, later;
    fill.what = die_job::kind::program; // a finish's fill: ten programs on the die
    fill.count = 10;
    fill.bytes = 100'000;
    later.what = die_job::kind::program;
    later.bytes = 100'000;
    erase.what = die_job::kind::erase;
    fill.tag = 1;
    erase.tag = 2;
    later.tag = 3;
    for (die_job* j : {&fill, &erase, &later}) {
        j->done = job_log::record;
        j->context = &log;
    }
    nand.queue(0, fill);
    const sim_time program = transfer_time(100'000, 1e9) + from_us(1000);
    sched.advance_to(program + program / 2); // during the fill's second program
    nand.queue(0, later);
    nand.queue(0, erase);
    CHECK(nand.pending_jobs(0) == 3);
    sched.advance_to(from_s(1));
    REQUIRE(log.done.size() == 3);
    // The erase ran once the program under way ended; the fill then went on, and the program
    // queued behind it stayed behind it.
    CHECK(log.done[0] == std::make_pair(std::uint64_t{2}, 2 * program + from_us(3000)));
    CHECK(log.done[1] == std::make_pair(std::uint64_t{1}, 10 * program + from_us(3000)));
    CHECK(log.done[2] == std::make_pair(std::uint64_t{3}, 11 * program + from_us(3000)));
}

TEST_CASE("timing_parts: the write buffer admits while there is room, per stream too") {
    write_buffer b(1000, 300);
    CHECK(b.fits(300, 0));
    b.admit(300);
    CHECK_FALSE(b.fits(1, 300)); // the stream is at its share
    CHECK(b.fits(300, 0));       // another stream is not
    b.admit(600);
    CHECK_FALSE(b.fits(200, 0)); // the buffer as a whole is full
    b.release(300);
    CHECK(b.fits(200, 0));
    write_buffer big(100, 0);
    CHECK(big.fits(500, 0)); // larger than the buffer: admitted alone into an empty buffer
    big.admit(500);
    CHECK_FALSE(big.fits(1, 0));
}

TEST_CASE("timing_parts: a gap calendar fills gaps left by reservations made for later") {
    gap_calendar c;
    CHECK(c.reserve(1000, 100, 0) == 1000); // reserved for later first
    CHECK(c.reserve(0, 100, 0) == 0);       // an earlier request fits before it
    CHECK(c.reserve(950, 100, 0) == 1100);  // does not fit before 1000: after it
    CHECK(c.reserve(100, 800, 0) == 100);   // exactly fills [100, 900)
    CHECK(c.reserve(850, 50, 0) == 900);
    CHECK(c.intervals() == 2);           // [0, 950) and [1000, 1200), touching ones merged
    CHECK(c.reserve(940, 50, 0) == 950); // exactly fills the last gap
    CHECK(c.intervals() == 1);
    CHECK(c.reserve(5000, 10, 2000) == 5000);
    CHECK(c.intervals() == 1); // what ended before 'now' is forgotten
}
