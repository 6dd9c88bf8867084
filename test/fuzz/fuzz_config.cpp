// libFuzzer harness: the YAML readers of configurations and job files, and the fio job file
// reader, on arbitrary text. The first byte picks the reader. Every problem must come out as a
// config_error naming the file (and, for YAML, the line and column); a crash, a hang, any other
// exception or a message without the file's name is a finding.
#include "platform/config/load_config.h"
#include "platform/workload/fio_file.h"
#include "platform/workload/job.h"
#include "test/fuzz/fuzz_check.h"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    znssim::fuzz::quiet_logs();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const unsigned which = data[0] % 3;
    const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
    const char* const names[] = {"fuzz-config.yaml", "fuzz-job.yaml", "fuzz.fio"};
    const std::string name = names[which];
    try {
        switch (which) {
        case 0:
            // Relative image paths resolve against a directory that does not exist: parsing
            // must not touch the file system.
            (void)znssim::platform::parse_config(text, name, "/nonexistent/znssim-fuzz");
            break;
        case 1:
            (void)znssim::platform::parse_job(text, name);
            break;
        default:
            (void)znssim::platform::parse_fio_job(text, name);
            break;
        }
    } catch (const znssim::platform::config_error& e) {
        const std::string what = e.what();
        FUZZ_CHECK(what.compare(0, name.size(), name) == 0,
                   "an error message does not start with the file name: {}", what);
    }
    return 0;
}
