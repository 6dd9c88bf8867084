// Logging: levels by module and by instance name (longest key wins), added sinks, and the
// device logger names of nvme/core/device_log.h.
#include "model/log/log.h"
#include "nvme/core/device_log.h"

#include <doctest/doctest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <sstream>

using namespace znssim;
using log::level;

namespace {

/// Restores the default settings when a test ends.
struct log_settings_guard {
    ~log_settings_guard() { log::configure(log::settings{}); }
};

} // namespace

TEST_CASE("log: a module key covers instance loggers of that module; longer keys win") {
    log_settings_guard guard;
    log::settings s;
    s.default_level = level::warn;
    s.module_levels["nvme"] = level::debug;
    s.module_levels["rig1.nvme"] = level::err;
    s.module_levels["rig0.nvme.io"] = level::trace;
    log::configure(s);
    CHECK(log::get("nvme.ctrl")->level() == level::debug);
    CHECK(log::get("test.rig0.nvme.ctrl.a", "nvme.ctrl")->level() == level::debug);
    CHECK(log::get("rig0.nvme.ctrl", "nvme.ctrl")->level() == level::debug);
    CHECK(log::get("rig0.nvme.io", "nvme.io")->level() == level::trace);
    CHECK(log::get("rig1.nvme.ctrl", "nvme.ctrl")->level() == level::err);
    CHECK(log::get("rig1.nvme.zns.ns1", "zns.ns1")->level() == level::err);
    CHECK(log::get("rig2.nvme.zns.ns1", "zns.ns1")->level() == level::warn);
    // A key matches at '.' boundaries only.
    CHECK(log::get("rig10.nvme.ctrl", "nvme.ctrl")->level() == level::debug);

    // configure() re-levels existing loggers.
    s.module_levels.clear();
    s.module_levels["zns.ns1"] = level::off;
    log::configure(s);
    CHECK(log::get("rig1.nvme.ctrl", "nvme.ctrl")->level() == level::warn);
    CHECK(log::get("rig1.nvme.zns.ns1", "zns.ns1")->level() == level::off);
}

TEST_CASE("log: an added sink receives formatted lines until it is removed") {
    log_settings_guard guard;
    std::ostringstream out;
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
    log::add_sink(sink);
    log::configure(log::settings{}); // kept across configure()
    auto lg = log::get("rig7.nvme.ctrl", "nvme.ctrl");
    lg->info("hello {}", 7);
    CHECK(out.str().find("[I] rig7.nvme.ctrl: hello 7") != std::string::npos);
    log::remove_sink(sink);
    lg->info("after");
    CHECK(out.str().find("after") == std::string::npos);
}

TEST_CASE("log: device logger names replace the nvme area with the instance") {
    CHECK(nvme::device_logger_name("", "nvme.ctrl") == "nvme.ctrl");
    CHECK(nvme::device_logger_name("", "zns.ns2") == "zns.ns2");
    CHECK(nvme::device_logger_name("nvme", "nvme.ctrl") == "nvme.ctrl");
    CHECK(nvme::device_logger_name("sys0.nvme", "nvme.io") == "sys0.nvme.io");
    CHECK(nvme::device_logger_name("top.ssd1", "zns.ns3") == "top.ssd1.zns.ns3");
    CHECK(nvme::device_logger_name("top.ssd1", "zns.cmd") == "top.ssd1.zns.cmd");

    nvme::device_loggers a("top.ssd0"), b("top.ssd1");
    const log::logger_ptr& io = a.get("nvme.io");
    CHECK(io->name() == "top.ssd0.io");
    CHECK(a.get("nvme.admin")->name() == "top.ssd0.admin");
    CHECK(&a.get("nvme.io") == &io); // looked up once, the reference stays valid
    CHECK(b.get("nvme.io")->name() == "top.ssd1.io");
    CHECK(nvme::device_loggers().get("nvme.io")->name() == "nvme.io");
}
