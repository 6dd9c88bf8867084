# Guest side of bench/guest (e2e.bench=1): fio on the zoned namespace, no checks. Each run's
# fio output is printed between "E2E-BENCH-BEGIN <name>" and "E2E-BENCH-END <name>" lines for
# the host to parse (IOPS, bandwidth, mean completion latency), with "E2E-BENCH-STAT <name>
# intr=N ctxt=M": the guest's interrupts and context switches during the run (/proc/stat).
#   qd1    4 KiB random read, libaio, QD1
#   qd32   4 KiB random read, libaio, QD32
#   seqw   sequential zoned write, 128 KiB, QD1 (fio --zonemode=zbd resets the zones first)
# e2e.bench_runtime=SECONDS (default 10) per run. Reads cover zones written first.

# stat_counts: "interrupts context-switches" so far, from /proc/stat.
stat_counts() { awk '$1 == "intr" { i = $2 } $1 == "ctxt" { c = $2 } END { print i, c }' /proc/stat; }

bench_run() { # name fio-args...
    local name="$1" rc=0 i0 c0 i1 c1
    shift
    echo "E2E-BENCH-BEGIN $name"
    read -r i0 c0 <<EOS
$(stat_counts)
EOS
    fio --name="$name" --filename="$DEV" --direct=1 --time_based --runtime="$E2E_BENCH_RUNTIME" \
        --group_reporting "$@" 2>&1 || rc=$?
    read -r i1 c1 <<EOS
$(stat_counts)
EOS
    echo "E2E-BENCH-STAT $name intr=$((i1 - i0)) ctxt=$((c1 - c0))"
    echo "E2E-BENCH-END $name rc=$rc"
}

e2e_bench() {
    local zone_bytes=$((E2E_ZSZE * E2E_LBA)) cap_bytes=$((E2E_ZCAP * E2E_LBA)) zones=8
    # Data to read: the first zones written to their capacity (reads of unwritten LBAs would
    # cost the device nothing).
    fio --name=fill --filename="$DEV" --direct=1 --zonemode=zbd --rw=write --bs=128k \
        --ioengine=psync --size=$((zones * zone_bytes)) --io_size=$((zones * cap_bytes)) \
        >/tmp/fill.log 2>&1 || { echo "E2E-BENCH-FAIL fill"; cat /tmp/fill.log; return 1; }
    bench_run qd1 --rw=randread --bs=4k --ioengine=libaio --iodepth=1 --zonemode=zbd \
        --size=$((zones * zone_bytes))
    bench_run qd32 --rw=randread --bs=4k --ioengine=libaio --iodepth=32 --zonemode=zbd \
        --size=$((zones * zone_bytes))
    bench_run seqw --rw=write --bs=128k --ioengine=psync --iodepth=1 --zonemode=zbd \
        --offset=$((zones * zone_bytes)) --size=$(((E2E_NZONES - zones) * zone_bytes))
}
