// Start-up rules for a zoned namespace's image: format when there is no metadata, accept matching
// metadata, refuse everything else (naming the image and what differs) unless reformat is set.
#include "zns/zoned_namespace.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace znssim::zns {

namespace {

bool is_pow2(std::uint64_t v) {
    return v != 0 && (v & (v - 1)) == 0;
}

void invalid(const nvme::namespace_params& p, const std::string& what) {
    throw std::invalid_argument("namespace " + std::to_string(p.nsid) + " (" + p.image +
                                "): " + what);
}

/// A footer was found but names another layout: explain with the header it points to.
std::string describe_other_geometry(const std::string& path, const metadata::probe_result& pr,
                                    const metadata::geometry& g) {
    try {
        metadata::file_metadata_io io(path, pr.foot.metadata_offset, false);
        const metadata::header h = metadata::read_header(io);
        const std::string diff = metadata::geometry_diff(metadata::geometry_of(h), g);
        if (!diff.empty()) return "zone metadata was made for a different geometry: " + diff;
        return "zone metadata layout does not match this build";
    } catch (const image_error& e) {
        return std::string("zone metadata header unreadable: ") + e.what();
    }
}

void truncate_to(const std::string& path, std::uint64_t size) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0 || ::ftruncate(fd, static_cast<off_t>(size)) != 0) {
        const int err = errno;
        if (fd >= 0) ::close(fd);
        throw image_error(path + ": cannot truncate to " + std::to_string(size) +
                          " bytes for reformat: " + std::strerror(err));
    }
    ::close(fd);
}

} // namespace

metadata::geometry geometry_of(const nvme::namespace_params& p) {
    const nvme::zoned_params& z = p.zoned_cfg;
    metadata::geometry g;
    g.lba_size = p.lba_size;
    if (g.lba_size < 512 || !is_pow2(g.lba_size))
        invalid(p, "lba_size " + std::to_string(g.lba_size) + " is not a power of two >= 512");
    if (z.zone_size_lbas == 0) invalid(p, "zone size must not be 0");
    g.zone_size = z.zone_size_lbas;
    g.zone_capacity = z.zone_capacity_lbas ? z.zone_capacity_lbas : z.zone_size_lbas;
    if (g.zone_capacity > g.zone_size)
        invalid(p, "zone capacity " + std::to_string(g.zone_capacity) + " exceeds zone size " +
                       std::to_string(g.zone_size));
    std::uint64_t count = z.zone_count;
    if (count == 0)
        count = p.capacity_lbas / g.zone_size; // whole zones only (Linux needs NSZE = n × ZSZE)
    if (count == 0 || count > 0xffffffffull)
        invalid(p, "zone count " + std::to_string(count) + " out of range");
    g.zone_count = static_cast<std::uint32_t>(count);
    if (z.conventional_zones > g.zone_count) invalid(p, "more conventional zones than zones");
    g.conventional = z.conventional_zones;
    if (z.descriptor_extension_bytes % 64 != 0 || z.descriptor_extension_bytes > 255 * 64)
        invalid(p, "descriptor extension size must be a multiple of 64 up to 16320");
    g.ext_bytes = z.descriptor_extension_bytes;
    if (z.max_open && z.max_active && z.max_open > z.max_active)
        invalid(p, "max_open exceeds max_active");
    for (const nvme::zone_fault& f : z.faults)
        if (f.zone >= g.zone_count || f.zone < g.conventional)
            invalid(p, "fault names zone " + std::to_string(f.zone) +
                           ", which is not a sequential zone");
    return g;
}

opened_image open_zoned_image(const nvme::namespace_params& p, const metadata::geometry& g) {
    const metadata::region_layout lay = metadata::region_layout::of(g);
    const std::uint64_t data = g.data_bytes();
    const std::uint64_t need = data + lay.bytes;
    const metadata::probe_result pr = metadata::probe(p.image, data);
    using kind = metadata::probe_result::kind;

    bool format = false;
    std::string problem;
    switch (pr.what) {
    case kind::absent:
    case kind::raw:
        format = true;
        break; // no metadata: every zone starts Empty
    case kind::found:
        if (pr.foot.metadata_offset != data || pr.foot.metadata_bytes != lay.bytes)
            problem = describe_other_geometry(p.image, pr, g);
        break;
    case kind::corrupt:
        problem = "no valid zone metadata footer in the last 64 bytes (file is " +
                  std::to_string(pr.file_size) + " bytes, the configured geometry needs " +
                  std::to_string(need) + "): truncated or damaged image";
        break;
    case kind::too_small:
        problem = "image is " + std::to_string(pr.file_size) + " bytes, smaller than the " +
                  std::to_string(data) + "-byte data area, and has no zone metadata";
        break;
    }
    if (!problem.empty()) {
        if (!p.reformat)
            throw image_error(p.image + ": " + problem +
                              "; nothing was changed (set reformat to rebuild the zone metadata)");
        format = true;
    }

    backing_image::options o;
    o.path = p.image;
    o.data_bytes = data;
    o.metadata_bytes = lay.bytes;
    o.create = true;
    o.mode = p.mode;
    o.store_data = p.store_data;
    opened_image out;
    out.image = backing_image::open(o, format);
    // The footer must be the last 64 bytes: drop whatever an older, larger layout left behind
    // (only after open() holds the image lock).
    if (format && pr.file_size > need) truncate_to(p.image, need);
    out.formatted = format;
    return out;
}

} // namespace znssim::zns
