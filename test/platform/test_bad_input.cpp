// Bad input from the host, one case per test, through the reference platform: each malformed
// command gets the status the spec names (with DNR), bad doorbells give asynchronous error events,
// nothing crashes or hangs, host memory outside the command's buffers is untouched, and the
// controller keeps working afterwards.
#include "test/platform/harness_main.h"

#include "nvme/spec/registers.h"

#include <cstdlib>
#include <cstring>

using namespace znssim;
using namespace znssim::platform;
namespace spec = znssim::nvme::spec;

namespace {
constexpr std::uint64_t lbas = 4096;
constexpr std::uint64_t outside_host_memory = 0x2'0000'0000ull; // not RAM, not MMIO

spec::sqe rw(std::uint8_t opcode, std::uint64_t slba, std::uint32_t nlb0) {
    auto e = host_driver::make_sqe(opcode, 1);
    e.cdw10 = static_cast<std::uint32_t>(slba);
    e.cdw11 = static_cast<std::uint32_t>(slba >> 32);
    e.cdw12 = nlb0;
    return e;
}

/// Status code (SCT<<8|SC) and that DNR is set.
void expect_status(const completion& c, std::uint16_t code) {
    REQUIRE_FALSE(c.timed_out);
    CHECK(c.status.code() == code);
    if (code != 0) CHECK(c.status.dnr());
}

/// The controller still moves data correctly after the bad input.
void expect_healthy() {
    auto& d = test::driver();
    auto buf = d.alloc(4096);
    for (std::size_t i = 0; i < 4096; ++i)
        buf.data()[i] = static_cast<std::uint8_t>(i * 7);
    REQUIRE(d.write(1, 100, 1, buf).ok());
    auto back = d.alloc(4096);
    REQUIRE(d.read(1, 100, 1, back).ok());
    CHECK(std::memcmp(buf.data(), back.data(), 4096) == 0);
    CHECK((d.reg_read(spec::reg::csts) & spec::csts::cfs) == 0);
}

/// Waits for the next asynchronous event and returns its DW0.
std::uint32_t next_event() {
    auto& d = test::driver();
    // The reference driver reaps the admin CQ while it waits for admin commands: a harmless Get
    // Features lets it collect the AER completion too.
    for (int i = 0; i < 10 && d.async_events().empty(); ++i) {
        sc_core::wait(sc_core::sc_time(1, sc_core::SC_US));
        REQUIRE(d.get_features(0x01).ok());
    }
    REQUIRE(!d.async_events().empty());
    const std::uint32_t dw0 = d.async_events().front().dw0;
    d.clear_async_events();
    // Reading the error log (RAE=0) unmasks error events again.
    auto log = d.alloc(4096);
    REQUIRE(d.get_log_page(0x01, 0xffffffff, log, 64).ok());
    return dw0;
}
} // namespace

void znssim::test::setup(harness& h) {
    if (std::getenv("ZNSSIM_DEBUG")) {
        log::settings s;
        s.default_level = log::level::debug;
        log::configure(s);
    }
    h.add_system("sys", default_config("bad", lbas));
}

TEST_CASE("bad_input: unknown admin opcode is Invalid Command Opcode") {
    expect_status(test::driver().submit_admin(host_driver::make_sqe(0xc5)), 0x001);
    expect_healthy();
}

TEST_CASE("bad_input: unknown I/O opcode is Invalid Command Opcode") {
    expect_status(test::driver().submit_io(1, host_driver::make_sqe(0x7f, 1)), 0x001);
    expect_healthy();
}

TEST_CASE("bad_input: reserved values in command fields are Invalid Field") {
    auto& d = test::driver();
    auto buf = d.alloc(4096);
    expect_status(d.identify(0x55, 0, spec::csi::nvm, buf), 0x002); // reserved CNS
    auto sf = host_driver::make_sqe(0x09);
    sf.cdw10 = 0x02; // Power Management
    sf.cdw11 = 0x1f; // power state 31 does not exist
    expect_status(d.submit_admin(sf), 0x002);
    auto fused = host_driver::make_sqe(0x02, 1);
    fused.flags = 1; // fused operation
    expect_status(d.submit_io(1, fused), 0x002);
    expect_healthy();
}

TEST_CASE("bad_input: invalid namespace is Invalid Namespace or Format") {
    auto e = rw(0x02, 0, 0);
    e.nsid = 9;
    expect_status(test::driver().submit_io(1, e), 0x00b);
    expect_healthy();
}

TEST_CASE("bad_input: invalid queue identifiers and sizes") {
    auto& d = test::driver();
    // Free one granted queue identifier so the size checks are reached.
    const std::uint16_t qid = d.io_queue_ids().back();
    REQUIRE(d.io_queue_count() > 1);
    REQUIRE(d.delete_queue_pair(qid).ok());
    auto cq = host_driver::make_sqe(0x05);
    auto mem = d.alloc(64 * 1024);
    cq.dptr1 = mem.bus();
    cq.cdw11 = 1; // contiguous, no interrupts
    cq.cdw10 = 0 | 15u << 16;
    expect_status(d.submit_admin(cq), 0x101); // QID 0
    cq.cdw10 = 0xffff | 15u << 16;
    expect_status(d.submit_admin(cq), 0x101); // beyond the supported queues
    cq.cdw10 = qid | 0u << 16;
    expect_status(d.submit_admin(cq), 0x102); // one entry
    cq.cdw10 = qid | 0xffffu << 16;
    expect_status(d.submit_admin(cq), 0x102); // beyond MQES
    auto sq = host_driver::make_sqe(0x01);
    sq.dptr1 = mem.bus();
    sq.cdw10 = qid | 15u << 16;
    sq.cdw11 = 1u | static_cast<std::uint32_t>(qid) << 16; // its CQ does not exist
    expect_status(d.submit_admin(sq), 0x100);
    cq.cdw10 = qid | 15u << 16;
    cq.dptr1 = outside_host_memory; // the ring would lie outside host memory
    expect_status(d.submit_admin(cq), 0x002);
    REQUIRE(d.create_queue_pair(qid, 64, qid).ok());
    expect_healthy();
}

TEST_CASE("bad_input: deleting a CQ that an SQ still uses is Invalid Queue Deletion") {
    auto& d = test::driver();
    auto del = host_driver::make_sqe(0x04);
    del.cdw10 = d.io_queue_ids().front();
    expect_status(d.submit_admin(del), 0x10c);
    expect_healthy();
}

TEST_CASE("bad_input: LBA ranges beyond the namespace are LBA Out of Range") {
    auto& d = test::driver();
    auto buf = d.alloc(8192);
    auto e = rw(0x02, lbas, 0);
    e.dptr1 = buf.bus();
    expect_status(d.submit_io(1, e), 0x080);
    e = rw(0x01, lbas - 1, 1); // two blocks, the second past the end
    auto prps = d.map_prps(buf.bus(), 8192);
    e.dptr1 = prps.prp1;
    e.dptr2 = prps.prp2;
    expect_status(d.submit_io(1, e), 0x080);
    expect_healthy();
}

TEST_CASE("bad_input: PRP entries with invalid offsets are PRP Offset Invalid") {
    auto& d = test::driver();
    auto buf = d.alloc(3 * 4096);
    auto e = rw(0x02, 0, 1); // 8 KiB: PRP1 + PRP2
    e.dptr1 = buf.bus();
    e.dptr2 = buf.bus() + 4096 + 0x200; // a second data page must start at offset 0
    expect_status(d.submit_io(1, e), 0x013);
    e = rw(0x02, 0, 0);
    e.dptr1 = buf.bus() + 2; // not dword aligned
    expect_status(d.submit_io(1, e), 0x013);
    expect_healthy();
}

TEST_CASE(
    "bad_input: PRPs pointing outside host memory are Data Transfer Error, memory untouched") {
    auto& d = test::driver();
    auto guard = d.alloc(4096);
    std::memset(guard.data(), 0x5a, 4096);
    auto e = rw(0x02, 0, 0);
    e.dptr1 = outside_host_memory;
    expect_status(d.submit_io(1, e), 0x004);
    e = rw(0x01, 0, 0);
    e.dptr1 = outside_host_memory;
    expect_status(d.submit_io(1, e), 0x004);
    for (std::size_t i = 0; i < 4096; ++i)
        REQUIRE(guard.data()[i] == 0x5a);
    expect_healthy();
}

TEST_CASE("bad_input: SGL descriptors of unknown type are SGL Descriptor Type Invalid") {
    auto& d = test::driver();
    auto buf = d.alloc(4096);
    auto e = rw(0x02, 0, 0);
    e.flags = 1u << 6; // PSDT = SGL
    e.dptr1 = buf.bus();
    e.dptr2 = 4096u | static_cast<std::uint64_t>(0x7u << 4) << 56; // type 7 is reserved
    expect_status(d.submit_io(1, e), 0x011);
    expect_healthy();
}

TEST_CASE("bad_input: transfers beyond MDTS are Invalid Field") {
    auto& d = test::driver();
    const std::uint32_t max = d.max_transfer_bytes();
    auto buf = d.alloc(max + 4096);
    auto e = rw(0x02, 0, max / 4096); // one block more than MDTS allows
    auto prps = d.map_prps(buf.bus(), max + 4096);
    e.dptr1 = prps.prp1;
    e.dptr2 = prps.prp2;
    expect_status(d.submit_io(1, e), 0x002);
    expect_healthy();
}

TEST_CASE("bad_input: a doorbell write to a missing queue is an Invalid Doorbell Register event") {
    auto& d = test::driver();
    REQUIRE(d.aer_outstanding());
    d.write_sq_doorbell(40, 1);
    const std::uint32_t dw0 = next_event();
    CHECK((dw0 & 7) == 0);           // error event
    CHECK(((dw0 >> 8) & 0xff) == 0); // invalid doorbell register
    CHECK(((dw0 >> 16) & 0xff) == 1);
    expect_healthy();
}

TEST_CASE(
    "bad_input: a doorbell value beyond the queue size is an Invalid Doorbell Write Value event") {
    auto& d = test::driver();
    REQUIRE(d.aer_outstanding());
    d.write_cq_doorbell(d.io_queue_ids().front(), 0xfff0);
    const std::uint32_t dw0 = next_event();
    CHECK((dw0 & 7) == 0);
    CHECK(((dw0 >> 8) & 0xff) == 1); // invalid doorbell write value
    expect_healthy();
}
