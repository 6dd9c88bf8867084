#pragma once
// The conventional (NVM command set) namespace over a backing image, and the pieces of it that
// zoned namespaces reuse: stable identifiers and the common Identify Namespace contents.
#include "model/storage/backing_image.h"
#include "nvme/ns/namespace.h"
#include "nvme/ns/namespace_params.h"

#include <array>
#include <cstdint>
#include <memory>
#include <string>

namespace znssim::nvme {

namespace spec {
struct id_ns;
}

/// Namespace identifiers, stable across runs: derived from the controller serial and the NSID,
/// so they are unique per subsystem and Linux sees the same ones on every rescan.
struct ns_identifiers {
    std::array<std::uint8_t, 16> nguid{};
    std::array<std::uint8_t, 8> eui64{};
    std::array<std::uint8_t, 16> uuid{}; ///< RFC 4122 variant, version 5 style
};
ns_identifiers make_ns_identifiers(const std::string& serial, std::uint32_t nsid);

/// What the common Identify Namespace (CNS 00h) fields are made of.
struct ns_geometry {
    std::uint64_t nsze = 0;
    std::uint64_t ncap = 0;
    std::uint64_t nuse = 0;
    unsigned lba_shift = 12; ///< 9 (512 B) or 12 (4096 B): selects LBAF0 or LBAF1
    bool read_only = false;
};

/// LBA formats every namespace offers: LBAF0 = 512 B, LBAF1 = 4096 B, no metadata.
constexpr unsigned lba_format_count = 2;
/// The LBA format index for an LBA size shift, or -1 if unsupported.
int lba_format_index(unsigned lba_shift);

/// Fills everything in Identify Namespace that does not depend on the command set: sizes, LBA
/// formats and FLBAS, NSFEAT with preferred write granularity, DLFEAT (deallocated LBAs read as
/// zeros, Write Zeroes may deallocate), NVMCAP, NSATTR and the identifiers. 'out' is zeroed first.
void fill_id_ns_common(spec::id_ns& out, const ns_geometry& g, const ns_identifiers& ids);

class nvm_namespace : public nvme_namespace {
  public:
    /// Opens (or creates) the image at p.image sized capacity × LBA size. Throws
    /// std::invalid_argument for bad parameters and image_error for image problems.
    nvm_namespace(const namespace_params& p, const std::string& controller_serial);

    std::uint32_t nsid() const override { return m_nsid; }
    spec::csi command_set() const override { return spec::csi::nvm; }
    std::uint64_t size_lbas() const override { return m_lbas; }
    std::uint64_t capacity_lbas() const override { return m_lbas; }
    std::uint64_t used_lbas() const override { return m_lbas; }
    unsigned lba_shift() const override { return m_lba_shift; }
    bool read_only() const override { return m_read_only; }
    void set_read_only(bool ro) { m_read_only = ro; }
    bool set_write_protected(bool on) override {
        m_read_only = on;
        return true;
    }
    const ns_identifiers& identifiers() const { return m_ids; }

    backing_image& image() override { return *m_image; }

    void identify(spec::id_ns& out) const override;
    bool identify_csi(spec::csi csi, void* out4096) const override;

    spec::status check_read(std::uint64_t slba, std::uint64_t nlb) override;
    spec::status begin_write(write_kind kind, std::uint64_t slba, std::uint64_t nlb,
                             write_grant& grant) override;
    spec::status end_write(write_kind kind, const write_grant& grant, bool ok) override;
    spec::status check_deallocate(std::uint64_t slba, std::uint64_t nlb) override;
    void shutdown() override;

  private:
    bool in_range(std::uint64_t slba, std::uint64_t nlb) const {
        return nlb <= m_lbas && slba <= m_lbas - nlb;
    }

    std::uint32_t m_nsid;
    unsigned m_lba_shift;
    std::uint64_t m_lbas;
    bool m_read_only = false;
    ns_identifiers m_ids;
    std::unique_ptr<backing_image> m_image;
};

} // namespace znssim::nvme
