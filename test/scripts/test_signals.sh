#!/usr/bin/env bash
# SIGINT and SIGTERM to `znssim run`: a signal mid-job is a clean shutdown (nothing more issued,
# in-flight commands drained, the summary printed and marked interrupted, CC.SHN, images synced)
# with exit status 130 / 143; a second signal exits at once. After each, the image's zone
# metadata reads back (`znssim zones`), zones that were open come back Closed, and a restarted
# model verifies every zone below its write pointer.
# Env: ZNSSIM_BIN (the znssim binary).
set -uo pipefail
bin="$(realpath "${ZNSSIM_BIN:?set ZNSSIM_BIN}")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

cat >"$work/sig.yaml" <<'YAML'
controller: {serial: SIGTEST, max_io_queues: 8}
namespaces:
  - nsid: 1
    image: images/zns.img
    type: zoned
    zoned: {zone_size: 1 MiB, zone_capacity: 768 KiB, zones: 16, max_open: 4, max_active: 6}
  - nsid: 2
    image: images/conv.img
    capacity: 4 MiB
YAML
# Zone 15 is left implicitly open by the appends; the run step then writes zones 0-13 over and
# over (three open at a time, full ones reset) and reads the conventional namespace, far longer
# than the test waits.
cat >"$work/long.yaml" <<'YAML'
name: long
steps:
  - reset: {nsid: 1, zone: all}
  - append: {nsid: 1, zone: 15, blocks: 3, block: 4 KiB, seed: 7}
  - run:
      - {name: churn, op: write, nsid: 1, zones: 0-13, open_zones: 3, queue_depth: 4,
         block: 16 KiB, reset_full_zones: true, bytes: 1 TiB, seed: 7}
      - {name: reader, op: randread, nsid: 2, queue_depth: 8, bytes: 1 TiB}
  - report: {nsid: 1}
YAML
cat >"$work/verify.yaml" <<'YAML'
name: verify
steps:
  - verify: {nsid: 1, zone: 0, zones: 16, block: 64 KiB, seed: 7}
YAML

# Starts the long job in the background with SIGINT/SIGTERM at their defaults (a script's
# background commands would otherwise inherit SIGINT ignored), and waits until its run step has
# been going for a moment.
start_long() {
    rm -rf "$work/images"
    (cd "$work" && exec env --default-signal=INT,TERM "$bin" run --config sig.yaml \
        --job long.yaml --log-level warn --log platform.driver=info \
        >"$work/out.txt" 2>"$work/err.txt") &
    pid=$!
    for _ in $(seq 1 200); do
        # The run step creates the streams' queue pairs (stderr is not buffered, stdout is).
        grep -q "I/O queue pair 6" "$work/err.txt" 2>/dev/null && break
        sleep 0.05
    done
    sleep "0.$((RANDOM % 300 + 300))"
    kill -0 "$pid" 2>/dev/null || fail "the job ended before it was signalled"
}

# Waits up to 'limit' seconds for the job; returns its status in rc (999 if it had to be killed).
wait_long() {
    local limit=$1 waited=0
    while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt $((limit * 20)) ]; do
        sleep 0.05
        waited=$((waited + 1))
    done
    if kill -0 "$pid" 2>/dev/null; then
        kill -9 "$pid"
        wait "$pid" 2>/dev/null
        rc=999
        return
    fi
    wait "$pid"
    rc=$?
}

# The image after the run: metadata valid, no zone left open, zone 15 Closed with its three
# appended blocks, and every zone's data below its write pointer verifies in a new run.
check_image() {
    local what=$1 zones
    if ! zones="$("$bin" zones "$work/images/zns.img" --json 2>&1)"; then
        fail "$what: znssim zones cannot read the image: $zones"
        return
    fi
    grep -q '"state": *"[a-z]*-open"' <<<"$zones" && fail "$what: a zone comes back open: $zones"
    local z15
    z15="$(tr -d ' \n' <<<"$zones" | grep -o '{[^{}]*"index":15[^{}]*}')"
    grep -q '"state":"closed"' <<<"$z15" || fail "$what: zone 15 is not Closed: $z15"
    grep -q '"wp":3843' <<<"$z15" || fail "$what: zone 15's write pointer is not 3840+3: $z15"
    local verify
    verify="$(cd "$work" && "$bin" run --config sig.yaml --job verify.yaml --log-level warn 2>&1)"
    if [ $? -ne 0 ]; then
        fail "$what: the verify run failed:"$'\n'"$verify"
        return
    fi
    grep -qE "verify +[1-9][0-9]* LBAs checked, 0 mismatches: PASS" <<<"$verify" ||
        fail "$what: nothing verified below the write pointers:"$'\n'"$verify"
}

# 1, 2. One SIGINT, one SIGTERM: a clean shutdown.
for sig in INT TERM; do
    want=130
    [ "$sig" = TERM ] && want=143
    start_long
    kill -"$sig" "$pid"
    wait_long 20
    out="$(cat "$work/out.txt")"
    err="$(cat "$work/err.txt")"
    if [ "$rc" -ne "$want" ]; then
        fail "SIG$sig: exit status $rc, expected $want"$'\n'"$out"$'\n'"$(tail -5 <<<"$err")"
        continue
    fi
    grep -q "stopping the job" <<<"$err" || fail "SIG$sig: no notice on stderr"
    grep -q "summary of job long" <<<"$out" || fail "SIG$sig: no summary: $out"
    grep -qE "interrupted +by SIG$sig in step 3 of 4" <<<"$out" ||
        fail "SIG$sig: the summary does not say it was interrupted in the run step: $out"
    grep -qE "result +OK \(INTERRUPTED\)" <<<"$out" || fail "SIG$sig: result line: $out"
    grep -q "churn" <<<"$out" || fail "SIG$sig: the run step printed no stream statistics"
    grep -q "zone report" <<<"$out" && fail "SIG$sig: the step after the interrupted one ran"
    grep -q "shutdown complete" <<<"$err" || fail "SIG$sig: no CC.SHN shutdown: $(tail -5 <<<"$err")"
    check_image "SIG$sig"
done

# 3. Two SIGINTs: the second exits at once, without the summary; the image is still consistent.
# The second signal must come while the clean shutdown is still going on, which it usually is a
# few milliseconds after the first; the attempts where it came too late do not count.
early=0
for attempt in 1 2 3 4 5 6; do
    start_long
    kill -INT "$pid"
    sleep 0.002
    t0=$(date +%s%N)
    kill -INT "$pid" 2>/dev/null
    wait_long 5
    t1=$(date +%s%N)
    [ "$rc" -eq 130 ] || fail "double SIGINT: exit status $rc, expected 130"
    if grep -q "again: exiting at once" "$work/err.txt"; then
        early=$((early + 1))
        ms=$(((t1 - t0) / 1000000))
        [ "$ms" -lt 500 ] || fail "double SIGINT: exited $ms ms after the second signal"
        grep -q "summary of job" "$work/out.txt" &&
            fail "double SIGINT: the summary was printed after the second signal"
        check_image "double SIGINT (attempt $attempt)"
    fi
    [ "$early" -ge 3 ] && break
done
[ "$early" -ge 1 ] || fail "double SIGINT: the second signal never landed before the clean exit"
echo "test_signals: double SIGINT exited early in $early attempt(s)"

[ "$failures" -eq 0 ] && echo "test_signals: OK"
exit $((failures > 0))
