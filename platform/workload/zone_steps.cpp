// Zone steps: open/close/finish/reset, append, and a blkzone-like report.
#include "platform/workload/pattern.h"
#include "platform/workload/runner.h"

#include <fmt/format.h>

#include <cstring>

namespace znssim::platform {
namespace {

const char* condition(std::uint8_t state) {
    switch (state) {
    case 0x1:
        return "em";
    case 0x2:
        return "oi";
    case 0x3:
        return "oe";
    case 0x4:
        return "cl";
    case 0xd:
        return "ro";
    case 0xe:
        return "fu";
    case 0xf:
        return "of";
    default:
        return "??";
    }
}

} // namespace

void job_runner::zone_action(const job_step& s, const namespace_info& ns) {
    std::uint8_t zsa = 0;
    switch (s.kind) {
    case step_kind::close:
        zsa = 1;
        break;
    case step_kind::finish:
        zsa = 2;
        break;
    case step_kind::open:
        zsa = 3;
        break;
    default:
        zsa = 4;
        break;
    }
    if (s.zone.what == zone_selector::kind::all) {
        completion c = m_driver.zone_mgmt_send(ns.nsid, 0, zsa, true, nullptr, m_qid);
        count(c, s, std::string(step_name(s.kind)) + " all");
        m_out << fmt::format("{} nsid {} all zones: {}\n", step_name(s.kind), ns.nsid,
                             c.ok() ? "ok" : status_text(c));
        return;
    }
    std::vector<zone_descriptor> zones;
    if (!zones_of(s, ns, zones)) return;
    auto picked = select(s, zones, 1);
    if (picked.empty()) return;
    const auto& z = zones[picked[0]];
    completion c = m_driver.zone_mgmt_send(ns.nsid, z.start, zsa, false, nullptr, m_qid);
    count(c, s, step_name(s.kind));
    m_out << fmt::format("{} nsid {} zone {} (start LBA {}): {}\n", step_name(s.kind), ns.nsid,
                         picked[0], z.start, c.ok() ? "ok" : status_text(c));
}

void job_runner::append(const job_step& s, const namespace_info& ns) {
    if (s.block_bytes % ns.lba_bytes) {
        step_error(s, fmt::format("block must be a multiple of the LBA size ({} B)", ns.lba_bytes));
        return;
    }
    std::vector<zone_descriptor> zones;
    if (!zones_of(s, ns, zones)) return;
    auto picked = select(s, zones, 1);
    if (picked.empty()) return;
    const auto& z = zones[picked[0]];
    const std::uint32_t nlb = static_cast<std::uint32_t>(s.block_bytes / ns.lba_bytes);
    dma_buffer data = m_driver.alloc(s.block_bytes);
    dma_buffer back = m_driver.alloc(s.block_bytes);
    // Appends at QD 1 land at the write pointer, so the pattern can be stamped with the LBA
    // the device will assign; a later verify step over the zone then checks them too.
    std::uint64_t expect = z.state == 0x1 ? z.start : z.write_pointer;
    m_out << fmt::format("append nsid {} zone {} (start LBA {}): {} x {}\n", ns.nsid, picked[0],
                         z.start, s.blocks, format_size(s.block_bytes));
    for (std::uint32_t i = 0; i < s.blocks && !stopping(); ++i) {
        fill_pattern(data.data(), expect, nlb, ns.lba_bytes, s.seed);
        completion c = m_driver.zone_append(ns.nsid, z.start, nlb, data, m_qid);
        count(c, s, "append");
        if (!c.ok()) return;
        m_sum.bytes_written += s.block_bytes;
        const std::uint64_t lba = c.result64();
        m_out << fmt::format("  appended {} LBAs at LBA {}{}\n", nlb, lba,
                             lba == expect ? "" : fmt::format(" (expected {})", expect));
        if (s.verify_after) {
            completion r = m_driver.read(ns.nsid, lba, nlb, back, 0, m_qid);
            count(r, s, "read back");
            if (r.ok()) {
                m_sum.bytes_read += s.block_bytes;
                m_sum.verified_lbas += nlb;
                if (std::memcmp(back.data(), data.data(), s.block_bytes) != 0) {
                    ++m_sum.verify_mismatches;
                    m_out << fmt::format("  verify: data at LBA {} differs\n", lba);
                }
            }
        }
        expect = lba + nlb;
    }
}

void job_runner::report(const job_step& s, const namespace_info& ns) {
    std::vector<zone_descriptor> zones;
    if (!zones_of(s, ns, zones)) return;
    // blkzone units: 512-byte sectors, write pointer relative to the zone start.
    const std::uint64_t sectors = ns.lba_bytes / 512;
    m_out << fmt::format("zone report nsid {}: {} zones\n", ns.nsid, zones.size());
    for (const auto& z : zones) {
        const std::uint64_t wp = z.state == 0xe || z.state == 0xd || z.state == 0xf
                                     ? ns.zone_size
                                     : z.write_pointer - z.start;
        m_out << fmt::format("  start: 0x{:09x}, len 0x{:06x}, cap 0x{:06x}, wptr 0x{:06x} "
                             "reset:{} non-seq:0, zcond:{:2}({}) [type: {}({})]\n",
                             z.start * sectors, ns.zone_size * sectors, z.capacity * sectors,
                             wp * sectors, (z.attributes >> 2) & 1, z.state, condition(z.state),
                             z.type, z.type == 2 ? "SEQ_WRITE_REQUIRED" : "CONVENTIONAL");
    }
}

} // namespace znssim::platform
