// Sequential write/read/verify and random I/O steps.
#include "platform/config/yaml_reader.h"
#include "platform/workload/pattern.h"
#include "platform/workload/runner.h"

#include <fmt/format.h>

#include <new>
#include <random>

namespace znssim::platform {
namespace {

struct segment {
    std::uint64_t start;
    std::uint64_t count;
};

} // namespace

bool job_runner::range_of(const job_step& s, const namespace_info& ns, std::uint64_t& start,
                          std::uint64_t& count) {
    const std::uint64_t lba = ns.lba_bytes;
    if ((s.start_in_bytes && s.start_bytes % lba) || (s.length_in_bytes && s.length % lba)) {
        step_error(s,
                   fmt::format("start and length must be multiples of the LBA size ({} B)", lba));
        return false;
    }
    start = s.start_in_bytes ? s.start_bytes / lba : s.start_lba;
    count = s.length == 0 ? (start < ns.nsze ? ns.nsze - start : 0)
                          : (s.length_in_bytes ? s.length / lba : s.length);
    if (start >= ns.nsze || count == 0 || count > ns.nsze - start) {
        step_error(s, fmt::format("range of {} LBAs from LBA {} is outside the namespace ({} LBAs)",
                                  count, start, ns.nsze));
        return false;
    }
    return true;
}

void job_runner::pump(const job_step& s, const namespace_info& ns, const next_io& next,
                      bool check) {
    const std::uint64_t block = s.block_bytes;
    const unsigned depth = s.queue_depth;
    dma_buffer buf;
    try {
        buf = m_driver.alloc(block * depth);
    } catch (const std::bad_alloc&) {
        step_error(s, fmt::format("host memory cannot hold block × queue_depth ({} × {})",
                                  format_size(block), depth));
        return;
    }
    struct slot {
        bool busy = false;
        std::uint16_t cid = 0;
        io op{};
    };
    std::vector<slot> slots(depth);
    unsigned busy = 0;
    bool more = true;
    bool stop = false;
    while ((more && !stop) || busy > 0) {
        // A stop request (a signal) is treated like a failure: drain, issue nothing more.
        stop = stop || stopping();
        for (unsigned i = 0; i < depth && more && !stop; ++i) {
            if (slots[i].busy) continue;
            io op{};
            more = next(op);
            if (!more) break;
            std::uint8_t* data = buf.data() + i * block;
            if (op.write) fill_pattern(data, op.lba, op.nlb, ns.lba_bytes, s.seed);
            auto sqe = host_driver::make_sqe(
                op.write ? nvme::spec::io_opcode::write : nvme::spec::io_opcode::read, ns.nsid);
            sqe.cdw10 = static_cast<std::uint32_t>(op.lba);
            sqe.cdw11 = static_cast<std::uint32_t>(op.lba >> 32);
            sqe.cdw12 = op.nlb - 1;
            ticket t = m_driver.submit_async(m_qid, sqe, buf.bus() + i * block,
                                             std::uint64_t(op.nlb) * ns.lba_bytes);
            if (!t.valid()) {
                step_error(s, "the driver could not queue a command");
                stop = true;
                break;
            }
            slots[i] = {true, t.cid, op};
            ++busy;
        }
        if (busy == 0) break;
        completion c = m_driver.wait_any(m_qid);
        unsigned i = 0;
        while (i < depth && !(slots[i].busy && slots[i].cid == c.cid))
            ++i;
        if (i == depth) {
            step_error(s, "a completion matched no command of this step");
            return; // the driver's state is suspect: do not wait for more
        }
        slots[i].busy = false;
        --busy;
        const io& op = slots[i].op;
        ++m_sum.commands;
        if (!c.ok()) {
            if (!stop)
                step_error(s, fmt::format("{} of {} LBAs at LBA {} failed: {}",
                                          op.write ? "write" : "read", op.nlb, op.lba,
                                          status_text(c)));
            stop = true; // drain what is in flight, issue nothing more
            continue;
        }
        const std::uint64_t bytes = std::uint64_t(op.nlb) * ns.lba_bytes;
        (op.write ? m_sum.bytes_written : m_sum.bytes_read) += bytes;
        if (check && !op.write) {
            std::uint64_t bad =
                check_pattern(buf.data() + i * block, op.lba, op.nlb, ns.lba_bytes, s.seed);
            m_sum.verified_lbas += op.nlb;
            m_sum.verify_mismatches += bad;
            if (bad)
                m_out << fmt::format("  verify: {} of {} LBAs at LBA {} differ\n", bad, op.nlb,
                                     op.lba);
        }
    }
}

void job_runner::sequential(const job_step& s, const namespace_info& ns) {
    if (s.block_bytes % ns.lba_bytes || s.block_bytes > m_driver.max_transfer_bytes()) {
        step_error(s, fmt::format("block {} must be a multiple of the LBA size ({} B) and at most "
                                  "the transfer limit ({})",
                                  format_size(s.block_bytes), ns.lba_bytes,
                                  format_size(m_driver.max_transfer_bytes())));
        return;
    }
    std::vector<segment> segs;
    std::string what;
    if (s.by_zone) {
        std::vector<zone_descriptor> zones;
        if (!zones_of(s, ns, zones)) return;
        auto picked = select(s, zones, s.zone_count);
        if (picked.empty()) return;
        for (auto z : picked) {
            const auto& d = zones[z];
            const bool full = d.state == 0xe;
            // Writes continue at the write pointer; reads cover the capacity; verify what is
            // written (a full zone's WP is not valid: all of its capacity is written).
            std::uint64_t from = s.kind == step_kind::write ? d.write_pointer : d.start;
            std::uint64_t to =
                s.kind == step_kind::verify && !full ? d.write_pointer : d.start + d.capacity;
            if (s.kind == step_kind::write && full) {
                step_error(s, fmt::format("zone {} is full", z));
                return;
            }
            if (to > from) segs.push_back({from, to - from});
            what += (what.empty() ? "zone " : ",") + std::to_string(z);
        }
    } else {
        std::uint64_t start = 0, count = 0;
        if (!range_of(s, ns, start, count)) return;
        segs.push_back({start, count});
        what = fmt::format("LBA {}..{}", start, start + count - 1);
    }
    std::uint64_t total = 0;
    for (const auto& g : segs)
        total += g.count;
    const std::uint32_t block_lbas = static_cast<std::uint32_t>(s.block_bytes / ns.lba_bytes);
    auto stream = [&](bool write) {
        std::size_t seg = 0;
        std::uint64_t done = 0;
        return [&segs, seg, done, block_lbas, write](io& op) mutable {
            while (seg < segs.size() && done == segs[seg].count) {
                ++seg;
                done = 0;
            }
            if (seg == segs.size()) return false;
            op.lba = segs[seg].start + done;
            op.nlb = static_cast<std::uint32_t>(
                std::min<std::uint64_t>(block_lbas, segs[seg].count - done));
            op.write = write;
            done += op.nlb;
            return true;
        };
    };
    const std::uint64_t before = m_sum.errors, bad_before = m_sum.verify_mismatches;
    const bool write = s.kind == step_kind::write;
    pump(s, ns, stream(write), s.kind == step_kind::verify);
    if (write && s.verify_after && m_sum.errors == before && !stopping())
        pump(s, ns, stream(false), true);
    const bool checked = s.kind == step_kind::verify || (write && s.verify_after);
    m_out << fmt::format(
        "{} nsid {} {}: {} LBAs ({}){}{}{}\n", step_name(s.kind), ns.nsid, what, total,
        format_size(total * ns.lba_bytes),
        checked ? (m_sum.verify_mismatches == bad_before ? ", verified" : ", VERIFY FAILED") : "",
        m_sum.errors == before ? "" : ", with errors", stopping() ? ", interrupted" : "");
}

void job_runner::random(const job_step& s, const namespace_info& ns) {
    if (ns.zoned && s.read_percent < 100) {
        step_error(s, "random writes need a conventional namespace (zones are written "
                      "sequentially)");
        return;
    }
    if (s.block_bytes % ns.lba_bytes || s.block_bytes > m_driver.max_transfer_bytes()) {
        step_error(s, fmt::format("block must be a multiple of the LBA size ({} B) and at most {}",
                                  ns.lba_bytes, format_size(m_driver.max_transfer_bytes())));
        return;
    }
    std::uint64_t start = 0, count = 0;
    if (!range_of(s, ns, start, count)) return;
    const std::uint32_t block_lbas = static_cast<std::uint32_t>(s.block_bytes / ns.lba_bytes);
    const std::uint64_t blocks = count / block_lbas;
    if (blocks == 0) {
        step_error(s, "the range is smaller than one block");
        return;
    }
    std::mt19937_64 rng(s.seed);
    std::uint64_t issued = 0;
    const std::uint64_t cmds0 = m_sum.commands;
    const sc_core::sc_time t0 = sc_core::sc_time_stamp();
    pump(
        s, ns,
        [&](io& op) {
            if (issued == s.commands) return false;
            ++issued;
            op.lba = start + (rng() % blocks) * block_lbas;
            op.nlb = block_lbas;
            op.write = rng() % 100 >= s.read_percent;
            return true;
        },
        false);
    const double secs = (sc_core::sc_time_stamp() - t0).to_seconds();
    const std::uint64_t done = m_sum.commands - cmds0;
    m_out << fmt::format("random nsid {}: {} commands of {} ({}% reads) at QD {}: {:.3f} ms "
                         "simulated{}\n",
                         ns.nsid, done, format_size(s.block_bytes), s.read_percent, s.queue_depth,
                         secs * 1e3,
                         secs > 0 ? fmt::format(", {:.0f} IOPS", done / secs) : std::string());
}

} // namespace znssim::platform
