#pragma once
// What a stream issues next, free of SystemC and of the driver: sequential and random offsets
// over a range, zoned writes and appends over a set of open zones (each with its own queue
// depth, as fio --zonemode=zbd --max_open_zones does), zone actions over a range of zones, and
// the amount limits. The stream runner asks for the next command while it has room in flight
// and reports each completion back.
#include "platform/workload/stream_spec.h"

#include <cstdint>
#include <random>
#include <vector>

namespace znssim::platform {

/// One zone of a stream's range as the stream tracks it.
struct stream_zone {
    std::uint32_t index = 0;    ///< zone number in the namespace
    std::uint64_t start = 0;    ///< ZSLBA
    std::uint64_t capacity = 0; ///< ZCAP in LBAs
    std::uint64_t wp = 0;       ///< next LBA the stream writes (or appends predict)
    bool full = false;          ///< Full: needs a reset before it is written again
    bool usable = true;         ///< false: Read Only, Offline, or a write to it failed
    std::uint32_t inflight = 0;
    std::uint64_t end() const { return start + capacity; }
};

struct planned_io {
    enum class kind : std::uint8_t { read, write, append, zone_action };
    kind what = kind::read;
    std::uint64_t lba = 0;
    std::uint32_t nlb = 0;
    std::uint8_t zsa = 0;   ///< zone actions: ZNS Zone Send Action
    std::int32_t zone = -1; ///< index into the stream's zones, -1 when not zoned
};

class op_source {
  public:
    struct geometry {
        std::uint64_t ns_lbas = 0;
        std::uint32_t lba_bytes = 4096;
        bool zoned = false;
    };
    /// A byte-range stream over LBAs [first_lba, first_lba + lbas) (no zones), or a zone stream
    /// over 'zones' (zoned: reads cover each zone's capacity, writes go to write pointers).
    op_source(const stream_spec& spec, const geometry& g, std::uint64_t first_lba,
              std::uint64_t lbas, std::vector<stream_zone> zones);

    /// The next command to issue now; false when none can be issued until a completion (or
    /// ever: see done()).
    bool next(planned_io& out);
    /// A command issued by next() completed; for appends 'assigned' is the LBA the zone chose.
    void completed(const planned_io& io, bool ok, std::uint64_t assigned = 0);
    /// No command will ever be issued again (the amount is reached or the range used up).
    bool done() const;
    /// Ends the stream early (its runtime is over): next() returns false from now on.
    void stop() { m_stopped = true; }

    /// Commands in flight the stream may keep (every open zone's queue depth for zoned writes).
    unsigned max_inflight() const;
    std::uint64_t issued_bytes() const { return m_issued_bytes; }
    std::uint64_t issued_commands() const { return m_issued_commands; }
    const std::vector<stream_zone>& zones() const { return m_zones; }
    /// Whole-LBA ranges this stream wrote (for a verify pass afterwards).
    struct extent {
        std::uint64_t lba;
        std::uint64_t count;
    };
    const std::vector<extent>& written() const { return m_written; }

  private:
    bool zoned_writes() const;
    bool amount_reached() const;
    bool next_linear(planned_io& out);
    bool next_random(planned_io& out);
    bool next_zoned_write(planned_io& out);
    bool next_zone_action(planned_io& out);
    bool refill_open_zones();
    void note_written(std::uint64_t lba, std::uint64_t count);
    std::uint32_t block_lbas() const;
    void issued(const planned_io& io);

    stream_spec m_spec;
    geometry m_geo;
    std::vector<stream_zone> m_zones;
    /// The stream's range as segments of LBAs (zones' capacities, or one byte range).
    std::vector<extent> m_segments;
    std::uint64_t m_segment_lbas = 0;
    std::vector<std::uint64_t> m_block_ends; ///< random: cumulative blocks per segment
    // linear streams
    std::size_t m_seg = 0;
    std::uint64_t m_pos = 0;
    // zoned writes: open zones (indices into m_zones) and where the next candidate is
    std::vector<std::uint32_t> m_open;
    std::size_t m_next_candidate = 0;
    std::size_t m_rr = 0;
    double m_reset_credit = 0;
    std::vector<std::uint32_t> m_resets_wanted;
    unsigned m_resets_inflight = 0;
    // zone actions
    std::size_t m_action_next = 0;
    unsigned m_action_inflight = 0;

    std::mt19937_64 m_rng;
    std::uint64_t m_issued_bytes = 0;
    std::uint64_t m_issued_commands = 0;
    unsigned m_inflight = 0;
    bool m_stopped = false;
    bool m_exhausted = false;
    std::vector<extent> m_written;
};

} // namespace znssim::platform
