#!/usr/bin/env bash
# znssim as a subproject: a consumer project outside the source tree (a copy of test/consumer)
# adds the source tree with add_subdirectory(... EXCLUDE_FROM_ALL), builds example_top and
# core_example against the znssim:: targets (compiling only the libraries they link) and runs
# them. The consumer's CMakeLists fails if znssim added its tests or benchmarks or set the
# build type; here its CTest list must hold only the consumer's two tests.
# Env: ZNSSIM_SRC (repository root).
set -uo pipefail
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

step "configure the consumer with add_subdirectory(znssim)"
cp -r "$src/test/consumer" "$work/consumer"
# No CMAKE_BUILD_TYPE: the consumer's choice (none) must stay; it also compiles fastest.
run_logged "$work/configure.log" cmake -S "$work/consumer" -B "$work/b" -G Ninja \
    -DZNSSIM_SOURCE_DIR="$src" || {
    fail "configure"
    exit 1
}
tests="$(cd "$work/b" && ctest -N | sed -n 's/^ *Test *#[0-9]*: //p' | sort | tr '\n' ' ')"
[ "$tests" = "core_example example_top " ] || fail "CTest lists '$tests', not only the consumer's"
ninja -C "$work/b" -t targets all | grep -E '^(unit_tests|core_tests|test_[a-z_]+|bench_[a-z]+):' &&
    fail "znssim's tests or benchmarks are build targets"

step "build (only the libraries the consumer links)"
run_logged "$work/build.log" cmake --build "$work/b" -j 2 || fail "build"
[ -e "$work/b/znssim/platform/libznssim_platform.a" ] && fail "the platform library was built"

step "run"
out="$("$work/b/example_top" 2>&1)" || fail "example_top failed:"$'\n'"$out"
grep -q "example_top: ok" <<<"$out" || fail "example_top printed no ok line:"$'\n'"$out"
"$work/b/core_example" || fail "core_example failed"

step "done"
if [ "$failures" -ne 0 ]; then
    echo "$failures failure(s)"
    exit 1
fi
echo "subdirectory: all checks passed"
