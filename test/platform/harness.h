#pragma once
// The platform-test harness. A test/platform/test_<x>.cpp file is its own binary:
//
//   #include "test/platform/harness_main.h"   // FIRST: doctest implementation and sc_main
//
//   void znssim::test::setup(harness& h) {     // elaboration: build what the tests use
//       h.add_system("sys", default_config());
//   }
//   TEST_CASE("mytopic: ...") {                // runs inside one SC_THREAD: may wait()
//       auto& d = driver();
//       ...
//   }
//
// After setup() the simulation starts; every system's driver brings its controller up, then
// doctest runs all test cases in one SystemC thread, in file order. SystemC errors and warnings
// raised during a test become test failures; a test that leaves the simulation without events
// (waiting forever) fails the binary. The process exit code is doctest's result.
#include "platform/config/system_config.h"
#include "platform/driver/host_driver.h"
#include "platform/system.h"

#include <doctest/doctest.h>
#include <systemc>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace znssim::test {

class harness : public sc_core::sc_module {
  public:
    SC_HAS_PROCESS(harness);
    harness(const sc_core::sc_module_name& name, int argc, char** argv);
    ~harness() override;

    /// Builds a platform::system (elaboration time only, i.e. from setup()).
    platform::system& add_system(const std::string& name, const platform::system_config& cfg,
                                 const platform::driver_params& driver = {});
    /// The same from YAML text (the config file format; relative paths against temp_dir()).
    platform::system& add_system_yaml(const std::string& name, const std::string& yaml,
                                      const platform::driver_params& driver = {});
    /// Keeps any other module (e.g. a hand-written top) alive for the whole run.
    template <class M> M& own(std::unique_ptr<M> m) {
        M& ref = *m;
        m_modules.push_back(std::unique_ptr<sc_core::sc_module>(m.release()));
        return ref;
    }

    platform::system& sys(std::size_t i = 0) { return *m_systems.at(i); }
    std::size_t system_count() const { return m_systems.size(); }

    int result() const { return m_result; }
    bool finished() const { return m_finished; }

  private:
    void run();

    int m_argc;
    char** m_argv;
    std::vector<std::unique_ptr<platform::system>> m_systems;
    std::vector<std::unique_ptr<sc_core::sc_module>> m_modules;
    int m_result = 1;
    bool m_finished = false;
};

/// Implemented by each test file: builds the systems/modules its tests use.
void setup(harness& h);

/// The harness of this process (valid from setup() on).
harness& current();
platform::system& sys(std::size_t i = 0);
platform::host_driver& driver(std::size_t i = 0);

/// A per-process temporary directory for images (removed at exit).
const std::string& temp_dir();
/// A default device: one conventional namespace of 'lbas' 4 KiB LBAs in temp_dir()/<tag>.img,
/// MSI-X, 64 MiB host memory.
platform::system_config default_config(const std::string& tag = "ns1", std::uint64_t lbas = 16384);

/// Runs the platform test binary: called by harness_main.h's sc_main with the file's setup.
int run_platform_tests(int argc, char** argv, void (*setup_fn)(harness&));

} // namespace znssim::test
