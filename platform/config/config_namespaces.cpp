// The "namespaces:" section: one entry per namespace, conventional or zoned.
#include "model/log/log.h"
#include "platform/config/config_sections.h"
#include "platform/config/load_config.h"

#include <filesystem>
#include <optional>

namespace znssim::platform::detail {
namespace {

constexpr std::uint64_t max_namespace_bytes = 64ull << 40; // the image is memory mapped

std::uint32_t read_limit(yaml_map& z, const std::string& key) {
    auto v = z.find(key);
    if (!v || (v->is_scalar() && v->scalar() == "unlimited")) return 0;
    return static_cast<std::uint32_t>(v->as_uint(0, 0xfffffffe));
}

/// RRL/FRL are reported in whole seconds (Identify Namespace ZNS).
void read_seconds(yaml_map& z, const std::string& key, sim_time& out) {
    auto v = z.find(key);
    if (!v) return;
    out = v->as_duration(0, from_s(0xffffffffull));
    if (out % from_s(1))
        v->fail("must be a whole number of seconds (the limit is reported in seconds)");
}

std::vector<nvme::zone_fault> read_faults(yaml_map& z, std::uint32_t zones) {
    std::vector<nvme::zone_fault> faults;
    auto list = z.find("faults");
    if (!list) return faults;
    for (const auto& item : list->as_sequence()) {
        yaml_map f(item);
        nvme::zone_fault fault;
        auto zone = f.get("zone");
        fault.zone = static_cast<std::uint32_t>(zone.as_uint(0, 0xffffffff));
        if (fault.zone >= zones)
            zone.fail("zone " + std::to_string(fault.zone) + " does not exist (the namespace has " +
                      std::to_string(zones) + " zones)");
        fault.offline = f.get("state").as_choice({"read_only", "offline"}) == 1;
        f.read_duration("after", fault.at, 0, from_s(1ull << 32));
        f.finish();
        faults.push_back(fault);
    }
    return faults;
}

/// Zone count from exactly one of: namespace capacity/lbas, zoned.zones, zoned.capacity.
std::uint32_t zone_count(yaml_map& z, const std::optional<yaml_value>& ns_capacity,
                         std::optional<std::uint64_t> ns_bytes, std::uint64_t zone_bytes,
                         const yaml_value& where) {
    auto zones = z.find("zones");
    auto capacity = z.find("capacity");
    int given = (zones ? 1 : 0) + (capacity ? 1 : 0) + (ns_capacity ? 1 : 0);
    if (given == 0)
        where.fail("give the size as zoned.zones (a count), zoned.capacity or capacity");
    if (given > 1)
        (zones ? *zones : *capacity).fail("give only one of zones, zoned.capacity and capacity");
    if (zones) return static_cast<std::uint32_t>(zones->as_uint(1, 0xffffffff));
    std::uint64_t bytes = ns_bytes.value_or(0);
    const yaml_value& at = capacity ? *capacity : *ns_capacity;
    if (capacity) bytes = capacity->as_size(1, max_namespace_bytes);
    if (bytes % zone_bytes)
        at.fail("must be a multiple of the zone size (" + format_size(zone_bytes) + ")");
    if (bytes / zone_bytes > 0xffffffffull) at.fail("too many zones");
    return static_cast<std::uint32_t>(bytes / zone_bytes);
}

/// A zoned namespace's own zasl key: still accepted, but ZASL is a controller property, so
/// read_namespaces() checks that every such key agrees.
struct zasl_key {
    std::uint8_t value = 0;
    std::optional<yaml_value> where;
};

void read_zoned(yaml_map z, nvme::namespace_params& ns, std::optional<yaml_value> ns_capacity,
                std::optional<std::uint64_t> ns_bytes, const system_config& cfg, zasl_key& zasl) {
    auto& p = ns.zoned_cfg;
    const std::uint64_t lba = ns.lba_size;
    z.allow({"zone_size", "zone_capacity", "zones", "capacity", "conventional_zones", "max_open",
             "max_active", "zasl", "descriptor_extension_size", "cross_zone_read",
             "reset_recommended_after", "finish_recommended_after", "faults"});
    z.alias("cross_read", "cross_zone_read"); // QEMU's nvme-ns zoned.* property names
    z.alias("descr_ext_size", "descriptor_extension_size");
    z.finish();
    auto size = z.get("zone_size");
    std::uint64_t zone_bytes = size.as_size(lba, max_namespace_bytes);
    if (zone_bytes % lba) size.fail("must be a multiple of lba_size (" + std::to_string(lba) + ")");
    p.zone_size_lbas = zone_bytes / lba;
    if (p.zone_size_lbas & (p.zone_size_lbas - 1))
        ZLOG_WARN(log::get("platform.config"),
                  "{}: the zone size ({} LBAs) is not a power of two: Linux hides such a "
                  "namespace (\"invalid zone size\")",
                  size.where(), p.zone_size_lbas);
    p.zone_capacity_lbas = p.zone_size_lbas;
    if (auto cap = z.find("zone_capacity")) {
        // 0 is the zone size, as QEMU's zoned.zone_capacity=0 means.
        std::uint64_t bytes = cap->as_size(0, zone_bytes);
        if (bytes == 0) bytes = zone_bytes;
        if (bytes % lba) cap->fail("must be a multiple of lba_size (" + std::to_string(lba) + ")");
        p.zone_capacity_lbas = bytes / lba;
    }
    p.zone_count = zone_count(z, ns_capacity, ns_bytes, zone_bytes, z.value());
    // Compared by division: zones × zone bytes can exceed 64 bits (2^32 zones of 64 TiB).
    if (p.zone_count > max_namespace_bytes / zone_bytes) {
        auto zones = z.find("zones");
        (zones ? *zones : z.value())
            .fail(std::to_string(p.zone_count) + " zones of " + format_size(zone_bytes) +
                  " would make the namespace larger than " + format_size(max_namespace_bytes));
    }
    z.read_uint("conventional_zones", p.conventional_zones, 0, p.zone_count - 1);
    p.max_open = read_limit(z, "max_open");
    p.max_active = read_limit(z, "max_active");
    if (p.max_active != 0 && p.max_open == 0) p.max_open = p.max_active; // MOR may not exceed MAR
    if (p.max_active != 0 && p.max_open > p.max_active)
        z.find("max_open")
            ->fail("must not exceed max_active (" + std::to_string(p.max_active) + ")");
    if (auto v = z.find("zasl")) {
        const std::uint8_t mdts = cfg.controller.mdts;
        zasl.value = static_cast<std::uint8_t>(v->as_uint(0, mdts ? mdts : 15));
        zasl.where = v;
    }
    if (auto ext = z.find("descriptor_extension_size")) {
        std::uint64_t bytes = ext->as_size(0, 16320);
        if (bytes % 64) ext->fail("must be a multiple of 64 bytes (ZDES counts 64-byte units)");
        p.descriptor_extension_bytes = static_cast<std::uint32_t>(bytes);
    }
    z.read_bool("cross_zone_read", p.cross_zone_read);
    read_seconds(z, "reset_recommended_after", p.reset_recommended_after);
    read_seconds(z, "finish_recommended_after", p.finish_recommended_after);
    p.faults = read_faults(z, p.zone_count);
    z.finish();
    ns.capacity_lbas = std::uint64_t(p.zone_count) * p.zone_size_lbas;
}

nvme::namespace_params read_namespace(const yaml_value& item, std::size_t index,
                                      const std::string& base_dir, const system_config& cfg,
                                      zasl_key& zasl) {
    yaml_map m(item);
    if (item.is_null()) item.fail("an empty namespace entry");
    m.allow({"nsid", "image", "lba_size", "capacity", "lbas", "type", "durability", "reformat",
             "data", "zoned"});
    m.alias("logical_block_size", "lba_size"); // QEMU's nvme-ns property name
    m.finish(); // a misspelt key before "required key missing" for the key it was meant to be
    nvme::namespace_params ns;
    ns.nsid = static_cast<std::uint32_t>(index + 1);
    m.read_uint("nsid", ns.nsid, 1, 1024);
    auto image = m.get("image");
    std::string path = image.as_string(4096);
    if (path.empty()) image.fail("must not be empty");
    ns.image = resolve_path(base_dir, path);
    if (auto lba = m.find("lba_size"))
        ns.lba_size = lba->as_choice({"512", "4096"}) == 0 ? 512 : 4096;
    if (auto type = m.find("type")) ns.zoned = type->as_choice({"conventional", "zoned"}) == 1;
    if (auto d = m.find("durability"))
        ns.mode = d->as_choice({"process", "host"}) == 0 ? durability::process_crash
                                                         : durability::host_crash;
    m.read_bool("reformat", ns.reformat);
    if (auto d = m.find("data")) ns.store_data = d->as_choice({"image", "none"}) == 0;

    auto capacity = m.find("capacity");
    auto lbas = m.find("lbas");
    if (capacity && lbas) lbas->fail("give either capacity (bytes) or lbas, not both");
    std::optional<std::uint64_t> bytes;
    if (capacity) {
        bytes = capacity->as_size(ns.lba_size, max_namespace_bytes);
        if (*bytes % ns.lba_size)
            capacity->fail("must be a multiple of lba_size (" + std::to_string(ns.lba_size) + ")");
    }
    if (lbas) bytes = lbas->as_uint(1, max_namespace_bytes / ns.lba_size) * ns.lba_size;
    auto size_key = capacity ? capacity : lbas;

    auto zoned = m.find("zoned");
    if (zoned && !ns.zoned) zoned->fail("only valid with type: zoned");
    if (ns.zoned) {
        if (!zoned) item.fail("type: zoned needs a zoned: section (at least zone_size)");
        read_zoned(yaml_map(*zoned), ns, size_key, bytes, cfg, zasl);
    } else {
        if (!bytes) item.fail("give the namespace size as capacity (bytes) or lbas");
        ns.capacity_lbas = *bytes / ns.lba_size;
    }
    m.finish();
    return ns;
}

} // namespace

void read_namespaces(const yaml_value& list, const std::string& base_dir, system_config& cfg,
                     const std::optional<yaml_value>& controller_zasl) {
    auto items = list.as_sequence();
    if (items.empty()) list.fail("at least one namespace is needed");
    if (items.size() > 1024) list.fail("at most 1024 namespaces");
    std::vector<std::string> canonical;
    // ZASL is reported once, in Identify Controller (ZNS), and every zoned namespace enforces
    // it: the per-namespace keys must agree with each other and with controller.zasl.
    std::optional<zasl_key> first_zasl;
    for (std::size_t i = 0; i < items.size(); ++i) {
        zasl_key zasl;
        auto ns = read_namespace(items[i], i, base_dir, cfg, zasl);
        if (zasl.where) {
            if (controller_zasl && zasl.value != cfg.controller.zasl)
                zasl.where->fail(
                    "zasl " + std::to_string(zasl.value) + " conflicts with controller.zasl " +
                    std::to_string(cfg.controller.zasl) + " (" + controller_zasl->where() +
                    "): the Zone Append Size Limit is one controller property; "
                    "set it once as controller.zasl");
            if (first_zasl && zasl.value != first_zasl->value)
                zasl.where->fail("zasl " + std::to_string(zasl.value) + " conflicts with zasl " +
                                 std::to_string(first_zasl->value) + " (" +
                                 first_zasl->where->where() +
                                 "): the Zone Append Size Limit is one controller property; "
                                 "set it once as controller.zasl");
            if (!first_zasl) first_zasl = zasl;
        }
        yaml_map m(items[i]);
        for (const auto& other : cfg.namespaces)
            if (other.nsid == ns.nsid) {
                auto at = m.find("nsid");
                (at ? *at : items[i]).fail("nsid " + std::to_string(ns.nsid) + " is used twice");
            }
        std::error_code ec;
        std::string canon = std::filesystem::weakly_canonical(ns.image, ec).string();
        if (ec) canon = std::filesystem::absolute(ns.image).lexically_normal().string();
        for (std::size_t j = 0; j < canonical.size(); ++j)
            if (canonical[j] == canon)
                m.get("image").fail("namespaces " + std::to_string(cfg.namespaces[j].nsid) +
                                    " and " + std::to_string(ns.nsid) + " would share the image " +
                                    ns.image);
        canonical.push_back(canon);
        cfg.namespaces.push_back(std::move(ns));
    }
    if (first_zasl && !controller_zasl) cfg.controller.zasl = first_zasl->value;
}

} // namespace znssim::platform::detail
