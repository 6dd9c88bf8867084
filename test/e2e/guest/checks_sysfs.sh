# Block-layer view of the zoned namespace: what the Linux NVMe driver derived from Identify.
sysfs_checks() {
    expect_eq sysfs_zoned "$(cat $SYS/zoned)" host-managed
    expect_eq sysfs_chunk_sectors "$(cat $SYS/chunk_sectors)" "$E2E_ZSECT"
    expect_eq sysfs_nr_zones "$(cat $SYS/nr_zones)" "$E2E_NZONES"
    expect_eq sysfs_max_open_zones "$(cat $SYS/max_open_zones)" "$E2E_MOR"
    expect_eq sysfs_max_active_zones "$(cat $SYS/max_active_zones)" "$E2E_MAR"
    expect_eq sysfs_zone_append_max_bytes "$(cat $SYS/zone_append_max_bytes)" "$E2E_APPEND_MAX"
    expect_eq sysfs_logical_block_size "$(cat $SYS/logical_block_size)" "$E2E_LBA"
}
