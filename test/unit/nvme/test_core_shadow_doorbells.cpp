// Doorbell Buffer Config: shadow doorbells and EventIdx for the I/O queues, driven the way Linux's
// nvme-pci driver drives them (the host writes the shadow entry, then the MMIO doorbell only when
// the new value passes the EventIdx the controller wrote).
#include "nvme/spec/identify.h"
#include "test_core_fixture.h"

#include <functional>

using namespace znssim;
using namespace znssim::test;
namespace r = nvme::spec::reg;

namespace {
constexpr std::uint64_t dbs = 0x600000, eis = 0x601000;

nvme::spec::sqe dbbuf(std::uint64_t shadow, std::uint64_t eventidx) {
    nvme::spec::sqe e{};
    e.opcode = 0x7c;
    e.dptr1 = shadow;
    e.dptr2 = eventidx;
    return e;
}
nvme::spec::sqe write_cmd(std::uint16_t cid) {
    nvme::spec::sqe w{};
    w.opcode = 0x01;
    w.nsid = 1;
    w.cid = cid;
    return w;
}
nvme::spec::sqe aer(std::uint16_t cid) {
    nvme::spec::sqe e{};
    e.opcode = 0x0c;
    e.cid = cid;
    return e;
}
// Linux's nvme_dbbuf_need_event: ring when the EventIdx lies in [old, new).
bool need_event(std::uint16_t event_idx, std::uint16_t new_idx, std::uint16_t old) {
    return static_cast<std::uint16_t>(new_idx - event_idx - 1) <
           static_cast<std::uint16_t>(new_idx - old);
}

/// The host side of shadow doorbells over a core_fixture (CAP.DSTRD = 0: 4-byte entries).
struct shadow_host {
    core_fixture& f;
    unsigned sq_rings = 0, cq_rings = 0;

    std::uint32_t& shadow(unsigned index) {
        return *reinterpret_cast<std::uint32_t*>(f.host.at(dbs + 4ull * index));
    }
    std::uint32_t& eventidx(unsigned index) {
        return *reinterpret_cast<std::uint32_t*>(f.host.at(eis + 4ull * index));
    }
    /// Writes 'n' SQEs, then the shadow tail, then the MMIO doorbell if EventIdx asks for it
    /// (Linux's nvme_write_sq_db). 'settle': let the controller run afterwards.
    void submit(core_fixture::queue& q, unsigned n, std::uint16_t& cid, bool settle = true) {
        const std::uint32_t old = q.sq_tail;
        for (unsigned i = 0; i < n; ++i)
            f.submit(q, write_cmd(cid++), false);
        shadow(2 * q.qid) = q.sq_tail;
        if (need_event(static_cast<std::uint16_t>(eventidx(2 * q.qid)),
                       static_cast<std::uint16_t>(q.sq_tail), static_cast<std::uint16_t>(old))) {
            f.write_reg(r::sq_tail_doorbell(q.qid, 0), q.sq_tail);
            ++sq_rings;
        }
        if (settle) f.sched.settle();
    }
    /// Reaps every new CQE, then the shadow head, then the MMIO doorbell if EventIdx asks for it
    /// (Linux's nvme_ring_cq_doorbell). Returns the number reaped.
    unsigned reap_all(core_fixture::queue& q) {
        const std::uint32_t old = q.cq_head;
        unsigned n = 0;
        nvme::spec::cqe e{};
        while (f.peek(q, e)) {
            f.reap(q, false);
            ++n;
        }
        if (n == 0) return 0;
        shadow(2 * q.qid + 1) = q.cq_head;
        if (need_event(static_cast<std::uint16_t>(eventidx(2 * q.qid + 1)),
                       static_cast<std::uint16_t>(q.cq_head), static_cast<std::uint16_t>(old))) {
            f.write_reg(r::cq_head_doorbell(q.qid, 0), q.cq_head);
            ++cq_rings;
        }
        f.sched.settle();
        return n;
    }
};

std::uint32_t effects_of(core_fixture& f, std::uint8_t opcode) {
    constexpr std::uint64_t buf = 0x300000;
    nvme::spec::sqe glp{};
    glp.opcode = 0x02;
    glp.dptr1 = buf;
    glp.cdw10 = 0x05u | ((4096u / 4 - 1) << 16);
    REQUIRE(core_fixture::status_code(f.admin_command(glp)) == 0);
    std::uint32_t v;
    std::memcpy(&v, f.host.at(buf + 4ull * opcode), sizeof v);
    return v;
}
std::uint16_t oacs_of(core_fixture& f) {
    constexpr std::uint64_t buf = 0x300000;
    nvme::spec::sqe id{};
    id.opcode = 0x06;
    id.dptr1 = buf;
    id.cdw10 = 1;
    REQUIRE(core_fixture::status_code(f.admin_command(id)) == 0);
    std::uint16_t v;
    std::memcpy(&v, f.host.at(buf + 256), sizeof v);
    return v;
}

/// A dma_port over the fixture's memory that calls a hook after each write (a host racing the
/// controller).
struct hooked_port final : dma_port {
    buffer_dma_port& inner;
    std::function<void(std::uint64_t)> after_write;
    explicit hooked_port(buffer_dma_port& m) : inner(m) {}
    dma_status read(std::uint64_t a, void* d, std::size_t n) override {
        return inner.read(a, d, n);
    }
    dma_status write(std::uint64_t a, const void* s, std::size_t n) override {
        const dma_status st = inner.write(a, s, n);
        if (after_write) after_write(a);
        return st;
    }
};
} // namespace

TEST_CASE("core: Doorbell Buffer Config is advertised (OACS bit 8) and listed in the effects log") {
    core_fixture f;
    f.enable();
    CHECK(oacs_of(f) == nvme::spec::ctrl_bits::oacs_doorbell_buffer_config);
    CHECK(effects_of(f, 0x7c) == nvme::effects::csupp);
    CHECK(core_fixture::status_code(f.admin_command(dbbuf(dbs, eis))) == 0);
    CHECK(f.core->shadow_doorbells());
}

TEST_CASE("core: with controller.doorbell_buffer off, 7Ch is an invalid opcode and not listed") {
    auto p = core_fixture::make_params();
    p.doorbell_buffer = false;
    core_fixture f(p);
    f.enable();
    CHECK(oacs_of(f) == 0);
    CHECK(effects_of(f, 0x7c) == 0);
    const auto e = f.admin_command(dbbuf(dbs, eis));
    CHECK(core_fixture::status_code(e) == 0x001);
    CHECK(core_fixture::dnr(e));
    CHECK_FALSE(f.core->shadow_doorbells());
}

TEST_CASE("core: Doorbell Buffer Config refuses buffers not page aligned, SGLs, missing memory") {
    core_fixture f;
    SUBCASE("4 KiB pages") {
        f.enable();
        auto check = [&](nvme::spec::sqe c) {
            const auto e = f.admin_command(c);
            CHECK(core_fixture::status_code(e) == 0x002); // Invalid Field in Command
            CHECK(core_fixture::dnr(e));
        };
        check(dbbuf(dbs + 0x10, eis));
        check(dbbuf(dbs, eis + 0x800));
        auto sgl = dbbuf(dbs, eis);
        sgl.flags = 1u << 6; // PSDT: SGL
        check(sgl);
        check(dbbuf(0x900000, eis)); // beyond host memory
        CHECK_FALSE(f.core->shadow_doorbells());
        CHECK(core_fixture::status_code(f.admin_command(dbbuf(dbs, eis))) == 0);
    }
    SUBCASE("8 KiB pages (CC.MPS = 1)") {
        f.enable(0x00460060 | 1u << 7);
        CHECK(core_fixture::status_code(f.admin_command(dbbuf(dbs + 0x1000, eis))) == 0x002);
        CHECK(core_fixture::status_code(f.admin_command(dbbuf(dbs, dbs + 0x3000))) == 0x002);
        CHECK(core_fixture::status_code(f.admin_command(dbbuf(dbs, dbs + 0x2000))) == 0);
    }
}

TEST_CASE("core: I/O queues that exist take the buffers at their state, new ones too, not admin") {
    core_fixture f;
    f.enable();
    shadow_host h{f};
    auto q = f.create_pair(1);
    f.submit(q, write_cmd(1));
    f.submit(q, write_cmd(2));
    f.reap(q);
    f.reap(q);
    h.shadow(0) = h.shadow(1) = 0xdead; // admin entries: the controller leaves them alone
    REQUIRE(core_fixture::status_code(f.admin_command(dbbuf(dbs, eis))) == 0);
    CHECK(h.shadow(2) == 2);
    CHECK(h.eventidx(2) == 2);
    CHECK(h.shadow(3) == 2);
    CHECK(h.eventidx(3) == 2);
    CHECK(h.shadow(0) == 0xdead);
    CHECK(h.shadow(1) == 0xdead);
    CHECK(f.core->sq(1)->shadowed);
    CHECK(f.core->cq(1)->shadowed);
    CHECK_FALSE(f.core->sq(0)->shadowed);
    CHECK_FALSE(f.core->cq(0)->shadowed);

    h.shadow(4) = h.eventidx(4) = h.shadow(5) = h.eventidx(5) = 7; // stale from an earlier queue
    auto q2 = f.create_pair(2);
    CHECK(f.core->sq(2)->shadowed);
    CHECK(h.shadow(4) == 0);
    CHECK(h.eventidx(4) == 0);
    CHECK(h.shadow(5) == 0);
    CHECK(h.eventidx(5) == 0);

    // Both queues run on the shadow doorbells, and the admin queue on its MMIO doorbells.
    std::uint16_t cid = 0x100;
    h.submit(q, 3, cid);
    h.submit(q2, 3, cid);
    CHECK(h.reap_all(q) == 3);
    CHECK(h.reap_all(q2) == 3);
    CHECK(scripted_io_set::order.size() == 8);
    CHECK(core_fixture::status_code(f.admin_command(dbbuf(dbs, eis))) == 0);
}

TEST_CASE("core: the host rings only when EventIdx asks, and every command runs") {
    core_fixture f;
    f.enable();
    shadow_host h{f};
    auto q = f.create_pair(1, 16);
    REQUIRE(core_fixture::status_code(f.admin_command(dbbuf(dbs, eis))) == 0);
    std::uint16_t cid = 0;
    unsigned done = 0;
    for (unsigned batch = 0; batch < 10; ++batch) {
        // Two submissions before the controller looks: the second sees an EventIdx that is
        // behind and does not ring; the controller finds its entries in the shadow.
        h.submit(q, 3, cid, false);
        h.submit(q, 2, cid, false);
        f.sched.settle();
        CHECK(h.eventidx(2) == q.sq_tail); // drained: EventIdx = the tail consumed
        done += h.reap_all(q);
    }
    CHECK(done == 50);
    CHECK(scripted_io_set::order.size() == 50);
    CHECK(h.sq_rings == 10);
    CHECK(h.cq_rings <= 10);
    CHECK(f.core->sq(1)->tail == q.sq_tail);
    CHECK(f.core->sq(1)->head == q.sq_tail);
}

TEST_CASE("core: an MMIO tail older than the shadow is no error; the shadow's entries run") {
    core_fixture f;
    f.enable();
    shadow_host h{f};
    auto q = f.create_pair(1, 16);
    REQUIRE(core_fixture::status_code(f.admin_command(dbbuf(dbs, eis))) == 0);
    f.submit(f.m_admin, aer(0x7001), true); // would report an invalid doorbell write
    std::uint16_t cid = 0;
    h.submit(q, 4, cid, false);
    h.submit(q, 4, cid, false);
    f.write_reg(r::sq_tail_doorbell(1, 0), 2); // a late MMIO write, behind both
    f.sched.settle();
    CHECK(scripted_io_set::order.size() == 8);
    CHECK(h.reap_all(q) == 8);
    nvme::spec::cqe c{};
    CHECK_FALSE(f.peek(f.m_admin, c)); // the AER is still outstanding
}

TEST_CASE("core: entries the host writes while the controller drains a queue are not lost") {
    core_fixture f;
    hooked_port port(f.host);
    {
        std::vector<std::unique_ptr<nvme::nvme_namespace>> ns;
        ns.push_back(std::make_unique<stub_namespace>(1));
        f.core = std::make_unique<nvme::controller_core>(
            f.params, nvme::controller_core::environment{f.sched, port, f.irq, f.media},
            std::move(ns), std::vector<const nvme::io_command_set*>{&f.io.set});
    }
    f.enable();
    shadow_host h{f};
    auto q = f.create_pair(1, 16);
    REQUIRE(core_fixture::status_code(f.admin_command(dbbuf(dbs, eis))) == 0);
    std::uint16_t cid = 0;
    bool raced = false;
    // When the controller writes SQ 1's EventIdx after draining the first batch, the host has
    // just written two more entries and read the old EventIdx: it does not ring.
    port.after_write = [&](std::uint64_t addr) {
        if (addr != eis + 8 || raced) return;
        raced = true;
        for (unsigned i = 0; i < 2; ++i)
            f.submit(q, write_cmd(cid++), false);
        h.shadow(2) = q.sq_tail;
    };
    h.submit(q, 3, cid);
    CHECK(raced);
    CHECK(scripted_io_set::order.size() == 5); // found by the read after the EventIdx write
    CHECK(h.sq_rings == 1);
    CHECK(h.eventidx(2) == 5);
    CHECK(h.reap_all(q) == 5);
}

TEST_CASE("core: a shadowed CQ's head is read before posting and when it looks full") {
    core_fixture f;
    f.enable();
    shadow_host h{f};
    auto q = f.create_pair(1, 4); // 3 completions fit
    REQUIRE(core_fixture::status_code(f.admin_command(dbbuf(dbs, eis))) == 0);
    std::uint16_t cid = 0;
    h.submit(q, 3, cid); // 3 entries: a 4-entry SQ holds no more
    unsigned done = 0, rounds = 0;
    while (done < 30 && rounds++ < 100) {
        done += h.reap_all(q);
        const std::uint32_t pending = (q.sq_tail + q.entries - f.core->sq(1)->head) % q.entries;
        if (pending == 0 && cid < 30) h.submit(q, std::min<unsigned>(3u, 30u - cid), cid);
    }
    CHECK(done == 30);
    CHECK(scripted_io_set::order.size() == 30);
    CHECK(h.cq_rings < 30);
}

TEST_CASE("core: a shadow tail beyond the queue is an invalid doorbell write; the queue goes on") {
    core_fixture f;
    f.enable();
    shadow_host h{f};
    auto q = f.create_pair(1, 8);
    REQUIRE(core_fixture::status_code(f.admin_command(dbbuf(dbs, eis))) == 0);
    f.submit(f.m_admin, aer(0x7001), true);
    f.submit(q, write_cmd(1), false);
    h.shadow(2) = 99;
    f.write_reg(r::sq_tail_doorbell(1, 0), 1);
    f.sched.settle();
    CHECK(scripted_io_set::order.size() == 1); // the MMIO value counts
    const auto c = f.reap(f.m_admin);
    CHECK(c.cid == 0x7001);
    CHECK(c.dw0 == (0u | 0x01u << 8 | 0x01u << 16)); // error, invalid doorbell value, log 01h
    CHECK(f.core->sq(1)->tail == 1);
    CHECK((f.reg(r::csts) & 2) == 0); // not fatal

    h.shadow(2) = 1; // the host puts it right
    std::uint16_t cid = 2;
    h.submit(q, 2, cid);
    CHECK(scripted_io_set::order.size() == 3);
    CHECK(h.reap_all(q) == 3);
}

TEST_CASE("core: a shadow CQ head beyond the posted entries is an invalid doorbell write") {
    core_fixture f;
    f.enable();
    shadow_host h{f};
    auto q = f.create_pair(1, 8);
    REQUIRE(core_fixture::status_code(f.admin_command(dbbuf(dbs, eis))) == 0);
    f.submit(f.m_admin, aer(0x7001), true);
    h.shadow(3) = 5; // nothing was posted
    std::uint16_t cid = 0;
    h.submit(q, 1, cid);
    const auto c = f.reap(f.m_admin);
    CHECK(c.dw0 == (0u | 0x01u << 8 | 0x01u << 16));
    CHECK(f.core->cq(1)->head == 0);
    h.shadow(3) = 0;
    CHECK(h.reap_all(q) == 1);
}

TEST_CASE("core: a controller reset forgets the doorbell buffers") {
    core_fixture f;
    f.enable();
    shadow_host h{f};
    f.create_pair(1);
    REQUIRE(core_fixture::status_code(f.admin_command(dbbuf(dbs, eis))) == 0);
    REQUIRE(f.core->shadow_doorbells());
    f.write_reg(r::cc, 0);
    f.sched.advance_by(f.params.ready_delay);
    CHECK_FALSE(f.core->shadow_doorbells());
    f.m_admin = f.admin();
    f.enable();
    h.eventidx(2) = h.shadow(2) = 0x5555;
    auto q = f.create_pair(1);
    CHECK_FALSE(f.core->sq(1)->shadowed);
    CHECK(h.eventidx(2) == 0x5555); // not touched any more
    f.submit(q, write_cmd(1));
    CHECK(f.reap(q).cid == 1);
}

TEST_CASE("core: with INTx the level drops once the host's shadow head reaches the tail") {
    core_fixture f;
    f.irq.m = pcie::interrupt_mode::intx;
    f.enable();
    shadow_host h{f};
    auto q = f.create_pair(1, 16, 0);
    REQUIRE(core_fixture::status_code(f.admin_command(dbbuf(dbs, eis))) == 0);
    std::uint16_t cid = 0;
    h.submit(q, 3, cid);
    CHECK(f.irq.level);
    // The host reaps in two steps; each step rings because the controller asked again.
    f.reap(q, false);
    h.shadow(3) = q.cq_head;
    REQUIRE(need_event(static_cast<std::uint16_t>(h.eventidx(3)), 1, 0));
    f.write_reg(r::cq_head_doorbell(1, 0), 1);
    CHECK(f.irq.level);
    CHECK(h.eventidx(3) == 1);
    CHECK(h.reap_all(q) == 2);
    CHECK(h.cq_rings == 1);
    CHECK_FALSE(f.irq.level);
}

TEST_CASE("core: without Doorbell Buffer Config a command costs no DMA beyond its entries") {
    core_fixture f;
    f.enable();
    auto q = f.create_pair(1);
    const std::size_t reads = f.host.reads(), writes = f.host.writes();
    for (std::uint16_t i = 0; i < 10; ++i) {
        f.submit(q, write_cmd(i));
        f.reap(q);
    }
    CHECK(f.host.reads() - reads == 10);   // the SQEs
    CHECK(f.host.writes() - writes == 10); // the CQEs
}
