// A timed run's latencies follow the configuration: a read costs its phases, a write completes
// from the buffer, a read behind a reset waits for it, zones change state when their command
// completes, a full buffer holds writes back to the drain rate.
#include "test/platform/harness_main.h"

#include "platform/config/load_config.h"

#include <cstring>

using namespace znssim;
using namespace znssim::platform;

namespace {

constexpr std::uint32_t nsid = 1;
constexpr std::uint64_t zsze = 4096; // 16 MiB zones of 4 KiB LBAs
enum : std::uint8_t { zsa_finish = 2, zsa_reset = 4 };

// One die, so that every command of zone 0 meets the others there; round figures throughout.
const char* const config = R"(
namespaces:
  - {nsid: 1, image: timed.img, type: zoned, zoned: {zone_size: 16 MiB, zones: 8}}
platform: {timing: timed}
timing:
  pcie: {generation: 3, lanes: 4, read_latency: 1us}
  controller: {doorbell_to_fetch: 0, processors: 1, read_cost: 2us, write_cost: 3us,
               zone_mgmt_cost: 4us, completion_cost: 0, program_dispatch_cost: 0}
  flash: {channels: 1, dies_per_channel: 1, planes: 1, page_size: 16 KiB, cell_bits: 1,
          read_time: 50us, program_time: 1ms, erase_time: 3ms, block_size: 4 MiB,
          channel_rate: 1000 MB/s}
  write_buffer: {size: 1 MiB, ingest_rate: 1000 MB/s}
  zones: {metadata_program: 2ms, open_cost: 0, close_cost: 0, implicit_open_cost: 0}
  host: {completions: polled, submit_cost: 0, complete_cost: 0}
)";

completion io(std::uint8_t opcode, std::uint64_t lba, std::uint32_t nlb, dma_buffer& buf) {
    auto& d = test::driver();
    const auto t =
        d.submit_async(d.io_queue_ids().front(), host_driver::make_rw(opcode, nsid, lba, nlb),
                       buf.bus(), nlb * 4096ull);
    REQUIRE(t.valid());
    return d.wait(t);
}

double latency_us(const completion& c) {
    return to_us(c.completed_at - c.submitted_at);
}

std::uint8_t zone_state(std::uint32_t zone) {
    std::vector<zone_descriptor> zones;
    REQUIRE(test::driver().report_zones(nsid, zones).ok());
    return zones.at(zone).state;
}

} // namespace

void znssim::test::setup(harness& h) {
    h.add_system_yaml("timed", config);
}

TEST_CASE("timed: a read of written data costs fetch, firmware, sense, transfer and posting") {
    auto& d = test::driver();
    auto buf = d.alloc(16384);
    // A whole program unit (16 KiB), so it leaves the buffer for the die; a partial one would
    // wait in the buffer for the rest of its unit.
    REQUIRE(io(0x01, 0, 4, buf).ok());
    sc_core::wait(sc_core::sc_time(10, sc_core::SC_MS)); // programmed
    const completion c = io(0x02, 0, 1, buf);
    REQUIRE(c.ok());
    // fetch (1 us read latency) + read_cost 2 us + sense 50 us + 4 KiB on the channel (4.1 us)
    // + 4 KiB and the completion over the link (about 1.2 us) + TLP overheads.
    CHECK(latency_us(c) == doctest::Approx(58.4).epsilon(0.03));
}

TEST_CASE("timed: a write completes from the buffer long before its program") {
    auto& d = test::driver();
    auto buf = d.alloc(4096);
    const completion c = io(0x01, 4, 1, buf); // at zone 0's write pointer
    REQUIRE(c.ok());
    // fetch + write_cost 3 us + data read (1 us + transfer) + ingest 4.1 us: far below 1 ms.
    CHECK(latency_us(c) > 8);
    CHECK(latency_us(c) < 15);
}

TEST_CASE("timed: a read landing on the die a reset occupies waits for the reset") {
    auto& d = test::driver();
    auto buf = d.alloc(16384);
    REQUIRE(io(0x01, zsze, 4, buf).ok()); // zone 1 written, zone 0 holds data from above
    sc_core::wait(sc_core::sc_time(10, sc_core::SC_MS));
    const std::uint16_t q = d.io_queue_ids().front();
    auto reset = host_driver::make_sqe(0x79, nsid);
    reset.cdw10 = static_cast<std::uint32_t>(zsze);
    reset.cdw13 = zsa_reset;
    const auto rt = d.submit_async(q, reset);
    const auto rd = d.submit_async(q, host_driver::make_rw(0x02, nsid, 0, 1), buf.bus(), 4096);
    const completion r = d.wait(rt);
    const completion c = d.wait(rd);
    REQUIRE(r.ok());
    REQUIRE(c.ok());
    // The reset persists the zone's state (2 ms) then erases one block (3 ms), on the only die.
    // (Zone 1's program of 1 ms went first.)
    CHECK(latency_us(r) == doctest::Approx(5000).epsilon(0.02));
    // The read senses once the die is free from the metadata program, not before.
    CHECK(latency_us(c) > 2000);
    CHECK(latency_us(c) < 2100 + 60);
}

TEST_CASE("timed: a zone is Full once its finish completes, not when the finish starts") {
    auto& d = test::driver();
    auto buf = d.alloc(4096);
    REQUIRE(io(0x01, 2 * zsze, 1, buf).ok());
    CHECK(zone_state(2) == 0x2); // implicitly open
    auto finish = host_driver::make_sqe(0x79, nsid);
    finish.cdw10 = static_cast<std::uint32_t>(2 * zsze);
    finish.cdw13 = zsa_finish;
    const std::uint16_t q = d.io_queue_ids().front();
    const auto t = d.submit_async(q, finish);
    d.ring(q);
    sc_core::wait(sc_core::sc_time(100, sc_core::SC_US));
    CHECK(zone_state(2) == 0x2); // the fill of 16 MiB at 1 ms per 16 KiB is under way
    const completion c = d.wait(t);
    REQUIRE(c.ok());
    CHECK(zone_state(2) == 0xe);
    // 1023 units of 16 KiB to fill, one die: about a second.
    CHECK(to_s(c.completed_at - c.submitted_at) == doctest::Approx(1.03).epsilon(0.03));
}

TEST_CASE("timed: sustained writes settle at the drain rate once the buffer is full") {
    auto& d = test::driver();
    const std::uint16_t q = d.io_queue_ids().front();
    auto buf = d.alloc(8 * 65536);
    // 8 MiB into zone 3 at queue depth 8: the 1 MiB buffer fills, then programs pace the writes.
    const std::uint64_t start = 3 * zsze;
    std::uint64_t next = start, done = 0;
    const std::uint64_t total = 2048; // LBAs
    unsigned inflight = 0;
    sim_time first = 0, last = 0;
    while (done < total) {
        while (inflight < 8 && next < start + total) {
            REQUIRE(d.submit_async(q, host_driver::make_rw(0x01, nsid, next, 16),
                                   buf.bus() + (inflight * 65536ull), 65536)
                        .valid());
            next += 16;
            ++inflight;
        }
        const completion c = d.wait_any(q);
        REQUIRE(c.ok());
        if (first == 0) first = c.submitted_at;
        last = c.completed_at;
        --inflight;
        done += 16;
    }
    const double rate = 8.0 * 1024 * 1024 / to_s(last - first);
    // One die: 16 KiB per (1 ms program + 16.4 us on the channel), after 1 MiB went in at once.
    const double drain = 16384 / (1e-3 + 16384 / 1e9);
    CHECK(rate == doctest::Approx(drain * 8.0 / 7.0).epsilon(0.1));
}

TEST_CASE("timed: CC.EN=0 with writes in flight leaves their zone as if they never happened") {
    auto& d = test::driver();
    const std::uint16_t q = d.io_queue_ids().front();
    auto buf = d.alloc(65536);
    // 32 writes of 64 KiB into zone 5: the 1 MiB buffer holds 16, the rest wait for programs.
    const std::uint64_t start = 5 * zsze;
    for (unsigned i = 0; i < 32; ++i)
        REQUIRE(d.submit_async(q, host_driver::make_rw(0x01, nsid, start + 16 * i, 16), buf.bus(),
                               65536)
                    .valid());
    d.ring(q);
    for (int i = 0; i < 4; ++i) // some complete; the rest are held back by the full buffer
        REQUIRE(d.wait_any(q).ok());
    REQUIRE(d.disable_controller());
    REQUIRE(d.start());
    std::vector<zone_descriptor> zones;
    REQUIRE(d.report_zones(nsid, zones).ok());
    const zone_descriptor& z = zones.at(5);
    CHECK(z.write_pointer > start);           // what completed before the reset stays
    CHECK(z.write_pointer < start + 32 * 16); // what was held back is gone
    CHECK((z.write_pointer - start) % 16 == 0);
    // Nothing is left reserved above the write pointer: the next write goes exactly there.
    const completion c = io(0x01, z.write_pointer, 1, buf);
    CHECK(c.ok());
}
