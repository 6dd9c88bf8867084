// Crash safety: a child process writes, appends, finishes and resets zones in a loop and is killed
// with SIGKILL at random moments; after each kill the image must open with consistent zones:
// every write pointer covers only written data, data below it intact, zeros above it.
#include "zns_fixture.h"

#include <csignal>
#include <random>
#include <sys/wait.h>
#include <unistd.h>

using namespace zns_test;
using znssim::zns::zone_state;
namespace sp = znssim::zns::spec;

namespace {

std::uint8_t pattern(std::uint64_t lba) {
    return static_cast<std::uint8_t>(lba * 7 + 1);
}

[[noreturn]] void churn(const nvme::namespace_params& p, unsigned seed) {
    manual_scheduler sched;
    zns::zoned_namespace ns(p, sched);
    std::mt19937 rng(seed);
    for (;;) {
        const std::uint32_t i = rng() % ns.zones().zone_count();
        const zns::zone& z = ns.zones().at(i);
        const unsigned what = rng() % 100;
        if (what < 3) {
            (void)ns.zone_action(sp::zsa::reset, z.start, false, nullptr);
        } else if (what < 5) {
            (void)ns.zone_action(sp::zsa::finish, z.start, false, nullptr);
        } else if (z.state == zone_state::full) {
            (void)ns.zone_action(sp::zsa::reset, z.start, false, nullptr);
        } else {
            const std::uint64_t nlb = 1 + rng() % 6;
            const bool append = what & 1;
            nvme::write_grant g;
            const auto kind = append ? nvme::write_kind::append : nvme::write_kind::write;
            if (!ns.begin_write(kind, append ? z.start : z.wp, nlb, g).ok()) continue;
            const std::uint64_t at = g.lba;
            for (std::uint64_t l = 0; l < nlb; ++l)
                std::memset(ns.image().data((at + l) << ns.lba_shift()), pattern(at + l), 512);
            ns.end_write(kind, g, true);
        }
    }
}

} // namespace

TEST_CASE("zns_crash: SIGKILL at random points leaves consistent zones and data") {
    temp_image img;
    const nvme::namespace_params p = params(img.path);
    {
        manual_scheduler sched;
        zns::zoned_namespace created(p, sched); // formatted once, before any kill
    }
    std::mt19937 rng(1234);
    std::uint64_t seen = 0;
    for (int round = 0; round < 6; ++round) {
        CAPTURE(round);
        const pid_t pid = ::fork();
        REQUIRE(pid >= 0);
        if (pid == 0) churn(p, 100 + round);
        ::usleep(20000 + rng() % 60000);
        ::kill(pid, SIGKILL);
        int status = 0;
        ::waitpid(pid, &status, 0);
        REQUIRE(WIFSIGNALED(status));

        manual_scheduler sched;
        zns::zoned_namespace ns(p, sched); // throws if the metadata is inconsistent
        CHECK_FALSE(ns.formatted_at_start());
        seen += ns.used_lbas();
        for (std::uint32_t i = 0; i < ns.zones().zone_count(); ++i) {
            const zns::zone& z = ns.zones().at(i);
            CAPTURE(i);
            CHECK(z.state != zone_state::imp_open);
            CHECK(z.state != zone_state::exp_open);
            REQUIRE(z.wp >= z.start);
            REQUIRE(z.wp <= z.end());
            const std::uint64_t data_end = z.state == zone_state::full ? z.start : z.wp;
            // Finished zones may have unwritten LBAs below ZCAP; written ones are checked below.
            for (std::uint64_t l = z.start; l < data_end; ++l)
                if (!holds(ns, l, 1, pattern(l))) {
                    FAIL_CHECK("LBA " << l << " below the write pointer does not hold its data");
                    break;
                }
            if (z.state != zone_state::full) CHECK(holds(ns, z.wp, z.start + 64 - z.wp, 0));
        }
    }
    CHECK(seen > 0); // the children did write before being killed
}
