// The integrator's example (test/consumer/example_top.h: pci_nvme in a hand-written top with
// plain TLM-2.0 sockets) built in the tree. test/scripts/test_install.sh and
// test_subdirectory.sh build the same example as a consumer of the installed package and through
// add_subdirectory.
#include "test/platform/harness_main.h"

#include "test/consumer/example_top.h"

namespace {
example::example_top* g_top = nullptr;
} // namespace

void znssim::test::setup(harness& h) {
    g_top = &h.own(std::make_unique<example::example_top>("top", temp_dir() + "/example.img"));
}

TEST_CASE("example_top: pci_nvme works behind plain TLM-2.0 sockets") {
    REQUIRE_NOTHROW(example::run_example(*g_top));
    CHECK(g_top->msi_count == 0); // the example polls with interrupts off
    g_top->dev.shutdown();
}
