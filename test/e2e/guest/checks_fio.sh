# fio in zoned mode: sequential direct writes over a few zones (fio resets them first because
# verify is on, writes up to each zone's capacity and honours max_open_zones), then reads back
# and checks crc32c.
fio_checks() {
    local zbytes=$((E2E_ZSZE * E2E_LBA)) first=4 count=4
    [ $((first + count)) -le "$E2E_NZONES" ] || count=$((E2E_NZONES - first))
    if run fio --name=e2e --filename="$DEV" --zonemode=zbd --direct=1 --ioengine=psync \
            --rw=write --bs=$((16 * E2E_LBA)) --offset=$((first * zbytes)) \
            --size=$((count * zbytes)) --verify=crc32c --do_verify=1 --verify_fatal=1 \
            --group_reporting; then
        if echo "$OUT" | grep -q 'err= 0'; then pass fio_zbd_write_verify
        else fail fio_zbd_write_verify "no 'err= 0' in fio output"; show_out; fi
    else
        fail fio_zbd_write_verify "fio exited with $RC"; show_out
    fi
    blkzone reset "$DEV" >/dev/null 2>&1
}
