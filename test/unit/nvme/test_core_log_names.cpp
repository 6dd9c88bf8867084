// Controller loggers are named per instance (nvme/core/device_log.h): the core's own, its
// handlers' and its namespaces'.
#include "test_core_fixture.h"

#include <spdlog/sinks/ostream_sink.h>

#include <sstream>

using namespace znssim;
using test::core_fixture;

TEST_CASE("core: a controller with a log instance names its loggers and its namespaces' after it") {
    struct recording_namespace final : test::stub_namespace {
        using stub_namespace::stub_namespace;
        std::string instance;
        void set_log_instance(const std::string& i) override { instance = i; }
    };
    std::ostringstream out;
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
    log::add_sink(sink);
    {
        nvme::controller_params p = core_fixture::make_params();
        p.log_instance = "rig.ssd3";
        auto ns = std::make_unique<recording_namespace>(1);
        recording_namespace* seen = ns.get();
        test::scripted_io_set io;
        core_fixture f(p, std::move(ns), io.set);
        CHECK(seen->instance == "rig.ssd3");
        f.enable();
        CHECK(out.str().find("] rig.ssd3.ctrl: controller ready") != std::string::npos);
        CHECK(f.core->logger("nvme.io")->name() == "rig.ssd3.io");
    }
    {
        // Without one: the module names, and namespaces are left alone.
        auto ns = std::make_unique<recording_namespace>(1);
        recording_namespace* seen = ns.get();
        test::scripted_io_set io;
        core_fixture f(core_fixture::make_params(), std::move(ns), io.set);
        CHECK(seen->instance.empty());
        CHECK(f.core->logger("nvme.io")->name() == "nvme.io");
    }
    log::remove_sink(sink);
}
