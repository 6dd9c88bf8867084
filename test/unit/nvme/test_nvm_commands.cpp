#include "model/storage/backing_image.h"
#include "nvme/nvm/nvm_command_set.h"
#include "test/unit/nvme/nvm_fixture.h"

#include <doctest/doctest.h>

#include <cstring>
#include <vector>

using namespace znssim;
using namespace znssim::nvme;
using namespace znssim::test;

namespace {

struct nvm_env {
    temp_dir dir;
    fake_context ctx;
    nvm_namespace* ns = nullptr;
    explicit nvm_env(std::uint32_t lba = 512, std::uint64_t lbas = 4096) {
        auto n = make_nvm_namespace(dir, 1, lba, lbas);
        ns = n.get();
        ctx.add_namespace(std::move(n));
        ctx.set_command_set(&nvm_command_set());
    }
    command rw(std::uint8_t opcode, std::uint64_t slba, std::uint32_t nlb, std::uint32_t nsid = 1) {
        command c = ctx.make_command(opcode, nsid, false);
        c.sqe.cdw10 = static_cast<std::uint32_t>(slba);
        c.sqe.cdw11 = static_cast<std::uint32_t>(slba >> 32);
        c.sqe.cdw12 = nlb - 1;
        return c;
    }
    spec::status io(std::uint8_t opcode, std::uint64_t slba, std::uint32_t nlb, std::uint64_t buf) {
        command c = rw(opcode, slba, nlb);
        return run_with_buffer(ctx, nvm_command_set().handlers[opcode], c, buf,
                               std::uint64_t{nlb} << ns->lba_shift());
    }
};

std::vector<std::uint8_t> pattern(std::size_t n, std::uint8_t seed) {
    std::vector<std::uint8_t> v(n);
    for (std::size_t i = 0; i < n; ++i)
        v[i] = static_cast<std::uint8_t>(seed + i * 31 + (i >> 8));
    return v;
}

} // namespace

TEST_CASE("nvme_nvm_write_read_round_trip") {
    nvm_env e;
    const std::size_t len = 20 * 512; // crosses pages: PRP list
    const auto data = pattern(len, 7);
    const std::uint64_t wbuf = e.ctx.alloc(len + 4096) + 0x100;
    std::memcpy(e.ctx.at(wbuf), data.data(), len);
    REQUIRE(e.io(spec::io_opcode::write, 100, 20, wbuf).ok());
    CHECK(std::memcmp(e.ns->image().data(100 * 512), data.data(), len) == 0);
    const std::uint64_t rbuf = e.ctx.alloc(len);
    REQUIRE(e.io(spec::io_opcode::read, 100, 20, rbuf).ok());
    CHECK(std::memcmp(e.ctx.at(rbuf), data.data(), len) == 0);
    const auto& h = e.ctx.ctrl_logs.health;
    CHECK(h.host_write_commands == 1);
    CHECK(h.host_read_commands == 1);
    CHECK(h.bytes_written == len);
    CHECK(h.data_units_read == 1);
}

TEST_CASE("nvme_nvm_data_survives_reopen") {
    temp_dir dir;
    const auto data = pattern(4096, 3);
    {
        fake_context ctx;
        ctx.add_namespace(make_nvm_namespace(dir, 1, 4096, 64));
        command c = ctx.make_command(spec::io_opcode::write, 1, false);
        c.sqe.cdw10 = 5;
        const std::uint64_t buf = ctx.alloc(4096);
        std::memcpy(ctx.at(buf), data.data(), 4096);
        REQUIRE(run_with_buffer(ctx, handle_write, c, buf, 4096).ok());
        ctx.find_namespace(1)->shutdown();
    }
    auto ns = make_nvm_namespace(dir, 1, 4096, 64);
    CHECK(std::memcmp(ns->image().data(5 * 4096), data.data(), 4096) == 0);
}

TEST_CASE("nvme_nvm_range_and_field_errors") {
    nvm_env e(512, 1000);
    const std::uint64_t buf = e.ctx.alloc(64 * 1024);
    CHECK(e.io(spec::io_opcode::read, 999, 2, buf) == spec::sc::lba_out_of_range);
    CHECK(e.io(spec::io_opcode::write, 1000, 1, buf) == spec::sc::lba_out_of_range);
    CHECK(e.io(spec::io_opcode::read, 0xffffffffffffull, 1, buf) == spec::sc::lba_out_of_range);
    CHECK(e.io(spec::io_opcode::read, 999, 1, buf).ok());
    // Beyond MDTS (2^5 × 4 KiB = 128 KiB = 256 LBAs of 512 B).
    command big = e.rw(spec::io_opcode::read, 0, 257);
    big.sqe.dptr1 = buf;
    CHECK(e.ctx.run(handle_read, big) == spec::sc::invalid_field);
    // Inactive / invalid namespaces.
    command c = e.rw(spec::io_opcode::read, 0, 1, 2);
    CHECK(run_with_buffer(e.ctx, handle_read, c, buf, 512) ==
          spec::sc::invalid_namespace_or_format);
    c = e.rw(spec::io_opcode::write, 0, 1, 0);
    CHECK(run_with_buffer(e.ctx, handle_write, c, buf, 512) ==
          spec::sc::invalid_namespace_or_format);
    // PRINFO set: no protection information on this namespace.
    c = e.rw(spec::io_opcode::write, 0, 1);
    c.sqe.cdw12 |= 1u << 29;
    CHECK(run_with_buffer(e.ctx, handle_write, c, buf, 512) == spec::sc::invalid_field);
    // A bad PRP fails the write before any data moves.
    c = e.rw(spec::io_opcode::write, 0, 1);
    c.sqe.dptr1 = buf + 1;
    CHECK(e.ctx.run(handle_write, c) == spec::sc::prp_offset_invalid);
    // Host memory unreachable.
    c = e.rw(spec::io_opcode::read, 0, 1);
    c.sqe.dptr1 = fake_context::host_base + e.ctx.host().size();
    CHECK(e.ctx.run(handle_read, c) == spec::sc::data_transfer_error);
}

TEST_CASE("nvme_nvm_write_protected_namespace") {
    nvm_env e;
    e.ns->set_read_only(true);
    const std::uint64_t buf = e.ctx.alloc(4096);
    CHECK(e.io(spec::io_opcode::write, 0, 1, buf) == spec::sc::namespace_write_protected);
    command wz = e.rw(spec::io_opcode::write_zeroes, 0, 1);
    CHECK(e.ctx.run(handle_write_zeroes, wz) == spec::sc::namespace_write_protected);
    CHECK(e.io(spec::io_opcode::read, 0, 1, buf).ok());
}

TEST_CASE("nvme_nvm_compare_match_and_failure") {
    nvm_env e;
    const auto data = pattern(2048, 11);
    const std::uint64_t buf = e.ctx.alloc(8192);
    std::memcpy(e.ctx.at(buf), data.data(), 2048);
    REQUIRE(e.io(spec::io_opcode::write, 8, 4, buf).ok());
    CHECK(e.io(spec::io_opcode::compare, 8, 4, buf).ok());
    e.ctx.at(buf)[2047] ^= 1;
    CHECK(e.io(spec::io_opcode::compare, 8, 4, buf) == spec::sc::compare_failure);
    CHECK(spec::sc::compare_failure.code() == 0x285);
    CHECK(e.io(spec::io_opcode::compare, 4095, 2, buf) == spec::sc::lba_out_of_range);
}

TEST_CASE("nvme_nvm_write_zeroes_and_verify") {
    nvm_env e(4096, 256);
    const std::size_t len = 8 * 4096;
    const std::uint64_t buf = e.ctx.alloc(len);
    e.ctx.fill(buf, 0xab, len);
    REQUIRE(e.io(spec::io_opcode::write, 0, 8, buf).ok());
    command wz = e.rw(spec::io_opcode::write_zeroes, 2, 3);
    REQUIRE(e.ctx.run(handle_write_zeroes, wz).ok());
    const std::uint64_t rbuf = e.ctx.alloc(len);
    REQUIRE(e.io(spec::io_opcode::read, 0, 8, rbuf).ok());
    for (std::size_t i = 0; i < len; ++i) {
        const bool zeroed = i >= 2 * 4096 && i < 5 * 4096;
        if (e.ctx.at(rbuf)[i] != (zeroed ? 0 : 0xab)) {
            FAIL("byte " << i << " wrong after Write Zeroes");
        }
    }
    command bad = e.rw(spec::io_opcode::write_zeroes, 255, 2);
    CHECK(e.ctx.run(handle_write_zeroes, bad) == spec::sc::lba_out_of_range);
    command v = e.rw(spec::io_opcode::verify, 0, 256);
    CHECK(e.ctx.run(handle_verify, v).ok());
    v = e.rw(spec::io_opcode::verify, 1, 256);
    CHECK(e.ctx.run(handle_verify, v) == spec::sc::lba_out_of_range);
}

TEST_CASE("nvme_nvm_dsm_deallocate_reads_zeros") {
    nvm_env e(4096, 256);
    const std::size_t len = 16 * 4096;
    const std::uint64_t buf = e.ctx.alloc(len);
    e.ctx.fill(buf, 0x5c, len);
    REQUIRE(e.io(spec::io_opcode::write, 0, 16, buf).ok());
    // Two ranges: LBAs 1-2 and 10; one empty range in between.
    const std::uint64_t ranges = e.ctx.alloc(4096);
    auto put = [&](int i, std::uint32_t nlb, std::uint64_t slba) {
        std::memset(e.ctx.at(ranges + i * 16), 0, 16);
        std::memcpy(e.ctx.at(ranges + i * 16 + 4), &nlb, 4);
        std::memcpy(e.ctx.at(ranges + i * 16 + 8), &slba, 8);
    };
    put(0, 2, 1);
    put(1, 0, 200);
    put(2, 1, 10);
    command c = e.ctx.make_command(spec::io_opcode::dataset_management, 1, false);
    c.sqe.cdw10 = 2;       // three ranges
    c.sqe.cdw11 = 1u << 2; // AD
    REQUIRE(run_with_buffer(e.ctx, handle_dataset_management, c, ranges, 48).ok());
    const std::uint64_t rbuf = e.ctx.alloc(len);
    REQUIRE(e.io(spec::io_opcode::read, 0, 16, rbuf).ok());
    for (int lba = 0; lba < 16; ++lba) {
        const bool gone = lba == 1 || lba == 2 || lba == 10;
        CHECK_MESSAGE(e.ctx.at(rbuf + lba * 4096)[100] == (gone ? 0 : 0x5c), "lba " << lba);
    }
    // A range out of bounds fails the whole command and changes nothing.
    put(0, 1, 3);
    put(1, 10, 250);
    command bad = e.ctx.make_command(spec::io_opcode::dataset_management, 1, false);
    bad.sqe.cdw10 = 1;
    bad.sqe.cdw11 = 1u << 2;
    CHECK(run_with_buffer(e.ctx, handle_dataset_management, bad, ranges, 32) ==
          spec::sc::lba_out_of_range);
    CHECK(e.ns->image().data(3 * 4096)[0] == 0x5c);
}

TEST_CASE("nvme_nvm_flush_and_effects") {
    nvm_env e;
    command f = e.ctx.make_command(spec::io_opcode::flush, 1, false);
    CHECK(e.ctx.run(handle_flush, f).ok());
    f = e.ctx.make_command(spec::io_opcode::flush, 0xffffffff, false);
    e.ctx.mutable_params().volatile_write_cache = true;
    CHECK(e.ctx.run(handle_flush, f).ok());
    f = e.ctx.make_command(spec::io_opcode::flush, 7, false);
    CHECK(e.ctx.run(handle_flush, f) == spec::sc::invalid_namespace_or_format);
    const io_command_set& s = nvm_command_set();
    CHECK(s.csi == spec::csi::nvm);
    CHECK(s.effects[spec::io_opcode::flush] == 3);
    CHECK(s.effects[spec::io_opcode::write] == 3);
    CHECK(s.effects[spec::io_opcode::write_zeroes] == 3);
    CHECK(s.effects[spec::io_opcode::dataset_management] == 3);
    CHECK(s.effects[spec::io_opcode::read] == 1);
    CHECK(s.effects[spec::io_opcode::compare] == 1);
    CHECK(s.effects[spec::io_opcode::verify] == 1);
    const bool no_append = s.handlers[spec::io_opcode::zone_append] == nullptr;
    CHECK(no_append);
}

TEST_CASE("nvme_nvm_sgl_write_read") {
    nvm_env e;
    const auto data = pattern(1024, 5);
    const std::uint64_t a = e.ctx.alloc(512), b = e.ctx.alloc(512);
    std::memcpy(e.ctx.at(a), data.data(), 512);
    std::memcpy(e.ctx.at(b), data.data() + 512, 512);
    const std::uint64_t list = e.ctx.alloc(32, 16);
    auto put = [&](std::uint64_t at, std::uint64_t addr, std::uint32_t len, std::uint8_t id) {
        std::memset(e.ctx.at(at), 0, 16);
        std::memcpy(e.ctx.at(at), &addr, 8);
        std::memcpy(e.ctx.at(at + 8), &len, 4);
        e.ctx.at(at)[15] = id;
    };
    put(list, a, 512, 0x00);
    put(list + 16, b, 512, 0x00);
    command c = e.rw(spec::io_opcode::write, 0, 2);
    c.sqe.flags = 1u << 6;
    std::uint8_t d[16] = {};
    std::memcpy(d, &list, 8);
    const std::uint32_t l = 32;
    std::memcpy(d + 8, &l, 4);
    d[15] = 0x30; // Last Segment
    std::memcpy(&c.sqe.dptr1, d, 8);
    std::memcpy(&c.sqe.dptr2, d + 8, 8);
    REQUIRE(e.ctx.run(handle_write, c).ok());
    CHECK(std::memcmp(e.ns->image().data(0), data.data(), 1024) == 0);
    // With SGLs disabled in the controller, the same command is refused.
    e.ctx.mutable_params().sgl = false;
    CHECK(e.ctx.run(handle_write, c) == spec::sc::invalid_field);
}

TEST_CASE("nvme_nvm_namespace_rejects_bad_params") {
    temp_dir dir;
    namespace_params p;
    p.image = dir.file("x.img");
    p.capacity_lbas = 16;
    p.lba_size = 1024;
    CHECK_THROWS_AS(nvm_namespace(p, "S"), std::invalid_argument);
    p.lba_size = 512;
    p.capacity_lbas = 0;
    CHECK_THROWS_AS(nvm_namespace(p, "S"), std::invalid_argument);
    p.capacity_lbas = 16;
    { nvm_namespace ok(p, "S"); }
    p.capacity_lbas = 32; // the existing image is too small now
    CHECK_THROWS_AS(nvm_namespace(p, "S"), image_error);
    // Appends are not for conventional namespaces.
    p.capacity_lbas = 16;
    nvm_namespace ns(p, "S");
    write_grant grant;
    CHECK(ns.begin_write(write_kind::append, 0, 1, grant) == spec::sc::invalid_opcode);
}
