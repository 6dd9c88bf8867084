// NVM and Zoned Namespace I/O command wrappers. SLBA in CDW10/11, NLB 0-based in CDW12[15:0];
// zone commands as Linux 6.1 and nvme-cli send them (ZSA in CDW13[7:0], Select All bit 8; ZRA
// CDW13[7:0], ZRASF [15:8], Partial bit 16; NUMD 0-based in CDW12).
#include "platform/driver/queue_pair.h"

#include <cstring>

namespace znssim::platform {

namespace spec = nvme::spec;

spec::sqe host_driver::make_rw(std::uint8_t opcode, std::uint32_t nsid, std::uint64_t slba,
                               std::uint32_t nlb) {
    spec::sqe s = make_sqe(opcode, nsid);
    s.cdw10 = static_cast<std::uint32_t>(slba);
    s.cdw11 = static_cast<std::uint32_t>(slba >> 32);
    s.cdw12 = (nlb - 1u) & 0xffff;
    return s;
}

completion host_driver::read(std::uint32_t nsid, std::uint64_t slba, std::uint32_t nlb,
                             dma_buffer& buf, std::size_t offset, std::uint16_t qid) {
    const namespace_info* ns = find_namespace(nsid);
    const std::uint64_t bytes = std::uint64_t{nlb} << (ns ? ns->lba_shift : 12);
    return sync_command(qid, make_rw(spec::io_opcode::read, nsid, slba, nlb), &buf, offset, bytes);
}

completion host_driver::write(std::uint32_t nsid, std::uint64_t slba, std::uint32_t nlb,
                              const dma_buffer& buf, std::size_t offset, std::uint16_t qid) {
    const namespace_info* ns = find_namespace(nsid);
    const std::uint64_t bytes = std::uint64_t{nlb} << (ns ? ns->lba_shift : 12);
    return sync_command(qid, make_rw(spec::io_opcode::write, nsid, slba, nlb), &buf, offset, bytes);
}

completion host_driver::compare(std::uint32_t nsid, std::uint64_t slba, std::uint32_t nlb,
                                const dma_buffer& buf, std::uint16_t qid) {
    const namespace_info* ns = find_namespace(nsid);
    const std::uint64_t bytes = std::uint64_t{nlb} << (ns ? ns->lba_shift : 12);
    return sync_command(qid, make_rw(spec::io_opcode::compare, nsid, slba, nlb), &buf, 0, bytes);
}

completion host_driver::verify(std::uint32_t nsid, std::uint64_t slba, std::uint32_t nlb,
                               std::uint16_t qid) {
    return submit_io(qid, make_rw(spec::io_opcode::verify, nsid, slba, nlb));
}

completion host_driver::flush(std::uint32_t nsid, std::uint16_t qid) {
    return submit_io(qid, make_sqe(spec::io_opcode::flush, nsid));
}

completion host_driver::write_zeroes(std::uint32_t nsid, std::uint64_t slba, std::uint32_t nlb,
                                     bool deallocate, std::uint16_t qid) {
    spec::sqe s = make_rw(spec::io_opcode::write_zeroes, nsid, slba, nlb);
    if (deallocate) s.cdw12 |= 1u << 25;
    return submit_io(qid, s);
}

completion
host_driver::deallocate(std::uint32_t nsid,
                        const std::vector<std::pair<std::uint64_t, std::uint32_t>>& ranges,
                        std::uint16_t qid) {
    completion none;
    none.submitted = false;
    if (ranges.empty() || ranges.size() > 256) return none;
    dma_buffer buf = alloc(ranges.size() * 16);
    for (std::size_t i = 0; i < ranges.size(); ++i) {
        // Range: context attributes (4), length in LBAs (4), starting LBA (8).
        std::uint8_t* r = buf.data() + i * 16;
        std::uint32_t len = ranges[i].second;
        std::memcpy(r + 4, &len, 4);
        std::memcpy(r + 8, &ranges[i].first, 8);
    }
    spec::sqe s = make_sqe(spec::io_opcode::dataset_management, nsid);
    s.cdw10 = static_cast<std::uint32_t>(ranges.size() - 1);
    s.cdw11 = 1u << 2; // AD: deallocate
    return sync_command(qid, s, &buf, 0, ranges.size() * 16);
}

completion host_driver::zone_mgmt_send(std::uint32_t nsid, std::uint64_t slba, std::uint8_t zsa,
                                       bool select_all, dma_buffer* data, std::uint16_t qid) {
    spec::sqe s = make_sqe(spec::io_opcode::zone_mgmt_send, nsid);
    s.cdw10 = static_cast<std::uint32_t>(slba);
    s.cdw11 = static_cast<std::uint32_t>(slba >> 32);
    s.cdw13 = zsa | (select_all ? 1u << 8 : 0u);
    return sync_command(qid, s, data, 0, data ? data->size() : 0);
}

completion host_driver::zone_mgmt_recv(std::uint32_t nsid, std::uint64_t slba, dma_buffer& buf,
                                       std::uint8_t zra, std::uint8_t zrasf, bool partial,
                                       std::uint32_t bytes, std::uint16_t qid) {
    if (bytes == 0) bytes = static_cast<std::uint32_t>(buf.size());
    completion none;
    none.submitted = false;
    if (bytes < 4 || bytes % 4 != 0 || bytes > buf.size()) return none;
    spec::sqe s = make_sqe(spec::io_opcode::zone_mgmt_recv, nsid);
    s.cdw10 = static_cast<std::uint32_t>(slba);
    s.cdw11 = static_cast<std::uint32_t>(slba >> 32);
    s.cdw12 = bytes / 4 - 1;
    s.cdw13 = zra | std::uint32_t{zrasf} << 8 | (partial ? 1u << 16 : 0u);
    return sync_command(qid, s, &buf, 0, bytes);
}

completion host_driver::zone_append(std::uint32_t nsid, std::uint64_t zslba, std::uint32_t nlb,
                                    const dma_buffer& buf, std::uint16_t qid) {
    const namespace_info* ns = find_namespace(nsid);
    const std::uint64_t bytes = std::uint64_t{nlb} << (ns ? ns->lba_shift : 12);
    return sync_command(qid, make_rw(spec::io_opcode::zone_append, nsid, zslba, nlb), &buf, 0,
                        bytes);
}

std::uint64_t host_driver::parse_zone_report(const dma_buffer& buf, std::size_t bytes,
                                             std::vector<zone_descriptor>& out, std::uint64_t max) {
    if (bytes < 64 || bytes > buf.size()) return 0;
    std::uint64_t nr = 0;
    std::memcpy(&nr, buf.data(), 8);
    const std::uint64_t fit = (bytes - 64) / 64;
    const std::uint64_t n = nr < fit ? (nr < max ? nr : max) : (fit < max ? fit : max);
    for (std::uint64_t i = 0; i < n; ++i) {
        const std::uint8_t* d = buf.data() + 64 + i * 64;
        zone_descriptor z;
        z.type = d[0] & 0xf;
        z.state = d[1] >> 4;
        z.attributes = d[2];
        std::memcpy(&z.capacity, d + 8, 8);
        std::memcpy(&z.start, d + 16, 8);
        std::memcpy(&z.write_pointer, d + 24, 8);
        out.push_back(z);
    }
    return nr;
}

completion host_driver::report_zones(std::uint32_t nsid, std::vector<zone_descriptor>& out,
                                     std::uint16_t qid) {
    out.clear();
    const namespace_info* ns = find_namespace(nsid);
    completion c;
    if (!ns || !ns->zoned || ns->zone_size == 0) {
        c.submitted = false;
        return c;
    }
    // Like nvme_ns_report_zones: a buffer of 64 + n×64 bytes capped by the transfer limit,
    // partial reports, advancing by the number of zones returned.
    const std::uint64_t total = ns->nsze / ns->zone_size;
    std::uint64_t per = (max_transfer_bytes() - 64) / 64;
    if (per > total) per = total;
    if (per == 0) per = 1;
    dma_buffer buf = alloc(64 + per * 64);
    const std::uint32_t bytes = static_cast<std::uint32_t>(64 + per * 64);
    std::uint64_t slba = 0;
    while (out.size() < total) {
        buf.fill(0);
        c = zone_mgmt_recv(nsid, slba, buf, 0, 0, true, bytes, qid);
        if (!c.ok()) return c;
        const std::size_t before = out.size();
        parse_zone_report(buf, bytes, out, total - out.size());
        if (out.size() == before) break;
        slba += (out.size() - before) * ns->zone_size;
    }
    return c;
}

} // namespace znssim::platform
