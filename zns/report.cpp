#include "zns/report.h"

#include "model/storage/backing_image.h"
#include "zns/metadata/zone_metadata.h"
#include "zns/zone_state_machine.h"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace znssim::zns {

namespace {

const char* cond_short(spec::zone_state s) {
    switch (s) {
    case spec::zone_state::empty:
        return "em";
    case spec::zone_state::imp_open:
        return "oi";
    case spec::zone_state::exp_open:
        return "oe";
    case spec::zone_state::closed:
        return "cl";
    case spec::zone_state::read_only:
        return "ro";
    case spec::zone_state::full:
        return "fu";
    case spec::zone_state::offline:
        return "of";
    }
    return "??";
}

/// Why a header cannot describe an image of this file, or empty. Checked before anything is
/// sized from the header: a damaged one (with a valid checksum) could otherwise ask for a table
/// of four billion zones, or an LBA size of 0 would pass for a data area of 0 bytes.
std::string implausible(const metadata::geometry& g, const metadata::footer& f) {
    if (g.lba_size < 512 || (g.lba_size & (g.lba_size - 1)) != 0 || g.lba_size > (1u << 20))
        return "LBA size " + std::to_string(g.lba_size) + " is not a power of two from 512";
    if (g.zone_size == 0 || g.zone_capacity == 0 || g.zone_capacity > g.zone_size)
        return "zone size " + std::to_string(g.zone_size) + " and capacity " +
               std::to_string(g.zone_capacity) + " are not 0 < capacity <= size";
    if (g.zone_count == 0 || g.conventional > g.zone_count)
        return std::to_string(g.zone_count) + " zones with " + std::to_string(g.conventional) +
               " conventional ones";
    if (g.ext_bytes % 64 != 0 || g.ext_bytes > 255 * 64)
        return "descriptor extension size " + std::to_string(g.ext_bytes);
    if (g.zone_size > ~0ull / g.lba_size / g.zone_count) return "the data area overflows";
    if (g.data_bytes() != f.metadata_offset) return "its data area does not end at the metadata";
    const std::uint64_t region = metadata::region_layout::of(g).bytes;
    if (region != f.metadata_bytes)
        return "its metadata region would be " + std::to_string(region) +
               " bytes, the footer has " + std::to_string(f.metadata_bytes);
    return {};
}

} // namespace

zone_report read_zone_report(const std::string& path) {
    const metadata::probe_result pr = metadata::probe(path, 0);
    if (pr.what != metadata::probe_result::kind::found)
        throw image_error(path + (pr.what == metadata::probe_result::kind::absent
                                      ? ": no such image (or empty)"
                                      : ": no valid zone metadata footer in the last 64 bytes "
                                        "(not a znssim zoned image, or truncated)"));
    metadata::file_metadata_io io(path, pr.foot.metadata_offset, false);
    const metadata::header h = metadata::read_header(io);
    zone_report r;
    r.image = path;
    r.geo = metadata::geometry_of(h);
    if (const std::string why = implausible(r.geo, pr.foot); !why.empty())
        throw image_error(path + ": zone metadata header does not match its footer: " + why);
    metadata::zone_metadata md(io, r.geo);
    md.verify();
    const std::vector<metadata::persisted_zone> saved = md.load();
    r.zones.resize(r.geo.zone_count);
    for (std::uint32_t i = 0; i < r.geo.zone_count; ++i) {
        zone_report_entry& e = r.zones[i];
        e.index = i;
        e.start = std::uint64_t(i) * r.geo.zone_size;
        e.len = r.geo.zone_size;
        e.conventional = i < r.geo.conventional;
        e.cap = e.conventional ? r.geo.zone_size : r.geo.zone_capacity;
        e.wp = e.start;
        if (e.conventional || !saved[i].present) continue;
        e.persisted = saved[i].state;
        e.attrs = saved[i].attrs;
        e.wp = saved[i].wp;
        // What the device shows after a start: the state machine's restore rules.
        e.state = e.persisted;
        if (e.state == spec::zone_state::imp_open || e.state == spec::zone_state::exp_open)
            e.state = (e.wp == e.start && !(e.attrs & spec::za::zdev)) ? spec::zone_state::empty
                                                                       : spec::zone_state::closed;
        if (e.state == spec::zone_state::empty) {
            e.wp = e.start;
            e.attrs = 0;
        }
        if (e.state == spec::zone_state::full) e.wp = e.start + e.cap;
    }
    return r;
}

std::string format_zone_report_text(const zone_report& r) {
    std::string out;
    const std::uint64_t spl = r.geo.lba_size / 512; // sectors per LBA
    char line[256];
    for (const zone_report_entry& e : r.zones) {
        const unsigned cond = e.conventional ? 0 : static_cast<unsigned>(e.state);
        const std::uint64_t wptr = e.state == spec::zone_state::full ? e.len : e.wp - e.start;
        std::snprintf(line, sizeof line,
                      "  start: 0x%09llx, len 0x%06llx, cap 0x%06llx, wptr 0x%06llx reset:%d "
                      "non-seq:0, zcond:%2u(%s) [type: %d(%s)]\n",
                      static_cast<unsigned long long>(e.start * spl),
                      static_cast<unsigned long long>(e.len * spl),
                      static_cast<unsigned long long>(e.cap * spl),
                      static_cast<unsigned long long>(e.conventional ? 0 : wptr * spl),
                      (e.attrs & spec::za::rzr) ? 1 : 0, cond,
                      e.conventional ? "nw" : cond_short(e.state), e.conventional ? 1 : 2,
                      e.conventional ? "CONVENTIONAL" : "SEQ_WRITE_REQUIRED");
        out += line;
    }
    return out;
}

std::string format_zone_report_json(const zone_report& r) {
    nlohmann::json j;
    j["image"] = r.image;
    j["lba_size"] = r.geo.lba_size;
    j["zone_size"] = r.geo.zone_size;
    j["zone_capacity"] = r.geo.zone_capacity;
    j["zone_count"] = r.geo.zone_count;
    j["conventional_zones"] = r.geo.conventional;
    j["descriptor_extension_bytes"] = r.geo.ext_bytes;
    nlohmann::json zones = nlohmann::json::array();
    for (const zone_report_entry& e : r.zones) {
        nlohmann::json z;
        z["index"] = e.index;
        z["start"] = e.start;
        z["len"] = e.len;
        z["cap"] = e.cap;
        z["wp"] = e.wp;
        z["state"] = e.conventional ? "conventional" : zone_state_name(e.state);
        z["persisted_state"] = e.conventional ? "conventional" : zone_state_name(e.persisted);
        z["attrs"] = e.attrs;
        z["type"] = e.conventional ? "CONVENTIONAL" : "SEQ_WRITE_REQUIRED";
        zones.push_back(z);
    }
    j["zones"] = zones;
    return j.dump(2) + "\n";
}

} // namespace znssim::zns
