#!/usr/bin/env bash
# Crash safety of zone state through the real `znssim` process: a run that resets zones, writes
# them with a known pattern, appends and resets again is killed with SIGKILL at a random moment,
# many times, in both durability modes. After each kill the image must open (metadata checksums
# valid, `znssim zones` reads it) and a restarted model must find every byte below every write
# pointer, and all of every Full zone, intact (a verify job over what each zone holds).
# Finishes and descriptor-extension updates are killed in test/unit/zns/test_zns_crash.cpp,
# whose verifier knows what a finished zone holds. Env: ZNSSIM_BIN (the znssim binary),
# ZNSSIM_CRASH_KILLS (default 100).
set -uo pipefail
bin="$(realpath "${ZNSSIM_BIN:?set ZNSSIM_BIN}")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
kills=${ZNSSIM_CRASH_KILLS:-100}
zones=24 # 18 MiB of zone capacity: a run lasts about 0.2 s, a restart with its fsync less

for mode in process host; do
    cat >"$work/crash-$mode.yaml" <<YAML
controller: {serial: CRASHTEST, max_io_queues: 2}
namespaces:
  - nsid: 1
    image: images/zns-$mode.img
    type: zoned
    durability: $mode
    zoned: {zone_size: 1 MiB, zone_capacity: 768 KiB, zones: $zones}
YAML
done
cat >"$work/write.yaml" <<YAML
name: write
steps:
  - reset: {nsid: 1, zone: all}
  - write: {nsid: 1, zone: 0, zones: 8, block: 4 KiB, queue_depth: 4, seed: 9}
  - append: {nsid: 1, zone: first_empty, blocks: 16, block: 4 KiB, seed: 9}
  - reset: {nsid: 1, zone: 1}
  - write: {nsid: 1, zone: 1, block: 16 KiB, queue_depth: 2, seed: 9}
  - write: {nsid: 1, zone: 10, zones: 6, block: 8 KiB, queue_depth: 8, seed: 9}
  - reset: {nsid: 1, zone: 3}
  - append: {nsid: 1, zone: 3, blocks: 64, block: 4 KiB, seed: 9}
YAML
cat >"$work/verify.yaml" <<YAML
name: verify
steps:
  - verify: {nsid: 1, zone: 0, zones: $zones, block: 64 KiB, seed: 9}
YAML

failures=0
mid_write=0
for i in $(seq 1 "$kills"); do
    mode=process
    [ $((i % 2)) = 0 ] && mode=host
    cfg="$work/crash-$mode.yaml"
    "$bin" run --config "$cfg" --job "$work/write.yaml" --log-level error >"$work/run.log" 2>&1 &
    pid=$!
    # Somewhere inside the run: start-up, a reset, the writes, the appends.
    sleep "0.$(printf '%03d' $((RANDOM % 250 + 5)))"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    if ! "$bin" zones "$work/images/zns-$mode.img" >"$work/zones.txt" 2>&1; then
        echo "FAIL: kill $i ($mode): the image's zone metadata does not read back:"
        cat "$work/zones.txt"
        failures=$((failures + 1))
        continue
    fi
    # Restart the model on the same image and verify every zone up to its write pointer.
    if ! "$bin" run --config "$cfg" --job "$work/verify.yaml" --log-level error \
        >"$work/verify.log" 2>&1; then
        echo "FAIL: kill $i ($mode): restart or verify failed:"
        cat "$work/verify.log"
        failures=$((failures + 1))
        continue
    fi
    checked=$(grep -oE '[0-9]+ LBAs checked' "$work/verify.log" | head -1 | cut -d' ' -f1)
    # A kill that left some but not all zones written landed mid-write.
    [ "${checked:-0}" -gt 0 ] && [ "${checked:-0}" -lt $((14 * 192)) ] && mid_write=$((mid_write + 1))
done
echo "test_zone_crash: $kills kills, $mid_write of them mid-write"
# Most kills must land in the middle of the writes, or the test proves little.
[ "$mid_write" -ge $((kills / 4)) ] || {
    echo "FAIL: only $mid_write kills landed mid-write"
    failures=$((failures + 1))
}
if [ "$failures" -ne 0 ]; then
    echo "test_zone_crash: $failures failure(s)"
    exit 1
fi
echo "test_zone_crash: all $kills kills left consistent zones and intact data"
