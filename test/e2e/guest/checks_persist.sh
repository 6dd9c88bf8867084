# Persistence through the guest (model only; QEMU's own ZNS device forgets zone state).
# Boot 1 writes random data into zones 0..2 (two partly written, one filled to capacity) and
# prints "E2E-PERSIST zone:wp:sha256" lines; the clean power-off closes the open zones. Boot 2
# gets those lines back as e2e.persist= and checks state, write pointer and data. In reference
# mode the same checks run inside boot 1 as "selftest_persistence*" (see persist_write).
PERSIST_NLB="5 37 0"   # LBAs written per zone (0 = fill to capacity)

persist_write() {
    local i=0 n z sha entries=""
    blkzone reset "$DEV" >/dev/null 2>&1
    for n in $PERSIST_NLB; do
        [ "$n" = 0 ] && n=$E2E_ZCAP
        z=$(zslba $i)
        dd if=/dev/urandom of=/tmp/p$i bs="$E2E_LBA" count="$n" 2>/dev/null
        if ! write_lbas "$z" "$n" /tmp/p$i >/dev/null; then fail persistence_write "zone $i"; return; fi
        sha=$(sha256sum </tmp/p$i | cut -c1-64)
        entries="$entries${entries:+,}$i:$((z + n)):$sha"
        i=$((i + 1))
    done
    sync
    if [ "$E2E_MODE" = model ]; then
        for n in $(echo "$entries" | tr ',' ' '); do echo "E2E-PERSIST $n"; done
        pass persistence_write
        return
    fi
    skip persistence "model only (QEMU's ZNS device does not persist zone state)"
    # Reference mode still exercises the boot-2 checks within this boot: closing the written
    # zones by hand stands in for the controller's shutdown.
    for n in $(seq 0 $((i - 1))); do nvme zns close-zone "$DEV" -s "$(zslba "$n")" >/dev/null 2>&1; done
    E2E_PERSIST="$entries"
    PERSIST_PREFIX=selftest_persistence
    persist_verify
    blkzone reset "$DEV" >/dev/null 2>&1
}

persist_verify() {
    local p="${PERSIST_PREFIX:-persistence}" ent zi wp sha z want st got ok=1
    [ -n "$E2E_PERSIST" ] || { fail "$p" "boot 2 without e2e.persist"; return; }
    for ent in $(echo "$E2E_PERSIST" | tr ',' ' '); do
        zi=${ent%%:*}; sha=${ent##*:}; wp=${ent#*:}; wp=${wp%%:*}
        z=$(zslba "$zi")
        if [ $((wp - z)) -ge "$E2E_ZCAP" ]; then want=FULL; else want=CLOSED; fi
        st=$(zone_state "$zi")
        if [ "$st" != "$want" ]; then fail "${p}_state" "zone $zi is $st, expected $want"; ok=0; fi
        if [ "$want" = CLOSED ] && [ "$(zone_wp "$zi")" != "$wp" ]; then
            fail "${p}_wp" "zone $zi WP $(zone_wp "$zi"), expected $wp"; ok=0
        fi
        got=$(dd if="$DEV" bs="$E2E_LBA" skip="$z" count=$((wp - z)) iflag=direct 2>/dev/null | sha256sum | cut -c1-64)
        if [ "$got" != "$sha" ]; then fail "${p}_data" "zone $zi data differs"; ok=0; fi
    done
    [ $ok = 1 ] && pass "$p"
    # The zones stay usable: the next write continues at the persisted write pointer.
    zi=${E2E_PERSIST%%:*}; wp=${E2E_PERSIST#*:}; wp=${wp%%:*}
    if write_lbas "$wp" 1 >/dev/null && [ "$(zone_wp "$zi")" = $((wp + 1)) ]; then pass "${p}_write_continues"
    else fail "${p}_write_continues" "write at the persisted WP $wp of zone $zi"; fi
}
