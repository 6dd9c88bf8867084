# util-linux blkzone (the kernel's BLKREPORTZONE/BLKOPENZONE/... ioctls) must agree with the
# device's own report as nvme-cli prints it.

# canon_nvme / canon_blkzone: one "index condition relative-wp-in-sectors" line per zone; the
# WP of a full zone is not compared (Linux reports start+len, the device may report ~0).
# Both parse with one sed per report and shell arithmetic: every fork costs under TCG.
canon_nvme() {
    local slba wp st c
    nvme zns report-zones "$DEV" |
        sed -n 's/.*SLBA: *\([0-9a-fx]*\) *WP: *\([0-9a-fx]*\).*State: *\([0-9a-fx]*\).*/\1 \2 \3/p' |
        while read -r slba wp st; do
            case "$st" in
                0x1?) c=em ;; 0x2?) c=oi ;; 0x3?) c=oe ;; 0x4?) c=cl ;;
                0xd?) c=ro ;; 0xe?) c=fu ;; 0xf?) c=of ;; *) c="$st" ;;
            esac
            case "$c" in fu|ro|of) wp=- ;; *) wp=$(( (wp - slba) * E2E_SPL )) ;; esac
            echo "$((slba / E2E_ZSZE)) $c $wp"
        done
}
canon_blkzone() {
    local start wp c
    blkzone report "$DEV" |
        sed -n 's/.*start: *\(0x[0-9a-f]*\).*wptr *\(0x[0-9a-f]*\).*zcond: *[0-9]*(\([a-z]*\)).*/\1 \2 \3/p' |
        while read -r start wp c; do
            case "$c" in fu|ro|of) wp=- ;; *) wp=$((wp)) ;; esac
            echo "$((start / E2E_ZSECT)) $c $wp"
        done
}

agree() {
    canon_nvme >/tmp/zn 2>&1
    canon_blkzone >/tmp/zb 2>&1
    if [ -s /tmp/zn ] && cmp -s /tmp/zn /tmp/zb; then pass "$1"
    else
        fail "$1" "blkzone report differs from nvme zns report-zones (index cond wp)"
        OUT="$(diff /tmp/zn /tmp/zb)"; show_out
    fi
}

# blk_action NAME CMD ZONE STATE: blkzone CMD on one zone, then check the device's view.
blk_action() {
    if run blkzone "$2" -o $(($3 * E2E_ZSECT)) -c 1 "$DEV"; then expect_state "$1" "$3" "$4"
    else fail "$1" "blkzone $2 failed"; show_out; fi
}

blkzone_checks() {
    run blkzone reset "$DEV" || { fail blkzone_reset_all "$OUT"; return; }
    agree blkzone_report_empty
    write_lbas "$(zslba 0)" 8 >/dev/null || fail blkzone_setup "write to zone 0 failed"
    blk_action blkzone_open open 1 EXP_OPENED
    write_lbas "$(zslba 2)" 3 >/dev/null || fail blkzone_setup "write to zone 2 failed"
    blk_action blkzone_close close 2 CLOSED
    blk_action blkzone_finish finish 3 FULL
    agree blkzone_report_agrees
    # ...and both show what was done: 8 LBAs written, opened, 3 LBAs written + closed, finished.
    expect_eq blkzone_report_content "$(head -n 4 /tmp/zb | tr '\n' ';')" \
        "0 oi $((8 * E2E_SPL));1 oe 0;2 cl $((3 * E2E_SPL));3 fu -;"
    blk_action blkzone_reset reset 2 EMPTY
    if run blkzone reset "$DEV"; then
        if [ "$(canon_nvme | grep -v -c ' em 0$')" = 0 ]; then pass blkzone_reset_all
        else fail blkzone_reset_all "zones left non-empty"; canon_nvme; fi
    else fail blkzone_reset_all "blkzone reset failed"; show_out; fi
}
