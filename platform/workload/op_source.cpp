#include "platform/workload/op_source.h"

#include <algorithm>

namespace znssim::platform {

namespace {
constexpr std::uint8_t zsa_close = 0x1, zsa_finish = 0x2, zsa_open = 0x3, zsa_reset = 0x4;

std::uint8_t zsa_of(stream_op op) {
    switch (op) {
    case stream_op::zone_open:
        return zsa_open;
    case stream_op::zone_close:
        return zsa_close;
    case stream_op::zone_finish:
        return zsa_finish;
    default:
        return zsa_reset;
    }
}
} // namespace

op_source::op_source(const stream_spec& spec, const geometry& g, std::uint64_t first_lba,
                     std::uint64_t lbas, std::vector<stream_zone> zones)
    : m_spec(spec), m_geo(g), m_zones(std::move(zones)), m_rng(spec.seed) {
    if (spec.by_zone) {
        for (const stream_zone& z : m_zones) {
            if (!z.usable) continue;
            // Checked reads cover what is written; others the whole capacity.
            const std::uint64_t to = spec.verify && !z.full ? z.wp : z.end();
            if (to > z.start) m_segments.push_back({z.start, to - z.start});
        }
    } else if (lbas > 0) {
        m_segments.push_back({first_lba, lbas});
    }
    std::uint64_t blocks = 0;
    for (const extent& e : m_segments) {
        m_segment_lbas += e.count;
        blocks += std::max<std::uint64_t>(1, e.count / block_lbas());
        m_block_ends.push_back(blocks);
    }
    if (zoned_writes()) refill_open_zones();
}

std::uint32_t op_source::block_lbas() const {
    return static_cast<std::uint32_t>(
        std::max<std::uint64_t>(1, m_spec.block_bytes / m_geo.lba_bytes));
}

bool op_source::zoned_writes() const {
    return m_spec.by_zone && m_geo.zoned &&
           (m_spec.op == stream_op::write || m_spec.op == stream_op::append);
}

unsigned op_source::max_inflight() const {
    if (zoned_writes()) return m_spec.open_zones * m_spec.queue_depth + 1;
    return m_spec.queue_depth;
}

bool op_source::amount_reached() const {
    if (m_spec.amount_bytes && m_issued_bytes >= m_spec.amount_bytes) return true;
    if (m_spec.amount_commands && m_issued_commands >= m_spec.amount_commands) return true;
    // A random stream without limits does as many commands as the range has blocks (as fio).
    const bool unlimited = !m_spec.amount_bytes && !m_spec.amount_commands && !m_spec.runtime;
    if (unlimited && is_random(m_spec.op)) {
        const std::uint64_t blocks = std::max<std::uint64_t>(1, m_segment_lbas / block_lbas());
        return m_issued_commands >= blocks;
    }
    return false;
}

bool op_source::done() const {
    return m_stopped || m_exhausted || amount_reached();
}

void op_source::issued(const planned_io& io) {
    ++m_inflight;
    ++m_issued_commands;
    if (io.what != planned_io::kind::zone_action)
        m_issued_bytes += std::uint64_t{io.nlb} * m_geo.lba_bytes;
}

void op_source::note_written(std::uint64_t lba, std::uint64_t count) {
    // Zones written side by side interleave: extend the extent this write continues, if recent.
    const std::size_t look = std::min<std::size_t>(m_written.size(), 64);
    for (std::size_t k = 0; k < look; ++k) {
        extent& e = m_written[m_written.size() - 1 - k];
        if (e.lba + e.count == lba) {
            e.count += count;
            return;
        }
    }
    m_written.push_back({lba, count});
}

bool op_source::next(planned_io& out) {
    if (m_stopped || m_exhausted || amount_reached()) return false;
    out = planned_io{};
    if (is_zone_mgmt(m_spec.op)) return next_zone_action(out);
    if (zoned_writes()) return next_zoned_write(out);
    if (is_random(m_spec.op)) return next_random(out);
    return next_linear(out);
}

bool op_source::next_linear(planned_io& out) {
    if (m_inflight >= m_spec.queue_depth) return false;
    while (m_seg < m_segments.size() && m_pos >= m_segments[m_seg].count) {
        ++m_seg;
        m_pos = 0;
    }
    if (m_seg == m_segments.size()) {
        if (!m_spec.time_based || m_segments.empty()) {
            m_exhausted = true;
            return false;
        }
        m_seg = 0; // time based: around the range again until the runtime is over
        m_pos = 0;
    }
    const extent& seg = m_segments[m_seg];
    out.nlb = static_cast<std::uint32_t>(std::min<std::uint64_t>(block_lbas(), seg.count - m_pos));
    out.lba = seg.lba + m_pos;
    m_pos += out.nlb;
    const bool read = m_spec.op == stream_op::read ||
                      (m_spec.op == stream_op::readwrite && m_rng() % 100 < m_spec.read_percent);
    out.what = read ? planned_io::kind::read : planned_io::kind::write;
    if (!read) note_written(out.lba, out.nlb);
    issued(out);
    return true;
}

bool op_source::next_random(planned_io& out) {
    if (m_inflight >= m_spec.queue_depth || m_segments.empty()) return false;
    // A block-aligned offset anywhere in the range, each segment in proportion to its blocks.
    const std::uint32_t b = block_lbas();
    const std::uint64_t pick = m_rng() % m_block_ends.back();
    const std::size_t seg = static_cast<std::size_t>(
        std::upper_bound(m_block_ends.begin(), m_block_ends.end(), pick) - m_block_ends.begin());
    const extent& e = m_segments[seg];
    const std::uint64_t within = pick - (seg ? m_block_ends[seg - 1] : 0);
    out.lba = e.lba + within * b;
    out.nlb = static_cast<std::uint32_t>(std::min<std::uint64_t>(b, e.lba + e.count - out.lba));
    const bool read = m_spec.op == stream_op::randread ||
                      (m_spec.op == stream_op::randrw && m_rng() % 100 < m_spec.read_percent);
    out.what = read ? planned_io::kind::read : planned_io::kind::write;
    if (!read) note_written(out.lba, out.nlb);
    issued(out);
    return true;
}

bool op_source::refill_open_zones() {
    // Zones that are written to their capacity (and have nothing in flight) leave the set.
    m_open.erase(std::remove_if(m_open.begin(), m_open.end(),
                                [&](std::uint32_t i) {
                                    stream_zone& z = m_zones[i];
                                    if (z.inflight != 0) return false;
                                    if (z.wp >= z.end()) z.full = true;
                                    return z.full || !z.usable;
                                }),
                 m_open.end());
    while (m_open.size() < m_spec.open_zones) {
        while (m_next_candidate < m_zones.size()) {
            const stream_zone& z = m_zones[m_next_candidate];
            const bool open =
                std::find(m_open.begin(), m_open.end(), m_next_candidate) != m_open.end();
            const bool wanted = std::find(m_resets_wanted.begin(), m_resets_wanted.end(),
                                          m_next_candidate) != m_resets_wanted.end();
            if (z.usable && !z.full && z.wp < z.end() && !open && !wanted) break;
            ++m_next_candidate;
        }
        if (m_next_candidate < m_zones.size()) {
            m_open.push_back(static_cast<std::uint32_t>(m_next_candidate++));
            continue;
        }
        // Every zone of the range is written: reset the full ones and go round again, if asked
        // and if something (an amount, a runtime) ends the stream otherwise.
        const bool bounded = m_spec.amount_bytes || m_spec.amount_commands || m_spec.runtime;
        if ((m_spec.reset_full_zones || m_spec.time_based) && bounded && m_resets_wanted.empty() &&
            m_resets_inflight == 0) {
            for (std::uint32_t i = 0; i < m_zones.size(); ++i)
                if (m_zones[i].full && m_zones[i].usable && m_zones[i].inflight == 0)
                    m_resets_wanted.push_back(i);
            m_next_candidate = 0;
        }
        break;
    }
    return !m_open.empty();
}

bool op_source::next_zoned_write(planned_io& out) {
    refill_open_zones();
    // Resets the stream wants (recycling full zones, or fio's reset threshold) go first.
    for (std::size_t k = 0; k < m_resets_wanted.size(); ++k) {
        stream_zone& z = m_zones[m_resets_wanted[k]];
        if (z.inflight != 0) continue;
        out.what = planned_io::kind::zone_action;
        out.zsa = zsa_reset;
        out.lba = z.start;
        out.zone = static_cast<std::int32_t>(m_resets_wanted[k]);
        m_resets_wanted.erase(m_resets_wanted.begin() + static_cast<std::ptrdiff_t>(k));
        ++m_resets_inflight;
        ++z.inflight;
        issued(out);
        return true;
    }
    if (m_open.empty()) {
        if (m_resets_wanted.empty() && m_resets_inflight == 0) m_exhausted = true;
        return false;
    }
    for (std::size_t n = 0; n < m_open.size(); ++n) {
        const std::uint32_t i = m_open[(m_rr + n) % m_open.size()];
        stream_zone& z = m_zones[i];
        if (z.inflight >= m_spec.queue_depth || z.wp >= z.end() || !z.usable) continue;
        m_rr = (m_rr + n + 1) % m_open.size();
        out.nlb = static_cast<std::uint32_t>(std::min<std::uint64_t>(block_lbas(), z.end() - z.wp));
        const bool append = m_spec.op == stream_op::append;
        out.what = append ? planned_io::kind::append : planned_io::kind::write;
        out.lba = append ? z.start : z.wp; // appends: the data pattern assumes this order
        out.zone = static_cast<std::int32_t>(i);
        note_written(z.wp, out.nlb);
        z.wp += out.nlb;
        ++z.inflight;
        issued(out);
        return true;
    }
    return false;
}

bool op_source::next_zone_action(planned_io& out) {
    if (m_action_inflight >= m_spec.queue_depth) return false;
    while (m_action_next < m_zones.size() && !m_zones[m_action_next].usable)
        ++m_action_next;
    if (m_action_next == m_zones.size()) {
        if (!m_spec.time_based || m_zones.empty()) {
            m_exhausted = true;
            return false;
        }
        m_action_next = 0;
    }
    const stream_zone& z = m_zones[m_action_next];
    out.what = planned_io::kind::zone_action;
    out.zsa = zsa_of(m_spec.op);
    out.lba = z.start;
    out.zone = static_cast<std::int32_t>(m_action_next++);
    ++m_action_inflight;
    issued(out);
    return true;
}

void op_source::completed(const planned_io& io, bool ok, std::uint64_t assigned) {
    if (m_inflight) --m_inflight;
    if (io.zone < 0 || static_cast<std::size_t>(io.zone) >= m_zones.size()) return;
    stream_zone& z = m_zones[static_cast<std::size_t>(io.zone)];
    if (io.what == planned_io::kind::zone_action) {
        if (is_zone_mgmt(m_spec.op)) {
            if (m_action_inflight) --m_action_inflight;
            return;
        }
        // A reset this stream issued to recycle the zone.
        if (z.inflight) --z.inflight;
        if (m_resets_inflight) --m_resets_inflight;
        if (ok) {
            z.full = false;
            z.wp = z.start;
        } else {
            z.usable = false;
        }
        return;
    }
    if (z.inflight) --z.inflight;
    if (!ok) z.usable = false; // its write pointer is no longer known
    if (z.wp >= z.end() && z.inflight == 0) z.full = true;
    (void)assigned;
    // fio's zone_reset_threshold/frequency: once the range is written past the threshold, a
    // zone is reset after every 1/frequency writes.
    if (ok && m_spec.zone_reset_threshold > 0 && m_spec.zone_reset_frequency > 0) {
        std::uint64_t written = 0, capacity = 0;
        for (const stream_zone& s : m_zones) {
            written += (s.full ? s.capacity : s.wp - s.start);
            capacity += s.capacity;
        }
        if (capacity && static_cast<double>(written) / capacity > m_spec.zone_reset_threshold) {
            m_reset_credit += m_spec.zone_reset_frequency;
            while (m_reset_credit >= 1) {
                m_reset_credit -= 1;
                for (std::uint32_t i = 0; i < m_zones.size(); ++i) {
                    const stream_zone& c = m_zones[i];
                    const bool open = std::find(m_open.begin(), m_open.end(), i) != m_open.end();
                    if (c.full && c.usable && c.inflight == 0 && !open &&
                        std::find(m_resets_wanted.begin(), m_resets_wanted.end(), i) ==
                            m_resets_wanted.end()) {
                        m_resets_wanted.push_back(i);
                        break;
                    }
                }
            }
        }
    }
}

} // namespace znssim::platform
