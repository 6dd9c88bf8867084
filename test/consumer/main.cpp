// example_top as a program: elaborates the integrator's example top (example_top.h), brings the
// controller up, writes and reads back a block, and exits 0 on success, 1 on failure.
//   example_top [IMAGE]   (default: a fresh temporary directory; the image is removed after)
#include "example_top.h"

#include <cstdio>
#include <filesystem>
#include <string>
#include <unistd.h>

std::uint32_t short_form_csts_offset(); // short_form.cpp

namespace {

struct runner : sc_core::sc_module {
    SC_HAS_PROCESS(runner);
    runner(const sc_core::sc_module_name& n, example::example_top& top)
        : sc_core::sc_module(n), m_top(top) {
        SC_THREAD(run);
    }
    bool ok = false;
    std::string error = "the simulation stopped before the example finished";

  private:
    void run() {
        try {
            example::run_example(m_top);
            ok = true;
        } catch (const std::exception& e) {
            error = e.what();
        }
        sc_core::sc_stop();
    }
    example::example_top& m_top;
};

} // namespace

int sc_main(int argc, char* argv[]) {
    std::string dir;
    std::string image;
    if (argc > 1) {
        image = argv[1];
    } else {
        std::string tmpl =
            (std::filesystem::temp_directory_path() / "znssim-example-XXXXXX").string();
        if (!mkdtemp(tmpl.data())) {
            std::perror("mkdtemp");
            return 1;
        }
        dir = tmpl;
        image = dir + "/example.img";
    }
    if (short_form_csts_offset() != znssim::nvme::spec::reg::csts) {
        std::fprintf(stderr, "example_top: <nvme/...> and <znssim/nvme/...> disagree\n");
        return 1;
    }
    int rc = 1;
    {
        example::example_top top("top", image);
        runner r("runner", top);
        sc_core::sc_start();
        top.dev.shutdown();
        if (r.ok) {
            std::printf("example_top: ok: controller up, LBA 5 written and read back through %s\n",
                        top.dev.name());
            rc = 0;
        } else {
            std::fprintf(stderr, "example_top: FAILED: %s\n", r.error.c_str());
        }
    }
    if (!dir.empty()) std::filesystem::remove_all(dir);
    return rc;
}
