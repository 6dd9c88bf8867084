// Two devices side by side in one simulation (arrays of ZNS SSDs): two platform::system
// instances, each with its own pci_nvme, images and zones, running I/O at the same time. Their
// log lines carry per-instance names ("ssd0.nvme.ctrl", "ssd1.nvme.zns.ns2"), and log levels set
// for a module ("nvme.io", "zns") or for one instance ("ssd1.nvme.zns.ns2") apply as documented.
#include "test/platform/harness_main.h"

#include "model/log/log.h"

#include <spdlog/sinks/ostream_sink.h>
#include <systemc>

#include <cstring>
#include <regex>
#include <sstream>
#include <string>

using namespace znssim;
using namespace znssim::platform;

namespace {

constexpr std::uint32_t conv = 1, zoned = 2; // NSIDs
constexpr std::uint64_t zsze = 64;
constexpr std::uint32_t zone_count = 8;
constexpr std::uint32_t blocks = 16; // LBAs each device writes to its conventional namespace

std::ostringstream g_log;
std::shared_ptr<spdlog::sinks::ostream_sink_mt> g_sink;

system_config device(const std::string& tag) {
    system_config cfg = test::default_config(tag, 1024);
    nvme::namespace_params z;
    z.nsid = zoned;
    z.image = test::temp_dir() + "/" + tag + "-zns.img";
    z.zoned = true;
    z.capacity_lbas = zsze * zone_count;
    z.zoned_cfg.zone_size_lbas = zsze;
    z.zoned_cfg.zone_capacity_lbas = zsze;
    z.zoned_cfg.zone_count = zone_count;
    cfg.namespaces.push_back(z);
    return cfg;
}

std::uint8_t pattern(unsigned dev, std::uint64_t lba, std::size_t i) {
    return static_cast<std::uint8_t>(dev * 101 + lba * 7 + i);
}

/// Lines of the captured log whose logger is 'name' and whose text contains 'text'.
bool logged(const std::string& name, const std::string& text) {
    std::istringstream in(g_log.str());
    for (std::string line; std::getline(in, line);)
        if (line.find("] " + name + ": ") != std::string::npos &&
            line.find(text) != std::string::npos)
            return true;
    return false;
}

/// Device 'dev' writes its pattern to LBAs 0..blocks-1 of the conventional namespace and
/// 'zone_lbas' LBAs at the start of zone 'zone' of the zoned one.
void io_thread(unsigned dev, std::uint32_t zone, std::uint32_t zone_lbas, bool& ok) {
    auto& d = test::driver(dev);
    auto buf = d.alloc(4096);
    ok = true;
    for (std::uint64_t lba = 0; lba < blocks; ++lba) {
        for (std::size_t i = 0; i < 4096; ++i)
            buf.data()[i] = pattern(dev, lba, i);
        ok = d.write(conv, lba, 1, buf).ok() && ok;
        if (lba < zone_lbas) ok = d.write(zoned, zone * zsze + lba, 1, buf).ok() && ok;
    }
}

} // namespace

void znssim::test::setup(harness& h) {
    // Capture every line from the start (the namespaces log while they are built).
    g_sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(g_log);
    log::add_sink(g_sink);
    log::settings s;
    s.default_level = log::level::info;
    s.module_levels["nvme.io"] = log::level::trace;          // a module: every instance
    s.module_levels["zns"] = log::level::debug;              // an area: every instance
    s.module_levels["ssd1.nvme.zns.ns2"] = log::level::info; // one instance's namespace
    log::configure(s);
    h.add_system("ssd0", device("ssd0"));
    h.add_system("ssd1", device("ssd1"));
}

TEST_CASE("two_devices: each controller logs under its own instance name") {
    REQUIRE(test::driver(0).state() == driver_state::ready);
    REQUIRE(test::driver(1).state() == driver_state::ready);
    CHECK(logged("ssd0.nvme.ctrl", "controller ready"));
    CHECK(logged("ssd1.nvme.ctrl", "controller ready"));
    CHECK(logged("ssd0.driver", "controller ready"));
    CHECK(logged("ssd1.driver", "controller ready"));
    CHECK(logged("ssd0.nvme.zns.ns2", "formatting zone metadata"));
    CHECK(logged("ssd1.nvme.zns.ns2", "formatting zone metadata"));
    // No device or driver line under a bare module name ("nvme.ctrl", "zns.ns2",
    // "platform.driver"): they would be indistinguishable.
    CHECK_FALSE(std::regex_search(g_log.str(),
                                  std::regex(R"(\] (nvme|zns|platform\.driver)[a-z0-9.]*: )")));
}

TEST_CASE("two_devices: I/O side by side stays on its own device, namespaces and images") {
    // Both devices at once: device 0 writes 4 LBAs into zone 0, device 1 8 LBAs into zone 1.
    bool ok0 = false, ok1 = false;
    sc_core::sc_process_handle t0 = sc_core::sc_spawn([&] { io_thread(0, 0, 4, ok0); });
    sc_core::sc_process_handle t1 = sc_core::sc_spawn([&] { io_thread(1, 1, 8, ok1); });
    sc_core::wait(t0.terminated_event() & t1.terminated_event());
    CHECK(ok0);
    CHECK(ok1);

    for (unsigned dev = 0; dev < 2; ++dev) {
        CAPTURE(dev);
        auto& d = test::driver(dev);
        auto buf = d.alloc(4096);
        unsigned mismatches = 0;
        for (std::uint64_t lba = 0; lba < blocks; ++lba) {
            REQUIRE(d.read(conv, lba, 1, buf).ok());
            for (std::size_t i = 0; i < 4096; ++i)
                mismatches += buf.data()[i] != pattern(dev, lba, i);
        }
        CHECK(mismatches == 0);
    }
    CHECK(test::sys(0).config().namespaces[0].image != test::sys(1).config().namespaces[0].image);

    std::vector<zone_descriptor> z0, z1;
    REQUIRE(test::driver(0).report_zones(zoned, z0).ok());
    REQUIRE(test::driver(1).report_zones(zoned, z1).ok());
    REQUIRE(z0.size() == zone_count);
    REQUIRE(z1.size() == zone_count);
    CHECK(z0[0].write_pointer == 4);
    CHECK(z0[1].write_pointer == zsze); // empty: the write pointer is the zone start
    CHECK(z1[0].write_pointer == 0);
    CHECK(z1[1].write_pointer == zsze + 8);

    // nvme.io=trace covers both devices' I/O loggers.
    CHECK(logged("ssd0.nvme.io", "write nsid=1"));
    CHECK(logged("ssd1.nvme.io", "write nsid=1"));
    // zns=debug covers zone transitions and zone commands of both devices, except where
    // ssd1.nvme.zns.ns2=info (longer, so it wins) silences ssd1's namespace.
    CHECK(logged("ssd0.nvme.zns.ns2", "zone 0 (slba 0x0)"));
    CHECK_FALSE(logged("ssd1.nvme.zns.ns2", "zone 1 (slba"));
    CHECK(logged("ssd0.nvme.zns.cmd", "zmr nsid=2"));
    CHECK(logged("ssd1.nvme.zns.cmd", "zmr nsid=2"));

    log::remove_sink(g_sink);
    log::configure(log::settings{});
}
