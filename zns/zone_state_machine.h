#pragma once
// The zone state machine of ZNS 1.1 (section 2.1.1), time-free and allocation-free after
// construction: zone states, write pointers, attributes, open/active resources, zone send actions
// and the write/read checks of the I/O commands. The zoned namespace wraps it with persistence,
// timers and the data area; unit tests drive it directly.
#include "model/sim/time.h"
#include "nvme/spec/status.h"
#include "zns/spec.h"

#include <cstdint>
#include <vector>

namespace znssim::zns {

using nvme::spec::status;
using spec::zone_state;

constexpr std::uint64_t no_lba = ~0ull;

struct zone_geometry {
    std::uint64_t zone_size = 0;     ///< ZSZE in LBAs
    std::uint64_t zone_capacity = 0; ///< ZCAP in LBAs (≤ zone_size)
    std::uint32_t zone_count = 0;
    std::uint32_t conventional = 0; ///< leading zones without write-pointer rules
    std::uint32_t max_open = 0;     ///< 0 = unlimited
    std::uint32_t max_active = 0;   ///< 0 = unlimited
};

struct zone {
    std::uint64_t start = 0;    ///< ZSLBA
    std::uint64_t capacity = 0; ///< ZCAP
    /// Durable write pointer: every LBA in [start, wp) has been written (its command completed).
    /// This is what the report shows and what is persisted.
    std::uint64_t wp = 0;
    /// Where the next write or append must start: wp plus the LBAs of writes still in flight.
    std::uint64_t issued = 0;
    std::uint64_t fail_at = no_lba; ///< lowest start of a failed in-flight write
    std::uint32_t inflight = 0;
    /// Write epoch: a reset (or the zone going offline) starts a new one, so writes accepted
    /// before it can tell, when they complete, that nothing of them remains.
    std::uint32_t epoch = 0;
    zone_state state = zone_state::empty;
    std::uint8_t attrs = 0;
    bool conventional = false;
    std::uint64_t open_seq = 0; ///< implicit-open order (least recent is auto-closed first)
    sim_time active_since = 0;  ///< when the zone last became active (RRL/FRL)

    std::uint64_t end() const { return start + capacity; }
    std::uint64_t written() const { return wp - start; }
    bool is_open() const { return state == zone_state::imp_open || state == zone_state::exp_open; }
    bool is_active() const { return is_open() || state == zone_state::closed; }
};

/// Why a zone changed state (for tracing and for the namespace's side effects).
enum class zone_cause : std::uint8_t {
    write,      ///< implicit open, or Full when the write pointer reached the capacity
    auto_close, ///< closed by the controller to free an open resource
    action,     ///< a Zone Management Send action
    fault,      ///< made Read Only / Offline by the controller
    restore,    ///< loaded from the image
    limit,      ///< the controller's Reset/Finish Recommended limits (RRL/FRL)
};

class zone_listener {
  public:
    virtual ~zone_listener() = default;
    /// The zone's state changed (old → new).
    virtual void zone_transition(std::uint32_t index, zone_state from, zone_state to,
                                 zone_cause cause) = 0;
    /// Something persisted about the zone (state, write pointer, attributes) changed.
    virtual void zone_updated(std::uint32_t index) = 0;
};

/// One write the state machine accepted, from begin_write() to end_write().
struct zone_write {
    std::uint64_t lba = 0; ///< where the data goes (appends: the LBA the zone assigned)
    std::uint64_t nlb = 0;
    std::uint32_t epoch = 0;  ///< the zone's write epoch when it was accepted
    bool opened = false;      ///< the write opened its zone implicitly
    bool auto_closed = false; ///< ... and the controller closed another zone to make room
};

/// What end_write() leaves for the caller: LBAs whose data must be discarded because the write
/// failed or landed in a zone that was reset or finished meanwhile (empty when first == last).
struct lba_range {
    std::uint64_t first = 0;
    std::uint64_t last = 0; ///< exclusive
    bool empty() const { return first >= last; }
};

class zone_state_machine {
  public:
    explicit zone_state_machine(const zone_geometry& g);

    void set_listener(zone_listener* l) { m_listener = l; }
    const zone_geometry& geometry() const { return m_geo; }
    std::uint32_t zone_count() const { return m_geo.zone_count; }
    std::uint64_t size_lbas() const { return m_geo.zone_size * m_geo.zone_count; }
    const zone& at(std::uint32_t i) const { return m_zones[i]; }
    std::uint32_t zone_of(std::uint64_t lba) const {
        return static_cast<std::uint32_t>(lba / m_geo.zone_size);
    }
    std::uint32_t open_count() const { return m_open; }
    std::uint32_t active_count() const { return m_active; }

    // --- I/O checks ---
    /// Read of [slba, slba+nlb): range, zone boundary (unless cross_zone), offline zones.
    status check_read(std::uint64_t slba, std::uint64_t nlb, bool cross_zone) const;
    /// Accepts a write (append: slba must be a zone start; the assigned LBA goes to out.lba). On
    /// success the zone is (implicitly) open and its issue pointer has advanced past the write;
    /// the durable write pointer and the state (Full) follow in end_write() (ZNS 1.1 2.1.1.3).
    status begin_write(bool append, std::uint64_t slba, std::uint64_t nlb, sim_time now,
                       zone_write& out);
    /// Is an accepted write still part of its zone (no reset or offline since)?
    bool current(const zone_write& w) const;
    /// Completes an accepted write (ok = its data reached the media); returns LBAs the caller
    /// must discard (see lba_range).
    lba_range end_write(const zone_write& w, bool ok);
    /// Dataset Management deallocate: allowed anywhere in range except offline zones.
    status check_deallocate(std::uint64_t slba, std::uint64_t nlb) const;

    // --- Zone Management Send actions on one zone (index), and Select All ---
    status open(std::uint32_t i, sim_time now);
    status close(std::uint32_t i);
    status finish(std::uint32_t i, sim_time now);
    status reset(std::uint32_t i);
    status offline(std::uint32_t i);
    /// Set Zone Descriptor Extension: Empty → Closed with ZDEV (needs an active resource).
    status set_extension(std::uint32_t i, sim_time now);
    status apply(spec::zsa action, std::uint32_t i, sim_time now);
    /// What apply() would return now, without changing anything.
    status check(spec::zsa action, std::uint32_t i) const;
    status apply_all(spec::zsa action, sim_time now);
    /// Would a Select All of 'action' act on zone i? (ZNS 1.1 3.4.3: each action names states.)
    bool selects(spec::zsa action, std::uint32_t i) const;

    // --- Controller-side changes ---
    /// Faults: the zone becomes Read Only / Offline, releasing its resources.
    void make_read_only(std::uint32_t i);
    void make_offline(std::uint32_t i);
    /// Sets attribute bits (RZR/FRL); returns true if anything changed.
    bool raise_attributes(std::uint32_t i, std::uint8_t bits);

    /// Restores a persisted zone (start-up): opened zones come back Closed, or Empty when nothing
    /// was written and no extension is valid. Returns the state actually used.
    zone_state restore(std::uint32_t i, zone_state s, std::uint64_t wp, std::uint8_t attrs,
                       sim_time now);

  private:
    void set_state(std::uint32_t i, zone_state to, zone_cause cause);
    void updated(std::uint32_t i);
    /// Resources for zone i to become open (and active). An implicitly opened zone may be
    /// closed to free an open resource, for writes and explicit opens alike (as QEMU, null_blk
    /// and ZBC do); *closed tells whether that happened.
    status take_resources(std::uint32_t i, sim_time now, bool* closed = nullptr);
    status check_resources(std::uint32_t i) const;
    std::uint32_t auto_close_victim(std::uint32_t except) const;
    bool auto_close_one(std::uint32_t except);
    status check_write_state(const zone& z) const;
    void to_full(std::uint32_t i, zone_cause cause);

    zone_geometry m_geo;
    std::vector<zone> m_zones;
    std::uint32_t m_open = 0;
    std::uint32_t m_active = 0;
    std::uint64_t m_seq = 0;
    zone_listener* m_listener = nullptr;
};

const char* zone_state_name(zone_state s);

} // namespace znssim::zns
