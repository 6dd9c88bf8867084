#pragma once
// Reads and writes the persistent zone metadata of one image (layout.h): format, verify the
// header against the configured geometry, load every zone, and update single zone records
// crash-safely (two slots per zone, see zone_record).
#include "zns/metadata/layout.h"
#include "zns/metadata/metadata_io.h"
#include "zns/spec.h"

#include <cstdint>
#include <string>
#include <vector>

namespace znssim::zns::metadata {

struct persisted_zone {
    bool present = false; ///< false: never written since format (the zone is Empty)
    spec::zone_state state = spec::zone_state::empty;
    std::uint64_t wp = 0;
    std::uint8_t attrs = 0;
    std::uint64_t sequence = 0; ///< of the record it came from
};

/// What is at the end of a file, before anything is opened for simulation.
struct probe_result {
    enum class kind {
        absent,    ///< no file, or an empty one
        raw,       ///< exactly the data area and no metadata: a plain raw image
        found,     ///< a valid footer
        corrupt,   ///< bigger than a raw image but without a valid footer (truncated/damaged)
        too_small, ///< smaller than the data area and without metadata
    } what = kind::absent;
    std::uint64_t file_size = 0;
    footer foot{};
};

/// Looks at 'path' for a metadata footer; data_bytes is the data area the config asks for.
probe_result probe(const std::string& path, std::uint64_t data_bytes);

/// Reads and checks the header at the start of a metadata region (magic, version, checksum).
header read_header(const metadata_io& io);
geometry geometry_of(const header& h);
/// Empty when equal, else "zone_size 4096 (config 8192), ..." naming every differing field.
std::string geometry_diff(const geometry& image, const geometry& config);

class zone_metadata {
  public:
    zone_metadata(metadata_io& io, const geometry& g);

    const geometry& geo() const { return m_geo; }
    const region_layout& layout() const { return m_layout; }

    /// Writes a fresh header, empty zone records and extensions, then the footer (last, so that
    /// an interrupted format is recognised as corrupt rather than as valid metadata).
    void format();
    /// Checks the header against the geometry; throws image_error naming the image and fields.
    void verify() const;
    /// Every zone's newest valid record. A zone whose two slots are both damaged (not a torn
    /// update, which damages at most one) throws image_error naming the zone and offset.
    std::vector<persisted_zone> load();
    /// One zone's newest valid record, read again from the image (after a failed update).
    persisted_zone load_zone(std::uint32_t zone) const;

    /// Persists a zone; writes the slot not holding the newest record. Does not allocate.
    void write_zone(std::uint32_t zone, spec::zone_state s, std::uint64_t wp, std::uint8_t attrs);
    void write_extension(std::uint32_t zone, const void* src);
    void read_extension(std::uint32_t zone, void* dst) const;
    void sync() { m_io.sync(); }

  private:
    persisted_zone decode(std::uint32_t zone, const zone_record* slots) const;
    metadata_io& m_io;
    geometry m_geo;
    region_layout m_layout;
    std::vector<std::uint64_t> m_seq; ///< newest sequence number per zone
};

} // namespace znssim::zns::metadata
