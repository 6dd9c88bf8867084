#pragma once
// On-image layout of the persistent zone metadata that follows a zoned namespace's data area.
// docs/image-format.md documents it byte by byte; keep the two in step (bump format_version on
// any change).
#include <cstddef>
#include <cstdint>

namespace znssim::zns::metadata {

constexpr std::uint32_t format_version = 1;
constexpr std::uint64_t block = 4096; ///< every region starts on a 4 KiB boundary
constexpr char header_magic[8] = {'Z', 'N', 'S', 'S', 'I', 'M', 'M', 'D'};
constexpr char footer_magic[8] = {'Z', 'N', 'S', 'S', 'I', 'M', 'F', 'T'};
constexpr std::uint32_t record_magic = 0x5a524543; // "ZREC"

/// What the metadata was made for; any difference on start is a geometry mismatch.
struct geometry {
    std::uint32_t lba_size = 0;
    std::uint64_t zone_size = 0;     ///< LBAs
    std::uint64_t zone_capacity = 0; ///< LBAs
    std::uint32_t zone_count = 0;
    std::uint32_t conventional = 0;
    std::uint32_t ext_bytes = 0; ///< zone descriptor extension size (ZDES × 64)

    std::uint64_t data_bytes() const {
        return static_cast<std::uint64_t>(lba_size) * zone_size * zone_count;
    }
};

#pragma pack(push, 1)
/// Metadata header, at offset 0 of the metadata region (a 4 KiB block of which this is the start).
struct header {
    char magic[8];
    std::uint32_t version;
    std::uint32_t header_bytes; ///< sizeof(header)
    std::uint32_t lba_size;
    std::uint32_t zone_count;
    std::uint64_t zone_size;
    std::uint64_t zone_capacity;
    std::uint32_t conventional;
    std::uint32_t ext_bytes;
    std::uint64_t data_bytes;     ///< where the metadata region starts in the file
    std::uint64_t records_offset; ///< relative to the metadata region
    std::uint64_t ext_offset;     ///< relative to the metadata region
    std::uint64_t metadata_bytes; ///< the whole region, footer included
    std::uint8_t rsvd[12];
    std::uint32_t crc; ///< CRC-32C of the header with this field zero
};
static_assert(sizeof(header) == 96);
static_assert(offsetof(header, zone_size) == 24);
static_assert(offsetof(header, data_bytes) == 48);
static_assert(offsetof(header, crc) == 92);

/// One copy of a zone's persistent state. Each zone has two slots; an update overwrites the slot
/// holding the older sequence number, so a torn update leaves the previous record intact.
struct zone_record {
    std::uint32_t magic;    ///< record_magic
    std::uint32_t zone;     ///< zone index (guards against misplaced writes)
    std::uint64_t sequence; ///< per zone, +1 per update; the valid slot with the higher wins
    std::uint64_t wp;       ///< durable write pointer (LBA)
    std::uint8_t state;     ///< spec::zone_state
    std::uint8_t attrs;     ///< spec::za bits
    std::uint16_t rsvd;
    std::uint32_t crc; ///< CRC-32C of the record with this field zero
};
static_assert(sizeof(zone_record) == 32);
static_assert(offsetof(zone_record, wp) == 16);
static_assert(offsetof(zone_record, state) == 24);
static_assert(offsetof(zone_record, crc) == 28);

/// The last 64 bytes of the image: finds the metadata region from the image alone.
struct footer {
    char magic[8];
    std::uint32_t version;
    std::uint32_t rsvd0;
    std::uint64_t metadata_offset; ///< absolute file offset of the header (= data area size)
    std::uint64_t metadata_bytes;  ///< size of the metadata region, footer included
    std::uint8_t rsvd[28];
    std::uint32_t crc; ///< CRC-32C of the footer with this field zero
};
static_assert(sizeof(footer) == 64);
static_assert(offsetof(footer, metadata_offset) == 16);
static_assert(offsetof(footer, crc) == 60);
#pragma pack(pop)

constexpr std::uint64_t align_up(std::uint64_t v) {
    return (v + block - 1) / block * block;
}

/// Offsets inside the metadata region for a geometry.
struct region_layout {
    std::uint64_t records_offset;
    std::uint64_t ext_offset;
    std::uint64_t footer_block;
    std::uint64_t bytes; ///< whole region

    static region_layout of(const geometry& g) {
        region_layout l{};
        l.records_offset = block;
        l.ext_offset =
            l.records_offset + align_up(std::uint64_t(g.zone_count) * 2 * sizeof(zone_record));
        l.footer_block = l.ext_offset + align_up(std::uint64_t(g.zone_count) * g.ext_bytes);
        l.bytes = l.footer_block + block;
        return l;
    }
    std::uint64_t record_offset(std::uint32_t zone, unsigned slot) const {
        return records_offset + (std::uint64_t(zone) * 2 + slot) * sizeof(zone_record);
    }
    std::uint64_t footer_offset() const { return bytes - sizeof(footer); }
};

/// CRC-32C (Castagnoli), as used by ext4/btrfs metadata.
std::uint32_t crc32c(const void* data, std::size_t len, std::uint32_t crc = 0);

} // namespace znssim::zns::metadata
