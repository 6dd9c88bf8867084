#pragma once
// Namespace parameters: one entry of the "namespaces:" config section, already validated.
#include "model/sim/time.h"
#include "model/storage/backing_image.h"

#include <cstdint>
#include <string>
#include <vector>

namespace znssim::nvme {

/// A zone forced into Read Only or Offline, at start (at = 0) or after 'at' of simulated time:
/// for rehearsing host failure handling.
struct zone_fault {
    std::uint32_t zone = 0; ///< zone index
    bool offline = false;   ///< false: Read Only
    sim_time at = 0;
};

struct zoned_params {
    std::uint64_t zone_size_lbas = 0;     ///< ZSZE (a power of two for Linux; warned otherwise)
    std::uint64_t zone_capacity_lbas = 0; ///< ZCAP ≤ ZSZE (0 = zone size)
    std::uint32_t zone_count = 0;         ///< number of zones
    std::uint32_t conventional_zones = 0; ///< leading zones without write-pointer rules
    std::uint32_t max_open = 0;           ///< 0 = unlimited (MOR = FFFFFFFFh)
    std::uint32_t max_active = 0;         ///< 0 = unlimited (MAR = FFFFFFFFh)
    std::uint32_t descriptor_extension_bytes = 0; ///< ZDES × 64
    bool cross_zone_read = false;                 ///< OZCS.RAZB
    sim_time reset_recommended_after = 0; ///< RRL: active this long → Reset Recommended (0 = off)
    sim_time finish_recommended_after = 0; ///< FRL: active this long → Finish Recommended (0 = off)
    std::vector<zone_fault> faults;
};

struct namespace_params {
    std::uint32_t nsid = 1;
    std::string image;               ///< backing image path
    std::uint32_t lba_size = 4096;   ///< 512 or 4096
    std::uint64_t capacity_lbas = 0; ///< NSZE for conventional namespaces
    bool zoned = false;
    zoned_params zoned_cfg;
    durability mode = durability::process_crash;
    bool reformat = false; ///< reformat zone metadata that does not match
    /// false ("data: none"): writes are accepted and dropped, reads return zeros; zone state
    /// is still kept and persisted (timing studies at full drive scale without the disk).
    bool store_data = true;
    /// The controller instance whose loggers the namespace's join ("sys0.nvme": its lines then
    /// read "sys0.nvme.zns.ns1", nvme/core/device_log.h). Empty: the module names ("zns.ns1")
    /// until a controller adopts the namespace (nvme_namespace::set_log_instance).
    std::string log_instance;
};

} // namespace znssim::nvme
