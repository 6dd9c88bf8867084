# Block-layer view of the zoned namespace: what the Linux NVMe driver derived from Identify.
sysfs_checks() {
    expect_eq sysfs_zoned "$(cat $SYS/zoned)" host-managed
    expect_eq sysfs_chunk_sectors "$(cat $SYS/chunk_sectors)" "$E2E_ZSECT"
    expect_eq sysfs_nr_zones "$(cat $SYS/nr_zones)" "$E2E_NZONES"
    # The limits as the block layer exports them. Linux 6.10+ (zone write plugging,
    # disk_update_zone_resources) treats a limit of at least the number of zones as no limit,
    # and without limits shows its zone write plug pool size, min(128, zones), as
    # max_open_zones when that is below the number of zones. 6.1 exports MOR+1 and MAR+1.
    local mor=$E2E_MOR mar=$E2E_MAR
    if kernel_at_least 6 10; then
        [ "$mor" -ge "$E2E_NZONES" ] && mor=0
        [ "$mar" -ge "$E2E_NZONES" ] && mar=0
        [ "$mor" = 0 ] && [ "$mar" = 0 ] && [ "$E2E_NZONES" -gt 128 ] && mor=128
    fi
    expect_eq sysfs_max_open_zones "$(cat $SYS/max_open_zones)" "$mor"
    expect_eq sysfs_max_active_zones "$(cat $SYS/max_active_zones)" "$mar"
    expect_eq sysfs_zone_append_max_bytes "$(cat $SYS/zone_append_max_bytes)" "$E2E_APPEND_MAX"
    expect_eq sysfs_logical_block_size "$(cat $SYS/logical_block_size)" "$E2E_LBA"
}
