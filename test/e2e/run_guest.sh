#!/usr/bin/env bash
# Boots the end-to-end guest (build_initramfs.sh) under QEMU against a zoned NVMe namespace and
# checks the results the guest prints on its serial console.
#
#   run_guest.sh --mode reference   QEMU's own emulated ZNS device (validates the guest checks)
#   run_guest.sh --mode model       the znssim model through `$ZNSSIM_BIN qemu`; two boots, the
#                                   second one checks that zone state and data persisted
#   --kernel bookworm|trixie        the guest kernel: Debian bookworm's Linux 6.1 cloud kernel
#                                   (default) or trixie's Linux 6.12 (same bookworm userland)
#
# Geometry (one source of truth: it configures the device AND becomes the guest's expected
# values): --lba BYTES (4096) --zone-lbas N (256) --zcap-lbas N (192) --zones N (32)
#           --max-open N (4) --max-active N (6) --mdts N (5) --zasl N (3)
# The btrfs check gets namespace 2 (same LBA size and ZASL) with a geometry zoned btrfs accepts
# (zone size a power of two of at least 4 MiB, at least 8 active zones or no limit) and can live
# with (see docs/qemu.md: 4 MiB zones run out of metadata space on Linux 6.1):
#           --btrfs-zone BYTES (16 MiB) --btrfs-zcap BYTES (12 MiB) --btrfs-zones N (32)
#           --btrfs-max-open N (14) --btrfs-max-active N (14); --btrfs-zones 0: no btrfs
#           namespace and no btrfs check
# Other:    --timeout SECONDS per boot (600; the guest's watchdog fails the checks at half of it)
#           --keep (keep the work directory)
#           --config FILE (model: use this config instead of generating one; the geometry
#           options must then describe it)
#           --bench SECONDS: no checks; one boot running the fio runs of guest/bench.sh for
#           SECONDS each, their output printed on stdout (bench/guest parses it)
# Environment: ZNSSIM_BIN (model mode), QEMU (qemu-system-x86_64), ZNSSIM_E2E_APPEND (extra
#           kernel parameters), ZNSSIM_E2E_QEMU_ARGS (extra QEMU arguments),
#           ZNSSIM_E2E_QEMU_OPTS (extra `znssim qemu` options, e.g. --irq-gap 100), ZNSSIM_E2E_CACHE,
#           ZNSSIM_E2E_IRQTTY (guest e2e.irqtty: auto in model mode, none in reference mode).
# Exit: 0 all checks passed, 1 a check failed or the guest did not finish, 77 model mode but
#       `znssim qemu` is not available.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
mode="" lba=4096 zone_lbas=256 zcap_lbas=192 zones=32 max_open=4 max_active=6 mdts=5 zasl=3
timeout_s=600 keep=0 config="" suite=bookworm bench=0
bzone=$((16 << 20)) bzcap=$((12 << 20)) bzones=32 bmax_open=14 bmax_active=14
while [ $# -gt 0 ]; do
    case "$1" in
        --mode) mode="$2"; shift 2 ;;
        --lba) lba="$2"; shift 2 ;;
        --zone-lbas) zone_lbas="$2"; shift 2 ;;
        --zcap-lbas) zcap_lbas="$2"; shift 2 ;;
        --zones) zones="$2"; shift 2 ;;
        --max-open) max_open="$2"; shift 2 ;;
        --max-active) max_active="$2"; shift 2 ;;
        --mdts) mdts="$2"; shift 2 ;;
        --zasl) zasl="$2"; shift 2 ;;
        --kernel) suite="$2"; shift 2 ;;
        --btrfs-zone) bzone="$2"; shift 2 ;;
        --btrfs-zcap) bzcap="$2"; shift 2 ;;
        --btrfs-zones) bzones="$2"; shift 2 ;;
        --btrfs-max-open) bmax_open="$2"; shift 2 ;;
        --btrfs-max-active) bmax_active="$2"; shift 2 ;;
        --timeout) timeout_s="$2"; shift 2 ;;
        --config) config="$2"; shift 2 ;;
        --keep) keep=1; shift ;;
        --bench) bench="$2"; shift 2 ;;
        -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { print }' "$0"; exit 0 ;;
        *) echo "run_guest: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
case "$mode" in reference|model) ;; *) echo "run_guest: --mode reference|model is required" >&2; exit 2 ;; esac
case "$suite" in bookworm|trixie) ;; *) echo "run_guest: --kernel bookworm|trixie" >&2; exit 2 ;; esac

log() { echo "run_guest[$mode,$suite]: $*" >&2; }

if [ "$mode" = model ]; then
    if [ -z "${ZNSSIM_BIN:-}" ] || ! "$ZNSSIM_BIN" qemu --help >/dev/null 2>&1; then
        log "znssim qemu not available (ZNSSIM_BIN='${ZNSSIM_BIN:-}')"
        exit 77
    fi
fi

qemu="${QEMU:-qemu-system-x86_64}"
if ! command -v "$qemu" >/dev/null; then
    log "installing qemu-system-x86"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        qemu-system-x86 >/dev/null || { log "cannot install qemu-system-x86"; exit 1; }
fi

t0=$(date +%s.%N)
eval "$("$here/build_initramfs.sh" --kernel "$suite" | sed -n 's/^\(kernel\|initrd\|release\)=\(.*\)$/\1="\2"/p')"
[ -n "${kernel:-}" ] && [ -n "${initrd:-}" ] || { log "build_initramfs.sh failed"; exit 1; }
t1=$(date +%s.%N)
log "kernel ${release:-?}"

# Expected block-layer values, derived as Linux 6.1 (and 6.12) derives them (reference §2.2,
# §2.1); what 6.10+ changes is derived in the guest (checks_sysfs.sh).
zone_bytes=$((zone_lbas * lba))
if [ "$mdts" = 0 ]; then max_xfer=$((4096 * 1024)); else max_xfer=$(((1 << mdts) * 4096)); fi
[ $max_xfer -gt $((4096 * 1024)) ] && max_xfer=$((4096 * 1024))
if [ "$zasl" = 0 ]; then append_max=$max_xfer; else append_max=$(((1 << zasl) * 4096)); fi
[ $append_max -gt $max_xfer ] && append_max=$max_xfer
[ $append_max -gt $zone_bytes ] && append_max=$zone_bytes
xfail=""
[ "$mode" = reference ] && xfail="changed_zone_list"   # QEMU 7.2 lacks log page BFh

append="console=ttyS0 panic=-1 quiet e2e.mode=$mode e2e.lba=$lba e2e.zsze=$zone_lbas"
append+=" e2e.zcap=$zcap_lbas e2e.nzones=$zones e2e.mor=$max_open e2e.mar=$max_active"
append+=" e2e.zasl=$zasl e2e.append_max=$append_max"
# The guest's watchdog fails a hung check with its dmesg at half the boot timeout.
append+=" e2e.deadline=$((timeout_s / 2))"
[ -n "$xfail" ] && append+=" e2e.xfail=$xfail"
[ "$bzones" -gt 0 ] && append+=" e2e.btrfs=2 e2e.btrfs_zone=$bzone"
# Model mode on TCG: the proxy's INTx reaches the guest only through the shared serial line,
# whose receive interrupt is enabled once /init opens the port. Until then (the built-in driver's
# probe) irqpoll on the PIT tick runs the shared nvme handler, and short admin timeouts bound any
# miss. See docs/qemu.md.
[ "$mode" = model ] && append+=" irqpoll nolapic_timer nvme_core.admin_timeout=1"
[ "$bench" != 0 ] && append+=" e2e.bench=1 e2e.bench_runtime=$bench"
[ -n "${ZNSSIM_E2E_APPEND:-}" ] && append+=" $ZNSSIM_E2E_APPEND"

work="$(mktemp -d "${TMPDIR:-/tmp}/znssim-e2e.XXXXXX")"
cleanup() { if [ $keep = 1 ]; then log "work directory kept: $work"; else rm -rf "$work"; fi; }
trap cleanup EXIT

read -r -a extra_qemu <<<"${ZNSSIM_E2E_QEMU_ARGS:-}"
common_qemu=(-m 512M -smp 1 -nographic -no-reboot -vga none -net none)

# znssim runs in the work directory (the generated config's image lives there).
[ -n "$config" ] && { config="$(realpath "$config")" || exit 2; }
if [ "$mode" = model ] && [ -z "$config" ]; then
    config="$work/e2e.yaml"
    cat >"$config" <<EOF
# Generated by test/e2e/run_guest.sh: the geometry the guest checks expect.
controller:
  serial: ZNSE2E0001
  mdts: $mdts
  interrupts: intx
  capabilities: false
  bar0: {size: 16KiB, bits: 32}
namespaces:
  - nsid: 1
    image: zns.img
    lba_size: $lba
    type: zoned
    zoned:
      zone_size: $zone_bytes
      zone_capacity: $((zcap_lbas * lba))
      zones: $zones
      max_open: $max_open
      max_active: $max_active
      zasl: $zasl
EOF
    [ "$bzones" -gt 0 ] && cat >>"$config" <<EOF
  - nsid: 2
    image: btrfs.img
    lba_size: $lba
    type: zoned
    zoned:
      zone_size: $bzone
      zone_capacity: $bzcap
      zones: $bzones
      max_open: $bmax_open
      max_active: $bmax_active
      zasl: $zasl
EOF
fi

# boot N APPEND: one guest run; the console goes to $work/bootN.log.
boot() {
    local n="$1" args="$2" out="$work/boot$1.log" rc=0
    if [ "$mode" = reference ]; then
        [ -f "$work/zns.img" ] || truncate -s $((zones * zone_bytes)) "$work/zns.img"
        local ns2=()
        if [ "$bzones" -gt 0 ]; then
            [ -f "$work/btrfs.img" ] || truncate -s $((bzones * bzone)) "$work/btrfs.img"
            ns2=(-drive "file=$work/btrfs.img,if=none,id=z1,format=raw"
                 -device "nvme-ns,drive=z1,bus=nvme0,nsid=2,logical_block_size=$lba,physical_block_size=$lba,zoned=on,zoned.zone_size=$bzone,zoned.zone_capacity=$bzcap,zoned.max_open=$bmax_open,zoned.max_active=$bmax_active")
        fi
        timeout -k 10 "$timeout_s" "$qemu" -M pc -accel tcg "${common_qemu[@]}" \
            -kernel "$kernel" -initrd "$initrd" -append "$args" \
            -drive "file=$work/zns.img,if=none,id=z0,format=raw" \
            -device "nvme,serial=e2eref01,id=nvme0,mdts=$mdts,zoned.zasl=$zasl" \
            -device "nvme-ns,drive=z0,bus=nvme0,nsid=1,logical_block_size=$lba,physical_block_size=$lba,zoned=on,zoned.zone_size=$zone_bytes,zoned.zone_capacity=$((zcap_lbas * lba)),zoned.max_open=$max_open,zoned.max_active=$max_active" \
            "${ns2[@]}" \
            "${extra_qemu[@]}" </dev/null >"$out" 2>&1 || rc=$?
    else
        local a=(--append "$args") x=()
        # Older `znssim qemu` without --append: hand QEMU the kernel command line directly.
        "$ZNSSIM_BIN" qemu --help 2>&1 | grep -q -- '--append' || { a=(); x=(-append "$args"); }
        x+=("${extra_qemu[@]}")
        [ ${#x[@]} -gt 0 ] && x=(-- "${x[@]}")
        read -r -a zq <<<"${ZNSSIM_E2E_QEMU_OPTS:-}"
        (cd "$work" && timeout -k 10 "$timeout_s" "$ZNSSIM_BIN" qemu --config "$config" "${zq[@]}" \
            --kernel "$kernel" --initrd "$initrd" "${a[@]}" "${x[@]}" \
            </dev/null >"$out" 2>&1) || rc=$?
    fi
    tr -d '\r' <"$out" >"$out.txt"
    [ $rc = 124 ] && log "boot $n timed out after ${timeout_s}s"
    return 0
}

# check_boot N: 0 when the guest printed a summary without failures.
failed=0
check_boot() {
    local out="$work/boot$1.log.txt" summary
    summary="$(grep '^E2E-SUMMARY:' "$out" | tail -n1 || true)"
    grep -E '^E2E(: |-BEGIN|-END|-NOTE)' "$out" | sed "s/^/  boot $1: /" >&2 || true
    if [ -z "$summary" ] || ! echo "$summary" | grep -q ' fail=0 '; then
        log "boot $1 FAILED (${summary:-no E2E-SUMMARY line: the guest did not finish}); guest output:"
        sed 's/^/  | /' "$out" >&2
        failed=1
        return 1
    fi
    log "boot $1: $summary"
}

b0=$(date +%s.%N)
# The model's TCG interrupt path needs the guest to hold the irq-sharing serial port open.
irqtty="${ZNSSIM_E2E_IRQTTY:-$([ "$mode" = model ] && echo auto || echo none)}"
boot 1 "$append e2e.boot=1 e2e.irqtty=$irqtty"
b1=$(date +%s.%N)
if [ "$bench" != 0 ]; then
    # The fio output for bench/guest; a guest that did not finish is a failure.
    sed -n '/^E2E-BENCH-BEGIN/,/^E2E-BENCH-END/p; /^E2E-BENCH-FAIL/,$p' "$work/boot1.log.txt"
    check_boot 1 || true
    log "$(awk -v c="$b0" -v d="$b1" 'BEGIN { printf "timing: bench boot %.1fs", d-c }')"
    exit $failed
fi
# The guest's driver must take the Doorbell Buffer Config the model offers (Linux uses it when
# OACS says so), or every I/O queue doorbell stays an MMIO round trip through the proxy.
check_dbbuf() {
    if grep -q 'doorbell buffers: shadow' "$work/boot$1.log.txt"; then
        log "boot $1: the guest configured the shadow doorbell buffers"
    else
        log "boot $1 FAILED: the guest never sent Doorbell Buffer Config (admin 7Ch)"; failed=1
    fi
}
if check_boot 1 && [ "$mode" = model ]; then
    check_dbbuf 1
    persist="$(sed -n 's/^E2E-PERSIST \(.*\)$/\1/p' "$work/boot1.log.txt" | paste -sd, -)"
    bsum="$(sed -n 's/^E2E-BTRFS \([0-9a-f]*\)$/\1/p' "$work/boot1.log.txt" | tail -n1)"
    if [ -z "$persist" ]; then
        log "boot 1 printed no E2E-PERSIST lines"; failed=1
    elif [ "$bzones" -gt 0 ] && [ -z "$bsum" ]; then
        log "boot 1 printed no E2E-BTRFS line"; failed=1
    else
        boot 2 "$append e2e.boot=2 e2e.irqtty=$irqtty e2e.persist=$persist${bsum:+ e2e.btrfs_sum=$bsum}"
        check_boot 2 || true
    fi
fi
b2=$(date +%s.%N)
log "$(awk -v a="$t0" -v b="$t1" -v c="$b0" -v d="$b1" -v e="$b2" \
    'BEGIN { printf "timing: initramfs %.1fs, boot 1 %.1fs, boot 2 %.1fs, total %.1fs", b-a, d-c, e-d, e-a }')"
[ $failed = 0 ] && log "PASSED" || log "FAILED"
exit $failed
