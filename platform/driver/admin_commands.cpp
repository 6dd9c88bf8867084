// Admin command wrappers: Identify, Get Log Page, Get/Set Features. Field placement follows
// NVMe Base 2.0 (Identify: CNS CDW10[7:0], CNTID CDW10[31:16], CSI CDW11[31:24]; Get Log Page:
// LID CDW10[7:0], RAE bit 15, NUMDL CDW10[31:16], NUMDU CDW11[15:0], LSI CDW11[31:16], offset
// CDW12/13, CSI CDW14[31:24]).
#include "platform/driver/queue_pair.h"

namespace znssim::platform {

namespace spec = nvme::spec;

completion host_driver::identify(std::uint8_t cns, std::uint32_t nsid, spec::csi csi,
                                 dma_buffer& out, std::uint16_t cntid) {
    spec::sqe s = make_sqe(spec::admin_opcode::identify, nsid);
    s.cdw10 = std::uint32_t{cntid} << 16 | cns;
    s.cdw11 = std::uint32_t{static_cast<std::uint8_t>(csi)} << 24;
    completion none;
    none.submitted = false;
    if (out.size() < 4096) return none;
    return sync_command(0, s, &out, 0, 4096);
}

completion host_driver::get_log_page(std::uint8_t lid, std::uint32_t nsid, dma_buffer& out,
                                     std::uint32_t bytes, spec::csi csi, std::uint64_t offset,
                                     bool rae, std::uint16_t lsi) {
    completion none;
    none.submitted = false;
    if (bytes == 0 || bytes % 4 != 0 || bytes > out.size()) return none;
    const std::uint32_t numd = bytes / 4 - 1;
    spec::sqe s = make_sqe(spec::admin_opcode::get_log_page, nsid);
    s.cdw10 = (numd & 0xffff) << 16 | (rae ? 1u << 15 : 0u) | lid;
    s.cdw11 = std::uint32_t{lsi} << 16 | numd >> 16;
    s.cdw12 = static_cast<std::uint32_t>(offset);
    s.cdw13 = static_cast<std::uint32_t>(offset >> 32);
    s.cdw14 = std::uint32_t{static_cast<std::uint8_t>(csi)} << 24;
    return sync_command(0, s, &out, 0, bytes);
}

completion host_driver::get_features(std::uint8_t fid, std::uint32_t nsid, std::uint32_t cdw11,
                                     dma_buffer* data, std::uint8_t sel) {
    spec::sqe s = make_sqe(spec::admin_opcode::get_features, nsid);
    s.cdw10 = std::uint32_t{sel & 7u} << 8 | fid;
    s.cdw11 = cdw11;
    return sync_command(0, s, data, 0, data ? data->size() : 0);
}

completion host_driver::set_features(std::uint8_t fid, std::uint32_t cdw11, std::uint32_t nsid,
                                     dma_buffer* data, bool save) {
    spec::sqe s = make_sqe(spec::admin_opcode::set_features, nsid);
    s.cdw10 = (save ? 1u << 31 : 0u) | fid;
    s.cdw11 = cdw11;
    return sync_command(0, s, data, 0, data ? data->size() : 0);
}

} // namespace znssim::platform
