// The admin command set is one table: dispatch and the Commands Supported and Effects log both
// come from it.
#include "nvme/admin/admin_handlers.h"
#include "test_core_fixture.h"

#include <set>

using namespace znssim;
using test::core_fixture;

namespace {
// Delete/Create SQ, Get Log Page, Delete/Create CQ, Identify, Abort, Set/Get Features, AER,
// Doorbell Buffer Config.
const std::set<unsigned> supported = {0x00, 0x01, 0x02, 0x04, 0x05, 0x06,
                                      0x08, 0x09, 0x0a, 0x0c, 0x7c};
} // namespace

TEST_CASE("core: every admin command has a handler and CSUPP in one table, nothing else") {
    const nvme::command_table& t = nvme::admin_command_set();
    for (unsigned op = 0; op < 256; ++op) {
        CAPTURE(op);
        const bool listed = supported.count(op) != 0;
        CHECK((t.handlers[op] != nullptr) == listed);
        CHECK(t.effects[op] == (listed ? nvme::effects::csupp : 0u));
    }
}

TEST_CASE("core: admin dispatch and the effects log follow the admin command set") {
    core_fixture f;
    f.enable();
    REQUIRE((f.reg(nvme::spec::reg::csts) & 1) == 1);

    nvme::spec::sqe unknown{};
    unknown.opcode = 0x80; // Format NVM: not in the table
    const auto e = f.admin_command(unknown);
    CHECK(core_fixture::status_code(e) == 0x01); // Invalid Command Opcode
    CHECK(core_fixture::dnr(e));

    constexpr std::uint64_t buf = 0x300000;
    nvme::spec::sqe glp{};
    glp.opcode = 0x02;
    glp.dptr1 = buf;
    glp.cdw10 = 0x05u | ((4096u / 4 - 1) << 16); // Commands Supported and Effects, 4 KiB
    REQUIRE(core_fixture::status_code(f.admin_command(glp)) == 0);
    std::uint32_t acs[256];
    std::memcpy(acs, f.host.at(buf), sizeof acs);
    for (unsigned op = 0; op < 256; ++op) {
        CAPTURE(op);
        CHECK(acs[op] == nvme::admin_command_set().effects[op]);
    }
}
