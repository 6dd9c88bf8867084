#!/usr/bin/env bash
# Installs what is missing, builds, checks formatting and runs every test (unit, platform,
# script and end-to-end), then the unit and platform tests under ASan+UBSan (scripts/sanitize.sh)
# and a bounded run of each fuzzer (scripts/fuzz.sh). --quick or ZNSSIM_QUICK=1 skips the last
# two. Other arguments go to ctest (e.g. ./test.sh -R unit/).
set -euo pipefail
root="$(cd "$(dirname "$0")" && pwd)"
quick="${ZNSSIM_QUICK:-0}"
args=()
for a in "$@"; do
    if [ "$a" = --quick ]; then quick=1; else args+=("$a"); fi
done
"$root/scripts/install-deps.sh"
"$root/scripts/check-format.sh"
"$root/scripts/build.sh"
(cd "${BUILD_DIR:-$root/build}" && ctest --output-on-failure -j "${JOBS:-$(nproc)}" "${args[@]}")
[ "$quick" = 1 ] && exit 0
step() {
    local start=$SECONDS
    "$@"
    echo "test.sh: $(basename "$1") took $((SECONDS - start)) s"
}
step "$root/scripts/sanitize.sh"
step "$root/scripts/fuzz.sh"
