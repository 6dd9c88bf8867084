#!/usr/bin/env bash
# Crash safety of zone state through the real `znssim` process: a run that resets all zones and
# rewrites them with a known pattern is killed with SIGKILL at a random moment, several times.
# After each kill the image must open (metadata checksums valid, `znssim zones` reads it) and a
# restarted model must find every byte below every write pointer intact (a verify job over what
# each zone holds). Env: ZNSSIM_BIN (the znssim binary).
set -uo pipefail
bin="$(realpath "${ZNSSIM_BIN:?set ZNSSIM_BIN}")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
kills=${ZNSSIM_CRASH_KILLS:-8}
zones=256 # 192 MiB of zone capacity: a run lasts about a second

cat >"$work/crash.yaml" <<YAML
controller: {serial: CRASHTEST, max_io_queues: 2}
namespaces:
  - nsid: 1
    image: images/zns.img
    type: zoned
    zoned: {zone_size: 1 MiB, zone_capacity: 768 KiB, zones: $zones}
YAML
cat >"$work/write.yaml" <<YAML
name: write
steps:
  - reset: {nsid: 1, zone: all}
  - write: {nsid: 1, zone: 0, zones: $zones, block: 4 KiB, queue_depth: 4, seed: 9}
  - append: {nsid: 1, zone: first_empty, blocks: 8, block: 4 KiB, seed: 9}
YAML
cat >"$work/verify.yaml" <<YAML
name: verify
steps:
  - verify: {nsid: 1, zone: 0, zones: $zones, block: 64 KiB, seed: 9}
YAML

failures=0
checked_any=0
for i in $(seq 1 "$kills"); do
    "$bin" run --config "$work/crash.yaml" --job "$work/write.yaml" --log-level error \
        >"$work/run.log" 2>&1 &
    pid=$!
    # Somewhere inside the run: start-up, the reset, the writes (the run takes about 1 s).
    sleep "0.$(( (RANDOM % 80) + 10 ))"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    if ! "$bin" zones "$work/images/zns.img" >"$work/zones.txt" 2>&1; then
        echo "FAIL: kill $i: the image's zone metadata does not read back:"
        cat "$work/zones.txt"
        failures=$((failures + 1))
        continue
    fi
    # Restart the model on the same image and verify every zone up to its write pointer.
    if ! "$bin" run --config "$work/crash.yaml" --job "$work/verify.yaml" --log-level error \
        >"$work/verify.log" 2>&1; then
        echo "FAIL: kill $i: restart or verify failed:"
        cat "$work/verify.log"
        failures=$((failures + 1))
        continue
    fi
    checked=$(grep -oE '[0-9]+ LBAs checked' "$work/verify.log" | head -1 | cut -d' ' -f1)
    echo "kill $i: zones consistent, ${checked:-0} LBAs below the write pointers verified"
    [ "${checked:-0}" -gt 0 ] && [ "${checked:-0}" -lt $((zones * 192)) ] && checked_any=1
done
# At least one kill must have landed in the middle of the writes, or the test proved nothing.
[ "$checked_any" = 1 ] || { echo "FAIL: no kill landed mid-write"; failures=$((failures + 1)); }
if [ "$failures" -ne 0 ]; then
    echo "test_zone_crash: $failures failure(s)"
    exit 1
fi
echo "test_zone_crash: all $kills kills left consistent zones and intact data"
