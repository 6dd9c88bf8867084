// Command slots are a finite resource the host can try to exhaust: completions owed to a CQ the
// host does not reap, queues deleted with completions pending, outstanding AERs. None of these
// may stop the admin queue or other I/O queues (issue "Nothing a host ... can wedge the
// controller").
#include "test_core_fixture.h"

using namespace znssim;
using namespace znssim::test;

namespace {

nvme::spec::sqe write_cmd(std::uint16_t cid) {
    nvme::spec::sqe w{};
    w.opcode = 0x01;
    w.nsid = 1;
    w.cid = cid;
    return w;
}

nvme::spec::sqe delete_queue(std::uint8_t opcode, std::uint16_t qid) {
    nvme::spec::sqe d{};
    d.opcode = opcode;
    d.cdw10 = qid;
    return d;
}

/// Identify Controller into host memory that no queue uses.
nvme::spec::sqe identify_ctrl() {
    nvme::spec::sqe e{};
    e.opcode = 0x06;
    e.dptr1 = 0x700000;
    e.cdw10 = 1;
    return e;
}

nvme::spec::sqe aer(std::uint16_t cid) {
    nvme::spec::sqe e{};
    e.opcode = 0x0c;
    e.cid = cid;
    return e;
}

/// Submits one admin command and returns true (with its completion) only if it completes.
bool admin_completes(core_fixture& f, nvme::spec::sqe e, nvme::spec::cqe& out) {
    e.cid = f.next_cid++;
    f.submit(f.m_admin, e);
    f.sched.settle();
    if (!f.peek(f.m_admin, out)) return false;
    f.reap(f.m_admin);
    return true;
}

/// Creates I/O CQ and SQ 'qid' with different sizes (create_pair makes them equal).
core_fixture::queue create_queues(core_fixture& f, std::uint16_t qid, std::uint32_t cq_entries,
                                  std::uint32_t sq_entries) {
    core_fixture::queue q{qid, 0x100000ull + 0x10000ull * qid, 0x400000ull + 0x10000ull * qid,
                          sq_entries};
    nvme::spec::sqe cq{};
    cq.opcode = 0x05;
    cq.dptr1 = q.cq_base;
    cq.cdw10 = qid | (cq_entries - 1) << 16;
    cq.cdw11 = 1u | 2u | 1u << 16;
    REQUIRE(core_fixture::status_code(f.admin_command(cq)) == 0);
    nvme::spec::sqe sq{};
    sq.opcode = 0x01;
    sq.dptr1 = q.sq_base;
    sq.cdw10 = qid | (sq_entries - 1) << 16;
    sq.cdw11 = 1u | static_cast<std::uint32_t>(qid) << 16;
    REQUIRE(core_fixture::status_code(f.admin_command(sq)) == 0);
    return q;
}

} // namespace

TEST_CASE("core: deleting a CQ after its SQ, with completions owed to it, leaks no slot") {
    // 2-entry queues: the CQ holds one completion, so the host's second command has nowhere to
    // complete to. Deleting the SQ and then the CQ must give back every slot, round after
    // round; each round used to leak one, and after max_inflight rounds the admin queue stopped.
    core_fixture f;
    f.enable();
    const std::uint32_t rounds = f.params.max_inflight + 16;
    for (std::uint32_t round = 0; round < rounds; ++round) {
        CAPTURE(round);
        auto q = f.create_pair(1, 2);
        f.submit(q, write_cmd(static_cast<std::uint16_t>(2 * round)));
        f.submit(q, write_cmd(static_cast<std::uint16_t>(2 * round + 1)));
        nvme::spec::cqe c{};
        REQUIRE(admin_completes(f, delete_queue(0x00, 1), c));
        REQUIRE(core_fixture::status_code(c) == 0);
        REQUIRE(admin_completes(f, delete_queue(0x04, 1), c));
        REQUIRE(core_fixture::status_code(c) == 0);
        REQUIRE(f.core->slots_in_use() == 0);
    }
    nvme::spec::cqe c{};
    REQUIRE(admin_completes(f, identify_ctrl(), c));
    CHECK(core_fixture::status_code(c) == 0);
    CHECK((f.core->csts() & nvme::spec::csts::cfs) == 0);
}

TEST_CASE("core: a full unreaped I/O CQ stalls only its own queue") {
    // Fewer slots than the stuck queue has commands: completions waiting for its CQ used to take
    // every slot, so neither Identify nor another queue's I/O could run.
    auto p = core_fixture::make_params();
    p.max_inflight = 16;
    core_fixture f(p);
    f.enable();
    // A 4-entry CQ (room for 3 completions) behind a 64-entry SQ holding 63 commands.
    auto stuck = create_queues(f, 1, 4, 64);
    auto other = f.create_pair(2, 16, 2);
    for (std::uint16_t i = 0; i < 63; ++i)
        f.submit(stuck, write_cmd(i), false);
    f.ring_sq(stuck);
    f.sched.settle();

    nvme::spec::cqe c{};
    REQUIRE(admin_completes(f, identify_ctrl(), c));
    CHECK(core_fixture::status_code(c) == 0);

    for (std::uint16_t i = 0; i < 10; ++i)
        f.submit(other, write_cmd(0x200 + i), false);
    f.ring_sq(other);
    for (std::uint16_t i = 0; i < 10; ++i) {
        nvme::spec::cqe e{};
        REQUIRE(f.peek(other, e));
        CHECK(f.reap(other).cid == 0x200 + i);
    }

    // The stuck queue still completes everything, in order, once the host reaps it.
    auto stuck_cq = stuck;
    stuck_cq.entries = 4; // the host's view of the CQ ring
    for (std::uint16_t i = 0; i < 63; ++i) {
        CAPTURE(i);
        nvme::spec::cqe e{};
        REQUIRE(f.peek(stuck_cq, e));
        CHECK(f.reap(stuck_cq).cid == i);
    }
    CHECK(f.core->slots_in_use() == 0);
}

TEST_CASE("core: outstanding AERs cannot take the slots Identify and I/O need") {
    // max_inflight = AERL+1 used to let the host's AERs hold every slot: Identify never
    // completed (a 60 s timeout at bring-up). The core now keeps AERL+1 slots for AERs on top
    // of at least one admin and one I/O slot, whatever max_inflight says.
    for (const std::uint8_t aerl : {std::uint8_t{0}, std::uint8_t{3}, std::uint8_t{15}}) {
        for (const std::uint32_t inflight : {aerl + 1u, aerl + 3u}) {
            CAPTURE(unsigned(aerl));
            CAPTURE(inflight);
            auto p = core_fixture::make_params();
            p.aerl = aerl;
            p.max_inflight = inflight;
            core_fixture f(p);
            f.enable();
            for (unsigned i = 0; i <= aerl; ++i)
                f.submit(f.m_admin, aer(static_cast<std::uint16_t>(0x7000 + i)));
            nvme::spec::cqe c{};
            CHECK_FALSE(f.peek(f.m_admin, c)); // all outstanding

            REQUIRE(admin_completes(f, identify_ctrl(), c));
            CHECK(core_fixture::status_code(c) == 0);
            // One AER too many is refused, not held.
            REQUIRE(admin_completes(f, aer(0), c));
            CHECK(core_fixture::status_code(c) == 0x105);

            auto q = f.create_pair(1, 8);
            for (std::uint16_t i = 0; i < 5; ++i)
                f.submit(q, write_cmd(i), false);
            f.ring_sq(q);
            for (std::uint16_t i = 0; i < 5; ++i) {
                nvme::spec::cqe e{};
                REQUIRE(f.peek(q, e));
                CHECK(f.reap(q).cid == i);
            }
            REQUIRE(admin_completes(f, identify_ctrl(), c));
            CHECK(core_fixture::status_code(c) == 0);
        }
    }
}
