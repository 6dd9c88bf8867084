#pragma once
// A Zoned Namespace (CSI 02h): the zone state machine on top of a backing image whose metadata
// region (zns/metadata) persists every zone, plus the controller-side behaviour the spec leaves to
// the device: fault injection from config, RRL/FRL recommendations, the Changed Zone List and the
// Zone Descriptor Changed event.
#include "model/log/log.h"
#include "model/sim/scheduler.h"
#include "model/storage/backing_image.h"
#include "nvme/core/context.h"
#include "nvme/ns/namespace.h"
#include "nvme/ns/namespace_params.h"
#include "zns/metadata/zone_metadata.h"
#include "zns/zone_state_machine.h"
#include "zns/zone_trace.h"

#include <functional>
#include <memory>
#include <vector>

namespace znssim::zns {

/// Opens (and if needed formats) a zoned namespace's image per the start-up rules of
/// docs/image-format.md. Throws image_error naming the image and what is wrong; nothing is
/// overwritten unless p.reformat.
struct opened_image {
    std::unique_ptr<backing_image> image;
    bool formatted = false;
};
opened_image open_zoned_image(const nvme::namespace_params& p, const metadata::geometry& g);

/// The metadata geometry a namespace config describes (validated: throws std::invalid_argument).
metadata::geometry geometry_of(const nvme::namespace_params& p);

class zoned_namespace final : public nvme::nvme_namespace, private zone_listener {
  public:
    zoned_namespace(const nvme::namespace_params& p, scheduler& sched);
    ~zoned_namespace() override;

    // --- nvme_namespace ---
    std::uint32_t nsid() const override { return m_params.nsid; }
    nvme::spec::csi command_set() const override { return nvme::spec::csi::zns; }
    std::uint64_t size_lbas() const override { return m_zones.size_lbas(); }
    std::uint64_t capacity_lbas() const override { return m_zones.size_lbas(); }
    std::uint64_t used_lbas() const override;
    unsigned lba_shift() const override { return m_lba_shift; }
    backing_image& image() override { return *m_image; }
    void identify(nvme::spec::id_ns& out) const override;
    bool identify_csi(nvme::spec::csi csi, void* out4096) const override;
    nvme::spec::status check_read(std::uint64_t slba, std::uint64_t nlb) override;
    nvme::spec::status begin_write(nvme::write_kind kind, std::uint64_t slba, std::uint64_t nlb,
                                   nvme::write_grant& grant) override;
    bool write_current(const nvme::write_grant& grant) const override;
    nvme::spec::status end_write(nvme::write_kind kind, const nvme::write_grant& grant,
                                 bool ok) override;
    void describe_access(media_request& r) const override;
    nvme::spec::status check_deallocate(std::uint64_t slba, std::uint64_t nlb) override;
    void shutdown() override;
    void set_log_instance(const std::string& instance) override;

    // --- for the zone management handlers and tools ---
    const zone_state_machine& zones() const { return m_zones; }
    const nvme::zoned_params& zoned_config() const { return m_params.zoned_cfg; }
    bool formatted_at_start() const { return m_formatted; }
    std::uint32_t extension_bytes() const { return m_params.zoned_cfg.descriptor_extension_bytes; }

    /// A Zone Management Send action on the zone starting at zslba (or every zone with
    /// select_all). 'ext' holds extension_bytes() for set_extension. Persists and discards data.
    nvme::spec::status zone_action(spec::zsa action, std::uint64_t zslba, bool select_all,
                                   const void* ext);
    /// The zone descriptor as Report Zones returns it (WP = ~0 for Full/Read Only/Offline).
    void describe(std::uint32_t zone, spec::zone_descriptor& out) const;
    /// The zone's descriptor extension (zeros unless ZDEV is set); dst holds extension_bytes().
    /// A failed read of the image gives the media status.
    nvme::spec::status read_extension(std::uint32_t zone, void* dst) const;
    /// Does the zone pass the Report Zones filter?
    bool matches(std::uint32_t zone, spec::zrasf filter) const;
    /// Changed Zone List log (LID BFh) contents; clears the list when 'clear'.
    void changed_zone_log(spec::changed_zone_list& out, bool clear);

    /// Where Zone Descriptor Changed events go (the controller core's event queue). Events
    /// raised while no hook is set wait until one is.
    void set_event_hook(std::function<void(const nvme::async_event&)> hook);
    /// Zone-state tracing: every zone event goes to 'sink' (nullptr: off). 'current' tells
    /// which command is running when an event happens (the controller provides it).
    void set_trace(zone_event_sink* sink, std::function<command_cause()> current);

  private:
    void zone_transition(std::uint32_t i, zone_state from, zone_state to, zone_cause c) override;
    void zone_updated(std::uint32_t i) override;
    void trace(std::uint32_t zone, zone_event_kind kind, zone_state from, zone_state to,
               zone_cause cause);

    void restore_zones(const std::vector<metadata::persisted_zone>& saved);
    /// The image failed while zone i was being stored (a record, a sync, a discard).
    void io_failed(std::uint32_t i, const image_error& e);
    /// After a zone operation: success, or (if the image failed meanwhile) the failed zone made
    /// Read Only and the media status the command reports.
    nvme::spec::status take_io_failure();
    void persist(std::uint32_t i);
    void discard_lbas(std::uint64_t first, std::uint64_t last);
    void note_changed(std::uint32_t i);
    void raise_changed_event();
    void apply_faults();
    void check_limits();
    void arm_limit_timer();

    nvme::namespace_params m_params;
    scheduler& m_sched;
    log::logger_ptr m_log;
    unsigned m_lba_shift = 12;
    metadata::geometry m_geo;
    std::unique_ptr<backing_image> m_image;
    std::unique_ptr<metadata::image_metadata_io> m_io;
    std::unique_ptr<metadata::zone_metadata> m_meta;
    zone_state_machine m_zones;
    bool m_formatted = false;
    bool m_restoring = false;
    int m_io_error = 0; ///< errno of an image failure not yet reported to a command
    std::uint32_t m_io_error_zone = 0;

    // Changed Zone List: zone indices in change order, deduplicated; overflow past 511.
    std::vector<std::uint32_t> m_changed;
    std::vector<bool> m_is_changed;
    bool m_changed_overflow = false;
    bool m_event_pending = false;
    std::function<void(const nvme::async_event&)> m_event_hook;
    zone_event_sink* m_trace = nullptr;
    std::function<command_cause()> m_current_command;

    std::vector<std::unique_ptr<timer>> m_fault_timers;
    timer m_limit_timer;

    // A reset leaves the zone's old data in the image: punching a zone's pages out costs
    // milliseconds of wall time per 16 MiB, and a rewrite overwrites them anyway. Per zone, the
    // end of the LBAs that may hold data: [issued, dirty end) is stale and is discarded before
    // a read reaches it, before a finish or a fault makes it readable, and at shutdown (a
    // restart after a crash discards data above the write pointer too).
    std::vector<std::uint64_t> m_dirty_end;
    void discard_stale(std::uint32_t i);
    void discard_stale_in(std::uint64_t slba, std::uint64_t nlb);
};

} // namespace znssim::zns
