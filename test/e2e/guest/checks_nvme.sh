# nvme-cli's zns plugin against the namespace: identify, report, append, zone actions and the
# zone errors the device must return. Zone use: 0 append, 1 open/close/finish/reset and full-zone
# write, 2 out-of-order write, 3.. open and active limits. Everything is reset at the end.

# nvme_status_of: the NVMe status name/code nvme-cli printed for a failed command, lower case.
nvme_status_of() { echo "$OUT" | tr 'A-Z' 'a-z' | grep -o -E 'nvme status:.*|0x[0-9a-f]+\)' | head -n1; }

# expect_nvme_error NAME CODE CMD...: the command must fail with status CODE (e.g. 1b9).
expect_nvme_error() {
    local name="$1" code="$2"; shift 2
    if run "$@"; then
        fail "$name" "succeeded, expected status 0x$code"; show_out
    elif echo "$OUT" | tr 'A-Z' 'a-z' | grep -q -E "\(0x[0-9a-f]?$code\)|0x[0-9a-f]?$code\b"; then
        pass "$name"
    else
        fail "$name" "failed, but not with status 0x$code"; show_out
    fi
}

# expect_state NAME ZONE STATE [WP] (one report command: every fork costs under TCG)
expect_state() {
    local wp zs st
    read -r wp zs <<EOF
$(zone_line "$2" | sed -n 's/.*WP: *\([0-9a-fx]*\).*State: *\([0-9a-fx]*\).*/\1 \2/p')
EOF
    st=$(state_name "$zs")
    if [ "$st" != "$3" ]; then fail "$1" "zone $2 is '$st', expected $3"; return 1; fi
    if [ -n "${4:-}" ] && [ "$((wp))" != "$4" ]; then
        fail "$1" "zone $2 WP $((wp)), expected $4"; return 1
    fi
    pass "$1"
}

# zone_action NAME ACTION ZONE STATE [WP]: "nvme zns ACTION" on ZONE, then check its state.
zone_action() {
    if run nvme zns "$2" "$DEV" -s "$(zslba "$3")"; then expect_state "$1" "$3" "$4" "${5:-}"
    else fail "$1" "nvme zns $2 failed"; show_out; fi
}

# nvme_write LBA NLB: one Write command through the passthrough path (no kernel retries).
nvme_write() {
    dd if=/dev/urandom of=/tmp/wbuf bs="$E2E_LBA" count="$2" 2>/dev/null
    nvme write "$DEV" --start-block="$1" --block-count=$(($2 - 1)) \
        --data-size=$(($2 * E2E_LBA)) --data=/tmp/wbuf
}

nvme_checks() {
    local z lba n i
    run nvme zns reset-zone "$DEV" -a || { fail nvme_reset_all "$OUT"; return; }

    if run nvme zns id-ctrl "$DEV" && echo "$OUT" | grep -q -E "^zasl *: *$E2E_ZASL\$"; then
        pass nvme_zns_id_ctrl
    else fail nvme_zns_id_ctrl "expected zasl $E2E_ZASL"; show_out; fi

    if run nvme zns id-ns "$DEV"; then
        local mar mor zs
        mar=$(printf '%d' "$(echo "$OUT" | sed -n 's/^mar *: *\([0-9a-fx]*\).*/\1/p')")
        mor=$(printf '%d' "$(echo "$OUT" | sed -n 's/^mor *: *\([0-9a-fx]*\).*/\1/p')")
        zs=$(printf '%d' "$(echo "$OUT" | grep 'in use' | sed -n 's/.*zsze: *\([0-9a-fx]*\).*/\1/p')")
        # MAR/MOR are 0-based; FFFFFFFFh means no limit (0 in sysfs and in e2e.mar/e2e.mor).
        local want_mar=$((E2E_MAR == 0 ? 0xffffffff : E2E_MAR - 1))
        local want_mor=$((E2E_MOR == 0 ? 0xffffffff : E2E_MOR - 1))
        if [ "$mar" = "$want_mar" ] && [ "$mor" = "$want_mor" ] && [ "$zs" = "$E2E_ZSZE" ]; then
            pass nvme_zns_id_ns
        else fail nvme_zns_id_ns "mar=$mar mor=$mor zsze=$zs, expected $want_mar $want_mor $E2E_ZSZE"; show_out; fi
    else fail nvme_zns_id_ns "command failed"; show_out; fi

    if run nvme zns report-zones "$DEV"; then
        local nz lines bad
        nz=$(echo "$OUT" | sed -n 's/^nr_zones: *\([0-9]*\).*/\1/p')
        lines=$(echo "$OUT" | grep -c 'SLBA:')
        bad=$(echo "$OUT" | grep 'SLBA:' | grep -v -c 'State: *0x1[0-9a-f] ')
        if [ "$nz" = "$E2E_NZONES" ] && [ "$lines" = "$E2E_NZONES" ] && [ "$bad" = 0 ]; then
            pass nvme_zns_report_zones
        else fail nvme_zns_report_zones "nr_zones=$nz lines=$lines non-empty=$bad"; show_out; fi
    else fail nvme_zns_report_zones "command failed"; show_out; fi

    # Zone append: the device picks the LBA and returns it; two appends land back to back.
    z=$(zslba 0)
    dd if=/dev/urandom of=/tmp/app1 bs="$E2E_LBA" count=1 2>/dev/null
    dd if=/dev/urandom of=/tmp/app2 bs="$E2E_LBA" count=2 2>/dev/null
    run nvme zns zone-append "$DEV" -s "$z" -z "$E2E_LBA" -d /tmp/app1
    local a1="$OUT"
    run nvme zns zone-append "$DEV" -s "$z" -z $((2 * E2E_LBA)) -d /tmp/app2
    local a2="$OUT"
    if echo "$a1" | grep -q -i "appended data to LBA $(printf '%x' "$z")\$" &&
       echo "$a2" | grep -q -i "appended data to LBA $(printf '%x' $((z + 1)))\$"; then
        pass nvme_zns_zone_append_lba
    else fail nvme_zns_zone_append_lba "expected LBAs $z and $((z + 1))"; OUT="$a1
$a2"; show_out; fi
    dd if="$DEV" of=/tmp/appr bs="$E2E_LBA" skip="$z" count=3 iflag=direct 2>/dev/null
    if [ "$(cat /tmp/app1 /tmp/app2 | sha256sum | cut -c1-64)" = "$(sha256sum </tmp/appr | cut -c1-64)" ]; then
        pass nvme_zns_zone_append_data
    else fail nvme_zns_zone_append_data "read-back differs from the appended data"; fi
    expect_state nvme_zns_zone_append_wp 0 IMP_OPENED $((z + 3))

    if run nvme zns changed-zone-list "$DEV"; then pass changed_zone_list
    else fail changed_zone_list "$(nvme_status_of)"; fi

    # Zone actions on zone 1, then a write into the finished (full) zone.
    z=$(zslba 1)
    zone_action nvme_zns_open_zone open-zone 1 EXP_OPENED "$z"
    nvme_write "$z" 2 >/dev/null 2>&1
    zone_action nvme_zns_close_zone close-zone 1 CLOSED $((z + 2))
    zone_action nvme_zns_finish_zone finish-zone 1 FULL
    expect_nvme_error write_full_zone_fails 1b9 nvme_write "$z" 1
    if write_lbas "$z" 1 >/dev/null; then fail write_full_zone_fails_blockdev "dd succeeded"
    else pass write_full_zone_fails_blockdev; fi
    zone_action nvme_zns_reset_zone reset-zone 1 EMPTY "$z"

    # A write that is not at the write pointer.
    z=$(zslba 2)
    expect_nvme_error out_of_order_write_fails 1bc nvme_write $((z + 1)) 1
    if write_lbas $((z + 4)) 1 >/dev/null; then fail out_of_order_write_fails_blockdev "dd succeeded"
    else pass out_of_order_write_fails_blockdev; fi
    expect_state out_of_order_write_keeps_zone 2 EMPTY "$z"
    # After the failed write the kernel learns the zone's write pointer from the device's report
    # and writes at it go through. Linux 6.1 keeps no write pointer of its own; 6.12's zone write
    # plugging (with the 6.13 error handling backported to 6.12.y) fails every write to the zone
    # after an error until a zone report (BLKREPORTZONE: blkzone report) or a reset/finish
    # resynchronises it, so the report comes first, as any zoned application does after an error.
    blkzone report -o $((2 * E2E_ZSECT)) -c 1 "$DEV" >/dev/null 2>&1
    if write_lbas "$z" 1 >/dev/null; then expect_state write_at_wp_after_failed_write 2 IMP_OPENED $((z + 1))
    else fail write_at_wp_after_failed_write "dd at the write pointer (after blkzone report) failed"; fi

    # Open limit (from a clean slate: an implicitly open zone would count against the limits):
    # MOR explicit opens succeed, one more fails; a write into a further empty
    # zone (implicit open) fails too because no open zone can be closed implicitly.
    if [ "$E2E_MOR" -gt 0 ] && [ $((3 + E2E_MAR + 1)) -le "$E2E_NZONES" ]; then
        nvme zns reset-zone "$DEV" -a >/dev/null 2>&1
        n=0
        for i in $(seq 3 $((3 + E2E_MOR - 1))); do
            nvme zns open-zone "$DEV" -s "$(zslba "$i")" >/dev/null 2>&1 && n=$((n + 1))
        done
        if [ "$n" = "$E2E_MOR" ]; then pass open_up_to_limit
        else fail open_up_to_limit "only $n of $E2E_MOR explicit opens succeeded"; fi
        i=$((3 + E2E_MOR))
        expect_nvme_error open_limit_exceeded_fails 1be nvme zns open-zone "$DEV" -s "$(zslba "$i")"
        expect_nvme_error open_limit_exceeded_write_fails 1be nvme_write "$(zslba "$i")" 1

        # Active limit: closed zones stay active; MAR-MOR more opens fill it, one more fails.
        if [ "$E2E_MAR" -gt "$E2E_MOR" ]; then
            for i in $(seq 3 $((3 + E2E_MOR - 1))); do
                nvme zns close-zone "$DEV" -s "$(zslba "$i")" >/dev/null 2>&1
            done
            n=0
            for i in $(seq $((3 + E2E_MOR)) $((3 + E2E_MAR - 1))); do
                nvme zns open-zone "$DEV" -s "$(zslba "$i")" >/dev/null 2>&1 && n=$((n + 1))
            done
            if [ "$n" = $((E2E_MAR - E2E_MOR)) ]; then
                expect_nvme_error active_limit_exceeded_fails 1bd \
                    nvme zns open-zone "$DEV" -s "$(zslba $((3 + E2E_MAR)))"
            else fail active_limit_exceeded_fails "only $n opens up to the active limit succeeded"; fi
        else skip active_limit_exceeded_fails "max_active <= max_open"; fi
    else
        skip open_limit_exceeded_fails "no open limit or too few zones"
    fi

    run nvme zns reset-zone "$DEV" -a || fail nvme_reset_all "$OUT"
}
