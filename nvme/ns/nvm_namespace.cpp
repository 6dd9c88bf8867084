#include "nvme/ns/nvm_namespace.h"

#include "nvme/ns/media_status.h"
#include "nvme/spec/identify.h"

#include <cstring>
#include <stdexcept>

namespace znssim::nvme {

namespace {

/// FNV-1a over serial, NSID and a salt: cheap, deterministic, well spread.
std::uint64_t id_hash(const std::string& serial, std::uint32_t nsid, std::uint8_t salt) {
    std::uint64_t h = 0xcbf29ce484222325ull;
    auto mix = [&h](std::uint8_t b) {
        h ^= b;
        h *= 0x100000001b3ull;
    };
    for (char c : serial)
        mix(static_cast<std::uint8_t>(c));
    for (int i = 0; i < 4; ++i)
        mix(static_cast<std::uint8_t>(nsid >> (8 * i)));
    mix(salt);
    // One more avalanche round so that neighbouring NSIDs differ in every byte.
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h;
}

void put_be64(std::uint8_t* p, std::uint64_t v) {
    for (int i = 0; i < 8; ++i)
        p[i] = static_cast<std::uint8_t>(v >> (56 - 8 * i));
}

} // namespace

ns_identifiers make_ns_identifiers(const std::string& serial, std::uint32_t nsid) {
    ns_identifiers ids;
    put_be64(ids.nguid.data(), id_hash(serial, nsid, 1));
    put_be64(ids.nguid.data() + 8, id_hash(serial, nsid, 2));
    put_be64(ids.eui64.data(), id_hash(serial, nsid, 3));
    // EUI-64 from a locally administered range: never collides with an assigned OUI.
    ids.eui64[0] = static_cast<std::uint8_t>((ids.eui64[0] & 0xfc) | 0x02);
    put_be64(ids.uuid.data(), id_hash(serial, nsid, 4));
    put_be64(ids.uuid.data() + 8, id_hash(serial, nsid, 5));
    ids.uuid[6] = static_cast<std::uint8_t>((ids.uuid[6] & 0x0f) | 0x50); // version 5
    ids.uuid[8] = static_cast<std::uint8_t>((ids.uuid[8] & 0x3f) | 0x80); // RFC 4122 variant
    return ids;
}

int lba_format_index(unsigned lba_shift) {
    switch (lba_shift) {
    case 9:
        return 0;
    case 12:
        return 1;
    default:
        return -1;
    }
}

void fill_id_ns_common(spec::id_ns& out, const ns_geometry& g, const ns_identifiers& ids) {
    std::memset(&out, 0, sizeof out);
    out.nsze = g.nsze;
    out.ncap = g.ncap;
    out.nuse = g.nuse;
    out.nlbaf = lba_format_count - 1;
    out.lbaf[0] = spec::lba_format{0, 9, 0};
    out.lbaf[1] = spec::lba_format{0, 12, 0};
    const int idx = lba_format_index(g.lba_shift);
    out.flbas = static_cast<std::uint8_t>(idx < 0 ? 0 : idx);
    // Preferred write granularity / optimal write size: one 4 KiB page, so Linux reports a 4 KiB
    // physical block even for 512 B LBAs (NPWG and NOWS are 0-based LBA counts).
    out.nsfeat = spec::ns_bits::nsfeat_optperf;
    const unsigned per_page = g.lba_shift < 12 ? 1u << (12 - g.lba_shift) : 1u;
    out.npwg = static_cast<std::uint16_t>(per_page - 1);
    out.npwa = static_cast<std::uint16_t>(per_page - 1);
    out.npdg = static_cast<std::uint16_t>(per_page - 1);
    out.npda = static_cast<std::uint16_t>(per_page - 1);
    out.nows = static_cast<std::uint16_t>(per_page - 1);
    out.dlfeat = spec::ns_bits::dlfeat_read_zeroes | spec::ns_bits::dlfeat_write_zeroes;
    const std::uint64_t bytes = g.nsze << g.lba_shift;
    std::memcpy(out.nvmcap, &bytes, 8); // low 64 bits of the 128-bit little-endian value
    if (g.read_only) out.nsattr = spec::ns_bits::nsattr_write_protected;
    std::memcpy(out.nguid, ids.nguid.data(), 16);
    std::memcpy(out.eui64, ids.eui64.data(), 8);
}

nvm_namespace::nvm_namespace(const namespace_params& p, const std::string& controller_serial)
    : m_nsid(p.nsid), m_lba_shift(p.lba_size == 512 ? 9 : 12), m_lbas(p.capacity_lbas),
      m_ids(make_ns_identifiers(controller_serial, p.nsid)) {
    const std::string who = "namespace " + std::to_string(p.nsid);
    if (p.nsid == 0 || p.nsid == 0xffffffffu)
        throw std::invalid_argument(who + ": nsid must be 1..FFFFFFFEh");
    if (p.lba_size != 512 && p.lba_size != 4096)
        throw std::invalid_argument(who + ": lba_size must be 512 or 4096, not " +
                                    std::to_string(p.lba_size));
    if (p.capacity_lbas == 0 || p.capacity_lbas > (~0ull >> m_lba_shift))
        throw std::invalid_argument(who + ": capacity_lbas " + std::to_string(p.capacity_lbas) +
                                    " is out of range");
    backing_image::options o;
    o.path = p.image;
    o.data_bytes = p.capacity_lbas << m_lba_shift;
    o.metadata_bytes = 0;
    o.create = true;
    o.mode = p.mode;
    o.store_data = p.store_data;
    m_image = backing_image::open(o, p.reformat);
}

void nvm_namespace::identify(spec::id_ns& out) const {
    fill_id_ns_common(out, ns_geometry{m_lbas, m_lbas, m_lbas, m_lba_shift, m_read_only}, m_ids);
}

bool nvm_namespace::identify_csi(spec::csi csi, void* out4096) const {
    if (csi != spec::csi::nvm) return false;
    // No protection information and no storage tags: every field of the NVM structure is 0.
    std::memset(out4096, 0, sizeof(spec::id_ns_nvm));
    return true;
}

spec::status nvm_namespace::check_read(std::uint64_t slba, std::uint64_t nlb) {
    return in_range(slba, nlb) ? spec::sc::success : spec::sc::lba_out_of_range;
}

spec::status nvm_namespace::begin_write(write_kind kind, std::uint64_t slba, std::uint64_t nlb,
                                        write_grant& grant) {
    if (kind == write_kind::append)
        return spec::sc::invalid_opcode; // Zone Append needs a zoned namespace
    if (!in_range(slba, nlb)) return spec::sc::lba_out_of_range;
    if (m_read_only) return spec::sc::namespace_write_protected;
    grant = write_grant{};
    grant.lba = slba;
    grant.nlb = nlb;
    return spec::sc::success;
}

spec::status nvm_namespace::end_write(write_kind kind, const write_grant& grant, bool ok) {
    // Write Zeroes went through discard(), which already synced in host_crash mode.
    if (!ok || kind != write_kind::write) return spec::sc::success;
    try {
        m_image->sync_data(grant.lba << m_lba_shift, grant.nlb << m_lba_shift);
    } catch (const image_io_error& e) {
        return media_status(e.error(), true); // not durable: the write did not succeed
    }
    return spec::sc::success;
}

spec::status nvm_namespace::check_deallocate(std::uint64_t slba, std::uint64_t nlb) {
    if (!in_range(slba, nlb)) return spec::sc::lba_out_of_range;
    if (m_read_only) return spec::sc::namespace_write_protected;
    return spec::sc::success;
}

void nvm_namespace::shutdown() {
    m_image->sync_all();
}

} // namespace znssim::nvme
