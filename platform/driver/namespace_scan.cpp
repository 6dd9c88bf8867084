// Namespace scan in the order of Linux 6.1 nvme_scan_work / nvme_alloc_ns /
// nvme_update_zone_info: Identify CNS 06h (CSI 0), the active NSID list, then per namespace the
// descriptor list (CSI), Identify Namespace and, for zoned ones, the CSI 2 effects log, ZASL,
// the ZNS Identify Namespace and a zone report.
#include "platform/driver/queue_pair.h"

#include <cstring>

namespace znssim::platform {

namespace spec = nvme::spec;

bool host_driver::scan_namespaces() {
    m_namespaces.clear();
    m_zns_controller_identified = false;
    if (m_io_qids.empty()) {
        ZLOG_WARN(driver_log(), "scan skipped: no I/O queues");
        return true;
    }
    dma_buffer buf = alloc(4096);
    completion c = identify(0x06, 0, spec::csi::nvm, buf);
    ZLOG_INFO(driver_log(), "Identify CNS 06h CSI 0: status {:#x}", c.status.code());

    std::vector<std::uint32_t> nsids;
    std::uint32_t after = 0;
    for (;;) { // 1024 NSIDs per page; continue from the last one listed
        buf.fill(0);
        c = identify(0x02, after, spec::csi::nvm, buf);
        if (!c.ok())
            return fail(fmt::format("Identify CNS 02h failed (status {:#x})", c.status.code()));
        const auto* list = buf.as<std::uint32_t>();
        std::size_t i = 0;
        for (; i < 1024 && list[i] != 0; ++i)
            nsids.push_back(list[i]);
        if (i < 1024) break;
        after = list[1023];
    }
    ZLOG_INFO(driver_log(), "active namespaces: {}", nsids.size());
    for (std::uint32_t nsid : nsids)
        scan_one(nsid);
    return true;
}

bool host_driver::scan_one(std::uint32_t nsid) {
    dma_buffer buf = alloc(4096);
    completion c = identify(0x03, nsid, spec::csi::nvm, buf);
    if (!c.ok()) {
        ZLOG_WARN(driver_log(), "nsid {}: descriptor list failed ({:#x}), skipped", nsid,
                  c.status.code());
        return false;
    }
    int csi = -1;
    for (std::size_t at = 0; at + 4 <= 4096;) { // NIDT, NIDL, 2 reserved, NIDL bytes
        const std::uint8_t nidt = buf.data()[at], nidl = buf.data()[at + 1];
        if (nidl == 0) break;
        if (nidt == 4 && nidl == 1 && at + 5 <= 4096) csi = buf.data()[at + 4];
        at += 4u + nidl;
    }
    const bool iocs = ((m_cc >> 4) & 7u) == 6u;
    if (csi < 0 && iocs) {
        ZLOG_WARN(driver_log(), "Command set not reported for nsid {}", nsid);
        return false;
    }
    if (csi < 0) csi = 0;
    if (csi != 0 && csi != 2) {
        ZLOG_WARN(driver_log(), "nsid {}: command set {} not supported, skipped", nsid, csi);
        return false;
    }
    buf.fill(0);
    c = identify(0x00, nsid, spec::csi::nvm, buf);
    if (!c.ok()) return false;
    const auto* id = buf.as<spec::id_ns>();
    namespace_info ns;
    ns.nsid = nsid;
    ns.csi = static_cast<spec::csi>(csi);
    ns.nsze = id->nsze;
    ns.ncap = id->ncap;
    ns.nuse = id->nuse;
    ns.read_only = id->nsattr & 1u;
    const unsigned fmt_index = (id->flbas & 0xfu) | ((id->flbas >> 5) & 3u) << 4;
    ns.lba_shift = id->lbaf[fmt_index].lbads;
    ns.lba_bytes = ns.lba_shift < 32 ? 1u << ns.lba_shift : 0;
    if (ns.ncap == 0 || ns.lba_shift < 9 || ns.lba_shift > 12) {
        ZLOG_WARN(driver_log(), "nsid {}: NCAP {} LBADS {}: skipped", nsid, ns.ncap, ns.lba_shift);
        return false;
    }
    if (csi == 2) {
        ns.zoned = true;
        buf.fill(0);
        c = get_log_page(0x05, 0, buf, 4096, spec::csi::zns);
        if (!c.ok()) {
            ZLOG_WARN(driver_log(), "nsid {}: effects log CSI 2 failed ({:#x})", nsid,
                      c.status.code());
            return false;
        }
        std::uint32_t append_fx = 0;
        std::memcpy(&append_fx, buf.data() + 1024 + 4 * 0x7d, 4);
        if (!(append_fx & 1u)) {
            ZLOG_WARN(driver_log(),
                      "Zone Append not supported for zoned namespace:{}. Forcing to read-only mode",
                      nsid);
            ns.read_only = true;
        }
        if (!m_zns_controller_identified) {
            buf.fill(0);
            c = identify(0x06, 0, spec::csi::zns, buf);
            if (!c.ok()) return false;
            m_zasl = buf.data()[0];
            m_zns_controller_identified = true;
        }
        ns.zone_append_max_bytes = m_zasl ? 4096ull << m_zasl : max_transfer_bytes();
        buf.fill(0);
        c = identify(0x05, nsid, spec::csi::zns, buf);
        if (!c.ok()) return false;
        std::memcpy(&ns.zoc, buf.data(), 2);
        std::memcpy(&ns.mar, buf.data() + 4, 4);
        std::memcpy(&ns.mor, buf.data() + 8, 4);
        std::memcpy(&ns.zone_size, buf.data() + 2816 + 16 * fmt_index, 8);
        if (ns.zoc != 0 || ns.zone_size == 0 || (ns.zone_size & (ns.zone_size - 1)) != 0) {
            ZLOG_WARN(driver_log(), "nsid {}: ZOC {:#x} zone size {}: not usable", nsid, ns.zoc,
                      ns.zone_size);
            return false;
        }
    }
    m_namespaces.push_back(ns);
    namespace_info& stored = m_namespaces.back();
    if (stored.zoned) {
        c = report_zones(nsid, stored.zones, m_io_qids.front());
        stored.zone_count = stored.zones.size();
        stored.zone_capacity = stored.zones.empty() ? 0 : stored.zones.front().capacity;
        if (!c.ok())
            ZLOG_WARN(driver_log(), "nsid {}: zone report failed ({:#x})", nsid, c.status.code());
        else if (stored.zone_count * stored.zone_size != stored.nsze)
            ZLOG_WARN(driver_log(), "nsid {}: Missing zones ({} zones of {} for NSZE {})", nsid,
                      stored.zone_count, stored.zone_size, stored.nsze);
    }
    ZLOG_INFO(driver_log(), "nsid {}: CSI {} LBA {} B, NSZE {}{}", nsid, csi, stored.lba_bytes,
              stored.nsze,
              stored.zoned
                  ? fmt::format(", {} zones of {} (cap {}), MOR {:#x} MAR {:#x}, append max {} B",
                                stored.zone_count, stored.zone_size, stored.zone_capacity,
                                stored.mor, stored.mar, stored.zone_append_max_bytes)
                  : std::string());
    return true;
}

} // namespace znssim::platform
