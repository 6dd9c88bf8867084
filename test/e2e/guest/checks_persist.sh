# Persistence through the guest (model only; QEMU's own ZNS device forgets zone state).
# Boot 1 writes random data into zones 0..2 (two partly written, one filled to capacity) and
# prints "E2E-PERSIST zone:wp:sha256" lines; the clean power-off closes the open zones. Boot 2
# gets those lines back as e2e.persist= and checks state, write pointer and data.
PERSIST_NLB="5 37 0"   # LBAs written per zone (0 = fill to capacity)

persist_write() {
    local i=0 n z sha
    if [ "$E2E_MODE" != model ]; then
        skip persistence "model only (QEMU's ZNS device does not persist zone state)"
        return
    fi
    blkzone reset "$DEV" >/dev/null 2>&1
    for n in $PERSIST_NLB; do
        [ "$n" = 0 ] && n=$E2E_ZCAP
        z=$(zslba $i)
        dd if=/dev/urandom of=/tmp/p$i bs="$E2E_LBA" count="$n" 2>/dev/null
        if ! write_lbas "$z" "$n" /tmp/p$i >/dev/null; then fail persistence_write "zone $i"; return; fi
        sha=$(sha256sum </tmp/p$i | cut -c1-64)
        echo "E2E-PERSIST $i:$((z + n)):$sha"
        i=$((i + 1))
    done
    sync
    pass persistence_write
}

persist_verify() {
    local ent zi wp sha z want st got ok=1
    [ -n "$E2E_PERSIST" ] || { fail persistence "boot 2 without e2e.persist"; return; }
    for ent in $(echo "$E2E_PERSIST" | tr ',' ' '); do
        zi=${ent%%:*}; sha=${ent##*:}; wp=${ent#*:}; wp=${wp%%:*}
        z=$(zslba "$zi")
        if [ $((wp - z)) -ge "$E2E_ZCAP" ]; then want=FULL; else want=CLOSED; fi
        st=$(zone_state "$zi")
        if [ "$st" != "$want" ]; then fail persistence_state "zone $zi is $st, expected $want"; ok=0; fi
        if [ "$want" = CLOSED ] && [ "$(zone_wp "$zi")" != "$wp" ]; then
            fail persistence_wp "zone $zi WP $(zone_wp "$zi"), expected $wp"; ok=0
        fi
        got=$(dd if="$DEV" bs="$E2E_LBA" skip="$z" count=$((wp - z)) iflag=direct 2>/dev/null | sha256sum | cut -c1-64)
        if [ "$got" != "$sha" ]; then fail persistence_data "zone $zi data differs"; ok=0; fi
    done
    [ $ok = 1 ] && pass persistence
    # The zones stay usable: the next write continues at the persisted write pointer.
    zi=${E2E_PERSIST%%:*}; wp=${E2E_PERSIST#*:}; wp=${wp%%:*}
    if write_lbas "$wp" 1 >/dev/null && [ "$(zone_wp "$zi")" = $((wp + 1)) ]; then pass persistence_write_continues
    else fail persistence_write_continues "write at the persisted WP $wp of zone $zi"; fi
}
