#include "platform/workload/stream_runner.h"

#include "model/sim/sc_scheduler.h"
#include "platform/config/yaml_reader.h"
#include "platform/workload/pattern.h"
#include "platform/workload/progress.h"
#include "platform/workload/runner.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <new>

namespace znssim::platform {

namespace spec = nvme::spec;

struct stream_runner::stream_run {
    stream_spec spec;
    stream_stats stats;
    const namespace_info* ns = nullptr;
    std::unique_ptr<op_source> source;
    std::vector<std::uint16_t> qids;
    std::size_t next_q = 0;
    dma_buffer buffers;
    struct slot {
        bool busy = false;
        std::uint16_t qid = 0;
        std::uint16_t cid = 0;
        planned_io io;
    };
    std::vector<slot> slots;
    std::vector<unsigned> free_slots;
    /// Slot of each outstanding command, by queue (position in qids) and CID tag.
    std::vector<std::int32_t> slot_of;
    std::int32_t& slot_for(std::uint16_t qid, std::uint16_t cid) {
        std::size_t q = 0;
        while (q + 1 < qids.size() && qids[q] != qid)
            ++q;
        return slot_of[(q << 12) | (cid & 0xfffu)];
    }
    unsigned inflight = 0;
    bool runnable = false;
    bool fill = true;
    bool failed = false;
    unsigned reported = 0; ///< command errors printed (the rest only counted)
    sim_time start = 0;
};

namespace {

constexpr sim_time never = ~sim_time{0};

zone_action_kind action_of(std::uint8_t zsa) {
    switch (zsa) {
    case 0x1:
        return zone_action_kind::close;
    case 0x2:
        return zone_action_kind::finish;
    case 0x3:
        return zone_action_kind::open;
    default:
        return zone_action_kind::reset;
    }
}

stream_zone to_stream_zone(std::uint32_t index, const zone_descriptor& d) {
    stream_zone z;
    z.index = index;
    z.start = d.start;
    z.capacity = d.capacity;
    z.full = d.state == 0xe;
    z.usable = d.state != 0xd && d.state != 0xf;
    z.wp = z.full ? d.start + d.capacity : d.write_pointer;
    return z;
}

} // namespace

stream_runner::stream_runner(host_driver& driver, std::ostream& out, options opts)
    : m_driver(driver), m_out(out), m_opts(std::move(opts)) {}

std::ostream& error_stream(std::ostream& out, std::ostream* errors) {
    if (errors == nullptr) return out;
    out.flush();
    return *errors;
}

std::ostream& stream_runner::error_stream() {
    return platform::error_stream(m_out, m_opts.errors);
}

void stream_runner::error(const stream_spec& s, const std::string& what) {
    const std::string line = s.where + ": stream " + s.name + ": " + what;
    m_errors.push_back(line);
    error_stream() << "error: " << line << "\n";
}

bool stream_runner::make_queues(stream_run& s) {
    // Queue pairs of its own, all on one vector, so the stream waits for its completions only.
    const unsigned n = std::max(1u, s.spec.queues);
    const std::uint32_t depth = std::min<std::uint32_t>(
        m_driver.max_queue_entries(), std::max<std::uint32_t>(2, s.source->max_inflight() / n + 2));
    if (m_next_qid == 0) {
        for (std::uint16_t q : m_driver.io_queue_ids())
            m_next_qid = std::max<std::uint16_t>(m_next_qid, q);
        ++m_next_qid;
    }
    const std::uint16_t vector = m_driver.vector_for(m_next_qid);
    for (unsigned i = 0; i < n; ++i) {
        if (m_next_qid > m_driver.io_queues_granted()) {
            error(s.spec, fmt::format("needs {} I/O queue pair(s) of its own, but only {} were "
                                      "granted (controller.max_io_queues)",
                                      n, m_driver.io_queues_granted()));
            return false;
        }
        const std::uint16_t qid = m_next_qid++;
        const completion c =
            m_driver.create_queue_pair(qid, static_cast<std::uint16_t>(depth), vector);
        if (!c.ok()) {
            error(s.spec,
                  "cannot create I/O queue pair " + std::to_string(qid) + ": " + status_text(c));
            return false;
        }
        s.qids.push_back(qid);
    }
    return true;
}

bool stream_runner::setup(stream_run& s) {
    const stream_spec& sp = s.spec;
    s.stats = make_stream_stats(sp);
    s.ns = m_driver.find_namespace(sp.nsid);
    if (!s.ns) {
        error(sp, "namespace " + std::to_string(sp.nsid) + " was not found by the driver");
        return false;
    }
    const namespace_info& ns = *s.ns;
    if (sp.block_bytes % ns.lba_bytes || sp.block_bytes > m_driver.max_transfer_bytes()) {
        error(sp, fmt::format("block {} must be a multiple of the LBA size ({} B) and at most the "
                              "transfer limit ({})",
                              format_size(sp.block_bytes), ns.lba_bytes,
                              format_size(m_driver.max_transfer_bytes())));
        return false;
    }
    if ((sp.by_zone || sp.op == stream_op::append || is_zone_mgmt(sp.op)) && !ns.zoned) {
        error(sp, "namespace " + std::to_string(sp.nsid) + " is not zoned");
        return false;
    }
    if (ns.zoned && (sp.op == stream_op::randwrite || sp.op == stream_op::randrw)) {
        error(sp, "random writes need a conventional namespace (zones are written sequentially)");
        return false;
    }
    s.fill = !m_opts.stores_data || m_opts.stores_data(sp.nsid) || sp.verify;
    op_source::geometry g{ns.nsze, ns.lba_bytes, ns.zoned};
    std::vector<stream_zone> zones;
    std::uint64_t first = 0, count = 0;
    if (sp.by_zone) {
        std::vector<zone_descriptor> report;
        const completion c =
            m_driver.report_zones(sp.nsid, report, m_driver.io_queue_ids().front());
        if (!c.ok()) {
            error(sp, "zone report failed: " + status_text(c));
            return false;
        }
        std::uint64_t lo = sp.zone_first, hi = sp.zone_count
                                                   ? sp.zone_first + std::uint64_t{sp.zone_count}
                                                   : report.size();
        if (sp.zones_in_bytes) {
            const std::uint64_t zone_bytes = ns.zone_size * ns.lba_bytes;
            lo = (sp.offset_bytes + zone_bytes - 1) / zone_bytes;
            hi = sp.size_bytes ? (sp.offset_bytes + sp.size_bytes) / zone_bytes : report.size();
        }
        if (lo >= hi || hi > report.size()) {
            error(sp, fmt::format("zones {}..{} do not exist (the namespace has {} zones)", lo,
                                  hi ? hi - 1 : 0, report.size()));
            return false;
        }
        for (std::uint64_t i = lo; i < hi; ++i)
            zones.push_back(to_stream_zone(static_cast<std::uint32_t>(i), report[i]));
    } else {
        if (sp.offset_bytes % ns.lba_bytes || sp.size_bytes % ns.lba_bytes) {
            error(sp, fmt::format("start and length must be multiples of the LBA size ({} B)",
                                  ns.lba_bytes));
            return false;
        }
        first = sp.offset_bytes / ns.lba_bytes;
        count =
            sp.size_bytes ? sp.size_bytes / ns.lba_bytes : (first < ns.nsze ? ns.nsze - first : 0);
        if (first >= ns.nsze || count == 0 || count > ns.nsze - first) {
            error(sp, fmt::format("range of {} LBAs from LBA {} is outside the namespace ({} LBAs)",
                                  count, first, ns.nsze));
            return false;
        }
    }
    s.source = std::make_unique<op_source>(sp, g, first, count, std::move(zones));
    const unsigned capacity = std::max(1u, s.source->max_inflight());
    try {
        s.buffers = m_driver.alloc(sp.block_bytes * capacity);
    } catch (const std::bad_alloc&) {
        error(sp, fmt::format("host memory cannot hold block × commands in flight ({} × {})",
                              format_size(sp.block_bytes), capacity));
        return false;
    }
    s.slots.resize(capacity);
    for (unsigned i = capacity; i-- > 0;)
        s.free_slots.push_back(i);
    if (!make_queues(s)) return false;
    s.slot_of.assign(s.qids.size() << 12, -1);
    return true;
}

void stream_runner::issue(stream_run& s, const planned_io& io) {
    const unsigned i = s.free_slots.back();
    s.free_slots.pop_back();
    auto& slot = s.slots[i];
    const namespace_info& ns = *s.ns;
    const std::uint64_t bytes = std::uint64_t{io.nlb} * ns.lba_bytes;
    std::uint8_t* data = s.buffers.data() + std::uint64_t{i} * s.spec.block_bytes;
    const std::uint64_t bus = s.buffers.bus() + std::uint64_t{i} * s.spec.block_bytes;
    spec::sqe sqe{};
    bool with_data = true;
    switch (io.what) {
    case planned_io::kind::read:
        sqe = host_driver::make_rw(spec::io_opcode::read, ns.nsid, io.lba, io.nlb);
        break;
    case planned_io::kind::write:
    case planned_io::kind::append: {
        // Appends carry the LBA they are expected at (the zone's order): verify checks it.
        const std::uint64_t at =
            io.what == planned_io::kind::append
                ? s.source->zones()[static_cast<std::size_t>(io.zone)].wp - io.nlb
                : io.lba;
        if (s.fill) fill_pattern(data, at, io.nlb, ns.lba_bytes, s.spec.seed);
        sqe =
            host_driver::make_rw(io.what == planned_io::kind::append ? spec::io_opcode::zone_append
                                                                     : spec::io_opcode::write,
                                 ns.nsid, io.lba, io.nlb);
        break;
    }
    case planned_io::kind::zone_action:
        sqe = host_driver::make_sqe(spec::io_opcode::zone_mgmt_send, ns.nsid);
        sqe.cdw10 = static_cast<std::uint32_t>(io.lba);
        sqe.cdw11 = static_cast<std::uint32_t>(io.lba >> 32);
        sqe.cdw13 = io.zsa;
        with_data = false;
        break;
    }
    const std::uint16_t qid = s.qids[s.next_q++ % s.qids.size()];
    const ticket t =
        with_data ? m_driver.submit_async(qid, sqe, bus, bytes) : m_driver.submit_async(qid, sqe);
    if (!t.valid()) {
        error(s.spec, "the driver could not queue a command");
        s.failed = true;
        s.free_slots.push_back(i);
        s.source->completed(io, false);
        return;
    }
    slot.busy = true;
    slot.qid = qid;
    slot.cid = t.cid;
    slot.io = io;
    s.slot_for(qid, t.cid) = static_cast<std::int32_t>(i);
    ++s.inflight;
}

void stream_runner::complete(stream_run& s, const completion& c) {
    unsigned i = 0;
    while (i < s.slots.size() &&
           !(s.slots[i].busy && s.slots[i].cid == c.cid && s.slots[i].qid == c.sqid))
        ++i;
    if (i == s.slots.size()) {
        error(s.spec, "a completion matched no command of this stream");
        s.failed = true;
        return;
    }
    auto& slot = s.slots[i];
    slot.busy = false;
    s.slot_for(c.sqid, c.cid) = -1;
    s.free_slots.push_back(i);
    --s.inflight;
    const planned_io io = slot.io;
    const bool ok = c.ok();
    const std::uint64_t bytes = std::uint64_t{io.nlb} * s.ns->lba_bytes;
    const std::uint64_t lat_ns =
        c.completed_at > c.submitted_at ? (c.completed_at - c.submitted_at) / 1000 : 0;
    if (s.stats.started == 0 || c.submitted_at < s.stats.started) s.stats.started = c.submitted_at;
    s.stats.finished = std::max(s.stats.finished, c.completed_at);
    op_stats* target = nullptr;
    switch (io.what) {
    case planned_io::kind::read:
        target = &s.stats.read;
        break;
    case planned_io::kind::write:
    case planned_io::kind::append:
        target = &s.stats.write;
        break;
    case planned_io::kind::zone_action:
        target = &s.stats.zone(action_of(io.zsa));
        break;
    }
    if (ok) {
        target->record(io.what == planned_io::kind::zone_action ? 0 : bytes, lat_ns);
        if (io.what == planned_io::kind::read && s.spec.verify) {
            const std::uint8_t* data = s.buffers.data() + std::uint64_t{i} * s.spec.block_bytes;
            const std::uint64_t bad =
                check_pattern(data, io.lba, io.nlb, s.ns->lba_bytes, s.spec.seed);
            s.stats.verified_lbas += io.nlb;
            s.stats.verify_mismatches += bad;
        }
    } else {
        ++target->errors;
        if (s.reported++ < 3)
            error_stream() << fmt::format(
                "error: {}: stream {}: {} of {} LBAs at LBA {} failed: {}\n", s.spec.where,
                s.spec.name,
                io.what == planned_io::kind::zone_action ? "zone action"
                : io.what == planned_io::kind::read      ? "read"
                                                         : "write",
                io.nlb, io.lba, status_text(c));
    }
    s.source->completed(io, ok, c.result64());
    if (m_opts.progress) m_opts.progress->completed();
}

void stream_runner::verify_written(stream_run& s) {
    // Read back what the stream wrote and compare it with the pattern (fio's verify phase).
    const auto& written = s.source->written();
    const std::uint32_t block = static_cast<std::uint32_t>(s.spec.block_bytes / s.ns->lba_bytes);
    std::size_t e = 0;
    std::uint64_t pos = 0;
    for (;;) {
        while (s.inflight < s.slots.size() && e < written.size()) {
            planned_io io;
            io.what = planned_io::kind::read;
            io.lba = written[e].lba + pos;
            io.nlb =
                static_cast<std::uint32_t>(std::min<std::uint64_t>(block, written[e].count - pos));
            pos += io.nlb;
            if (pos == written[e].count) {
                ++e;
                pos = 0;
            }
            const unsigned i = s.free_slots.back();
            s.free_slots.pop_back();
            const ticket t = m_driver.submit_async(
                s.qids.front(),
                host_driver::make_rw(spec::io_opcode::read, s.ns->nsid, io.lba, io.nlb),
                s.buffers.bus() + std::uint64_t{i} * s.spec.block_bytes,
                std::uint64_t{io.nlb} * s.ns->lba_bytes);
            if (!t.valid()) {
                s.free_slots.push_back(i);
                error(s.spec, "the driver could not queue a verify read");
                return;
            }
            s.slots[i] = {true, s.qids.front(), t.cid, io};
            s.slot_for(s.qids.front(), t.cid) = static_cast<std::int32_t>(i);
            ++s.inflight;
        }
        if (s.inflight == 0) return;
        const completion c = m_driver.wait_any_of(s.qids);
        if (!c.submitted || c.timed_out) {
            error(s.spec, "a verify read did not complete");
            return;
        }
        unsigned i = 0;
        while (i < s.slots.size() &&
               !(s.slots[i].busy && s.slots[i].cid == c.cid && s.slots[i].qid == c.sqid))
            ++i;
        if (i == s.slots.size()) return;
        s.slots[i].busy = false;
        s.slot_for(c.sqid, c.cid) = -1;
        s.free_slots.push_back(i);
        --s.inflight;
        const planned_io& io = s.slots[i].io;
        if (!c.ok()) {
            ++s.stats.read.errors;
            continue;
        }
        const std::uint8_t* data = s.buffers.data() + std::uint64_t{i} * s.spec.block_bytes;
        s.stats.verified_lbas += io.nlb;
        s.stats.verify_mismatches +=
            check_pattern(data, io.lba, io.nlb, s.ns->lba_bytes, s.spec.seed);
    }
}

void stream_runner::sleep_for(sc_core::sc_time d) {
    if (m_opts.stop)
        sc_core::wait(d, m_opts.stop->event());
    else
        sc_core::wait(d);
}

void stream_runner::run_stream(stream_run& s) {
    if (s.spec.start_delay && !stopping()) sleep_for(to_sc_time(s.spec.start_delay));
    const auto wall0 = std::chrono::steady_clock::now();
    s.start = from_sc_time(m_driver.host_now());
    const sim_time deadline = s.spec.runtime ? s.start + s.spec.runtime : never;
    const double rate = static_cast<double>(s.spec.rate_bytes_per_s);
    while (!s.failed) {
        sim_time allowed = 0;
        while (s.inflight < s.slots.size() && !s.failed) {
            const sim_time now = from_sc_time(m_driver.host_now());
            if (now >= deadline || stopping()) {
                s.source->stop();
                break;
            }
            if (rate > 0) {
                // Bytes per simulated second: the next command waits until the stream is back
                // under its rate.
                allowed =
                    s.start + static_cast<sim_time>(static_cast<double>(s.source->issued_bytes()) *
                                                    1e12 / rate);
                if (now < allowed) break;
                allowed = 0;
            }
            planned_io io;
            if (!s.source->next(io)) break;
            issue(s, io);
        }
        if (s.inflight == 0) {
            if (allowed > 0 && !s.source->done()) {
                sleep_for(to_sc_time(allowed - std::min(allowed, sc_now())));
                continue;
            }
            break;
        }
        const completion c = m_driver.wait_any_of(s.qids);
        if (!c.submitted || c.timed_out) {
            error(s.spec, c.timed_out ? "commands did not complete in time" : "lost its queue");
            s.failed = true;
            break;
        }
        complete(s, c);
    }
    if (s.spec.verify && writes_data(s.spec.op) && !s.failed && !stopping()) verify_written(s);
    s.stats.wall_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
}

std::vector<stream_stats> stream_runner::run(const std::vector<stream_spec>& streams) {
    std::vector<std::unique_ptr<stream_run>> runs;
    for (const stream_spec& sp : streams) {
        auto r = std::make_unique<stream_run>();
        r->spec = sp;
        r->runnable = setup(*r);
        if (!r->runnable) ++r->stats.write.errors; // counted against the stream as a failure
        runs.push_back(std::move(r));
    }
    for (auto& r : runs) {
        if (!r->runnable) continue;
        ++m_running;
        stream_run* s = r.get();
        sc_core::sc_spawn_options opts;
        opts.set_stack_size(256 << 10);
        sc_core::sc_spawn(
            [this, s] {
                run_stream(*s);
                if (--m_running == 0) m_stream_done.notify();
            },
            nullptr, &opts);
    }
    while (m_running > 0)
        sc_core::wait(m_stream_done);
    std::vector<stream_stats> out;
    for (auto& r : runs) {
        for (std::uint16_t q : r->qids)
            m_driver.delete_queue_pair(q);
        out.push_back(std::move(r->stats));
    }
    m_next_qid = 0;
    return out;
}

} // namespace znssim::platform
