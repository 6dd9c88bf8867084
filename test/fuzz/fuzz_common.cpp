#include "test/fuzz/fuzz_check.h"

#include "model/log/log.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>
#include <unistd.h>

namespace znssim::fuzz {

const std::string& scratch_dir() {
    static const std::string dir = [] {
        namespace fs = std::filesystem;
        std::error_code ec;
        // scripts/fuzz.sh gives each run a directory it removes afterwards: libFuzzer may end
        // the process without running atexit handlers.
        if (const char* given = std::getenv("ZNSSIM_FUZZ_TMP"); given && *given) {
            fs::create_directories(given, ec);
            return std::string(given);
        }
        const fs::path shm("/dev/shm");
        const fs::path parent = fs::is_directory(shm, ec) && ::access("/dev/shm", W_OK) == 0
                                    ? shm
                                    : fs::temp_directory_path();
        std::string tmpl = (parent / "znssim-fuzz-XXXXXX").string();
        if (::mkdtemp(tmpl.data()) == nullptr) violated(__FILE__, __LINE__, "mkdtemp", tmpl);
        static const std::string keep = tmpl;
        std::atexit([] {
            std::error_code e;
            std::filesystem::remove_all(keep, e);
        });
        return tmpl;
    }();
    return dir;
}

void quiet_logs() {
    log::settings s;
    // ZNSSIM_FUZZ_LOG=1 keeps the model's debug log (every command and its status), to see what
    // a finding's input does.
    const char* keep = std::getenv("ZNSSIM_FUZZ_LOG");
    s.default_level = keep && *keep ? log::level::debug : log::level::off;
    log::configure(s);
}

} // namespace znssim::fuzz

// libsystemc.so refers to sc_main; the harnesses have libFuzzer's main and never start SystemC.
extern "C" int sc_main(int, char**) {
    return 1;
}
