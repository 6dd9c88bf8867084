#!/usr/bin/env bash
# Installs what is missing, builds, checks formatting and runs every test (unit, platform,
# script and end-to-end). Extra arguments go to ctest (e.g. ./test.sh -R unit/).
set -euo pipefail
root="$(cd "$(dirname "$0")" && pwd)"
"$root/scripts/install-deps.sh"
"$root/scripts/check-format.sh"
"$root/scripts/build.sh"
cd "${BUILD_DIR:-$root/build}"
ctest --output-on-failure -j "${JOBS:-$(nproc)}" "$@"
