#include "zns/metadata/zone_metadata.h"

#include "model/storage/backing_image.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <sys/stat.h>

namespace znssim::zns::metadata {

namespace {

template <class T> std::uint32_t crc_of(T v) {
    v.crc = 0;
    return crc32c(&v, sizeof(v));
}

bool all_zero(const void* p, std::size_t n) {
    const auto* b = static_cast<const std::uint8_t*>(p);
    return std::all_of(b, b + n, [](std::uint8_t c) { return c == 0; });
}

const char* zone_state_label(spec::zone_state s) {
    switch (s) {
    case spec::zone_state::empty:
        return "Empty";
    case spec::zone_state::imp_open:
        return "Implicitly Opened";
    case spec::zone_state::exp_open:
        return "Explicitly Opened";
    case spec::zone_state::closed:
        return "Closed";
    case spec::zone_state::read_only:
        return "Read Only";
    case spec::zone_state::full:
        return "Full";
    case spec::zone_state::offline:
        return "Offline";
    }
    return "?";
}

bool valid_state(std::uint8_t s) {
    switch (static_cast<spec::zone_state>(s)) {
    case spec::zone_state::empty:
    case spec::zone_state::imp_open:
    case spec::zone_state::exp_open:
    case spec::zone_state::closed:
    case spec::zone_state::read_only:
    case spec::zone_state::full:
    case spec::zone_state::offline:
        return true;
    }
    return false;
}

std::string hex(std::uint64_t v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
    return buf;
}

/// Why a record's state and write pointer contradict each other, or empty when they agree (see
/// docs/image-format.md, "Zone record"). zs = ZSLBA, cap = ZCAP; the wp is in [zs, zs + cap].
std::string contradiction(const zone_record& r, std::uint64_t zs, std::uint64_t cap) {
    const std::uint64_t end = zs + cap;
    switch (static_cast<spec::zone_state>(r.state)) {
    case spec::zone_state::empty:
        if (r.wp != zs) return "an Empty zone's write pointer must be ZSLBA " + hex(zs);
        break;
    case spec::zone_state::imp_open:
    case spec::zone_state::exp_open:
        if (r.wp >= end)
            return "an open zone's write pointer must be below ZSLBA + ZCAP " + hex(end) +
                   " (at the capacity the zone is Full)";
        break;
    case spec::zone_state::closed:
        if (r.wp >= end)
            return "a Closed zone's write pointer must be below ZSLBA + ZCAP " + hex(end) +
                   " (at the capacity the zone is Full)";
        if (r.wp == zs && !(r.attrs & spec::za::zdev))
            return "a Closed zone with nothing written must have a valid descriptor extension "
                   "(ZDEV); otherwise it is recorded Empty";
        break;
    case spec::zone_state::full:
        if (r.wp != end) return "a Full zone's write pointer must be ZSLBA + ZCAP " + hex(end);
        break;
    case spec::zone_state::offline:
        if (r.wp != zs) return "an Offline zone's write pointer must be ZSLBA " + hex(zs);
        break;
    case spec::zone_state::read_only:
        break; // keeps the data below wherever its write pointer was
    }
    return {};
}

} // namespace

probe_result probe(const std::string& path, std::uint64_t data_bytes) {
    probe_result r;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || st.st_size == 0) return r;
    r.file_size = static_cast<std::uint64_t>(st.st_size);
    if (r.file_size >= sizeof(footer)) {
        file_metadata_io f(path, 0, false);
        f.read(r.file_size - sizeof(footer), &r.foot, sizeof(footer));
        if (std::memcmp(r.foot.magic, footer_magic, 8) == 0 && r.foot.crc == crc_of(r.foot) &&
            r.foot.metadata_offset + r.foot.metadata_bytes == r.file_size) {
            r.what = probe_result::kind::found;
            return r;
        }
    }
    if (r.file_size == data_bytes)
        r.what = probe_result::kind::raw;
    else if (r.file_size < data_bytes)
        r.what = probe_result::kind::too_small;
    else
        r.what = probe_result::kind::corrupt;
    return r;
}

header read_header(const metadata_io& io) {
    header h{};
    io.read(0, &h, sizeof h);
    if (std::memcmp(h.magic, header_magic, 8) != 0)
        throw image_error(io.name() + ": zone metadata header missing (bad magic)");
    if (h.version != format_version)
        throw image_error(io.name() + ": zone metadata version " + std::to_string(h.version) +
                          " not supported (this build reads version " +
                          std::to_string(format_version) + ")");
    if (h.crc != crc_of(h))
        throw image_error(io.name() + ": zone metadata header checksum mismatch");
    return h;
}

geometry geometry_of(const header& h) {
    geometry g;
    g.lba_size = h.lba_size;
    g.zone_size = h.zone_size;
    g.zone_capacity = h.zone_capacity;
    g.zone_count = h.zone_count;
    g.conventional = h.conventional;
    g.ext_bytes = h.ext_bytes;
    return g;
}

std::string geometry_diff(const geometry& img, const geometry& cfg) {
    std::string out;
    auto field = [&](const char* name, std::uint64_t a, std::uint64_t b) {
        if (a == b) return;
        if (!out.empty()) out += ", ";
        out += std::string(name) + " " + std::to_string(a) + " (config " + std::to_string(b) + ")";
    };
    field("lba_size", img.lba_size, cfg.lba_size);
    field("zone_size", img.zone_size, cfg.zone_size);
    field("zone_capacity", img.zone_capacity, cfg.zone_capacity);
    field("zone_count", img.zone_count, cfg.zone_count);
    field("conventional_zones", img.conventional, cfg.conventional);
    field("descriptor_extension_bytes", img.ext_bytes, cfg.ext_bytes);
    return out;
}

zone_metadata::zone_metadata(metadata_io& io, const geometry& g)
    : m_io(io), m_geo(g), m_layout(region_layout::of(g)), m_seq(g.zone_count, 0) {}

void zone_metadata::format() {
    header h{};
    std::memcpy(h.magic, header_magic, 8);
    h.version = format_version;
    h.header_bytes = sizeof(header);
    h.lba_size = m_geo.lba_size;
    h.zone_count = m_geo.zone_count;
    h.zone_size = m_geo.zone_size;
    h.zone_capacity = m_geo.zone_capacity;
    h.conventional = m_geo.conventional;
    h.ext_bytes = m_geo.ext_bytes;
    h.data_bytes = m_geo.data_bytes();
    h.records_offset = m_layout.records_offset;
    h.ext_offset = m_layout.ext_offset;
    h.metadata_bytes = m_layout.bytes;
    h.crc = crc_of(h);

    // Invalidate any old footer first, so a format interrupted half way is never taken as valid.
    std::array<std::uint8_t, block> zeros{};
    m_io.write(m_layout.footer_block, zeros.data(), zeros.size());
    m_io.sync();
    std::array<std::uint8_t, block> first{};
    std::memcpy(first.data(), &h, sizeof h);
    m_io.write(0, first.data(), first.size());
    for (std::uint64_t off = m_layout.records_offset; off < m_layout.footer_block; off += block)
        m_io.write(off, zeros.data(), zeros.size());
    std::fill(m_seq.begin(), m_seq.end(), 0);
    m_io.sync();

    footer f{};
    std::memcpy(f.magic, footer_magic, 8);
    f.version = format_version;
    f.metadata_offset = m_geo.data_bytes();
    f.metadata_bytes = m_layout.bytes;
    f.crc = crc_of(f);
    m_io.write(m_layout.footer_offset(), &f, sizeof f);
    m_io.sync();
}

void zone_metadata::verify() const {
    const header h = read_header(m_io);
    const std::string diff = geometry_diff(geometry_of(h), m_geo);
    if (!diff.empty())
        throw image_error(m_io.name() + ": zone metadata was made for a different geometry: " +
                          diff + " (set reformat to discard the zone state)");
    if (h.records_offset != m_layout.records_offset || h.ext_offset != m_layout.ext_offset ||
        h.metadata_bytes != m_layout.bytes || h.data_bytes != m_geo.data_bytes())
        throw image_error(m_io.name() + ": zone metadata header has an inconsistent layout");
}

persisted_zone zone_metadata::decode(std::uint32_t i, const zone_record* slots) const {
    const std::uint64_t cap_end = m_geo.zone_capacity;
    int best = -1;
    int damaged = 0;
    const std::uint64_t zs = std::uint64_t(i) * m_geo.zone_size;
    for (int s = 0; s < 2; ++s) {
        const zone_record& r = slots[s];
        if (all_zero(&r, sizeof r)) continue;
        const bool ok = r.magic == record_magic && r.zone == i && r.crc == crc_of(r) &&
                        valid_state(r.state) && r.wp >= zs && r.wp <= zs + cap_end;
        if (!ok) {
            ++damaged;
            continue;
        }
        if (best < 0 || r.sequence > slots[best].sequence) best = s;
    }
    // A torn write cannot produce a record with a valid checksum: a newest record whose state
    // and write pointer contradict each other was written wrong or tampered with. Restoring it
    // would discard data of a zone that reports Full, or leave a zone that can never be
    // written again, so it is corruption like a doubly damaged record.
    if (best >= 0) {
        const std::string why = contradiction(slots[best], zs, cap_end);
        if (!why.empty())
            throw image_error(
                m_io.name() + ": zone " + std::to_string(i) + " metadata record at offset " +
                hex(m_geo.data_bytes() + m_layout.record_offset(i, static_cast<unsigned>(best))) +
                " (sequence " + std::to_string(slots[best].sequence) + ") says " +
                zone_state_label(static_cast<spec::zone_state>(slots[best].state)) +
                " with write pointer " + hex(slots[best].wp) + ": " + why +
                "; the zone metadata is corrupt and nothing was changed");
    }
    if (best < 0) {
        if (damaged == 2)
            throw image_error(m_io.name() + ": zone " + std::to_string(i) +
                              " metadata record at offset " +
                              hex(m_geo.data_bytes() + m_layout.record_offset(i, 0)) +
                              ": checksum mismatch in both copies");
        return {}; // never written (or the very first update was torn): Empty
    }
    const zone_record& r = slots[best];
    return {true, static_cast<spec::zone_state>(r.state), r.wp, r.attrs, r.sequence};
}

std::vector<persisted_zone> zone_metadata::load() {
    std::vector<persisted_zone> out(m_geo.zone_count);
    // The table is read in large pieces: one read per zone would cost a million system calls
    // for a million zones.
    constexpr std::uint32_t per_read = 2048; // zones per read (128 KiB)
    std::vector<zone_record> buf(std::size_t{2} * std::min(per_read, m_geo.zone_count));
    for (std::uint32_t first = 0; first < m_geo.zone_count; first += per_read) {
        const std::uint32_t n = std::min(per_read, m_geo.zone_count - first);
        m_io.read(m_layout.record_offset(first, 0), buf.data(),
                  std::size_t{2} * n * sizeof(zone_record));
        for (std::uint32_t k = 0; k < n; ++k) {
            out[first + k] = decode(first + k, &buf[2 * k]);
            m_seq[first + k] = out[first + k].sequence;
        }
    }
    return out;
}

persisted_zone zone_metadata::load_zone(std::uint32_t zone) const {
    zone_record slots[2];
    m_io.read(m_layout.record_offset(zone, 0), slots, sizeof slots);
    return decode(zone, slots);
}

void zone_metadata::write_zone(std::uint32_t zone, spec::zone_state s, std::uint64_t wp,
                               std::uint8_t attrs) {
    zone_record r{};
    r.magic = record_magic;
    r.zone = zone;
    r.sequence = ++m_seq[zone];
    r.wp = wp;
    r.state = static_cast<std::uint8_t>(s);
    r.attrs = attrs;
    r.crc = crc_of(r);
    try {
        m_io.write(m_layout.record_offset(zone, static_cast<unsigned>(r.sequence & 1)), &r,
                   sizeof r);
    } catch (...) {
        // The slot may hold a torn record now; the next update must go to the same slot, never
        // to the one holding the newest valid record.
        --m_seq[zone];
        throw;
    }
}

void zone_metadata::write_extension(std::uint32_t zone, const void* src) {
    m_io.write(m_layout.ext_offset + std::uint64_t(zone) * m_geo.ext_bytes, src, m_geo.ext_bytes);
}

void zone_metadata::read_extension(std::uint32_t zone, void* dst) const {
    m_io.read(m_layout.ext_offset + std::uint64_t(zone) * m_geo.ext_bytes, dst, m_geo.ext_bytes);
}

} // namespace znssim::zns::metadata
