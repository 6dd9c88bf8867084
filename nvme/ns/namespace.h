#pragma once
// A namespace as the controller sees it. nvm_namespace (nvme/ns) is the conventional one;
// zns::zoned_namespace overrides the access hooks to enforce zones and write pointers.
#include "model/timing/media_timing.h"
#include "nvme/spec/commands.h"
#include "nvme/spec/status.h"

#include <cstdint>
#include <string>

namespace znssim {
class backing_image;
}

namespace znssim::nvme {

namespace spec {
struct id_ns;
}

enum class write_kind : std::uint8_t { write, write_zeroes, append };

/// One write a namespace accepted in begin_write(), handed back to end_write().
struct write_grant {
    std::uint64_t lba = 0; ///< where the data goes (appends: the LBA the zone assigned)
    std::uint64_t nlb = 0;
    std::uint64_t token = 0;  ///< the namespace's own (zoned: the zone's write epoch)
    bool opened = false;      ///< the write opened its zone implicitly
    bool auto_closed = false; ///< ... and another zone was closed to make room
};

class nvme_namespace {
  public:
    virtual ~nvme_namespace() = default;

    virtual std::uint32_t nsid() const = 0;
    virtual spec::csi command_set() const = 0;
    virtual std::uint64_t size_lbas() const = 0;     ///< NSZE
    virtual std::uint64_t capacity_lbas() const = 0; ///< NCAP
    virtual std::uint64_t used_lbas() const = 0;     ///< NUSE
    virtual unsigned lba_shift() const = 0;          ///< log2 of the LBA size
    virtual bool read_only() const { return false; }
    /// Namespace Write Protection Config (feature 84h): false if this namespace cannot change it.
    virtual bool set_write_protected(bool on) { return false; }

    virtual backing_image& image() = 0;

    /// Identify Namespace (CNS 00h) for this namespace.
    virtual void identify(spec::id_ns& out) const = 0;
    /// I/O command set specific Identify Namespace (CNS 05h) for 'csi' into a 4096-byte buffer;
    /// false if this namespace has no such structure for that CSI (→ Invalid Field).
    virtual bool identify_csi(spec::csi csi, void* out4096) const = 0;

    // --- Access rules, called by the NVM I/O handlers around their data movement. ---
    /// May LBAs [slba, slba+nlb) be read?  (range, zone boundaries, offline zones)
    virtual spec::status check_read(std::uint64_t slba, std::uint64_t nlb) = 0;
    /// Accept a write of [slba, slba+nlb). For appends slba is the zone start and grant.lba
    /// receives the LBA actually written. Zoned namespaces check the write pointer and open the
    /// zone here. On success the caller moves the data and, when the write is done, calls
    /// end_write() with the grant.
    virtual spec::status begin_write(write_kind kind, std::uint64_t slba, std::uint64_t nlb,
                                     write_grant& grant) = 0;
    /// Is an accepted write still wanted? False when its zone was reset since: its data must
    /// then not be stored (it would land above the new write pointer).
    virtual bool write_current(const write_grant& grant) const { return true; }
    /// Finish a write begun with begin_write: ok=false if the data transfer failed or the
    /// command was aborted (the range is then restored to its unwritten state where the
    /// namespace can, e.g. zoned namespaces). Returns what storing it cost: success, or the
    /// media status of an image failure (nvme/ns/media_status.h) the command must report.
    virtual spec::status end_write(write_kind kind, const write_grant& grant, bool ok) = 0;
    /// Fills what a timing model needs to know about an access beyond the LBAs (zone geometry,
    /// how much of the zone is written, reads of never-written LBAs).
    virtual void describe_access(media_request& r) const {}
    /// May LBAs be deallocated (Dataset Management)?
    virtual spec::status check_deallocate(std::uint64_t slba, std::uint64_t nlb) = 0;

    /// Controller shutdown (CC.SHN) or model exit: make everything durable.
    virtual void shutdown() = 0;

    /// The controller that adopts the namespace names its loggers after its instance
    /// (nvme/core/device_log.h). Until then a namespace logs under namespace_params::log_instance,
    /// or under the module names ("zns.ns1") when that is empty.
    virtual void set_log_instance(const std::string& instance) {}
};

} // namespace znssim::nvme
