// The structural SSD model on a manual clock: early write completion from the buffer, back-
// pressure and the drain ceiling, reset and finish costs from the zone's fill, reads waiting
// behind a reset, reads served without the dies.
#include "model/sim/scheduler.h"
#include "model/timing/ssd_timing.h"

#include <doctest/doctest.h>

#include <deque>

using namespace znssim;
using namespace znssim::timing;

namespace {

ssd_params small_ssd() {
    ssd_params p;
    p.nand.channels = 2;
    p.nand.dies_per_channel = 2; // 4 dies
    p.nand.planes = 2;
    p.nand.page_bytes = 16384;
    p.nand.cell_bits = 2; // 64 KiB program units
    p.nand.read_time = {from_us(50), from_us(60), from_us(60), from_us(60)};
    p.nand.program_time = from_us(1000);
    p.nand.erase_time = from_us(3000);
    p.nand.block_bytes = 1ull << 20;
    p.nand.channel_bytes_per_second = 1e9;
    p.buffer.bytes = 1ull << 20;
    p.buffer.ingest_bytes_per_second = 2e9;
    p.zones.metadata_program = from_us(1500);
    return p;
}

struct model {
    manual_scheduler sched;
    ssd_timing ssd;
    explicit model(const ssd_params& p = small_ssd()) : ssd(p) { ssd.bind(sched); }

    static media_request zoned(media_op op, std::uint32_t zone, std::uint64_t offset_lbas,
                               std::uint64_t nlb, std::uint64_t written = 0) {
        media_request r;
        r.op = op;
        r.nsid = 1;
        r.lba_bytes = 4096;
        r.zoned = true;
        r.zone = zone;
        r.zone_size = 4096; // 16 MiB zones
        r.zone_capacity = 4096;
        r.ns_lbas = 64 * 4096;
        r.zone_start = zone * r.zone_size;
        r.slba = r.zone_start + offset_lbas;
        r.nlb = nlb;
        r.zone_written = written;
        return r;
    }
};

/// A media handle that records when it completed.
struct waiter {
    media_op_handle h;
    sim_time done_at = ~sim_time{0};
    waiter() {
        h.context = this;
        h.done = [](void* c, sim_time at) { static_cast<waiter*>(c)->done_at = at; };
    }
};

} // namespace

TEST_CASE(
    "ssd_timing: a small write completes when its data is in the buffer, long before a program") {
    model m;
    waiter w;
    const auto r = model::zoned(media_op::write, 0, 0, 1);
    const sim_time t = m.ssd.start(w.h, r, from_us(10));
    REQUIRE(t != media_timing::later);
    CHECK(t >= from_us(10));
    CHECK(t < from_us(20)); // ingest of 4 KiB at 2 GB/s: about 2 us
    CHECK(m.ssd.buffer_fill() == 4096);
    // A full program unit starts draining: the buffer frees once the program is done.
    const auto big = model::zoned(media_op::write, 0, 1, 15); // completes the 64 KiB unit
    m.ssd.start(w.h, big, from_us(20));
    CHECK(m.ssd.buffer_fill() == 65536);
    m.sched.advance_to(from_ms(5));
    CHECK(m.ssd.buffer_fill() == 0);
    CHECK(m.ssd.programs_done() == 1);
}

TEST_CASE(
    "ssd_timing: sustained writes are held back by a full buffer and settle at the drain rate") {
    model m;
    // Keep 8 writes of 64 KiB in flight to one zone for 16 MiB.
    constexpr unsigned qd = 8;
    std::deque<waiter> w(qd);
    std::vector<bool> active(qd, true);
    std::uint64_t next_lba = 0, issued = 0, completed = 0;
    const std::uint64_t total = 16ull << 20;
    std::uint64_t waited = 0;
    auto issue = [&](waiter& x) {
        x.done_at = ~sim_time{0};
        const auto r = model::zoned(media_op::write, 0, next_lba, 16);
        next_lba += 16;
        issued += 65536;
        const sim_time t = m.ssd.start(x.h, r, m.sched.now());
        if (t == media_timing::later)
            ++waited;
        else
            x.done_at = t;
    };
    for (auto& x : w)
        issue(x);
    while (completed < total) {
        // Advance to the earliest known completion, then replace what completed.
        sim_time next = ~sim_time{0};
        for (unsigned i = 0; i < qd; ++i)
            if (active[i]) next = std::min(next, w[i].done_at);
        if (next == ~sim_time{0}) {
            m.sched.advance_by(from_us(100)); // all waiting for buffer space
            continue;
        }
        m.sched.advance_to(std::max(next, m.sched.now()));
        for (unsigned i = 0; i < qd; ++i) {
            if (!active[i] || w[i].done_at > m.sched.now()) continue;
            completed += 65536;
            if (issued < total)
                issue(w[i]);
            else
                active[i] = false;
        }
    }
    CHECK(waited > 0); // the buffer (1 MiB) filled: writes waited for programs
    const double rate = static_cast<double>(total) / to_s(m.sched.now());
    // 4 dies, 64 KiB per program of 1 ms plus 65.5 us on the channel.
    const double drain = 4 * 65536 / (1e-3 + 65536 / 1e9);
    CHECK(rate == doctest::Approx(drain).epsilon(0.12));
    CHECK(rate < drain * 1.2);
}

TEST_CASE("ssd_timing: a reset persists the zone state, then erases what was written") {
    model m;
    waiter empty, full, half;
    // Empty zone: the metadata program alone.
    REQUIRE(m.ssd.start(empty.h, model::zoned(media_op::zone_reset, 1, 0, 0, 0), 0) ==
            media_timing::later);
    m.sched.advance_to(from_ms(100));
    CHECK(empty.done_at == from_us(1500));
    // Full zone (16 MiB over 4 dies = 4 MiB = 4 blocks per die): metadata, then 4 erases.
    const sim_time t0 = m.sched.now();
    m.ssd.start(full.h, model::zoned(media_op::zone_reset, 2, 0, 0, 4096), t0);
    m.sched.advance_to(t0 + from_ms(100));
    CHECK(full.done_at == t0 + from_us(1500) + 4 * from_us(3000));
    // A quarter written: one block per die.
    const sim_time t1 = m.sched.now();
    m.ssd.start(half.h, model::zoned(media_op::zone_reset, 3, 0, 0, 1024), t1);
    m.sched.advance_to(t1 + from_ms(100));
    CHECK(half.done_at == t1 + from_us(1500) + from_us(3000));
}

TEST_CASE("ssd_timing: a finish fills the unwritten capacity; a nearly full zone finishes fast") {
    model m;
    waiter empty_ish, nearly_full;
    const sim_time per_unit = from_us(1000) + transfer_time(65536, 1e9);
    // 1 LBA written: 256 units of 64 KiB over 4 dies = 64 programs per die.
    m.ssd.start(empty_ish.h, model::zoned(media_op::zone_finish, 4, 0, 0, 1), 0);
    m.sched.advance_to(from_s(1));
    CHECK(empty_ish.done_at >= 64 * per_unit);
    CHECK(empty_ish.done_at <= 64 * per_unit + from_us(1500) + per_unit);
    // All but one LBA written: one padded unit, the metadata alongside on another die.
    const sim_time t0 = m.sched.now();
    m.ssd.start(nearly_full.h, model::zoned(media_op::zone_finish, 5, 0, 0, 4095), t0);
    m.sched.advance_to(t0 + from_s(1));
    CHECK(nearly_full.done_at == t0 + std::max(per_unit, from_us(1500)));
}

TEST_CASE("ssd_timing: a read landing on a die under reset waits for the erase under way") {
    model m;
    waiter reset;
    m.ssd.start(reset.h, model::zoned(media_op::zone_reset, 0, 0, 0, 4096), 0);
    // Zone 0's first unit is on die 0, which does the metadata program first (1.5 ms).
    const sim_time during = from_us(100);
    m.sched.advance_to(during);
    const sim_time read_end =
        m.ssd.start(reset.h, model::zoned(media_op::read, 0, 0, 1, 4096), during);
    CHECK(read_end >= from_us(1500) + from_us(50));
    CHECK(read_end < from_us(1500) + from_us(3000)); // not behind every erase
    // A read of a zone on idle dies does not wait.
    model idle;
    const sim_time quick =
        idle.ssd.start(reset.h, model::zoned(media_op::read, 0, 0, 1, 4096), during);
    CHECK(quick < during + from_us(60));
}

TEST_CASE("ssd_timing: never-written LBAs cost nothing on the media; buffered data comes from the "
          "buffer") {
    model m;
    waiter w;
    auto unwritten = model::zoned(media_op::read, 0, 100, 1);
    unwritten.unwritten = true;
    CHECK(m.ssd.start(w.h, unwritten, from_us(5)) == from_us(5));
    // 4 KiB in the buffer (not a whole unit: not programmed): served at DRAM speed.
    m.ssd.start(w.h, model::zoned(media_op::write, 0, 0, 1), 0);
    const sim_time t = m.ssd.start(w.h, model::zoned(media_op::read, 0, 0, 1, 1), from_us(10));
    CHECK(t < from_us(15));
}

TEST_CASE("ssd_timing: the front end charges firmware time per command on its processors") {
    ssd_params p = small_ssd();
    p.frontend.processors = 1;
    p.frontend.read_cost = from_us(2);
    model m(p);
    command_cost_info c;
    c.opcode = 0x02;
    CHECK(m.ssd.command_processed(c, 0) == from_us(2));
    CHECK(m.ssd.command_processed(c, 0) == from_us(4)); // one processor: the second waits
    c.bytes_to_host = 4096;
    CHECK(m.ssd.command_processed(c, from_us(10)) > from_us(12));
    // An SQ entry arrives after the read latency.
    CHECK(m.ssd.sqe_fetched(0) >= p.link.read_latency);
}
