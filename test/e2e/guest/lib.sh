# Shared helpers of the guest checks (sourced by /init; busybox ash).
#
# Kernel parameters (read from /proc/cmdline; the kernel ignores unknown dotted parameters):
#   e2e.mode=reference|model   which device the guest talks to (informational + xfail defaults)
#   e2e.boot=1|2               1: all checks, then write the persistence data; 2: verify it
#   e2e.lba=BYTES              LBA size
#   e2e.zsze=LBAS e2e.zcap=LBAS e2e.nzones=N
#   e2e.mor=N e2e.mar=N        max open / active zones (0 = unlimited)
#   e2e.zasl=N                 ZASL as nvme zns id-ctrl prints it
#   e2e.append_max=BYTES       expected queue/zone_append_max_bytes
#   e2e.xfail=a,b              checks expected to fail on this device (e.g. changed_zone_list)
#   e2e.persist=Z:WP:SHA,...   boot 2: zone index, expected write pointer (LBA) and sha256
#   e2e.irqtty=auto|ttySn|none hold open a serial port that shares the NVMe INTx line (model, TCG)
#   e2e.wait=SECONDS           how long to wait for the namespaces' block devices (default 120)
#   e2e.deadline=SECONDS       the checks must end within this time, or the watchdog fails the
#                              run and powers off (default 300; 0: no watchdog)
#   e2e.btrfs=NSID|none        zoned namespace for the btrfs check (default none)
#   e2e.btrfs_zone=BYTES       its zone size
#   e2e.btrfs_sum=SHA          boot 2: sha256 of the btrfs check's manifest file

# The zoned namespace under test is NSID 1 of controller nvme0. Its block device is found by
# NSID: Linux 6.1 names namespaces nvme0nN in NSID order, 6.12 scans them in parallel and names
# them in the order their scan finishes. e2e_wait_for_disk sets DEV and SYS.
DEV=""
SYS=""
E2E_PASS=0
E2E_FAIL=0
E2E_XFAIL=0
E2E_SKIP=0

e2e_parse_cmdline() {
    E2E_MODE=reference E2E_BOOT=1 E2E_LBA=4096 E2E_ZSZE=0 E2E_ZCAP=0 E2E_NZONES=0
    E2E_MOR=0 E2E_MAR=0 E2E_ZASL=0 E2E_APPEND_MAX=0 E2E_XFAIL_LIST="" E2E_PERSIST=""
    E2E_IRQTTY=none E2E_WAIT=120 E2E_DEADLINE=300 E2E_BTRFS=none E2E_BTRFS_ZONE=0 E2E_BTRFS_SUM=""
    E2E_BENCH=0 E2E_BENCH_RUNTIME=10 E2E_IRQBAUD=115200 E2E_IRQTRIG=1
    for arg in $(cat /proc/cmdline); do
        case "$arg" in
            e2e.mode=*) E2E_MODE="${arg#*=}" ;;
            e2e.boot=*) E2E_BOOT="${arg#*=}" ;;
            e2e.lba=*) E2E_LBA="${arg#*=}" ;;
            e2e.zsze=*) E2E_ZSZE="${arg#*=}" ;;
            e2e.zcap=*) E2E_ZCAP="${arg#*=}" ;;
            e2e.nzones=*) E2E_NZONES="${arg#*=}" ;;
            e2e.mor=*) E2E_MOR="${arg#*=}" ;;
            e2e.mar=*) E2E_MAR="${arg#*=}" ;;
            e2e.zasl=*) E2E_ZASL="${arg#*=}" ;;
            e2e.append_max=*) E2E_APPEND_MAX="${arg#*=}" ;;
            e2e.xfail=*) E2E_XFAIL_LIST="${arg#*=}" ;;
            e2e.persist=*) E2E_PERSIST="${arg#*=}" ;;
            e2e.irqtty=*) E2E_IRQTTY="${arg#*=}" ;;
            e2e.wait=*) E2E_WAIT="${arg#*=}" ;;
            e2e.deadline=*) E2E_DEADLINE="${arg#*=}" ;;
            e2e.btrfs=*) E2E_BTRFS="${arg#*=}" ;;
            e2e.btrfs_zone=*) E2E_BTRFS_ZONE="${arg#*=}" ;;
            e2e.btrfs_sum=*) E2E_BTRFS_SUM="${arg#*=}" ;;
            e2e.bench=*) E2E_BENCH="${arg#*=}" ;;
            e2e.irqbaud=*) E2E_IRQBAUD="${arg#*=}" ;;
            e2e.irqtrig=*) E2E_IRQTRIG="${arg#*=}" ;;
            e2e.bench_runtime=*) E2E_BENCH_RUNTIME="${arg#*=}" ;;
        esac
    done
    # Derived geometry: 512-byte sectors per LBA and per zone.
    E2E_SPL=$((E2E_LBA / 512))
    E2E_ZSECT=$((E2E_ZSZE * E2E_SPL))
}

# Result reporting. A check listed in e2e.xfail turns FAIL into XFAIL and PASS into FAIL
# ("XPASS"): an expected failure that stops failing means the expectation is stale.
e2e_is_xfail() { case ",$E2E_XFAIL_LIST," in *",$1,"*) return 0 ;; esac; return 1; }
pass() {
    if e2e_is_xfail "$1"; then
        echo "E2E: FAIL $1: unexpectedly passed (XPASS; listed in e2e.xfail)"; E2E_FAIL=$((E2E_FAIL + 1))
    else
        echo "E2E: PASS $1"; E2E_PASS=$((E2E_PASS + 1))
    fi
}
fail() {
    local name="$1"; shift
    if e2e_is_xfail "$name"; then
        echo "E2E: XFAIL $name: $*"; E2E_XFAIL=$((E2E_XFAIL + 1))
    else
        echo "E2E: FAIL $name: $*"; E2E_FAIL=$((E2E_FAIL + 1))
    fi
}
skip() { local name="$1"; shift; echo "E2E: SKIP $name: $*"; E2E_SKIP=$((E2E_SKIP + 1)); }

# Runs a command, keeping its output in $OUT for the caller and printing it indented when the
# caller reports a failure through show_out.
run() { OUT="$("$@" 2>&1)"; RC=$?; return $RC; }
show_out() { echo "$OUT" | sed 's/^/    | /'; }

# Expect VALUE == EXPECTED for check NAME.
expect_eq() {
    if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got '$2', expected '$3'"; fi
}

e2e_summary() {
    echo "E2E-SUMMARY: pass=$E2E_PASS fail=$E2E_FAIL xfail=$E2E_XFAIL skip=$E2E_SKIP"
}

# Watchdog: a check that hangs (e.g. a task stuck in the kernel) fails the run after
# e2e.deadline seconds with the kernel's view (hung-task reports, NVMe and zone messages) instead
# of leaving the host to kill QEMU. The summary it prints counts one failure.
E2E_WATCHDOG=""
e2e_start_watchdog() {
    [ "$E2E_DEADLINE" -gt 0 ] 2>/dev/null || return 0
    (
        sleep "$E2E_DEADLINE"
        echo "E2E: FAIL watchdog: the checks did not finish within ${E2E_DEADLINE}s (e2e.deadline)"
        echo "E2E-DMESG (last 80 lines):"
        dmesg | tail -n 80 | sed 's/^/    | /'
        echo "E2E-SUMMARY: pass=0 fail=1 xfail=0 skip=0 (watchdog)"
        sync &
        sleep 2
        poweroff -f
    ) &
    E2E_WATCHDOG=$!
}
e2e_stop_watchdog() { [ -z "$E2E_WATCHDOG" ] || kill "$E2E_WATCHDOG" 2>/dev/null; }

# The model's INTx reaches a TCG guest through a PCI serial port sharing the IRQ line: opening
# that port enables its receive interrupt. Nothing reads it: with reception off (-cread) the
# serial driver still reads each byte out of the UART (which ends its interrupt) but keeps none,
# so no process wakes per interrupt (a reader doing so cost a context switch and a TLB refill per
# I/O). "auto" picks the ttyS whose device is a PCI function.
e2e_hold_irq_port() {
    local tty="$E2E_IRQTTY" t
    [ "$tty" = none ] && return 0
    if [ "$tty" = auto ]; then
        tty=""
        for t in /sys/class/tty/ttyS*; do
            if readlink -f "$t/device" 2>/dev/null | grep -q '/pci'; then tty="${t##*/}"; break; fi
        done
        [ -n "$tty" ] || { echo "E2E-NOTE: no PCI serial port found for e2e.irqtty=auto"; return 0; }
    fi
    # e2e.irqbaud=RATE (default 115200, the UART's fastest): a byte below the FIFO trigger level
    # interrupts only after the receive timeout, 4 character times (350 us at 115200, 4 ms at
    # the 9600 a port starts with). e2e.irqtrig=BYTES is the trigger level (default 1: every
    # byte at once; the model paces its bytes itself, znssim qemu --irq-gap; empty: the UART's
    # default, 8 on a 16550A).
    stty -F "/dev/$tty" ${E2E_IRQBAUD:+$E2E_IRQBAUD} raw -echo -cread 2>/dev/null
    [ -n "$E2E_IRQTRIG" ] && echo "$E2E_IRQTRIG" >"/sys/class/tty/$tty/rx_trig_bytes" 2>/dev/null
    sleep 2147483647 <"/dev/$tty" & # holds the port open
    echo "E2E-NOTE: holding /dev/$tty open (shared INTx line)"
}

# ns_disk NSID: the name (nvme0nX) of the zoned block device of namespace NSID, once it is there.
ns_disk() {
    local d
    for d in /sys/block/nvme0n*; do
        if [ "$(cat "$d/nsid" 2>/dev/null)" = "$1" ] && [ -e "$d/queue/zoned" ] && [ -b "/dev/${d##*/}" ]; then
            echo "${d##*/}"; return 0
        fi
    done
    return 1
}

# wait_ns_disk NSID: ns_disk, waiting up to e2e.wait seconds.
wait_ns_disk() {
    local i=0
    until ns_disk "$1"; do
        [ $i -ge "$E2E_WAIT" ] && return 1
        sleep 1; i=$((i + 1))
    done
}

e2e_wait_for_disk() {
    local name
    if ! name=$(wait_ns_disk 1); then
        fail driver_binds "no block device of NSID 1 after ${E2E_WAIT}s"
        dmesg | grep -i -E 'nvme|pci 0000' | tail -n 40 | sed 's/^/    | /'
        return 1
    fi
    DEV=/dev/$name
    SYS=/sys/block/$name/queue
    pass driver_binds
    return 0
}

# kernel_at_least MAJOR MINOR: the guest kernel is MAJOR.MINOR or newer.
kernel_at_least() {
    local r maj min
    r=$(uname -r); maj=${r%%.*}; min=${r#*.}; min=${min%%[!0-9]*}
    [ "$maj" -gt "$1" ] || { [ "$maj" -eq "$1" ] && [ "$min" -ge "$2" ]; }
}

# Zone helpers. Zone i starts at LBA i*zsze; the block layer works in 512-byte sectors.
zslba() { echo $(($1 * E2E_ZSZE)); }
hex() { printf '0x%x' "$1"; }

# zone_line I: the "nvme zns report-zones" line of zone I.
zone_line() { nvme zns report-zones "$DEV" -s "$(zslba "$1")" -d 1 2>&1 | grep 'SLBA:'; }
# state_name ZS: nvme-cli 2.3 prints the raw ZS byte ("State: 0x10"); the state is its high nibble.
state_name() {
    case "$1" in
        0x1?) echo EMPTY ;; 0x2?) echo IMP_OPENED ;; 0x3?) echo EXP_OPENED ;; 0x4?) echo CLOSED ;;
        0xd?) echo READ_ONLY ;; 0xe?) echo FULL ;; 0xf?) echo OFFLINE ;; *) echo "$1" ;;
    esac
}
# zone_state I: EMPTY, IMP_OPENED, EXP_OPENED, CLOSED, FULL, READ_ONLY, OFFLINE
zone_state() { state_name "$(zone_line "$1" | sed -n 's/.*State: *\([0-9a-fx]*\).*/\1/p')"; }
# zone_wp I: write pointer (decimal LBA).
zone_wp() { printf '%d' "$(zone_line "$1" | sed -n 's/.*WP: *\([0-9a-fA-Fx]*\).*/\1/p')"; }

# write_lbas LBA COUNT [FILE]: direct write through the block device (the kernel path).
write_lbas() {
    local src="${3:-/dev/urandom}"
    dd if="$src" of="$DEV" bs="$E2E_LBA" seek="$1" count="$2" oflag=direct conv=notrunc 2>&1
}
