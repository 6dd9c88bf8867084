#!/usr/bin/env bash
# The znssim command line: a run on a small config succeeds and prints the summary; a second run
# sees the zone state of the first; malformed configs and jobs fail with file:line; unknown
# subcommands fail; zones and lspci print what they should.
# Env: ZNSSIM_BIN (the znssim binary), ZNSSIM_SRC (repository root).
set -uo pipefail
bin="$(realpath "${ZNSSIM_BIN:?set ZNSSIM_BIN}")"
src="${ZNSSIM_SRC:?set ZNSSIM_SRC}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
expect_in() { # text pattern description
    grep -qE -- "$2" <<<"$1" || fail "$3: expected /$2/ in:"$'\n'"$1"
}

# A small copy of the default setup: 8 zones, a 4 MiB conventional namespace.
mkdir -p "$work/cfg/jobs"
cat >"$work/cfg/small.yaml" <<'YAML'
controller:
  serial: CLITEST
  interrupts: msix
  max_io_queues: 4
namespaces:
  - nsid: 1
    image: images/zns.img
    type: zoned
    zoned: {zone_size: 1 MiB, zone_capacity: 768 KiB, zones: 8, max_open: 4, max_active: 6}
  - nsid: 2
    image: images/conv.img
    lba_size: 512
    capacity: 4 MiB
logging: {level: warn}
workload: jobs/small.yaml
YAML
cat >"$work/cfg/jobs/small.yaml" <<'YAML'
name: small
steps:
  - write:  {nsid: 1, zone: first_empty, zones: 2, block: 64 KiB, verify: true}
  - append: {nsid: 1, zone: first_empty, blocks: 2, block: 8 KiB, verify: true}
  - close:  {nsid: 1, zone: first_open}
  - finish: {nsid: 1, zone: first_closed}
  - reset:  {nsid: 1, zone: first_full}
  - report: {nsid: 1}
  - write:  {nsid: 2, start: 0, length: 1 MiB, block: 32 KiB, queue_depth: 4, seed: 5}
  - verify: {nsid: 2, start: 0, length: 1 MiB, seed: 5}
  - random: {nsid: 2, commands: 200, queue_depth: 8, read_percent: 50}
YAML

# 1. A run succeeds and prints the summary.
out="$(cd "$work" && "$bin" run --config cfg/small.yaml 2>&1)"
rc=$?
[ $rc -eq 0 ] || fail "run exited $rc"
expect_in "$out" "summary of job small" "run summary"
expect_in "$out" "verify +[1-9][0-9]* LBAs checked, 0 mismatches: PASS" "verify result"
expect_in "$out" "errors +0" "no errors"
expect_in "$out" "result +OK" "result line"
expect_in "$out" "appended 2 LBAs at LBA" "append prints the LBA"
expect_in "$out" "zcond: *1\(em\)" "report shows an empty zone"
[ -f "$work/cfg/images/zns.img" ] || fail "image not created next to the config"
full_first=$(grep -c "zcond:14(fu)" <<<"$out")

# 2. A second run carries the zone state over (more full zones, nothing reset first).
out2="$(cd "$work" && "$bin" run --config cfg/small.yaml 2>&1)"
rc=$?
[ $rc -eq 0 ] || fail "second run exited $rc: $out2"
full_second=$(grep -c "zcond:14(fu)" <<<"$out2")
[ "$full_second" -gt "$full_first" ] ||
    fail "second run: $full_second full zones, first run $full_first (state not carried over?)"

# 3. The offline zone report agrees that zones are full.
zones="$("$bin" zones "$work/cfg/images/zns.img" 2>&1)"
rc=$?
[ $rc -eq 0 ] || fail "zones exited $rc: $zones"
json="$("$bin" zones --json "$work/cfg/images/zns.img" 2>&1)"
[ $? -eq 0 ] || fail "zones --json failed: $json"
expect_in "$json" '"zones"' "zones --json"

# 4. --job overrides the workload; --no-job only brings the device up. These use a
# conventional-only config, so they do not depend on the zoned namespace.
cat >"$work/cfg/conv.yaml" <<'YAML'
controller: {interrupts: intx, max_io_queues: 2}
namespaces:
  - {nsid: 2, image: images/conv-only.img, lba_size: 512, capacity: 4 MiB}
logging: {level: warn}
workload: jobs/small.yaml
YAML
out="$(cd "$work" && "$bin" run -c cfg/conv.yaml --no-job --log-level error 2>&1)"
[ $? -eq 0 ] || fail "--no-job failed: $out"
expect_in "$out" "namespace 2: 8192 LBAs of 512 B" "bring-up lists namespaces"

# 5. A failing verify exits 1.
cat >"$work/cfg/jobs/bad_verify.yaml" <<'YAML'
steps:
  - verify: {nsid: 2, start: 0, length: 64 KiB, seed: 99}
YAML
out="$(cd "$work" && "$bin" run -c cfg/conv.yaml -j cfg/jobs/bad_verify.yaml 2>&1)"
rc=$?
[ $rc -eq 1 ] || fail "mismatching verify exited $rc (want 1)"
expect_in "$out" "mismatches: FAIL" "verify failure reported"

# 6. Malformed configs: exit 2 and one line with file:line.
printf 'controller:\n  serial: X\n  bar0: {size: 24 KiB}\nnamespaces:\n  - {image: a.img, capacity: 1 MiB}\n' \
    >"$work/bad_bar.yaml"
out="$("$bin" run --config "$work/bad_bar.yaml" 2>&1)"
rc=$?
[ $rc -eq 2 ] || fail "bad BAR0 size exited $rc (want 2)"
expect_in "$out" "bad_bar.yaml:3:[0-9]+: controller.bar0.size: must be a power of two" "bad bar0"
printf 'namespaces:\n  - image: a.img\n    capacity: [1\n' >"$work/syntax.yaml"
out="$("$bin" run --config "$work/syntax.yaml" 2>&1)"
rc=$?
[ $rc -eq 2 ] || fail "syntax error exited $rc (want 2)"
expect_in "$out" "syntax.yaml:[0-9]+:[0-9]+: YAML syntax error" "syntax error"
printf 'namespaces:\n  - image: a.img\n    capacity: 1 MiB\n    colour: blue\n' >"$work/unknown.yaml"
out="$("$bin" lspci --config "$work/unknown.yaml" 2>&1)"
rc=$?
[ $rc -eq 2 ] || fail "unknown key exited $rc (want 2)"
expect_in "$out" "unknown.yaml:4:5: namespaces\[0\].colour: unknown key" "unknown key"
printf 'steps:\n  - wirte: {nsid: 2}\n' >"$work/cfg/jobs/typo.yaml"
out="$(cd "$work" && "$bin" run -c cfg/small.yaml -j cfg/jobs/typo.yaml 2>&1)"
rc=$?
[ $rc -eq 2 ] || fail "job typo exited $rc (want 2)"
expect_in "$out" "typo.yaml:2:5: steps\[0\].wirte: unknown step" "job typo"
out="$("$bin" run --config "$work/missing.yaml" 2>&1)"
[ $? -eq 2 ] || fail "missing config did not exit 2"
expect_in "$out" "missing.yaml: cannot open" "missing config"
out="$("$bin" zones "$work/cfg/images/conv.img" 2>&1)"
[ $? -eq 2 ] || fail "zones on a conventional image did not exit 2: $out"

# 7. Unknown subcommands and options fail.
out="$("$bin" frobnicate 2>&1)"
[ $? -ne 0 ] || fail "unknown subcommand succeeded"
expect_in "$out" "unknown subcommand 'frobnicate'" "unknown subcommand"
"$bin" run --bogus-option >/dev/null 2>&1 && fail "unknown option succeeded"

# 8. lspci prints the configured identity and capabilities.
out="$("$bin" lspci --config "$src/configs/default.yaml" 2>&1)"
[ $? -eq 0 ] || fail "lspci failed: $out"
expect_in "$out" "Non-Volatile memory controller" "lspci header"
expect_in "$out" "MSI-X: Enable- Count=65" "lspci MSI-X"
out="$("$bin" lspci --config "$src/configs/qemu.yaml" 2>&1)"
grep -q "MSI-X" <<<"$out" && fail "qemu.yaml must not advertise MSI-X"

# 9. Every shipped config loads.
for c in "$src"/configs/*.yaml; do
    "$bin" lspci --config "$c" >/dev/null 2>"$work/err" || fail "$c does not load: $(cat "$work/err")"
done

# 10. A timed run of concurrent streams from a plain fio job file, with --out: the fio-like
# summary, simulated time that is not zero, and both output files in fio's JSON layout.
cat >"$work/cfg/timed.yaml" <<'YAML'
namespaces:
  - {nsid: 1, image: images/timed.img, data: none, type: zoned,
     zoned: {zone_size: 1 MiB, zones: 16, max_open: 4, max_active: 4}}
platform: {timing: timed}
logging: {level: warn}
YAML
cat >"$work/cfg/mix.fio" <<'FIO'
[global]
bs=64k
zonemode=zbd
[writer]
rw=write
size=4m
max_open_zones=2
[reader]
rw=randread
bs=4k
offset=4m
size=4m
iodepth=8
number_ios=500
FIO
out="$(cd "$work" && "$bin" run --config cfg/timed.yaml --fio cfg/mix.fio --out "$work/out" 2>&1)"
rc=$?
[ $rc -eq 0 ] || fail "timed fio run exited $rc: $out"
expect_in "$out" "writer: \(groupid=0, jobs=1\)" "fio-like block for the writer"
expect_in "$out" "read: IOPS=" "reader's IOPS line"
expect_in "$out" "clat percentiles" "percentiles"
grep -qE "simulated time +0\.000000000 s" <<<"$out" && fail "a timed run took no simulated time"
[ -s "$work/out/summary.txt" ] || fail "--out wrote no summary.txt"
grep -q '"jobname": "writer"' "$work/out/results.json" 2>/dev/null || fail "results.json lacks the writer"
grep -q '"clat_ns"' "$work/out/results.json" 2>/dev/null || fail "results.json lacks clat_ns"
# An option outside the fio subset is refused with its line.
printf '[j]\nrw=read\nioengine=libaio\nbuffered=1\n' >"$work/cfg/bad.fio"
out="$(cd "$work" && "$bin" run --config cfg/timed.yaml --fio cfg/bad.fio 2>&1)"
[ $? -eq 2 ] || fail "an unsupported fio option must exit 2"
expect_in "$out" "bad.fio:4: fio option 'buffered'" "unsupported fio option named with its line"
# Verifying a namespace that keeps no data is refused.
printf 'steps:\n  - run: [{op: write, nsid: 1, zones: 0, verify: true}]\n' >"$work/cfg/v.yaml"
out="$(cd "$work" && "$bin" run --config cfg/timed.yaml --job cfg/v.yaml 2>&1)"
[ $? -eq 1 ] || fail "verify on data: none must fail the run"
expect_in "$out" "stores no data" "verify on data: none explained"

if [ $failures -ne 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
echo "test_cli: all checks passed"
