# btrfs in zoned mode on its own zoned namespace (e2e.btrfs=NSID; none skips it): the
# kernel's zoned btrfs writes metadata sequentially at the write pointers and data with Zone
# Append, keeps superblock log zones at the start of the device and checks every block group's
# write pointer when it mounts, so it exercises the device the way a real host does.
# Boot 1: mkfs.btrfs -O zoned, mount, write files from /tmp (checksummed there), scrub, unmount,
# mount again and verify, unmount; the manifest's hash is printed as "E2E-BTRFS <sha256>".
# Boot 2 (model): mount the same file system after the model restarted, check the manifest
# against e2e.btrfs_sum, verify the files, write one more file, scrub, unmount.
BTRFS_MNT=/mnt/btrfs

# btrfs_modules: load btrfs and its dependencies (listed in load order by build_initramfs.sh).
btrfs_modules() {
    local d="/lib/modules/$(uname -r)" m
    grep -q -w btrfs /proc/filesystems && return 0
    [ -f "$d/e2e-modules" ] || { fail btrfs_module "no $d/e2e-modules in the initramfs"; return 1; }
    for m in $(cat "$d/e2e-modules"); do
        if ! run insmod "$d/$m"; then fail btrfs_module "insmod $m failed"; show_out; return 1; fi
    done
    pass btrfs_module
}

# btrfs_setup: the namespace is there and zoned, the modules are loaded.
btrfs_setup() {
    local name
    if ! name=$(wait_ns_disk "$E2E_BTRFS"); then
        fail btrfs_device "no block device of NSID $E2E_BTRFS after ${E2E_WAIT}s"; return 1
    fi
    BDEV="/dev/$name"
    if [ "$(cat "/sys/block/$name/queue/zoned")" != host-managed ] ||
       [ "$(cat "/sys/block/$name/queue/chunk_sectors")" != $((E2E_BTRFS_ZONE / 512)) ]; then
        fail btrfs_device "$BDEV is not a host-managed device with $E2E_BTRFS_ZONE-byte zones"
        return 1
    fi
    mkdir -p "$BTRFS_MNT"
    btrfs_modules
}

btrfs_mount() {
    if run mount -t btrfs "$BDEV" "$BTRFS_MNT"; then pass "$1"; return 0; fi
    fail "$1" "mount failed"; show_out
    dmesg | grep -i btrfs | tail -n 20 | sed 's/^/    | /'
    return 1
}

btrfs_umount() {
    if run umount "$BTRFS_MNT"; then return 0; fi
    fail "$1" "umount failed"; show_out
    return 1
}

# btrfs_verify NAME: the files listed in MANIFEST have their checksums.
btrfs_verify() {
    if [ -s "$BTRFS_MNT/MANIFEST" ] && (cd "$BTRFS_MNT" && sha256sum -c MANIFEST >/dev/null 2>&1); then
        pass "$1"
    else
        fail "$1" "file contents differ from their checksums"
        (cd "$BTRFS_MNT" && sha256sum -c MANIFEST 2>&1 | sed 's/^/    | /')
    fi
}

# btrfs_scrub NAME: read back and verify every data and metadata block on the device.
btrfs_scrub() {
    if run btrfs scrub start -B "$BTRFS_MNT" && echo "$OUT" | grep -q 'no errors found'; then pass "$1"
    else fail "$1" "btrfs scrub exited with $RC"; show_out; fi
}

btrfs_write() {
    local f n sum
    [ "$E2E_BTRFS" != none ] || { skip btrfs "no btrfs namespace (e2e.btrfs=none)"; return; }
    btrfs_setup || return
    if run mkfs.btrfs -f -O zoned "$BDEV"; then pass btrfs_mkfs_zoned
    else fail btrfs_mkfs_zoned "mkfs.btrfs -O zoned exited with $RC"; show_out; return; fi
    btrfs_mount btrfs_mount || return
    # The kernel took it as a zoned file system with the device's zone size.
    if dmesg | grep -q "zoned mode enabled with zone size $E2E_BTRFS_ZONE"; then pass btrfs_zoned_mode
    else fail btrfs_zoned_mode "no 'zoned mode enabled with zone size $E2E_BTRFS_ZONE' in dmesg"
        dmesg | grep -i btrfs | tail -n 10 | sed 's/^/    | /'; fi
    # A few MiB: files larger than a zone's capacity, a small one and one inline in metadata.
    mkdir -p /tmp/bf "$BTRFS_MNT/dir"
    for n in big:4096 mid:1024 dir/small:13 dir/tiny:1; do
        f=${n%%:*}
        mkdir -p "/tmp/bf/$(dirname "$f")"
        if [ "$f" = dir/tiny ]; then head -c 1500 /dev/urandom >"/tmp/bf/$f"
        else dd if=/dev/urandom of="/tmp/bf/$f" bs=1024 count="${n#*:}" 2>/dev/null; fi
    done
    (cd /tmp/bf && sha256sum big mid dir/small dir/tiny) >/tmp/bf/MANIFEST
    if cp /tmp/bf/big /tmp/bf/mid /tmp/bf/MANIFEST "$BTRFS_MNT/" &&
       cp /tmp/bf/dir/small /tmp/bf/dir/tiny "$BTRFS_MNT/dir/" && sync; then pass btrfs_write_files
    else fail btrfs_write_files "cp or sync failed"; fi
    rm -rf /tmp/bf
    btrfs_scrub btrfs_scrub
    btrfs_umount btrfs_umount || return
    pass btrfs_umount
    # Mounted again in the same boot, the files come from the device (not the page cache).
    btrfs_mount btrfs_remount || return
    btrfs_verify btrfs_remount_verify
    sum=$(sha256sum <"$BTRFS_MNT/MANIFEST" | cut -c1-64)
    btrfs_umount btrfs_remount_umount || return
    if [ "$E2E_MODE" = model ]; then echo "E2E-BTRFS $sum"
    else skip btrfs_persistence "model only (QEMU's ZNS device does not persist zone state)"; fi
}

btrfs_persist_verify() {
    [ "$E2E_BTRFS" != none ] || return 0
    btrfs_setup || return
    [ -n "$E2E_BTRFS_SUM" ] || { fail btrfs_persistence "boot 2 without e2e.btrfs_sum"; return; }
    btrfs_mount btrfs_persistence_mount || return
    expect_eq btrfs_persistence_manifest "$(sha256sum <"$BTRFS_MNT/MANIFEST" | cut -c1-64)" "$E2E_BTRFS_SUM"
    btrfs_verify btrfs_persistence
    # Still writable: new data lands behind the write pointers the device kept.
    dd if=/dev/urandom of=/tmp/after bs=1024 count=512 2>/dev/null
    if cp /tmp/after "$BTRFS_MNT/after" && sync && cmp -s /tmp/after "$BTRFS_MNT/after"; then
        pass btrfs_persistence_write
    else fail btrfs_persistence_write "writing a file after the restart failed"; fi
    btrfs_scrub btrfs_persistence_scrub
    btrfs_umount btrfs_persistence_umount && pass btrfs_persistence_umount
}
