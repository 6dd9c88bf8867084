#!/usr/bin/env bash
# Installs the Debian packages znssim needs to build and test, if any are missing.
# Usage: scripts/install-deps.sh [extra packages...]
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libsystemc-dev libyaml-cpp-dev libspdlog-dev libfmt-dev doctest-dev libpciaccess-dev
  libcli11-dev nlohmann-json3-dev pci.ids pciutils clang-format python3-matplotlib
  # scripts/sanitize.sh and scripts/fuzz.sh: clang with libFuzzer and the sanitizer runtimes,
  # llvm-symbolizer for readable reports
  clang libclang-rt-14-dev llvm-14
  "$@"
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
