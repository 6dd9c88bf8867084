#!/usr/bin/env bash
# Installs what is missing, builds, and runs the main job on the default config.
# Extra arguments go to `znssim run` (e.g. ./run.sh --config configs/other.yaml).
set -euo pipefail
root="$(cd "$(dirname "$0")" && pwd)"
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
cd "$root"
exec "${BUILD_DIR:-$root/build}/platform/znssim" run --config configs/default.yaml "$@"
