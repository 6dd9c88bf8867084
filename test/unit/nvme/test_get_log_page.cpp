#include "nvme/admin/admin_handlers.h"
#include "nvme/nvm/nvm_command_set.h"
#include "nvme/spec/log_pages.h"
#include "test/unit/nvme/nvm_fixture.h"

#include <doctest/doctest.h>

#include <cstring>

using namespace znssim;
using namespace znssim::nvme;
using namespace znssim::test;

namespace {

struct log_env {
    temp_dir dir;
    fake_context ctx;
    log_env() {
        ctx.add_namespace(make_nvm_namespace(dir, 1, 4096, 256));
        ctx.set_command_set(&nvm_command_set());
        ctx.set_admin_effect(spec::admin_opcode::identify, effects::csupp);
    }
    spec::status get(std::uint8_t lid, std::uint32_t nsid, std::uint32_t bytes,
                     std::uint64_t offset, std::uint8_t csi, std::uint64_t& buf, bool rae = false) {
        command c = ctx.make_command(spec::admin_opcode::get_log_page, nsid, true);
        const std::uint32_t numd = bytes / 4 - 1;
        c.sqe.cdw10 = lid | (rae ? 1u << 15 : 0u) | (numd & 0xffff) << 16;
        c.sqe.cdw11 = numd >> 16;
        c.sqe.cdw12 = static_cast<std::uint32_t>(offset);
        c.sqe.cdw13 = static_cast<std::uint32_t>(offset >> 32);
        c.sqe.cdw14 = static_cast<std::uint32_t>(csi) << 24;
        buf = ctx.alloc(bytes);
        ctx.fill(buf, 0xee, bytes);
        return run_with_buffer(ctx, handle_get_log_page, c, buf, bytes);
    }
    template <class T> T read(std::uint64_t addr) {
        T v;
        std::memcpy(&v, ctx.at(addr), sizeof v);
        return v;
    }
};

} // namespace

TEST_CASE("nvme_log_effects_per_csi") {
    log_env e;
    std::uint64_t b = 0;
    REQUIRE(e.get(spec::lid::cmd_effects, 0, 4096, 0, 0, b).ok());
    CHECK(e.read<std::uint32_t>(b + 4 * spec::admin_opcode::identify) == effects::csupp);
    CHECK(e.read<std::uint32_t>(b + 1024 + 4 * spec::io_opcode::write) ==
          (effects::csupp | effects::lbcc));
    CHECK(e.read<std::uint32_t>(b + 1024 + 4 * spec::io_opcode::read) == effects::csupp);
    CHECK(e.read<std::uint32_t>(b + 1024 + 4 * spec::io_opcode::zone_append) == 0);
    REQUIRE(e.ctx.log_reads.size() == 1);
    CHECK(e.ctx.log_reads[0].lid == spec::lid::cmd_effects);
    // Unknown command set → Invalid Field; a registered one reports its own opcodes.
    CHECK(e.get(spec::lid::cmd_effects, 0, 4096, 0, 2, b) == spec::sc::invalid_field);
    static io_command_set zns_like = nvm_command_set();
    zns_like.csi = spec::csi::zns;
    zns_like.effects[spec::io_opcode::zone_append] = effects::csupp | effects::lbcc;
    e.ctx.set_command_set(&zns_like);
    REQUIRE(e.get(spec::lid::cmd_effects, 0, 4096, 0, 2, b).ok());
    CHECK(e.read<std::uint32_t>(b + 1024 + 4 * spec::io_opcode::zone_append) == 3);
}

TEST_CASE("nvme_log_numd_offset_handling") {
    log_env e;
    std::uint64_t b = 0;
    // A window of the effects log: 8 bytes at offset 1024 + 4 → IOCS[1..2].
    REQUIRE(e.get(spec::lid::cmd_effects, 0, 8, 1028, 0, b).ok());
    CHECK(e.read<std::uint32_t>(b) == 3);     // Write
    CHECK(e.read<std::uint32_t>(b + 4) == 1); // Read
    // Past the end of a 512-byte log: the tail reads as zeros.
    REQUIRE(e.get(spec::lid::smart, 0xffffffff, 1024, 256, 0, b).ok());
    CHECK(e.ctx.at(b + 600)[0] == 0);
    // Misaligned offset, offset beyond the log, and more than MDTS.
    CHECK(e.get(spec::lid::smart, 0xffffffff, 512, 2, 0, b) == spec::sc::invalid_field);
    CHECK(e.get(spec::lid::smart, 0xffffffff, 512, 512, 0, b) == spec::sc::invalid_field);
    e.ctx.mutable_params().mdts = 1;
    CHECK(e.get(spec::lid::smart, 0xffffffff, 16384, 0, 0, b) == spec::sc::invalid_field);
    // Unknown log page.
    CHECK(e.get(0x70, 0, 512, 0, 0, b) == spec::sc::invalid_log_page);
}

TEST_CASE("nvme_log_smart_and_error_info") {
    log_env e;
    e.ctx.ctrl_logs.health.bytes_read = 512'001;
    e.ctx.ctrl_logs.health.host_write_commands = 7;
    e.ctx.ctrl_logs.record_error(1, 42, 0x4002, 1, 99);
    e.ctx.ctrl_logs.record_error(1, 43, 0x0080, 1, 100);
    std::uint64_t b = 0;
    REQUIRE(e.get(spec::lid::smart, 0xffffffff, 512, 0, 0, b).ok());
    CHECK(e.read<std::uint16_t>(b + 1) == 313);
    CHECK(e.read<std::uint64_t>(b + 32) == 2); // data units read, rounded up
    CHECK(e.read<std::uint64_t>(b + 80) == 7);
    CHECK(e.read<std::uint64_t>(b + 112) == 1);
    CHECK(e.read<std::uint64_t>(b + 176) == 2);
    CHECK(e.get(spec::lid::smart, 1, 512, 0, 0, b) == spec::sc::invalid_field); // no per-NS SMART
    REQUIRE(e.get(spec::lid::error_info, 0, 4096, 0, 0, b).ok());
    CHECK(e.read<std::uint64_t>(b) == 2); // newest first
    CHECK(e.read<std::uint16_t>(b + 10) == 43);
    CHECK(e.read<std::uint16_t>(b + 12) == (0x0080 << 1));
    CHECK(e.read<std::uint64_t>(b + 16) == 100);
    CHECK(e.read<std::uint64_t>(b + 64) == 1);
    CHECK(e.read<std::uint64_t>(b + 128) == 0);
    REQUIRE(e.get(spec::lid::firmware_slot, 0xffffffff, 512, 0, 0, b).ok());
    CHECK(e.ctx.at(b)[0] == 1);
    CHECK(std::memcmp(e.ctx.at(b + 8), "0.1     ", 8) == 0);
}

TEST_CASE("nvme_log_changed_ns_list_cleared_unless_rae") {
    log_env e;
    e.ctx.ctrl_logs.changed_namespaces = {3, 1};
    std::uint64_t b = 0;
    REQUIRE(e.get(spec::lid::changed_ns_list, 0xffffffff, 4096, 0, 0, b, true).ok());
    CHECK(e.read<std::uint32_t>(b) == 1);
    CHECK(e.read<std::uint32_t>(b + 4) == 3);
    CHECK(e.ctx.ctrl_logs.changed_namespaces.size() == 2);
    CHECK(e.ctx.log_reads.back().retain);
    REQUIRE(e.get(spec::lid::changed_ns_list, 0xffffffff, 4096, 0, 0, b).ok());
    CHECK(e.ctx.ctrl_logs.changed_namespaces.empty());
    CHECK_FALSE(e.ctx.log_reads.back().retain);
    e.ctx.ctrl_logs.changed_namespaces.assign(1025, 5);
    REQUIRE(e.get(spec::lid::changed_ns_list, 0xffffffff, 4096, 0, 0, b).ok());
    CHECK(e.read<std::uint32_t>(b) == 0xffffffffu);
    CHECK(e.read<std::uint32_t>(b + 4) == 0);
}

TEST_CASE("nvme_log_command_set_specific_page") {
    log_env e;
    static io_command_set zns_like = nvm_command_set();
    zns_like.csi = spec::csi::zns;
    zns_like.log_page = [](command_context&, const command&, std::uint8_t lid, std::uint64_t offset,
                           void* out, std::size_t len) -> spec::status {
        if (lid != spec::lid::changed_zone_list) return spec::sc::invalid_log_page;
        if (offset == 0 && len >= 2) static_cast<std::uint8_t*>(out)[0] = 0; // NRZID = 0
        return spec::sc::success;
    };
    e.ctx.set_command_set(&zns_like);
    std::uint64_t b = 0;
    REQUIRE(e.get(spec::lid::changed_zone_list, 1, 4096, 0, 2, b).ok());
    CHECK(e.read<std::uint16_t>(b) == 0);
    CHECK(e.ctx.at(b + 4095)[0] == 0);
    CHECK(e.get(0xbe, 1, 4096, 0, 2, b) == spec::sc::invalid_log_page);
    CHECK(e.get(spec::lid::changed_zone_list, 1, 4096, 0, 0, b) == spec::sc::invalid_log_page);
}
