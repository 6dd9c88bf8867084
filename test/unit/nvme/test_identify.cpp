#include "nvme/admin/admin_handlers.h"
#include "nvme/nvm/nvm_command_set.h"
#include "nvme/spec/identify.h"
#include "test/unit/nvme/nvm_fixture.h"

#include <doctest/doctest.h>

#include <cstring>
#include <string>

using namespace znssim;
using namespace znssim::nvme;
using namespace znssim::test;

namespace {

struct identify_env {
    temp_dir dir;
    fake_context ctx;
    identify_env() {
        ctx.add_namespace(make_nvm_namespace(dir, 1, 4096, 1024));
        ctx.add_namespace(make_nvm_namespace(dir, 3, 512, 2048));
        ctx.set_command_set(&nvm_command_set());
    }
    /// Runs Identify and returns the host buffer address.
    spec::status identify(std::uint8_t cns, std::uint32_t nsid, std::uint8_t csi,
                          std::uint64_t& buf) {
        command c = ctx.make_command(spec::admin_opcode::identify, nsid, true);
        c.sqe.cdw10 = cns;
        c.sqe.cdw11 = static_cast<std::uint32_t>(csi) << 24;
        buf = ctx.alloc(4096);
        ctx.fill(buf, 0xee, 4096);
        return run_with_buffer(ctx, handle_identify, c, buf, 4096);
    }
    template <class T> T read(std::uint64_t addr) {
        T v;
        std::memcpy(&v, ctx.at(addr), sizeof v);
        return v;
    }
};

} // namespace

TEST_CASE("nvme_identify_controller_fields") {
    identify_env e;
    e.ctx.mutable_params().serial = "SN123";
    e.ctx.mutable_params().mdts = 5;
    std::uint64_t b = 0;
    REQUIRE(e.identify(spec::cns::ctrl, 0, 0, b).ok());
    CHECK(e.read<std::uint16_t>(b + 0) == 0x1b36);
    CHECK(std::string(reinterpret_cast<char*>(e.ctx.at(b + 4)), 20) == "SN123               ");
    CHECK(std::string(reinterpret_cast<char*>(e.ctx.at(b + 24)), 14) == "znssim ZNS SSD");
    CHECK(e.ctx.at(b + 24)[39] == ' ');
    CHECK(e.ctx.at(b + 77)[0] == 5);                         // MDTS
    CHECK(e.read<std::uint16_t>(b + 78) == 1);               // CNTLID
    CHECK(e.read<std::uint32_t>(b + 80) == 0x00020000);      // VER
    CHECK((e.read<std::uint32_t>(b + 92) & (1u << 8)) != 0); // OAES: NS attribute notices
    CHECK(e.read<std::uint32_t>(b + 96) == 0);               // CTRATT
    CHECK(e.ctx.at(b + 111)[0] == 1);                        // CNTRLTYPE: I/O controller
    CHECK(e.read<std::uint16_t>(b + 256) == 0x100);          // OACS: Doorbell Buffer Config
    CHECK((e.ctx.at(b + 261)[0] & 0x2) != 0);                // LPA: effects log
    CHECK(e.ctx.at(b + 262)[0] == 63);                       // ELPE
    CHECK(e.ctx.at(b + 512)[0] == 0x66);
    CHECK(e.ctx.at(b + 513)[0] == 0x44);
    CHECK(e.read<std::uint32_t>(b + 516) == 3); // NN = highest NSID
    const auto oncs = e.read<std::uint16_t>(b + 520);
    CHECK((oncs & 0x1) != 0);
    CHECK((oncs & 0x4) != 0);
    CHECK((oncs & 0x8) != 0);
    CHECK((e.read<std::uint32_t>(b + 536) & 0x3) == 1); // SGLS
    CHECK(std::string(reinterpret_cast<char*>(e.ctx.at(b + 768))) == "nqn.2026-11.io.znssim:SN123");
    CHECK(e.read<std::uint16_t>(b + 2048) != 0);                             // PSD0.MP
    CHECK(e.read<std::uint64_t>(b + 280) == 1024ull * 4096 + 2048ull * 512); // TNVMCAP
}

TEST_CASE("nvme_identify_namespace_active_inactive_invalid") {
    identify_env e;
    std::uint64_t b = 0;
    REQUIRE(e.identify(spec::cns::ns, 1, 0, b).ok());
    CHECK(e.read<std::uint64_t>(b + 0) == 1024); // NSZE
    CHECK(e.read<std::uint64_t>(b + 8) == 1024); // NCAP
    CHECK(e.ctx.at(b + 25)[0] == 1);             // NLBAF: two formats
    CHECK(spec::flbas_index(e.ctx.at(b + 26)[0]) == 1);
    CHECK(e.ctx.at(b + 128 + 4 * 1 + 2)[0] == 12); // LBAF1.LBADS
    CHECK(e.ctx.at(b + 128 + 2)[0] == 9);          // LBAF0.LBADS
    CHECK((e.ctx.at(b + 33)[0] & 0x7) == 1);       // DLFEAT: deallocated reads zero
    REQUIRE(e.identify(spec::cns::ns, 3, 0, b).ok());
    CHECK(spec::flbas_index(e.ctx.at(b + 26)[0]) == 0);
    CHECK(e.read<std::uint16_t>(b + 64) == 7); // NPWG: 4 KiB in 512 B LBAs
    // NSID 2 is valid (≤ NN) but inactive: zeros.
    REQUIRE(e.identify(spec::cns::ns, 2, 0, b).ok());
    bool zero = true;
    for (int i = 0; i < 4096; ++i)
        zero = zero && e.ctx.at(b)[i] == 0;
    CHECK(zero);
    CHECK(e.identify(spec::cns::ns, 0, 0, b) == spec::sc::invalid_namespace_or_format);
    CHECK(e.identify(spec::cns::ns, 4, 0, b) == spec::sc::invalid_namespace_or_format);
    CHECK(e.identify(spec::cns::ns, 0xffffffff, 0, b) == spec::sc::invalid_namespace_or_format);
}

TEST_CASE("nvme_identify_identifiers_are_stable_and_unique") {
    const auto a = make_ns_identifiers("S1", 1), b = make_ns_identifiers("S1", 2),
               c = make_ns_identifiers("S2", 1), a2 = make_ns_identifiers("S1", 1);
    CHECK(a.nguid == a2.nguid);
    CHECK(a.eui64 == a2.eui64);
    CHECK(a.nguid != b.nguid);
    CHECK(a.nguid != c.nguid);
    CHECK(a.eui64 != b.eui64);
    CHECK((a.uuid[6] >> 4) == 5);
}

TEST_CASE("nvme_identify_descriptor_list_has_csi") {
    identify_env e;
    std::uint64_t b = 0, nsb = 0;
    REQUIRE(e.identify(spec::cns::ns, 1, 0, nsb).ok());
    REQUIRE(e.identify(spec::cns::ns_desc_list, 1, 0, b).ok());
    // Walk the list as Linux does.
    std::size_t pos = 0;
    bool saw_csi = false, saw_nguid = false, saw_eui = false;
    while (pos + 4 <= 4096 && e.ctx.at(b)[pos + 1] != 0) {
        const std::uint8_t type = e.ctx.at(b)[pos], len = e.ctx.at(b)[pos + 1];
        const std::uint8_t* v = e.ctx.at(b) + pos + 4;
        if (type == spec::nidt::csi) {
            CHECK(len == 1);
            CHECK(v[0] == 0);
            saw_csi = true;
        } else if (type == spec::nidt::nguid) {
            CHECK(len == 16);
            CHECK(std::memcmp(v, e.ctx.at(nsb + 104), 16) == 0); // same as Identify NS
            saw_nguid = true;
        } else if (type == spec::nidt::eui64) {
            CHECK(len == 8);
            CHECK(std::memcmp(v, e.ctx.at(nsb + 120), 8) == 0);
            saw_eui = true;
        } else {
            CHECK(type == spec::nidt::uuid);
            CHECK(len == 16);
        }
        pos += 4 + len;
    }
    CHECK(saw_csi);
    CHECK(saw_nguid);
    CHECK(saw_eui);
    CHECK(e.identify(spec::cns::ns_desc_list, 2, 0, b) == spec::sc::invalid_field);
    CHECK(e.identify(spec::cns::ns_desc_list, 9, 0, b) == spec::sc::invalid_namespace_or_format);
}

TEST_CASE("nvme_identify_ns_lists") {
    identify_env e;
    std::uint64_t b = 0;
    REQUIRE(e.identify(spec::cns::active_ns_list, 0, 0, b).ok());
    CHECK(e.read<std::uint32_t>(b) == 1);
    CHECK(e.read<std::uint32_t>(b + 4) == 3);
    CHECK(e.read<std::uint32_t>(b + 8) == 0);
    REQUIRE(e.identify(spec::cns::active_ns_list, 1, 0, b).ok());
    CHECK(e.read<std::uint32_t>(b) == 3);
    CHECK(e.read<std::uint32_t>(b + 4) == 0);
    CHECK(e.identify(spec::cns::active_ns_list, 0xfffffffe, 0, b) ==
          spec::sc::invalid_namespace_or_format);
    REQUIRE(e.identify(spec::cns::csi_active_ns_list, 0, 0, b).ok());
    CHECK(e.read<std::uint32_t>(b) == 1);
    CHECK(e.identify(spec::cns::csi_active_ns_list, 0, 2, b) ==
          spec::sc::invalid_field); // no ZNS set
}

TEST_CASE("nvme_identify_csi_structures") {
    identify_env e;
    std::uint64_t b = 0;
    REQUIRE(e.identify(spec::cns::csi_ns, 1, 0, b).ok());
    CHECK(e.read<std::uint64_t>(b) == 0);
    CHECK(e.identify(spec::cns::csi_ns, 1, 2, b) == spec::sc::invalid_field);
    REQUIRE(e.identify(spec::cns::csi_ctrl, 0, 0, b).ok());
    CHECK(e.identify(spec::cns::csi_ctrl, 0, 2, b) == spec::sc::invalid_field);
    REQUIRE(e.identify(spec::cns::indep_ns, 3, 0, b).ok());
    CHECK(e.ctx.at(b + 14)[0] == 1); // NSTAT ready
    REQUIRE(e.identify(spec::cns::iocs, 0, 0, b).ok());
    CHECK(e.read<std::uint64_t>(b) == 1); // NVM only
    CHECK(e.identify(0x10, 0, 0, b) == spec::sc::invalid_field);
}

TEST_CASE("nvme_identify_command_set_controller_hook_and_iocs_vector") {
    identify_env e;
    static io_command_set zns_like;
    zns_like.csi = spec::csi::zns;
    zns_like.identify_controller = [](command_context&, void* out) {
        static_cast<std::uint8_t*>(out)[0] = 3;
    };
    e.ctx.set_command_set(&zns_like);
    std::uint64_t b = 0;
    REQUIRE(e.identify(spec::cns::csi_ctrl, 0, 2, b).ok());
    CHECK(e.ctx.at(b)[0] == 3);
    CHECK(e.ctx.at(b)[1] == 0);
    REQUIRE(e.identify(spec::cns::iocs, 0, 0, b).ok());
    CHECK(e.read<std::uint64_t>(b) == 0x5); // NVM | ZNS
    REQUIRE(e.identify(spec::cns::ctrl, 0, 0, b).ok());
    CHECK((e.read<std::uint32_t>(b + 92) & (1u << 27)) != 0); // zone descriptor changed notices
    // Admin commands may not use SGLs.
    command c = e.ctx.make_command(spec::admin_opcode::identify, 0, true);
    c.sqe.cdw10 = spec::cns::ctrl;
    c.sqe.flags = 1u << 6;
    CHECK(e.ctx.run(handle_identify, c) == spec::sc::invalid_field);
}
