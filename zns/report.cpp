#include "zns/report.h"

#include "model/storage/backing_image.h"
#include "zns/metadata/zone_metadata.h"
#include "zns/zone_descriptor.h"
#include "zns/zone_state_machine.h"

#include <nlohmann/json.hpp>

#include <algorithm>
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
        e.descriptor = make_zone_descriptor(e.conventional, e.state, 0, e.start, e.cap, e.wp);
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
        e.descriptor = make_zone_descriptor(false, e.state, e.attrs, e.start, e.cap, e.wp);
        if (r.geo.ext_bytes != 0 && (e.attrs & spec::za::zdev)) {
            e.extension.resize(r.geo.ext_bytes);
            md.read_extension(i, e.extension.data());
        }
    }
    return r;
}

namespace {

constexpr spec::zone_state all_states[] = {spec::zone_state::empty,     spec::zone_state::imp_open,
                                           spec::zone_state::exp_open,  spec::zone_state::closed,
                                           spec::zone_state::read_only, spec::zone_state::full,
                                           spec::zone_state::offline};

} // namespace

zone_state_counts count_zone_states(const zone_report& r) {
    zone_state_counts c;
    for (const zone_report_entry& e : r.zones) {
        if (e.conventional)
            ++c.conventional;
        else
            ++c.by_state[static_cast<unsigned>(e.state) & 15];
    }
    return c;
}

namespace {

/// The write pointer as Linux reports it (and blkzone prints it): a Full zone's is its end
/// (start + zone size), a conventional zone's its start; the text and our JSON "zones" use it.
std::uint64_t text_wp(const zone_report_entry& e) {
    if (e.conventional) return e.start;
    return e.state == spec::zone_state::full ? e.start + e.len : e.wp;
}

} // namespace

std::string format_zone_report_text(const zone_report& r) {
    std::string out;
    const std::uint64_t spl = r.geo.lba_size / 512; // sectors per LBA
    char line[256];
    for (const zone_report_entry& e : r.zones) {
        const unsigned cond = e.conventional ? 0 : static_cast<unsigned>(e.state);
        const std::uint64_t wptr = text_wp(e) - e.start;
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
    const zone_state_counts c = count_zone_states(r);
    out += "zones: " + std::to_string(r.zones.size());
    const char* sep = " (";
    for (spec::zone_state s : all_states) {
        out += sep + std::to_string(c.of(s)) + " " + zone_state_name(s);
        sep = ", ";
    }
    if (c.conventional) out += sep + std::to_string(c.conventional) + " conventional";
    out += ")\n";
    return out;
}

namespace {

/// nvme-cli's names (libnvme nvme_zone_state_to_string / nvme_zone_type_to_string).
const char* nvme_cli_state(std::uint8_t zs) {
    switch (static_cast<spec::zone_state>(zs >> 4)) {
    case spec::zone_state::empty:
        return "EMPTY";
    case spec::zone_state::imp_open:
        return "IMP_OPENED";
    case spec::zone_state::exp_open:
        return "EXP_OPENED";
    case spec::zone_state::closed:
        return "CLOSED";
    case spec::zone_state::read_only:
        return "READONLY";
    case spec::zone_state::full:
        return "FULL";
    case spec::zone_state::offline:
        return "OFFLINE";
    }
    return "Unknown State";
}

const char* nvme_cli_type(std::uint8_t zt) {
    return zt == spec::zone_type_seq_write_required ? "SEQWRITE_REQ" : "Unknown";
}

} // namespace

std::string format_zone_report_json(const zone_report& r) {
    // In insertion order, so that zone_list entries read like nvme-cli's.
    using json = nlohmann::ordered_json;
    json j;
    j["image"] = r.image;
    j["lba_size"] = r.geo.lba_size;
    j["zone_size"] = r.geo.zone_size;
    j["zone_capacity"] = r.geo.zone_capacity;
    j["zone_count"] = r.geo.zone_count;
    j["conventional_zones"] = r.geo.conventional;
    j["descriptor_extension_bytes"] = r.geo.ext_bytes;
    const zone_state_counts c = count_zone_states(r);
    json states = json::object();
    for (spec::zone_state s : all_states)
        states[zone_state_name(s)] = c.of(s);
    states["conventional"] = c.conventional;
    j["states"] = states;
    json zones = json::array();
    json zone_list = json::array();
    for (const zone_report_entry& e : r.zones) {
        json z;
        z["index"] = e.index;
        z["start"] = e.start;
        z["len"] = e.len;
        z["cap"] = e.cap;
        z["wp"] = text_wp(e);
        z["state"] = e.conventional ? "conventional" : zone_state_name(e.state);
        z["persisted_state"] = e.conventional ? "conventional" : zone_state_name(e.persisted);
        z["attrs"] = e.attrs;
        z["type"] = e.conventional ? "CONVENTIONAL" : "SEQ_WRITE_REQUIRED";
        zones.push_back(z);
        const spec::zone_descriptor& d = e.descriptor;
        json n;
        // Copies: the descriptor is packed, and json binds what it is given by reference.
        const std::uint64_t slba = d.zslba, wp = d.wp, cap = d.zcap;
        const std::uint8_t zs = d.zs, zt = d.zt, za = d.za, zai = d.zai;
        n["slba"] = slba;
        n["wp"] = wp;
        n["cap"] = cap;
        n["state"] = nvme_cli_state(zs);
        n["type"] = nvme_cli_type(zt);
        n["attrs"] = za;
        n["attrs_info"] = zai;
        if (!e.extension.empty()) {
            // nvme-cli's d_json: 16 bytes a string, printable ASCII as is, anything else '.'.
            json ext = json::array();
            for (std::size_t at = 0; at < e.extension.size(); at += 16) {
                std::string line;
                for (std::size_t k = at; k < std::min(at + 16, e.extension.size()); ++k) {
                    const std::uint8_t b = e.extension[k];
                    line += (b >= '!' && b <= '~') ? char(b) : '.';
                }
                ext.push_back(line);
            }
            n["ext_data"] = ext;
        }
        zone_list.push_back(n);
    }
    j["zones"] = zones;
    j["nr_zones"] = r.zones.size();
    j["zone_list"] = zone_list;
    return j.dump(2) + "\n";
}

} // namespace znssim::zns
