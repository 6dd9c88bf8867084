#include "model/timing/ssd_timing.h"

#include <algorithm>

namespace znssim::timing {

namespace {
constexpr std::uint8_t op_write = 0x01, op_read = 0x02, op_write_zeroes = 0x08;
constexpr std::uint8_t op_zms = 0x79, op_zmr = 0x7a, op_append = 0x7d;
} // namespace

struct ssd_timing::program_job {
    die_job job;
    ssd_timing* owner = nullptr;
    stream* source = nullptr;
    std::uint64_t release = 0; ///< buffered bytes this program makes durable
};

struct ssd_timing::zone_op {
    ssd_timing* owner = nullptr;
    media_op_handle* handle = nullptr;       ///< nullptr: nobody waits (Select All, cancelled)
    std::vector<die_job> jobs;               ///< one per die, plus the metadata program at the end
    std::vector<std::uint32_t> erase_blocks; ///< resets: blocks to erase per die, after metadata
    unsigned outstanding = 0;
    bool active = false;
};

ssd_timing::ssd_timing(const ssd_params& p)
    : m_p(p), m_link(p.link), m_processors(p.frontend.processors),
      m_layout(p.nand, p.zones.dies_per_zone), m_nand(p.nand),
      m_buffer(p.buffer.bytes, p.buffer.per_zone_bytes) {
    // Programs in flight are bounded by the buffer (each holds at least a share of it) plus
    // the padded units of flushes and finishes: preallocate so draining never allocates.
    const std::uint64_t units = p.buffer.bytes / std::max<std::uint64_t>(1, m_layout.unit_bytes());
    const std::size_t jobs = static_cast<std::size_t>(units) + 2u * m_layout.dies() + 64;
    for (std::size_t i = 0; i < jobs; ++i)
        new_program_job(); // fills the pool
    for (auto& j : m_program_jobs)
        m_free_program_jobs.push_back(j.get());
    for (int i = 0; i < 16; ++i)
        new_zone_op();
    for (auto& o : m_zone_ops)
        m_free_zone_ops.push_back(o.get());
}

ssd_timing::~ssd_timing() = default;

void ssd_timing::bind(scheduler& s) {
    m_sched = &s;
    m_nand.bind(s);
    m_link.bind(s);
}

void ssd_timing::reset() {
    m_nand.reset();
    m_buffer.reset();
    m_link.reset();
    m_processors.reset();
    m_ingest.reset();
    m_streams.clear();
    for (media_op_handle* h = m_wait_head; h;) {
        media_op_handle* n = h->next;
        h->pending = false;
        h->next = nullptr;
        h = n;
    }
    m_wait_head = m_wait_tail = nullptr;
    m_free_program_jobs.clear();
    for (auto& j : m_program_jobs)
        m_free_program_jobs.push_back(j.get());
    m_free_zone_ops.clear();
    for (auto& o : m_zone_ops) {
        o->active = false;
        o->handle = nullptr;
        m_free_zone_ops.push_back(o.get());
    }
    m_flush_waiters.clear();
    m_programs_in_flight = m_programs_done = m_programs_dispatched = 0;
}

ssd_timing::program_job& ssd_timing::new_program_job() {
    if (!m_free_program_jobs.empty()) {
        program_job* j = m_free_program_jobs.back();
        m_free_program_jobs.pop_back();
        return *j;
    }
    auto j = std::make_unique<program_job>();
    j->owner = this;
    j->job.context = j.get();
    j->job.done = [](void* c, die_job&, sim_time at) {
        auto* pj = static_cast<program_job*>(c);
        pj->owner->on_program_done(*pj, at);
    };
    m_program_jobs.push_back(std::move(j));
    return *m_program_jobs.back();
}

ssd_timing::zone_op& ssd_timing::new_zone_op() {
    if (!m_free_zone_ops.empty()) {
        zone_op* o = m_free_zone_ops.back();
        m_free_zone_ops.pop_back();
        return *o;
    }
    auto o = std::make_unique<zone_op>();
    o->owner = this;
    o->jobs.resize(m_layout.dies() + 1u);
    o->erase_blocks.resize(m_layout.dies(), 0);
    for (auto& j : o->jobs) {
        j.context = o.get();
        j.done = [](void* c, die_job& job, sim_time at) {
            auto* op = static_cast<zone_op*>(c);
            ssd_timing& self = *op->owner;
            // A reset erases only once its new state is persisted.
            if (&job == &op->jobs.back() && job.what == die_job::kind::fixed) {
                for (unsigned d = 0; d < self.m_layout.dies(); ++d) {
                    if (op->erase_blocks[d] == 0) continue;
                    die_job& e = op->jobs[d];
                    e.what = die_job::kind::erase;
                    e.count = op->erase_blocks[d];
                    op->erase_blocks[d] = 0;
                    ++op->outstanding;
                    self.m_nand.queue(d, e);
                }
            }
            if (--op->outstanding == 0) self.finish_zone_op(*op, at);
        };
    }
    m_zone_ops.push_back(std::move(o));
    return *m_zone_ops.back();
}

// ---- front end and link ----

sim_time ssd_timing::fetch_start(sim_time at) {
    return at + m_p.frontend.doorbell_to_fetch;
}

sim_time ssd_timing::sqe_fetched(sim_time at) {
    return m_link.device_read(at, 64).end;
}

sim_time ssd_timing::command_processed(const command_cost_info& c, sim_time at) {
    const frontend_params& f = m_p.frontend;
    sim_time cost = f.other_cost;
    if (c.admin)
        cost = f.admin_cost;
    else if (c.opcode == op_read)
        cost = f.read_cost;
    else if (c.opcode == op_write || c.opcode == op_write_zeroes || c.opcode == op_append)
        cost = f.write_cost;
    else if (c.opcode == op_zms || c.opcode == op_zmr)
        cost = f.zone_mgmt_cost;
    sim_time t = processor(at, cost);
    if (c.bytes_from_host) t = m_link.device_read(t, c.bytes_from_host).end;
    if (c.bytes_to_host) t = m_link.device_write(t, c.bytes_to_host);
    return t;
}

sim_time ssd_timing::data_from_host(sim_time at, std::uint64_t bytes, std::uint64_t list_bytes) {
    return m_link.device_read(at, bytes + list_bytes).end;
}

sim_time ssd_timing::data_to_host(sim_time at, std::uint64_t bytes) {
    return m_link.device_write(at, bytes);
}

sim_time ssd_timing::completion_posted(sim_time at) {
    return m_link.device_write(at + m_p.frontend.completion_cost, 16);
}

sim_time ssd_timing::interrupt_sent(sim_time at) {
    return m_link.device_write(at, 4);
}

// ---- media ----

ssd_timing::stream& ssd_timing::stream_of(const media_request& r) {
    if (m_streams.size() <= r.nsid) m_streams.resize(r.nsid + 1u);
    auto& zones = m_streams[r.nsid];
    if (zones.empty()) {
        const std::uint64_t n =
            r.zoned && r.zone_size ? (r.ns_lbas + r.zone_size - 1) / r.zone_size : 1;
        zones.resize(static_cast<std::size_t>(std::max<std::uint64_t>(n, 1)));
        for (std::size_t i = 0; i < zones.size(); ++i) {
            zones[i].zoned = r.zoned;
            zones[i].zone = static_cast<std::uint32_t>(i);
        }
    }
    const std::size_t i = r.zoned ? std::min<std::size_t>(r.zone, zones.size() - 1) : 0;
    return zones[i];
}

unsigned ssd_timing::die_for(bool zoned, std::uint32_t zone, std::uint64_t unit) const {
    return zoned ? m_layout.zone_die(zone, unit) : m_layout.linear_die(unit);
}

sim_time ssd_timing::read(const media_request& r, sim_time at) {
    // Never-written LBAs of a zone read as zeros without touching the flash.
    if (r.zoned && r.unwritten) return at;
    const std::uint64_t bytes = r.nlb * r.lba_bytes;
    const stream* s = r.zoned ? &stream_of(r) : nullptr;
    std::uint64_t pos = (r.zoned ? r.slba - r.zone_start : r.slba) * r.lba_bytes;
    // A zone's most recently written bytes are still in the buffer until programmed.
    const std::uint64_t written = r.zone_written * r.lba_bytes;
    const std::uint64_t buffered_from = s ? written - std::min(written, s->buffered) : ~0ull;
    std::uint64_t left = bytes;
    sim_time end = at;
    const std::uint64_t unit_bytes = m_layout.unit_bytes();
    const std::uint64_t read_unit = m_layout.read_unit_bytes();
    while (left > 0) {
        const std::uint64_t unit = pos / unit_bytes;
        const std::uint64_t in_unit = pos % unit_bytes;
        const std::uint64_t chunk = std::min(left, read_unit - in_unit % read_unit);
        sim_time e;
        if (pos >= buffered_from && pos < written) // still in the write buffer
            e = at + transfer_time(chunk, m_p.buffer.ingest_bytes_per_second);
        else
            e = m_nand.read(die_for(r.zoned, r.zone, unit), m_layout.page_type(in_unit), chunk, at);
        end = std::max(end, e);
        pos += chunk;
        left -= chunk;
    }
    return end;
}

sim_time ssd_timing::admit(stream& s, std::uint64_t bytes, sim_time at) {
    m_buffer.admit(bytes);
    s.buffered += bytes;
    s.pending += bytes;
    // The data streamed into the buffer while it crossed the link: the ingest began when its
    // first byte arrived, and cannot end before its last.
    const sim_time wire = m_link.wire_time(bytes);
    const sim_time from = at > wire ? at - wire : 0;
    const sim_time ingested = std::max(
        at, m_ingest.reserve_end(from, transfer_time(bytes, m_p.buffer.ingest_bytes_per_second)));
    dispatch_units(s, false);
    return ingested;
}

void ssd_timing::dispatch_units(stream& s, bool pad) {
    const std::uint64_t unit = m_layout.unit_bytes();
    while (s.pending >= unit)
        dispatch_one(s, unit);
    if (pad && s.pending > 0) dispatch_one(s, s.pending); // padded to a whole unit
}

void ssd_timing::dispatch_one(stream& s, std::uint64_t bytes) {
    program_job& j = new_program_job();
    j.source = &s;
    j.release = bytes;
    j.job.what = die_job::kind::program;
    j.job.count = 1;
    j.job.bytes = m_layout.unit_bytes();
    s.pending -= bytes;
    const unsigned die = die_for(s.zoned, s.zone, s.next_unit++);
    ++m_programs_in_flight;
    ++m_programs_dispatched;
    // The firmware hands the unit to the die: a processor is busy meanwhile.
    if (m_sched) processor(m_sched->now(), m_p.frontend.program_dispatch_cost);
    m_nand.queue(die, j.job);
}

void ssd_timing::on_program_done(program_job& j, sim_time at) {
    m_buffer.release(j.release);
    if (j.source)
        j.source->buffered = j.release > j.source->buffered ? 0 : j.source->buffered - j.release;
    j.source = nullptr;
    m_free_program_jobs.push_back(&j);
    --m_programs_in_flight;
    ++m_programs_done;
    admit_waiters(at);
    for (std::size_t i = 0; i < m_flush_waiters.size();) {
        if (m_programs_done >= m_flush_waiters[i].second) {
            media_op_handle* h = m_flush_waiters[i].first;
            m_flush_waiters.erase(m_flush_waiters.begin() + static_cast<std::ptrdiff_t>(i));
            h->pending = false;
            h->done(h->context, std::max(at, h->ready_at));
            continue;
        }
        ++i;
    }
}

void ssd_timing::admit_waiters(sim_time at) {
    const sim_time now = m_sched ? std::max(at, m_sched->now()) : at;
    media_op_handle* prev = nullptr;
    for (media_op_handle* h = m_wait_head; h;) {
        media_op_handle* next = h->next;
        const auto nsid = static_cast<std::uint32_t>(h->model_tag >> 32);
        const auto zone = static_cast<std::uint32_t>(h->model_tag & 0xffffffffu);
        stream& s = m_streams[nsid][zone];
        if (!m_buffer.fits(h->bytes, s.buffered)) {
            // Waiting for the buffer as a whole keeps arrival order; a zone at its own share
            // does not hold back other zones.
            if (m_buffer.fill() + h->bytes > m_buffer.capacity() && m_buffer.fill() != 0) break;
            prev = h;
            h = next;
            continue;
        }
        (prev ? prev->next : m_wait_head) = next;
        if (m_wait_tail == h) m_wait_tail = prev;
        h->next = nullptr;
        h->pending = false;
        const sim_time done = admit(s, h->bytes, now);
        h->done(h->context, std::max(done, h->ready_at));
        h = next;
    }
}

sim_time ssd_timing::write(media_op_handle* h, const media_request& r, sim_time at) {
    const zone_params& z = m_p.zones;
    sim_time t = at;
    if (r.implicit_open) t = processor(t, z.implicit_open_cost);
    if (r.auto_closed) t = processor(t, z.auto_close_cost);
    stream& s = stream_of(r);
    if (r.op == media_op::zone_append) t = s.appends.reserve_end(t, z.append_serialization);
    if (r.op == media_op::write_zeroes) return t; // deallocates: nothing to program
    const std::uint64_t bytes = r.nlb * r.lba_bytes;
    if (!m_wait_head && m_buffer.fits(bytes, s.buffered)) return std::max(t, admit(s, bytes, at));
    if (!h) return t + transfer_time(bytes, m_p.buffer.ingest_bytes_per_second); // estimate
    h->pending = true;
    h->bytes = bytes;
    h->ready_at = t;
    h->model_tag = (std::uint64_t{r.nsid} << 32) | s.zone;
    h->next = nullptr;
    (m_wait_tail ? m_wait_tail->next : m_wait_head) = h;
    m_wait_tail = h;
    return later;
}

sim_time ssd_timing::zone_action(media_op_handle* h, const media_request& r, sim_time at) {
    const zone_params& z = m_p.zones;
    switch (r.op) {
    case media_op::zone_open:
        return processor(at, z.open_cost);
    case media_op::zone_close:
        return processor(at, z.close_cost);
    default:
        break;
    }
    stream& s = stream_of(r);
    zone_op& op = new_zone_op();
    op.active = true;
    op.handle = h;
    op.outstanding = 0;
    const unsigned members = m_layout.zone_dies();
    const std::uint64_t unit = m_layout.unit_bytes();
    const unsigned first = m_layout.first_die(r.zone);
    sim_time estimate = at + z.metadata_program;
    die_job& meta = op.jobs.back();
    meta.what = die_job::kind::fixed;
    meta.count = 1;
    meta.duration = z.metadata_program;
    if (r.op == media_op::zone_reset) {
        // Buffered data of the zone is dropped; the written blocks are erased after the new state
        // is persisted.
        const std::uint64_t written = r.zone_written * r.lba_bytes;
        const std::uint64_t units = (written + unit - 1) / unit;
        std::uint32_t most = 0;
        for (unsigned k = 0; k < members; ++k) {
            const std::uint64_t on = m_layout.units_on_member(0, units, k);
            const std::uint64_t blocks =
                (on * unit + m_p.nand.block_bytes - 1) / m_p.nand.block_bytes;
            op.erase_blocks[m_layout.zone_die(r.zone, k)] = static_cast<std::uint32_t>(blocks);
            most = std::max(most, static_cast<std::uint32_t>(blocks));
        }
        estimate += most * m_p.nand.erase_time;
        m_buffer.release(s.pending);
        s.buffered -= std::min(s.buffered, s.pending);
        s.pending = 0;
        s.next_unit = 0;
        admit_waiters(at);
        op.outstanding = 1;
        m_nand.queue(first, meta);
    } else if (r.op == media_op::zone_finish) {
        // The unwritten capacity is filled (the partial unit padded first), with the new state
        // persisted alongside on the die after the last filled unit.
        const std::uint64_t unwritten =
            (r.zone_capacity - std::min(r.zone_capacity, r.zone_written)) * r.lba_bytes;
        const std::uint64_t units = (s.pending + unwritten + unit - 1) / unit;
        m_buffer.release(s.pending);
        s.buffered -= std::min(s.buffered, s.pending);
        s.pending = 0;
        admit_waiters(at);
        const std::uint64_t start_unit = s.next_unit;
        const sim_time per_unit =
            transfer_time(unit, m_p.nand.channel_bytes_per_second) + m_p.nand.program_time;
        for (unsigned k = 0; k < members && units; ++k) {
            const std::uint64_t on = m_layout.units_on_member(start_unit, units, k);
            if (!on) continue;
            die_job& j = op.jobs[k];
            j.what = die_job::kind::program;
            j.count = static_cast<std::uint32_t>(on);
            j.bytes = unit;
            ++op.outstanding;
            m_nand.queue(m_layout.zone_die(r.zone, k), j);
            estimate = std::max(estimate, at + on * per_unit);
        }
        s.next_unit += units;
        ++op.outstanding;
        m_nand.queue(m_layout.zone_die(r.zone, start_unit + units), meta);
    } else { // offline: the new state is persisted
        op.outstanding = 1;
        m_nand.queue(first, meta);
    }
    if (!h) return estimate;
    h->pending = true;
    return later;
}

void ssd_timing::finish_zone_op(zone_op& op, sim_time at) {
    media_op_handle* h = op.handle;
    op.handle = nullptr;
    op.active = false;
    m_free_zone_ops.push_back(&op);
    if (h) {
        h->pending = false;
        h->done(h->context, at);
    }
}

sim_time ssd_timing::flush(media_op_handle* h, sim_time at) {
    if (m_p.buffer.power_loss_protected) return at;
    // Without power-loss protection everything buffered must reach the flash: partial units
    // are padded and the flush waits for every program dispatched so far.
    for (auto& zones : m_streams)
        for (auto& s : zones)
            if (s.pending) dispatch_units(s, true);
    if (m_programs_in_flight == 0 || !h) return at;
    h->pending = true;
    h->ready_at = at;
    m_flush_waiters.emplace_back(h, m_programs_dispatched);
    return later;
}

sim_time ssd_timing::start(media_op_handle& h, const media_request& r, sim_time at) {
    switch (r.op) {
    case media_op::read:
    case media_op::compare:
    case media_op::verify:
        return read(r, at);
    case media_op::write:
    case media_op::zone_append:
    case media_op::write_zeroes:
        return write(&h, r, at);
    case media_op::flush:
        return flush(&h, at);
    case media_op::deallocate:
        return at;
    case media_op::zone_open:
    case media_op::zone_close:
    case media_op::zone_finish:
    case media_op::zone_reset:
    case media_op::zone_offline:
        return zone_action(&h, r, at);
    }
    return at;
}

sim_time ssd_timing::complete_at(const media_request& r, sim_time at) {
    switch (r.op) {
    case media_op::read:
    case media_op::compare:
    case media_op::verify:
        return read(r, at);
    case media_op::write:
    case media_op::zone_append:
    case media_op::write_zeroes:
        return write(nullptr, r, at);
    case media_op::flush:
        return flush(nullptr, at);
    case media_op::deallocate:
        return at;
    default:
        return zone_action(nullptr, r, at);
    }
}

void ssd_timing::cancel(media_op_handle& h) {
    if (!h.pending) return;
    h.pending = false;
    media_op_handle* prev = nullptr;
    for (media_op_handle* w = m_wait_head; w; prev = w, w = w->next) {
        if (w != &h) continue;
        (prev ? prev->next : m_wait_head) = h.next;
        if (m_wait_tail == &h) m_wait_tail = prev;
        h.next = nullptr;
        return;
    }
    for (auto& o : m_zone_ops)
        if (o->active && o->handle == &h) o->handle = nullptr; // its work goes on, unobserved
    for (std::size_t i = 0; i < m_flush_waiters.size(); ++i)
        if (m_flush_waiters[i].first == &h) {
            m_flush_waiters.erase(m_flush_waiters.begin() + static_cast<std::ptrdiff_t>(i));
            break;
        }
}

} // namespace znssim::timing
