#!/usr/bin/env bash
# The installed package. `cmake --install` of the already-built tree into a temporary prefix,
# which is then moved (the install is relocatable), must hold the znssim command, the libraries,
# the headers under include/znssim (never include/nvme, which libnvme-dev owns), the configs and
# docs, the CMake package and the pkg-config files. A consumer project outside the source tree
# (a copy of test/consumer) finds it with find_package(znssim), builds example_top (pci_nvme
# behind plain TLM-2.0 sockets: bring-up, one block written and read back) and core_example
# (SystemC-free), and runs both; pkg-config builds them too.
# Env: ZNSSIM_BUILD (the build tree), ZNSSIM_SRC (repository root).
set -uo pipefail
build="$(realpath "${ZNSSIM_BUILD:?set ZNSSIM_BUILD}")"
src="$(realpath "${ZNSSIM_SRC:?set ZNSSIM_SRC}")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
t0=$SECONDS
step() { echo "== [$((SECONDS - t0)) s] $*"; }
run_logged() { # log command...: runs the command, prints its output if it fails
    local log=$1
    shift
    "$@" >"$log" 2>&1 || {
        cat "$log"
        return 1
    }
}

step "install into a temporary prefix, then move it"
run_logged "$work/install.log" cmake --install "$build" --prefix "$work/stage" || {
    fail "cmake --install"
    exit 1
}
mv "$work/stage" "$work/prefix"
p="$work/prefix"

step "the install tree"
for f in bin/znssim \
    include/znssim/nvme/pci_nvme.h include/znssim/nvme/spec/registers.h \
    include/znssim/zns/zoned_namespace.h include/znssim/model/sim/scheduler.h \
    include/znssim/platform/system.h \
    lib/libznssim_model_core.a lib/libznssim_nvme_core.a lib/libznssim_zns.a \
    lib/libznssim_identity.a lib/libznssim_model.a lib/libznssim_nvme.a lib/libznssim_platform.a \
    lib/cmake/znssim/znssimConfig.cmake lib/cmake/znssim/znssimConfigVersion.cmake \
    lib/cmake/znssim/znssimTargets.cmake lib/cmake/znssim/znssimSystemC.cmake \
    lib/pkgconfig/znssim.pc lib/pkgconfig/znssim-core.pc \
    share/znssim/configs/default.yaml share/znssim/configs/jobs/default.yaml \
    share/doc/znssim/README.md share/doc/znssim/design.md; do
    [ -e "$p/$f" ] || fail "missing $f"
done
n=$(find "$p/share/znssim/configs" -name '*.img' -o -name images | wc -l)
[ "$n" -eq 0 ] || fail "images created next to the source configs were installed"
[ "$(ls "$p/include")" = znssim ] || fail "include/ holds more than znssim/: $(ls "$p/include")"
[ ! -e "$p/include/nvme" ] || fail "include/nvme installed (libnvme-dev owns it)"
[ ! -e "$p/include/znssim/platform/cli" ] || fail "the command's private headers were installed"
n=$(find "$p/include" -name '*.cpp' -o -name CMakeLists.txt | wc -l)
[ "$n" -eq 0 ] || fail "$n source or CMake files installed as headers"
grep -rl "$src" "$p/lib/cmake" "$p/lib/pkgconfig" && fail "the package refers to the source tree"

step "the installed command runs the installed default config"
mkdir -p "$work/run"
cp -r "$p/share/znssim/configs/." "$work/run/"
run_logged "$work/run.log" "$p/bin/znssim" run --config "$work/run/default.yaml" --no-job ||
    fail "installed znssim run --no-job"

step "consumer: find_package(znssim), outside the source tree"
cp -r "$src/test/consumer" "$work/consumer"
run_logged "$work/configure.log" cmake -S "$work/consumer" -B "$work/cb" -G Ninja \
    -DCMAKE_PREFIX_PATH="$p" || fail "consumer configure"
run_logged "$work/build.log" cmake --build "$work/cb" -j 2 || fail "consumer build"
if [ -x "$work/cb/example_top" ]; then
    out="$("$work/cb/example_top" 2>&1)" || fail "example_top failed:"$'\n'"$out"
    grep -q "example_top: ok" <<<"$out" || fail "example_top printed no ok line:"$'\n'"$out"
    # The device logs under its instance name.
    grep -q "\] top.nvme.ctrl: controller ready" <<<"$out" ||
        fail "no 'top.nvme.ctrl: controller ready' line:"$'\n'"$out"
fi
if [ -x "$work/cb/core_example" ]; then
    "$work/cb/core_example" || fail "core_example failed"
    readelf -d "$work/cb/core_example" | grep -q libsystemc && fail "core_example loads libsystemc"
    nm -C "$work/cb/core_example" | grep -qE 'sc_core::|sc_api_version' &&
        fail "core_example holds SystemC symbols"
fi

step "find_package: components and version"
mkdir -p "$work/probe"
probe() { # expected-result find_package-arguments...
    local want=$1
    shift
    cat >"$work/probe/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.21)
project(probe LANGUAGES CXX)
find_package(znssim $* REQUIRED)
CMAKE
    if cmake -S "$work/probe" -B "$work/probe/b" -DCMAKE_PREFIX_PATH="$p" >"$work/probe.log" 2>&1; then
        [ "$want" = ok ] || fail "find_package(znssim $*) succeeded"
    else
        [ "$want" = fail ] || {
            cat "$work/probe.log"
            fail "find_package(znssim $*) failed"
        }
    fi
    rm -rf "$work/probe/b"
}
probe ok 0.1 COMPONENTS core
probe ok 0.1 COMPONENTS device platform
probe fail 0.2
probe fail 1.0
probe fail COMPONENTS no_such_part

step "pkg-config"
export PKG_CONFIG_PATH="$p/lib/pkgconfig"
[ "$(pkg-config --modversion znssim)" = 0.1 ] || fail "pkg-config --modversion znssim"
inc="$(pkg-config --cflags-only-I znssim-core | tr ' ' '\n' | sed -n 's/^-I//p' | head -1)"
[ -n "$inc" ] && [ "$(realpath "$inc")" = "$(realpath "$p/include/znssim")" ] ||
    fail "pkg-config cflags do not point into the moved prefix: $(pkg-config --cflags znssim-core)"
# shellcheck disable=SC2046
run_logged "$work/pc-core.log" g++ -std=c++17 -o "$work/core_pc" "$work/consumer/core_example.cpp" \
    $(pkg-config --cflags --libs znssim-core) && "$work/core_pc" >/dev/null ||
    fail "core_example through pkg-config znssim-core"
# shellcheck disable=SC2046
run_logged "$work/pc-device.log" g++ -std=c++17 -o "$work/example_pc" \
    "$work/consumer/main.cpp" "$work/consumer/short_form.cpp" \
    $(pkg-config --cflags --libs znssim) && "$work/example_pc" >/dev/null 2>&1 ||
    fail "example_top through pkg-config znssim"

step "done"
if [ "$failures" -ne 0 ]; then
    echo "$failures failure(s)"
    exit 1
fi
echo "install: all checks passed"
