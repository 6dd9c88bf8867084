// Controller registers and the enable / disable / shutdown life cycle.
#include "test_core_fixture.h"

using namespace znssim;
using namespace znssim::test;
namespace r = nvme::spec::reg;

TEST_CASE("core: CAP advertises MQES, CQR, TO, DSTRD, CSS NVM+IOCS and MPSMIN 0; VS is 2.0") {
    core_fixture f;
    const std::uint64_t cap = f.reg(r::cap) | static_cast<std::uint64_t>(f.reg(r::cap + 4)) << 32;
    CHECK((cap & 0xffff) == f.params.mqes);
    CHECK((cap >> 16 & 1) == 1); // contiguous queues required
    CHECK((cap >> 24 & 0xff) == f.params.cap_timeout);
    CHECK((cap >> 32 & 0xf) == f.params.doorbell_stride);
    CHECK((cap >> 37 & 1) == 1);   // NVM command set
    CHECK((cap >> 43 & 1) == 1);   // I/O command sets (Linux then writes CSS=110b)
    CHECK((cap >> 48 & 0xf) == 0); // MPSMIN = 4 KiB
    CHECK(f.reg(r::vs) == 0x00020000);
}

TEST_CASE("core: ASQ/ACQ latch each dword; AQA masks reserved bits; CAP is read-only") {
    core_fixture f;
    f.write_reg(r::asq, 0x12345678);
    f.write_reg(r::asq + 4, 0x9);
    CHECK(f.reg(r::asq) == 0x12345000); // low 12 bits reserved
    CHECK(f.reg(r::asq + 4) == 0x9);
    f.write_reg(r::aqa, 0xffffffff);
    CHECK(f.reg(r::aqa) == 0x0fff0fff);
    const auto cap = f.reg(r::cap);
    f.write_reg(r::cap, 0);
    CHECK(f.reg(r::cap) == cap);
}

TEST_CASE("core: CC.EN sets CSTS.RDY after the ready delay and EN=0 clears it") {
    core_fixture f;
    f.write_reg(r::aqa, 0x001f001f);
    f.write_reg(r::asq, 0x10000);
    f.write_reg(r::acq, 0x20000);
    f.write_reg(r::cc, 0x00460060); // fields first, EN=0, as Linux does
    CHECK(f.reg(r::cc) == 0x00460060);
    f.write_reg(r::cc, 0x00460061);
    CHECK((f.reg(r::csts) & 1) == 0);
    f.sched.advance_by(f.params.ready_delay);
    CHECK((f.reg(r::csts) & 1) == 1);
    // The admin queue registers are frozen while enabled.
    f.write_reg(r::asq, 0x50000);
    CHECK(f.reg(r::asq) == 0x10000);
    f.write_reg(r::cc, 0x00460060);
    f.sched.advance_by(f.params.ready_delay);
    CHECK((f.reg(r::csts) & 1) == 0);
    CHECK(f.core->sq(0) == nullptr); // queues are torn down by the reset
}

TEST_CASE("core: enabling with an invalid configuration reports controller fatal status") {
    core_fixture f;
    SUBCASE("unsupported command set") {
        f.write_reg(r::aqa, 0x001f001f);
        f.write_reg(r::asq, 0x10000);
        f.write_reg(r::acq, 0x20000);
        f.write_reg(r::cc, 0x00460021); // CSS=010b
    }
    SUBCASE("admin queue of one entry") {
        f.write_reg(r::aqa, 0);
        f.write_reg(r::asq, 0x10000);
        f.write_reg(r::acq, 0x20000);
        f.write_reg(r::cc, 0x00460061);
    }
    SUBCASE("admin queue base not set") {
        f.write_reg(r::aqa, 0x001f001f);
        f.write_reg(r::cc, 0x00460061);
    }
    f.sched.advance_by(from_ms(1));
    CHECK((f.reg(r::csts) & 1) == 0);
    CHECK((f.reg(r::csts) & 2) == 2);
    // A reset (EN=0) clears the fatal status.
    f.write_reg(r::cc, 0);
    CHECK((f.reg(r::csts) & 2) == 0);
}

TEST_CASE("core: CC.SHN reports shutdown processing then complete") {
    core_fixture f;
    f.enable();
    f.write_reg(r::cc, 0x00464061);
    CHECK((f.reg(r::csts) >> 2 & 3) == 1);
    f.sched.advance_by(f.params.shutdown_delay);
    CHECK((f.reg(r::csts) >> 2 & 3) == 2);
}

TEST_CASE("core: admin commands echo the full CID, SQ head and phase; unknown opcode fails") {
    core_fixture f;
    f.enable();
    nvme::spec::sqe e{};
    e.opcode = 0xc3; // vendor specific, not implemented
    auto c = f.admin_command(e);
    CHECK(c.cid == 0x1000);
    CHECK(c.sqid == 0);
    CHECK(c.sqhd == 1);
    CHECK((c.status & 1) == 1);
    CHECK(core_fixture::status_code(c) == 0x001);
    CHECK(core_fixture::dnr(c));
    // Fused operations are not supported.
    e.opcode = 0x0a;
    e.flags = 1;
    c = f.admin_command(e);
    CHECK(core_fixture::status_code(c) == 0x002);
}

TEST_CASE("core: the phase tag inverts when the admin CQ wraps") {
    core_fixture f;
    f.enable();
    nvme::spec::sqe e{};
    e.opcode = 0xc3;
    for (unsigned i = 0; i < core_fixture::admin_entries + 3; ++i) {
        auto c = f.admin_command(e);
        CHECK(core_fixture::status_code(c) == 0x001);
    }
    CHECK_FALSE(f.m_admin.phase);
    CHECK(f.core->commands_completed() == core_fixture::admin_entries + 3);
}
