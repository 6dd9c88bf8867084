#pragma once
// What every harness does when an invariant breaks: print what broke and abort. libFuzzer reports
// the abort as a crash and saves the input, so a finding fails the fuzzing run.
#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace znssim::fuzz {

[[noreturn]] inline void violated(const char* file, int line, const char* what,
                                  const std::string& detail) {
    std::fprintf(stderr, "\ninvariant violated at %s:%d: %s\n  %s\n", file, line, what,
                 detail.c_str());
    std::fflush(stderr);
    std::abort();
}

/// A per-process scratch directory for images (tmpfs when there is one: images are created and
/// synced for every input), removed at exit.
const std::string& scratch_dir();

/// Silences the model's logging (its warnings about bad host input are expected here).
void quiet_logs();

} // namespace znssim::fuzz

#define FUZZ_CHECK(cond, ...)                                                                      \
    do {                                                                                           \
        if (!(cond))                                                                               \
            ::znssim::fuzz::violated(__FILE__, __LINE__, #cond, fmt::format(__VA_ARGS__));         \
    } while (0)
