// The prepare step: zones brought to a fill level and state before a measurement, through the
// driver like any workload but outside every statistic.
#include "platform/config/yaml_reader.h"
#include "platform/workload/pattern.h"
#include "platform/workload/runner.h"
#include "platform/workload/stream_runner.h"

#include <fmt/format.h>

#include <new>

namespace znssim::platform {

namespace {
constexpr std::uint8_t zsa_close = 0x1, zsa_finish = 0x2, zsa_open = 0x3, zsa_reset = 0x4;
const char* target_name(prepare_spec::target t) {
    switch (t) {
    case prepare_spec::target::empty:
        return "empty";
    case prepare_spec::target::fill:
        return "filled";
    case prepare_spec::target::closed:
        return "closed";
    case prepare_spec::target::open:
        return "open";
    case prepare_spec::target::full:
        return "full";
    }
    return "?";
}
} // namespace

bool stream_runner::prepare(const prepare_spec& p) {
    auto fail = [&](const std::string& why) {
        const std::string line = p.where + ": prepare: " + why;
        m_errors.push_back(line);
        error_stream() << "error: " << line << "\n";
        return false;
    };
    const namespace_info* ns = m_driver.find_namespace(p.nsid);
    if (!ns) return fail("namespace " + std::to_string(p.nsid) + " was not found by the driver");
    if (!ns->zoned) return fail("namespace " + std::to_string(p.nsid) + " is not zoned");
    if (p.block_bytes % ns->lba_bytes || p.block_bytes > m_driver.max_transfer_bytes())
        return fail(fmt::format("block {} must be a multiple of {} B and at most {}",
                                format_size(p.block_bytes), ns->lba_bytes,
                                format_size(m_driver.max_transfer_bytes())));
    const std::uint16_t qid = m_driver.io_queue_ids().front();
    std::vector<zone_descriptor> zones;
    const completion rep = m_driver.report_zones(p.nsid, zones, qid);
    if (!rep.ok()) return fail("zone report failed: " + status_text(rep));
    const std::uint64_t lo = p.zone_first;
    const std::uint64_t hi = p.zone_count ? lo + p.zone_count : zones.size();
    if (lo >= hi || hi > zones.size())
        return fail(fmt::format("zones {}..{} do not exist (the namespace has {} zones)", lo,
                                hi - 1, zones.size()));
    constexpr unsigned depth = 4;
    dma_buffer buf;
    try {
        buf = m_driver.alloc(p.block_bytes * depth);
    } catch (const std::bad_alloc&) {
        return fail("host memory cannot hold " + std::to_string(depth) + " blocks");
    }
    const std::uint32_t block = static_cast<std::uint32_t>(p.block_bytes / ns->lba_bytes);
    for (std::uint64_t i = lo; i < hi && !stopping(); ++i) {
        const zone_descriptor& z = zones[i];
        if (z.state == 0xd || z.state == 0xf)
            return fail(fmt::format("zone {} is read-only or offline", i));
        if (z.state != 0x1) {
            const completion c =
                m_driver.zone_mgmt_send(p.nsid, z.start, zsa_reset, false, nullptr, qid);
            if (!c.ok()) return fail(fmt::format("reset of zone {}: {}", i, status_text(c)));
        }
        std::uint64_t fill = 0;
        if (p.state == prepare_spec::target::full)
            fill = 0; // finished below: the device fills it
        else if (p.fill_bytes)
            fill = p.fill_bytes / ns->lba_bytes;
        else
            fill = static_cast<std::uint64_t>(p.fill_fraction * static_cast<double>(z.capacity));
        if (fill > z.capacity)
            return fail(fmt::format("fill of {} LBAs exceeds zone {}'s capacity ({} LBAs)", fill, i,
                                    z.capacity));
        // The fill: sequential writes at the write pointer, a few in flight.
        std::uint64_t issued = 0;
        unsigned inflight = 0;
        std::uint16_t cids[depth] = {};
        bool busy[depth] = {};
        while ((issued < fill && !stopping()) || inflight > 0) {
            for (unsigned k = 0; k < depth && issued < fill && !stopping(); ++k) {
                if (busy[k]) continue;
                const auto nlb =
                    static_cast<std::uint32_t>(std::min<std::uint64_t>(block, fill - issued));
                std::uint8_t* data = buf.data() + k * p.block_bytes;
                fill_pattern(data, z.start + issued, nlb, ns->lba_bytes, p.seed);
                const ticket t = m_driver.submit_async(
                    qid,
                    host_driver::make_rw(nvme::spec::io_opcode::write, p.nsid, z.start + issued,
                                         nlb),
                    buf.bus() + k * p.block_bytes, std::uint64_t{nlb} * ns->lba_bytes);
                if (!t.valid()) return fail("the driver could not queue a write");
                busy[k] = true;
                cids[k] = t.cid;
                ++inflight;
                issued += nlb;
            }
            const completion c = m_driver.wait_any(qid);
            if (!c.ok()) return fail(fmt::format("write to zone {}: {}", i, status_text(c)));
            for (unsigned k = 0; k < depth; ++k)
                if (busy[k] && cids[k] == c.cid) {
                    busy[k] = false;
                    --inflight;
                }
        }
        std::uint8_t action = 0;
        switch (p.state) {
        case prepare_spec::target::closed:
            action = fill ? zsa_close : 0;
            break;
        case prepare_spec::target::open:
            action = zsa_open;
            break;
        case prepare_spec::target::full:
            action = zsa_finish;
            break;
        default:
            break;
        }
        if (action && !stopping()) {
            const completion c =
                m_driver.zone_mgmt_send(p.nsid, z.start, action, false, nullptr, qid);
            if (!c.ok()) return fail(fmt::format("zone {}: {}", i, status_text(c)));
        }
    }
    if (stopping()) {
        m_out << fmt::format("prepare nsid {} zones {}..{}: interrupted\n", p.nsid, lo, hi - 1);
        return true;
    }
    m_out << fmt::format("prepare nsid {} zones {}..{}: {}, {} written\n", p.nsid, lo, hi - 1,
                         target_name(p.state),
                         p.state == prepare_spec::target::full ? std::string("100%")
                         : p.fill_bytes                        ? format_size(p.fill_bytes)
                                        : fmt::format("{:.0f}%", p.fill_fraction * 100));
    return true;
}

} // namespace znssim::platform
