// Doorbell Buffer Config through the reference driver, which uses shadow doorbells as Linux 6.1
// does: the command succeeds at bring-up, I/O at QD32 on several queues reads back what was
// written while far fewer MMIO doorbell writes reach the device than commands (the same workload
// without the buffers rings once per command), misaligned buffers are refused, a controller
// reset forgets the buffers, and a device configured without the feature is driven with MMIO.
#include "test/platform/harness_main.h"

#include "nvme/spec/registers.h"

#include <cstring>

using namespace znssim;
using namespace znssim::platform;
namespace spec = znssim::nvme::spec;

namespace {
constexpr std::size_t shadow_sys = 0, plain_sys = 1, off_sys = 2;
constexpr unsigned queues = 4, qd = 32, rounds = 4;

driver_params params(bool shadow) {
    driver_params p;
    p.io_queues = queues;
    p.request_queues = queues;
    p.shadow_doorbells = shadow;
    p.doorbell_batch = 1; // every submission updates the doorbell, as Linux without batching
    return p;
}

void pattern(dma_buffer& b, std::uint32_t seed) {
    for (std::size_t i = 0; i < b.size(); ++i)
        b.data()[i] = static_cast<std::uint8_t>((i * 131u + seed * 7u + (i >> 12)) & 0xff);
}

struct counts {
    std::uint64_t commands = 0, sq_writes = 0, cq_writes = 0;
};

/// 'rounds' times: QD32 4 KiB writes on every I/O queue, then reads of the same LBAs; checks
/// the data and returns how many commands and MMIO doorbell writes it took.
counts run_io(host_driver& d, std::uint32_t seed) {
    const std::vector<std::uint16_t> qids = d.io_queue_ids();
    REQUIRE(qids.size() == queues);
    const std::uint64_t sq0 = d.sq_doorbell_writes(), cq0 = d.cq_doorbell_writes();
    counts n;
    dma_buffer out = d.alloc(queues * qd * 4096), in = d.alloc(queues * qd * 4096);
    for (unsigned r = 0; r < rounds; ++r) {
        pattern(out, seed + r);
        std::memset(in.data(), 0, in.size());
        for (std::uint8_t op : {spec::io_opcode::write, spec::io_opcode::read}) {
            dma_buffer& buf = op == spec::io_opcode::write ? out : in;
            for (unsigned i = 0; i < queues * qd; ++i) {
                const std::uint16_t qid = qids[i % queues];
                const ticket t = d.submit_async(qid, host_driver::make_rw(op, 1, 100 + i, 1),
                                                buf.bus() + i * 4096ull, 4096);
                REQUIRE(t.valid());
                ++n.commands;
            }
            for (unsigned i = 0; i < queues * qd; ++i)
                REQUIRE(d.wait_any_of(qids).ok());
        }
        CHECK(std::memcmp(out.data(), in.data(), out.size()) == 0);
    }
    for (std::uint16_t qid : qids)
        CHECK(d.outstanding(qid) == 0);
    n.sq_writes = d.sq_doorbell_writes() - sq0;
    n.cq_writes = d.cq_doorbell_writes() - cq0;
    MESSAGE("commands " << n.commands << ", SQ doorbell writes " << n.sq_writes
                        << ", CQ doorbell writes " << n.cq_writes);
    return n;
}

const nvme::controller_core& core(std::size_t i) {
    return test::sys(i).device().core().core();
}
} // namespace

void znssim::test::setup(harness& h) {
    h.add_system("shadow", default_config("shadow"), params(true));
    h.add_system("plain", default_config("plain"), params(false));
    system_config off = default_config("off");
    off.controller.doorbell_buffer = false;
    h.add_system("off", off, params(true));
}

TEST_CASE("shadow_doorbells: the driver sets the doorbell buffers when OACS has them") {
    host_driver& d = test::driver(shadow_sys);
    REQUIRE_MESSAGE(d.state() == driver_state::ready, d.failure());
    CHECK((d.id_controller().oacs & spec::ctrl_bits::oacs_doorbell_buffer_config) != 0);
    CHECK(d.shadow_doorbells());
    CHECK(core(shadow_sys).shadow_doorbells());
    for (std::uint16_t qid : d.io_queue_ids())
        CHECK(core(shadow_sys).sq(qid)->shadowed);
    CHECK_FALSE(core(shadow_sys).sq(0)->shadowed);
}

TEST_CASE("shadow_doorbells: QD32 on four queues, data intact, far fewer MMIO doorbell writes") {
    host_driver& d = test::driver(shadow_sys);
    host_driver& p = test::driver(plain_sys);
    REQUIRE(d.state() == driver_state::ready);
    REQUIRE(p.state() == driver_state::ready);
    const counts s = run_io(d, 1);
    const counts m = run_io(p, 1);
    CHECK(m.sq_writes == m.commands); // without the buffers: one per submission
    CHECK(s.sq_writes * 8 <= s.commands);
    CHECK(s.sq_writes + s.cq_writes < m.sq_writes + m.cq_writes);
    CHECK(d.timeouts() == 0);
    CHECK(d.unexpected_completions() == 0);
}

TEST_CASE("shadow_doorbells: buffers that are not page aligned are refused with Invalid Field") {
    host_driver& d = test::driver(shadow_sys);
    dma_buffer a = d.alloc(4096), b = d.alloc(4096);
    completion c = d.doorbell_buffer_config(a.bus() + 0x40, b.bus());
    CHECK(c.status.code() == 0x002);
    CHECK(c.status.dnr());
    c = d.doorbell_buffer_config(a.bus(), b.bus() + 0x800);
    CHECK(c.status.code() == 0x002);
    CHECK(c.status.dnr());
    // The refused command changed nothing: I/O goes on through the buffers set at bring-up.
    CHECK(core(shadow_sys).shadow_doorbells());
    run_io(d, 5);
}

TEST_CASE("shadow_doorbells: a controller reset forgets the buffers; bring-up sets them again") {
    host_driver& d = test::driver(shadow_sys);
    REQUIRE(d.disable_controller());
    CHECK_FALSE(core(shadow_sys).shadow_doorbells());
    CHECK_FALSE(d.shadow_doorbells());
    REQUIRE_MESSAGE(d.start(), d.failure());
    CHECK(d.shadow_doorbells());
    CHECK(core(shadow_sys).shadow_doorbells());
    const counts s = run_io(d, 9);
    CHECK(s.sq_writes * 8 <= s.commands);
}

TEST_CASE("shadow_doorbells: without controller.doorbell_buffer the driver rings MMIO doorbells") {
    host_driver& d = test::driver(off_sys);
    REQUIRE(d.state() == driver_state::ready);
    CHECK((d.id_controller().oacs & spec::ctrl_bits::oacs_doorbell_buffer_config) == 0);
    CHECK_FALSE(d.shadow_doorbells());
    CHECK_FALSE(core(off_sys).shadow_doorbells());
    const counts n = run_io(d, 3);
    CHECK(n.sq_writes == n.commands);
    dma_buffer a = d.alloc(4096), b = d.alloc(4096);
    const completion c = d.doorbell_buffer_config(a.bus(), b.bus());
    CHECK(c.status.code() == 0x001); // Invalid Command Opcode
}
