// The reference driver on the reference platform: Linux-order bring-up with MSI-X and with INTx,
// data through every PRP and SGL shape with the data verified, INTx deassertion after the CQ
// head doorbell, MSI-X per-vector masking with pending bit and delivery on unmask.
#include "test/platform/harness_main.h"

#include "nvme/spec/registers.h"
#include "platform/driver/pci_regs.h"

#include <chrono>
#include <cstring>

using namespace znssim;
using namespace znssim::platform;
namespace spec = znssim::nvme::spec;

namespace {
constexpr std::size_t msix_sys = 0;
constexpr std::size_t intx_sys = 1;

void pattern(dma_buffer& b, std::uint32_t seed) {
    for (std::size_t i = 0; i < b.size(); ++i)
        b.data()[i] = static_cast<std::uint8_t>((i * 131u + seed * 7u + (i >> 12)) & 0xff);
}

bool same(const std::uint8_t* a, const std::uint8_t* b, std::size_t n) {
    return std::memcmp(a, b, n) == 0;
}

void settle() {
    for (int i = 0; i < 4; ++i)
        sc_core::wait(sc_core::SC_ZERO_TIME);
}
} // namespace

void znssim::test::setup(harness& h) {
    h.add_system("msix", default_config("msix"));
    system_config intx = default_config("intx", 4096);
    intx.pcie.msix_vectors = 0; // no MSI-X capability: the driver must use INTA#
    intx.controller.mdts = 0;   // no transfer limit: the driver caps at 4 MiB, lists chain
    h.add_system("intx", intx);
}

TEST_CASE("driver_bringup: MSI-X controller comes up the Linux way") {
    host_driver& d = test::driver(msix_sys);
    REQUIRE_MESSAGE(d.state() == driver_state::ready, d.failure());
    CHECK(d.msix_enabled());
    CHECK(d.vectors_used() >= 2);
    CHECK(d.bar0_64bit());
    CHECK(d.bar0_size() >= 16384);
    CHECK((d.reg_read(spec::reg::csts) & spec::csts::rdy) != 0);
    CHECK(d.reg_read(spec::reg::cc) == 0x00460061u);
    CHECK(d.io_queue_count() == d.vectors_used() - 1);
    const std::uint16_t cmd = static_cast<std::uint16_t>(d.cfg_read(pci::command, 2));
    CHECK((cmd & pci::cmd::memory) != 0);
    CHECK((cmd & pci::cmd::bus_master) != 0);
    const std::uint16_t mc =
        static_cast<std::uint16_t>(d.cfg_read(d.msix_cap_offset() + pci::msix::message_control, 2));
    CHECK((mc & pci::msix::mc_enable) != 0);
    CHECK((mc & pci::msix::mc_function_mask) == 0);
    CHECK(d.irq().message_count(0) > 0); // admin completions came by vector 0
    CHECK(d.irq().last_address() == 0xFEE00000u);
    REQUIRE(d.namespaces().size() == 1);
    const namespace_info& ns = d.namespaces()[0];
    CHECK(ns.nsid == 1);
    CHECK(ns.lba_bytes == 4096);
    CHECK(ns.nsze == 16384);
    CHECK(ns.ncap == 16384);
    CHECK_FALSE(ns.zoned);
    CHECK(d.max_transfer_bytes() == (4096u << 5));
    CHECK(d.timeouts() == 0);
    CHECK(d.unexpected_completions() == 0);
}

TEST_CASE("driver_bringup: INTx controller comes up with one I/O queue on vector 0") {
    host_driver& d = test::driver(intx_sys);
    REQUIRE_MESSAGE(d.state() == driver_state::ready, d.failure());
    CHECK_FALSE(d.msix_enabled());
    CHECK(d.msix_cap_offset() == 0);
    CHECK(d.io_queue_count() == 1);
    CHECK((d.cfg_read(pci::command, 2) & pci::cmd::intx_disable) == 0);
    CHECK(d.irq().intx_assertions() > 0);
    CHECK(d.irq().total_messages() == 0);
    REQUIRE(d.namespaces().size() == 1);
    CHECK(d.namespaces()[0].nsze == 4096);
    CHECK(d.max_transfer_bytes() == (4u << 20));
}

TEST_CASE("driver_bringup: PRP1 only, PRP1+PRP2, offset first page and PRP list") {
    host_driver& d = test::driver(msix_sys);
    REQUIRE(d.state() == driver_state::ready);
    struct shape {
        std::uint32_t nlb;
        std::size_t offset;
    } shapes[] = {{1, 0}, {2, 0}, {1, 512}, {16, 0}, {32, 0}, {31, 2048}};
    std::uint64_t slba = 100;
    for (const shape& s : shapes) {
        CAPTURE(s.nlb);
        CAPTURE(s.offset);
        const std::size_t bytes = std::size_t{s.nlb} * 4096;
        dma_buffer out = d.alloc(bytes + s.offset);
        dma_buffer in = d.alloc(bytes + s.offset);
        pattern(out, static_cast<std::uint32_t>(slba));
        completion w = d.write(1, slba, s.nlb, out, s.offset);
        CHECK(w.ok());
        completion r = d.read(1, slba, s.nlb, in, s.offset);
        CHECK(r.ok());
        CHECK(same(out.data() + s.offset, in.data() + s.offset, bytes));
        slba += s.nlb;
    }
}

TEST_CASE("driver_bringup: chained PRP list (transfer beyond one list page)") {
    host_driver& d = test::driver(intx_sys);
    REQUIRE(d.state() == driver_state::ready);
    const std::uint32_t nlb = 768; // 767 list entries: two chained list pages
    REQUIRE(prp_list_pages_needed(0, std::uint64_t{nlb} * 4096, 4096) == 2);
    dma_buffer out = d.alloc(std::size_t{nlb} * 4096);
    dma_buffer in = d.alloc(std::size_t{nlb} * 4096);
    pattern(out, 5);
    CHECK(d.write(1, 1000, nlb, out).ok());
    CHECK(d.read(1, 1000, nlb, in).ok());
    CHECK(same(out.data(), in.data(), out.size()));
}

TEST_CASE("driver_bringup: SGL data block, segment chain and bit bucket") {
    host_driver& d = test::driver(msix_sys);
    REQUIRE(d.state() == driver_state::ready);
    REQUIRE((d.id_controller().sgls & 3u) != 0);
    dma_buffer out = d.alloc(3 * 4096);
    pattern(out, 77);

    // Write 3 LBAs through one data block descriptor in the SQE.
    spec::sqe w = host_driver::make_rw(spec::io_opcode::write, 1, 200, 3);
    set_sgl(w, sgl::data_block(out.bus(), 3 * 4096));
    REQUIRE(d.submit_io(1, w).ok());

    // Read them back through SQE → segment [block a, last segment] → [block b, block c],
    // each block 4 KiB in separate buffers.
    dma_buffer a = d.alloc(4096), b = d.alloc(4096), c = d.alloc(4096);
    dma_buffer seg1 = d.alloc(64), seg2 = d.alloc(64);
    dma_buffer seg2_dummy;
    auto* s1 = seg1.as<sgl_descriptor>();
    auto* s2 = seg2.as<sgl_descriptor>();
    s1[0] = sgl::data_block(a.bus(), 4096);
    s1[1] = sgl::last_segment(seg2.bus(), 2);
    s2[0] = sgl::data_block(b.bus(), 4096);
    s2[1] = sgl::data_block(c.bus(), 4096);
    spec::sqe r = host_driver::make_rw(spec::io_opcode::read, 1, 200, 3);
    set_sgl(r, sgl::segment(seg1.bus(), 2));
    completion rc = d.submit_io(1, r);
    CHECK(rc.ok());
    CHECK(same(a.data(), out.data(), 4096));
    CHECK(same(b.data(), out.data() + 4096, 4096));
    CHECK(same(c.data(), out.data() + 8192, 4096));

    // Bit bucket: LBA 201 is discarded, LBAs 200 and 202 land in x and y.
    dma_buffer x = d.alloc(4096), y = d.alloc(4096), seg = d.alloc(64);
    auto* s = seg.as<sgl_descriptor>();
    s[0] = sgl::data_block(x.bus(), 4096);
    s[1] = sgl::bit_bucket(4096);
    s[2] = sgl::data_block(y.bus(), 4096);
    spec::sqe bb = host_driver::make_rw(spec::io_opcode::read, 1, 200, 3);
    set_sgl(bb, sgl::last_segment(seg.bus(), 3));
    CHECK(d.submit_io(1, bb).ok());
    CHECK(same(x.data(), out.data(), 4096));
    CHECK(same(y.data(), out.data() + 8192, 4096));
}

TEST_CASE("driver_bringup: asynchronous QD32 writes and reads complete in any order") {
    host_driver& d = test::driver(msix_sys);
    REQUIRE(d.state() == driver_state::ready);
    const unsigned qd = 32;
    dma_buffer out = d.alloc(qd * 4096), in = d.alloc(qd * 4096);
    pattern(out, 9);
    for (unsigned i = 0; i < qd; ++i) {
        ticket t = d.submit_async(1, host_driver::make_rw(spec::io_opcode::write, 1, 4000 + i, 1),
                                  out.bus() + i * 4096, 4096);
        REQUIRE(t.valid());
    }
    for (unsigned i = 0; i < qd; ++i)
        CHECK(d.wait_any(1).ok());
    for (unsigned i = 0; i < qd; ++i)
        REQUIRE(d.submit_async(1, host_driver::make_rw(spec::io_opcode::read, 1, 4000 + i, 1),
                               in.bus() + i * 4096, 4096)
                    .valid());
    for (unsigned i = 0; i < qd; ++i)
        CHECK(d.wait_any(1).ok());
    CHECK(d.outstanding(1) == 0);
    CHECK(same(out.data(), in.data(), out.size()));
}

TEST_CASE("driver_bringup: INTx is deasserted once the CQ head doorbell consumed the entries") {
    host_driver& d = test::driver(intx_sys);
    REQUIRE(d.state() == driver_state::ready);
    const std::uint64_t rises = d.irq().intx_assertions();
    ticket t = d.submit_async(1, host_driver::make_sqe(spec::io_opcode::flush, 1));
    REQUIRE(t.valid());
    d.ring(1);
    if (!d.irq().intx_level())
        sc_core::wait(sc_core::sc_time(1, sc_core::SC_MS), d.irq().intx_event());
    CHECK(d.irq().intx_level());
    CHECK(d.irq().intx_assertions() == rises + 1);
    settle();
    CHECK(d.irq().intx_level()); // nothing consumed yet: the level stays up
    CHECK(d.wait(t).ok());       // reaps the CQE and writes the CQ head doorbell
    settle();
    CHECK_FALSE(d.irq().intx_level());
}

TEST_CASE("driver_bringup: masked MSI-X vector sets its pending bit; unmask delivers it") {
    host_driver& d = test::driver(msix_sys);
    REQUIRE(d.state() == driver_state::ready);
    const unsigned v = 1;
    const std::uint32_t ctrl = d.msix_entry_offset(v) + pci::msix::entry_control;
    const std::uint32_t pba = d.cfg_read(d.msix_cap_offset() + pci::msix::pba) & ~7u;
    d.reg_write(ctrl, 1);
    const std::uint64_t before = d.irq().message_count(v);
    ticket t = d.submit_async(1, host_driver::make_sqe(spec::io_opcode::flush, 1));
    REQUIRE(t.valid());
    d.ring(1);
    sc_core::wait(10, sc_core::SC_US);
    CHECK(d.irq().message_count(v) == before);
    CHECK((d.reg_read(pba) & (1u << v)) != 0);
    d.reg_write(ctrl, 0);
    settle();
    CHECK(d.irq().message_count(v) == before + 1);
    CHECK((d.reg_read(pba) & (1u << v)) == 0);
    CHECK(d.wait(t).ok());
}

TEST_CASE("driver_bringup: shutdown deletes the I/O queues and completes SHST") {
    host_driver& d = test::driver(intx_sys);
    REQUIRE(d.state() == driver_state::ready);
    CHECK(d.shutdown());
    CHECK((d.reg_read(spec::reg::csts) & (3u << spec::csts::shst_shift)) ==
          spec::csts::shst_complete);
    CHECK(d.io_queue_count() == 0);
}

TEST_CASE("driver_bringup: QD32 random 4 KiB reads, wall time per command") {
    host_driver& d = test::driver(msix_sys);
    REQUIRE(d.state() == driver_state::ready);
    const unsigned qd = 32, total = 20000;
    dma_buffer buf = d.alloc(qd * 4096);
    std::uint32_t lcg = 12345;
    auto next_lba = [&] {
        lcg = lcg * 1664525u + 1013904223u;
        return std::uint64_t{lcg >> 8} % 256; // a small hot range: no first-touch page faults
    };
    const auto t0 = std::chrono::steady_clock::now();
    unsigned submitted = 0, done = 0;
    for (; submitted < qd; ++submitted)
        d.submit_async(1, host_driver::make_rw(spec::io_opcode::read, 1, next_lba(), 1),
                       buf.bus() + (submitted % qd) * 4096, 4096);
    while (done < total) {
        completion c = d.wait_any(1);
        REQUIRE(c.ok());
        ++done;
        if (submitted < total) {
            d.submit_async(1, host_driver::make_rw(spec::io_opcode::read, 1, next_lba(), 1),
                           buf.bus() + (submitted % qd) * 4096, 4096);
            ++submitted;
        }
    }
    const double ns =
        std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count();
    MESSAGE("QD32 4 KiB reads: " << ns / total << " ns wall per command (driver + device)");
    CHECK(d.outstanding(1) == 0);
}
