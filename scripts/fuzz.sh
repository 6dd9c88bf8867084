#!/usr/bin/env bash
# Bounded libFuzzer runs of the harnesses in test/fuzz (built in build-asan/ with clang, ASan and
# UBSan, shared with scripts/sanitize.sh). Each run starts from the harness's checked-in seed
# corpus (test/fuzz/corpus/<harness>/, every entry a regression test) plus what earlier runs in
# this build directory found, and lasts FUZZ_SECONDS. A finding (crash, sanitizer report,
# invariant violation, leak, timeout) fails the script; its input is saved as
# build-asan/fuzz-findings/<harness>/crash-* (rerun it with: build-asan/test/fuzz/<harness> FILE).
# Env: FUZZ_SECONDS (default 60), FUZZERS (default: all three), SANITIZE_BUILD_DIR, JOBS.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${SANITIZE_BUILD_DIR:-$root/build-asan}"
jobs="${JOBS:-$(nproc)}"
seconds="${FUZZ_SECONDS:-60}"
fuzzers="${FUZZERS:-fuzz_core fuzz_metadata fuzz_config}"
"$root/scripts/configure-sanitized.sh" "$build"
cmake --build "$build" -j "$jobs" --target fuzzers

failed=()
for f in $fuzzers; do
    seeds="$root/test/fuzz/corpus/$f"
    found="$build/fuzz-corpus/$f"
    findings="$build/fuzz-findings/$f"
    mkdir -p "$found" "$findings"
    # Images the harnesses create go to a directory of this run's own (tmpfs when there is one),
    # removed afterwards: libFuzzer can end the process without running atexit handlers.
    tmp="$(mktemp -d "$( [ -w /dev/shm ] && echo /dev/shm || echo "${TMPDIR:-/tmp}")/znssim-fuzz-XXXXXX")"
    dict=()
    [ -f "$root/test/fuzz/$f.dict" ] && dict=("-dict=$root/test/fuzz/$f.dict")
    echo "fuzz: $f for ${seconds}s (seeds: $(ls "$seeds" | wc -l), found earlier: $(ls "$found" | wc -l))"
    if ZNSSIM_FUZZ_TMP="$tmp" "$build/test/fuzz/$f" -max_total_time="$seconds" -timeout=20 \
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$findings/" "${dict[@]}" \
        "$found" "$seeds" >"$build/fuzz-$f.log" 2>&1; then
        grep -E '^stat::(number_of_executed_units|new_units_added|peak_rss_mb)' "$build/fuzz-$f.log" |
            tr '\n' ' ' | sed "s/^/fuzz: $f: /"
        echo
    else
        echo "fuzz: $f FAILED (log: $build/fuzz-$f.log):"
        grep -E -A25 'ERROR|invariant violated|runtime error|out-of-memory|timeout' \
            "$build/fuzz-$f.log" | head -60
        failed+=("$f")
    fi
    rm -rf "$tmp"
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: findings in ${failed[*]} (inputs in $build/fuzz-findings/)"
    exit 1
fi
echo "fuzz: no findings"
