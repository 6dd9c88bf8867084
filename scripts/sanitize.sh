#!/usr/bin/env bash
# The unit and platform tests built with AddressSanitizer and UndefinedBehaviorSanitizer (clang,
# in build-asan/, shared with scripts/fuzz.sh) and run there. Script and end-to-end tests are
# left out: they exercise the same code through the znssim binary and take minutes.
# Env: SANITIZE_BUILD_DIR (default build-asan), JOBS. Extra arguments go to ctest.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${SANITIZE_BUILD_DIR:-$root/build-asan}"
jobs="${JOBS:-$(nproc)}"
"$root/scripts/configure-sanitized.sh" "$build"
cmake --build "$build" -j "$jobs" --target tests
# Every report is fatal (the build uses -fno-sanitize-recover=all) and prints its stack.
# detect_stack_use_after_return stays off: SystemC threads are QuickThreads coroutines on stacks
# of their own, and ASan's fake stack frames belong to the OS thread, so frames of sc_main (a
# test bench object, say) are recycled while a coroutine runs and then read as zeros (invalid
# vptr, SEGV) from the SC_THREAD that uses them. Nothing else is relaxed or suppressed.
export ASAN_OPTIONS="${ASAN_OPTIONS:-strict_string_checks=1:check_initialization_order=1:detect_stack_use_after_return=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
cd "$build"
ctest -E 'e2e/|script/' -j "$jobs" --output-on-failure "$@"
