#include "test/platform/harness.h"

#include "platform/config/load_config.h"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace znssim::test {

namespace {

harness* g_harness = nullptr;
unsigned g_errors_outside_tests = 0;

// SystemC reports: errors fail the running test (or the binary); warnings are failures too
// during a test, since the platform must run clean.
void report_handler(const sc_core::sc_report& rep, const sc_core::sc_actions& actions) {
    const sc_core::sc_severity sev = rep.get_severity();
    const std::string text = std::string(rep.get_msg_type()) + ": " + rep.get_msg();
    if (sev == sc_core::SC_INFO) {
        sc_core::sc_report_handler::default_handler(rep, actions & ~sc_core::SC_THROW);
        return;
    }
    std::fprintf(stderr, "SystemC %s at %s: %s\n", sev == sc_core::SC_WARNING ? "warning" : "error",
                 sc_core::sc_time_stamp().to_string().c_str(), text.c_str());
    if (doctest::is_running_in_test) {
        const std::string what =
            (sev == sc_core::SC_WARNING ? "SystemC warning: " : "SystemC error: ") + text;
        ADD_FAIL_CHECK_AT(__FILE__, __LINE__, what);
    } else if (sev != sc_core::SC_WARNING)
        ++g_errors_outside_tests;
    if (sev == sc_core::SC_FATAL) std::abort();
}

} // namespace

const std::string& temp_dir() {
    static const std::string dir = [] {
        std::string tmpl = (std::filesystem::temp_directory_path() / "znssim-test-XXXXXX").string();
        if (!mkdtemp(tmpl.data()))
            throw std::runtime_error("cannot create a temporary directory " + tmpl);
        return tmpl;
    }();
    return dir;
}

platform::system_config default_config(const std::string& tag, std::uint64_t lbas) {
    platform::system_config cfg;
    cfg.source = "default_config(" + tag + ")";
    cfg.host_memory_bytes = 64ull << 20;
    nvme::namespace_params ns;
    ns.nsid = 1;
    ns.image = temp_dir() + "/" + tag + ".img";
    ns.lba_size = 4096;
    ns.capacity_lbas = lbas;
    cfg.namespaces.push_back(ns);
    return cfg;
}

harness::harness(const sc_core::sc_module_name& name, int argc, char** argv)
    : sc_module(name), m_argc(argc), m_argv(argv) {
    SC_THREAD(run);
}

harness::~harness() = default;

platform::system& harness::add_system(const std::string& name, const platform::system_config& cfg,
                                      const platform::driver_params& driver) {
    m_systems.push_back(std::make_unique<platform::system>(name.c_str(), cfg, driver));
    return *m_systems.back();
}

platform::system& harness::add_system_yaml(const std::string& name, const std::string& yaml,
                                           const platform::driver_params& driver) {
    return add_system(name, platform::parse_config(yaml, name + ".yaml", temp_dir()), driver);
}

void harness::run() {
    for (auto& s : m_systems)
        s->driver().wait_ready(); // failures are for the tests to check
    doctest::Context ctx;
    ctx.applyCommandLine(m_argc, m_argv);
    m_result = ctx.run();
    m_finished = true;
    if (ctx.shouldExit()) m_result = m_result ? m_result : 0;
    sc_core::sc_stop();
}

harness& current() {
    if (!g_harness) throw std::logic_error("no platform test harness in this process");
    return *g_harness;
}

platform::system& sys(std::size_t i) {
    return current().sys(i);
}

platform::host_driver& driver(std::size_t i) {
    return current().sys(i).driver();
}

int run_platform_tests(int argc, char** argv, void (*setup_fn)(harness&)) {
    sc_core::sc_report_handler::set_handler(report_handler);
    // Quiet the "deprecated" info SystemC prints for sc_stop races etc.; keep everything else.
    sc_core::sc_report_handler::set_actions("/IEEE_Std_1666/deprecated", sc_core::SC_DO_NOTHING);
    int rc = 1;
    {
        std::unique_ptr<harness> h;
        try {
            h = std::make_unique<harness>("harness", argc, argv);
            g_harness = h.get();
            setup_fn(*h);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "platform test setup failed: %s\n", e.what());
            g_harness = nullptr;
            return 2;
        }
        try {
            sc_core::sc_start();
        } catch (const std::exception& e) {
            std::fprintf(stderr, "simulation aborted: %s\n", e.what());
            return 3;
        }
        if (!h->finished()) {
            std::fprintf(stderr,
                         "platform tests did not finish: the simulation ran out of "
                         "events at %s (a test waited for something that never came)\n",
                         sc_core::sc_time_stamp().to_string().c_str());
            return 4;
        }
        for (std::size_t i = 0; i < h->system_count(); ++i)
            h->sys(i).shutdown();
        rc = h->result();
        if (rc == 0 && g_errors_outside_tests != 0) {
            std::fprintf(stderr, "%u SystemC error(s) outside test cases\n",
                         g_errors_outside_tests);
            rc = 5;
        }
        g_harness = nullptr;
    }
    std::error_code ec;
    std::filesystem::remove_all(temp_dir(), ec);
    return rc;
}

} // namespace znssim::test
