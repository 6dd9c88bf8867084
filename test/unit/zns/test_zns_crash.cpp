// Crash safety: a child process writes (several writes in flight at once), appends, finishes,
// resets, opens, closes and sets descriptor extensions on zones in a loop and is killed with
// SIGKILL at random moments, in both durability modes; after each kill the image must open with
// consistent zones: every LBA below every write pointer holds its data, zeros above it, a Full
// zone holds its data up to where it was finished and zeros after, and every valid extension
// holds what was set.
#include "zns_fixture.h"

#include <array>
#include <csignal>
#include <random>
#include <sys/wait.h>
#include <unistd.h>

using namespace zns_test;
using znssim::zns::zone_state;
namespace sp = znssim::zns::spec;

namespace {

constexpr int kills_per_mode = 100;

std::uint8_t pattern(std::uint64_t lba) {
    return static_cast<std::uint8_t>(lba * 7 + 1);
}
std::uint8_t ext_fill(std::uint32_t zone) {
    return static_cast<std::uint8_t>(zone * 13 + 5);
}

[[noreturn]] void churn(const nvme::namespace_params& p, unsigned seed) {
    manual_scheduler sched;
    zns::zoned_namespace ns(p, sched); // a restart: itself a point a kill may land in
    std::mt19937 rng(seed);
    std::array<std::uint8_t, 64> ext{};
    for (;;) {
        const std::uint32_t i = rng() % ns.zones().zone_count();
        const zns::zone& z = ns.zones().at(i);
        const unsigned what = rng() % 100;
        if (what < 4) {
            (void)ns.zone_action(sp::zsa::reset, z.start, false, nullptr);
        } else if (what < 7) {
            (void)ns.zone_action(sp::zsa::finish, z.start, false, nullptr);
        } else if (what < 11) {
            ext.fill(ext_fill(i)); // Empty → Closed with ZDEV: extension first, record after
            (void)ns.zone_action(sp::zsa::set_extension, z.start, false, ext.data());
        } else if (what < 14) {
            (void)ns.zone_action(what & 1 ? sp::zsa::open : sp::zsa::close, z.start, false,
                                 nullptr);
        } else if (z.state == zone_state::full) {
            (void)ns.zone_action(sp::zsa::reset, z.start, false, nullptr);
        } else {
            // Up to three writes in flight on the zone: accepted in order, data copied, then
            // completed in order, as the controller does with queued writes.
            const unsigned n = 1 + rng() % 3;
            std::array<nvme::write_grant, 3> g{};
            std::array<nvme::write_kind, 3> kind{};
            unsigned accepted = 0;
            for (unsigned k = 0; k < n; ++k) {
                const std::uint64_t nlb = 1 + rng() % 6;
                kind[k] = rng() & 1 ? nvme::write_kind::append : nvme::write_kind::write;
                const std::uint64_t slba =
                    kind[k] == nvme::write_kind::append ? z.start : ns.zones().at(i).issued;
                if (!ns.begin_write(kind[k], slba, nlb, g[k]).ok()) break;
                for (std::uint64_t l = 0; l < nlb; ++l)
                    std::memset(ns.image().data((g[k].lba + l) << ns.lba_shift()),
                                pattern(g[k].lba + l), 512);
                ++accepted;
            }
            for (unsigned k = 0; k < accepted; ++k)
                (void)ns.end_write(kind[k], g[k], true);
        }
    }
}

/// Checks every zone of the image as a restarted model finds it; returns LBAs holding data.
std::uint64_t verify_image(const nvme::namespace_params& p) {
    manual_scheduler sched;
    zns::zoned_namespace ns(p, sched); // throws if the metadata is inconsistent
    CHECK_FALSE(ns.formatted_at_start());
    const std::uint64_t zsze = p.zoned_cfg.zone_size_lbas;
    std::uint64_t data = 0;
    for (std::uint32_t i = 0; i < ns.zones().zone_count(); ++i) {
        const zns::zone& z = ns.zones().at(i);
        CAPTURE(i);
        CAPTURE(static_cast<int>(z.state));
        REQUIRE(z.state != zone_state::imp_open);
        REQUIRE(z.state != zone_state::exp_open);
        REQUIRE(z.state != zone_state::read_only);
        REQUIRE(z.state != zone_state::offline);
        REQUIRE(z.wp >= z.start);
        REQUIRE(z.wp <= z.end());
        // A Full zone holds its data up to where it was finished (or filled), zeros after it.
        std::uint64_t end = z.wp;
        if (z.state == zone_state::full) {
            end = z.start;
            while (end < z.end() && holds(ns, end, 1, pattern(end)))
                ++end;
        }
        for (std::uint64_t l = z.start; l < end; ++l)
            if (!holds(ns, l, 1, pattern(l))) {
                FAIL_CHECK("LBA " << l << " below the write pointer does not hold its data");
                break;
            }
        if (!holds(ns, end, z.start + zsze - end, 0))
            FAIL_CHECK("zone " << i << " is not zero from LBA " << end
                               << (z.state == zone_state::full ? " (Full)" : " (write pointer)"));
        data += end - z.start;
        std::array<std::uint8_t, 64> ext{};
        REQUIRE(ns.read_extension(i, ext.data()).ok());
        const std::uint8_t want = (z.attrs & sp::za::zdev) ? ext_fill(i) : 0;
        for (std::uint8_t b : ext)
            if (b != want) {
                FAIL_CHECK("zone " << i << " extension does not hold what was set");
                break;
            }
    }
    return data;
}

void kill_loop(durability mode) {
    temp_image img;
    nvme::namespace_params p = params(img.path);
    p.mode = mode;
    {
        manual_scheduler sched;
        zns::zoned_namespace created(p, sched); // formatted once, before any kill
    }
    std::mt19937 rng(mode == durability::host_crash ? 99 : 1234);
    std::uint64_t seen = 0;
    int mid_run = 0;
    for (int round = 0; round < kills_per_mode; ++round) {
        CAPTURE(round);
        const pid_t pid = ::fork();
        REQUIRE(pid >= 0);
        if (pid == 0) churn(p, 100 + static_cast<unsigned>(round));
        ::usleep(1000 + rng() % 20000);
        ::kill(pid, SIGKILL);
        int status = 0;
        ::waitpid(pid, &status, 0);
        REQUIRE(WIFSIGNALED(status));
        const std::uint64_t data = verify_image(p);
        seen += data;
        if (data > 0) ++mid_run;
    }
    CHECK(seen > 0);                     // the children did write before being killed
    CHECK(mid_run > kills_per_mode / 2); // and most kills found zones holding data
}

} // namespace

TEST_CASE("zns_crash: SIGKILL at random points leaves consistent zones and data (process_crash)") {
    kill_loop(durability::process_crash);
}

TEST_CASE("zns_crash: SIGKILL at random points leaves consistent zones and data (host_crash)") {
    kill_loop(durability::host_crash);
}
