#!/usr/bin/env bash
# Configures the sanitizer build that scripts/sanitize.sh and scripts/fuzz.sh share: clang,
# AddressSanitizer + UndefinedBehaviorSanitizer on everything, libFuzzer coverage (ZNSSIM_FUZZ),
# -O1 with line tables (what ASan reports need, and quicker to build than -O2; the test programs
# themselves at -O0, see test/CMakeLists.txt).
# Usage: scripts/configure-sanitized.sh BUILD_DIR
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:?usage: configure-sanitized.sh BUILD_DIR}"
CC="${SANITIZE_CC:-clang}" CXX="${SANITIZE_CXX:-clang++}" \
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Sanitize \
    -DCMAKE_CXX_FLAGS_SANITIZE="-O1 -gline-tables-only" -DZNSSIM_FUZZ=ON >/dev/null
