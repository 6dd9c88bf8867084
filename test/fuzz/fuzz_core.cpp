// libFuzzer harness: the NVMe controller core driven by an arbitrary host (see core_session.h).
#include "test/fuzz/core_session.h"
#include "test/fuzz/fuzz_check.h"

#include <fuzzer/FuzzedDataProvider.h>

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    znssim::fuzz::quiet_logs();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    znssim::fuzz::core_session session(in);
    session.run();
    return 0;
}
