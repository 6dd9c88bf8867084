// Create/Delete I/O queues with every check, I/O through them, a full CQ, SQ deletion.
#include "test_core_fixture.h"

using namespace znssim;
using namespace znssim::test;

namespace {
nvme::spec::sqe create_cq(std::uint16_t qid, std::uint32_t entries, std::uint64_t base,
                          std::uint16_t iv = 1, bool pc = true) {
    nvme::spec::sqe c{};
    c.opcode = 0x05;
    c.dptr1 = base;
    c.cdw10 = qid | (entries - 1) << 16;
    c.cdw11 = (pc ? 1u : 0u) | 2u | static_cast<std::uint32_t>(iv) << 16;
    return c;
}
nvme::spec::sqe create_sq(std::uint16_t qid, std::uint32_t entries, std::uint64_t base,
                          std::uint16_t cqid) {
    nvme::spec::sqe s{};
    s.opcode = 0x01;
    s.dptr1 = base;
    s.cdw10 = qid | (entries - 1) << 16;
    s.cdw11 = 1u | static_cast<std::uint32_t>(cqid) << 16;
    return s;
}
nvme::spec::sqe write_cmd(std::uint16_t cid) {
    nvme::spec::sqe w{};
    w.opcode = 0x01;
    w.nsid = 1;
    w.cid = cid;
    return w;
}
} // namespace

TEST_CASE("core: Create I/O CQ checks identifier, size, contiguity, alignment, vector, memory") {
    core_fixture f;
    f.enable();
    auto code = [&](nvme::spec::sqe c) { return core_fixture::status_code(f.admin_command(c)); };
    CHECK(code(create_cq(0, 16, 0x400000)) == 0x101);           // QID 0 is the admin CQ
    CHECK(code(create_cq(9, 16, 0x400000)) == 0x101);           // beyond the queues supported
    CHECK(code(create_cq(1, 1, 0x400000)) == 0x102);            // one entry
    CHECK(code(create_cq(1, 65, 0x400000)) == 0x102);           // beyond MQES+1
    CHECK(code(create_cq(1, 16, 0x400000, 1, false)) == 0x002); // not contiguous
    CHECK(code(create_cq(1, 16, 0x400010)) == 0x013);           // base not page aligned
    CHECK(code(create_cq(1, 16, 0x400000, 65)) == 0x108);       // vector beyond the MSI-X table
    CHECK(code(create_cq(1, 16, 0x800000)) == 0x002);           // ring outside host memory
    CHECK(code(create_cq(1, 16, 0x400000)) == 0x000);
    CHECK(code(create_cq(1, 16, 0x410000)) == 0x101); // already exists
}

TEST_CASE("core: with INTx only vector 0 is valid for an I/O CQ") {
    core_fixture f;
    f.irq.m = pcie::interrupt_mode::intx;
    f.enable();
    CHECK(core_fixture::status_code(f.admin_command(create_cq(1, 16, 0x400000, 1))) == 0x108);
    CHECK(core_fixture::status_code(f.admin_command(create_cq(1, 16, 0x400000, 0))) == 0x000);
}

TEST_CASE("core: Create I/O SQ checks identifier, size and its completion queue") {
    core_fixture f;
    f.enable();
    auto code = [&](nvme::spec::sqe c) { return core_fixture::status_code(f.admin_command(c)); };
    CHECK(code(create_sq(1, 16, 0x100000, 1)) == 0x100); // CQ 1 does not exist
    CHECK(code(create_sq(1, 16, 0x100000, 0)) == 0x100); // the admin CQ cannot be used
    CHECK(code(create_cq(1, 16, 0x400000)) == 0);
    CHECK(code(create_sq(0, 16, 0x100000, 1)) == 0x101);
    CHECK(code(create_sq(1, 0x10000, 0x100000, 1)) == 0x102);
    CHECK(code(create_sq(1, 16, 0x100000, 1)) == 0);
    CHECK(code(create_sq(1, 16, 0x100000, 1)) == 0x101);
}

TEST_CASE("core: a CQ still used by an SQ cannot be deleted; unknown queues give Invalid QID") {
    core_fixture f;
    f.enable();
    auto q = f.create_pair(1);
    nvme::spec::sqe del_cq{};
    del_cq.opcode = 0x04;
    del_cq.cdw10 = 1;
    CHECK(core_fixture::status_code(f.admin_command(del_cq)) == 0x10c);
    nvme::spec::sqe del_sq{};
    del_sq.opcode = 0x00;
    del_sq.cdw10 = 1;
    CHECK(core_fixture::status_code(f.admin_command(del_sq)) == 0);
    CHECK(core_fixture::status_code(f.admin_command(del_sq)) == 0x101);
    CHECK(core_fixture::status_code(f.admin_command(del_cq)) == 0);
    CHECK(core_fixture::status_code(f.admin_command(del_cq)) == 0x101);
    (void)q;
}

TEST_CASE("core: I/O commands complete on their CQ with an MSI-X message on its vector") {
    core_fixture f;
    f.enable();
    auto q = f.create_pair(1, 16, 3);
    f.irq.signals.clear();
    f.submit(q, write_cmd(0xabcd));
    auto c = f.reap(q);
    CHECK(c.cid == 0xabcd);
    CHECK(c.sqid == 1);
    CHECK(core_fixture::status_code(c) == 0);
    REQUIRE(f.irq.signals.size() == 1);
    CHECK(f.irq.signals[0] == 3);
    // An unknown namespace and an unsupported opcode are refused.
    auto w = write_cmd(1);
    w.nsid = 7;
    f.submit(q, w);
    CHECK(core_fixture::status_code(f.reap(q)) == 0x00b);
    w.nsid = 1;
    w.opcode = 0x55;
    f.submit(q, w);
    CHECK(core_fixture::status_code(f.reap(q)) == 0x001);
}

TEST_CASE("core: a full CQ holds completions until the host frees entries, in order") {
    core_fixture f;
    f.enable();
    auto q = f.create_pair(1, 4); // a 4-entry CQ holds 3 completions
    for (std::uint16_t i = 0; i < 3; ++i)
        f.submit(q, write_cmd(i), false);
    f.ring_sq(q);
    f.submit(q, write_cmd(3));
    std::vector<std::uint16_t> seen;
    for (int i = 0; i < 3; ++i)
        seen.push_back(f.reap(q, false).cid);
    nvme::spec::cqe e{};
    CHECK_FALSE(f.peek(q, e)); // the 4th is held back: no free slot was reported yet
    f.write_reg(nvme::spec::reg::cq_head_doorbell(1, 0), q.cq_head);
    f.sched.settle();
    seen.push_back(f.reap(q).cid);
    CHECK(seen == std::vector<std::uint16_t>{0, 1, 2, 3});
}

TEST_CASE("core: deleting an SQ completes its in-flight commands as aborted by deletion first") {
    core_fixture f;
    f.enable();
    auto q = f.create_pair(1);
    scripted_io_set::delay = from_us(100);
    f.submit(q, write_cmd(7));
    CHECK(f.core->slots_in_use() == 1);
    nvme::spec::sqe del_sq{};
    del_sq.opcode = 0x00;
    del_sq.cdw10 = 1;
    CHECK(core_fixture::status_code(f.admin_command(del_sq)) == 0);
    auto c = f.reap(q);
    CHECK(c.cid == 7);
    CHECK(core_fixture::status_code(c) == 0x008);
    CHECK(f.core->slots_in_use() == 0);
}

TEST_CASE("core: round-robin arbitration alternates between SQs at burst 1") {
    core_fixture f;
    f.enable();
    nvme::spec::sqe arb{};
    arb.opcode = 0x09;
    arb.cdw10 = 0x01; // Arbitration, AB = 0: one command per queue per turn
    CHECK(core_fixture::status_code(f.admin_command(arb)) == 0);
    auto q1 = f.create_pair(1);
    auto q2 = f.create_pair(2);
    for (std::uint16_t i = 0; i < 3; ++i) {
        f.submit(q1, write_cmd(0x100 + i), false);
        f.submit(q2, write_cmd(0x200 + i), false);
    }
    f.write_reg(nvme::spec::reg::sq_tail_doorbell(1, 0), q1.sq_tail);
    f.write_reg(nvme::spec::reg::sq_tail_doorbell(2, 0), q2.sq_tail);
    f.sched.settle();
    CHECK(scripted_io_set::order ==
          std::vector<std::uint16_t>{0x100, 0x200, 0x101, 0x201, 0x102, 0x202});
}

TEST_CASE("core: completions wait for the media timing result") {
    core_fixture f;
    f.enable();
    auto q = f.create_pair(1);
    scripted_io_set::delay = from_us(50);
    f.submit(q, write_cmd(1));
    nvme::spec::cqe e{};
    CHECK_FALSE(f.peek(q, e));
    f.sched.advance_by(from_us(49));
    CHECK_FALSE(f.peek(q, e));
    f.sched.advance_by(from_us(1));
    CHECK(f.peek(q, e));
}
