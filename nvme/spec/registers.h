#pragma once
// NVMe Base 2.0 controller registers (BAR0), section 3.1.
#include <cstdint>

namespace znssim::nvme::spec {

namespace reg {
constexpr std::uint32_t cap = 0x00;   ///< 64-bit Controller Capabilities
constexpr std::uint32_t vs = 0x08;    ///< Version
constexpr std::uint32_t intms = 0x0c; ///< Interrupt Mask Set
constexpr std::uint32_t intmc = 0x10; ///< Interrupt Mask Clear
constexpr std::uint32_t cc = 0x14;    ///< Controller Configuration
constexpr std::uint32_t csts = 0x1c;  ///< Controller Status
constexpr std::uint32_t nssr = 0x20;  ///< NVM Subsystem Reset
constexpr std::uint32_t aqa = 0x24;   ///< Admin Queue Attributes
constexpr std::uint32_t asq = 0x28;   ///< 64-bit Admin SQ Base Address
constexpr std::uint32_t acq = 0x30;   ///< 64-bit Admin CQ Base Address
constexpr std::uint32_t cmbloc = 0x38;
constexpr std::uint32_t cmbsz = 0x3c;
constexpr std::uint32_t bpinfo = 0x40;
constexpr std::uint32_t crto = 0x68;
constexpr std::uint32_t doorbell_base = 0x1000;

/// Offset of the SQ y tail doorbell for stride DSTRD.
constexpr std::uint32_t sq_tail_doorbell(unsigned qid, unsigned dstrd) {
    return doorbell_base + (2 * qid) * (4u << dstrd);
}
/// Offset of the CQ y head doorbell for stride DSTRD.
constexpr std::uint32_t cq_head_doorbell(unsigned qid, unsigned dstrd) {
    return doorbell_base + (2 * qid + 1) * (4u << dstrd);
}
} // namespace reg

/// CAP fields (bit positions in the 64-bit register).
namespace cap {
constexpr std::uint64_t mqes(std::uint64_t v) {
    return v & 0xffff;
}
constexpr std::uint64_t cqr = 1ull << 16;
constexpr unsigned ams_shift = 17;
constexpr unsigned to_shift = 24;
constexpr unsigned dstrd_shift = 32;
constexpr std::uint64_t nssrs = 1ull << 36;
constexpr unsigned css_shift = 37;
constexpr std::uint64_t css_nvm = 1ull << 37;        ///< CSS bit 0: NVM command set
constexpr std::uint64_t css_iocs = 1ull << 43;       ///< CSS bit 6: I/O command set(s)
constexpr std::uint64_t css_admin_only = 1ull << 44; ///< CSS bit 7: no I/O command set
constexpr std::uint64_t bps = 1ull << 45;
constexpr unsigned mpsmin_shift = 48;
constexpr unsigned mpsmax_shift = 52;
constexpr std::uint64_t pmrs = 1ull << 56;
constexpr std::uint64_t cmbs = 1ull << 57;
constexpr std::uint64_t nsss = 1ull << 58;
constexpr unsigned crms_shift = 59;
} // namespace cap

/// CC fields.
namespace cc {
constexpr std::uint32_t en = 1u << 0;
constexpr unsigned css_shift = 4;  ///< bits 6:4
constexpr unsigned mps_shift = 7;  ///< bits 10:7
constexpr unsigned ams_shift = 11; ///< bits 13:11
constexpr unsigned shn_shift = 14; ///< bits 15:14
constexpr unsigned iosqes_shift = 16;
constexpr unsigned iocqes_shift = 20;
constexpr std::uint32_t crime = 1u << 24;
constexpr unsigned css(std::uint32_t v) {
    return (v >> css_shift) & 0x7;
}
constexpr unsigned mps(std::uint32_t v) {
    return (v >> mps_shift) & 0xf;
}
constexpr unsigned ams(std::uint32_t v) {
    return (v >> ams_shift) & 0x7;
}
constexpr unsigned shn(std::uint32_t v) {
    return (v >> shn_shift) & 0x3;
}
constexpr unsigned iosqes(std::uint32_t v) {
    return (v >> iosqes_shift) & 0xf;
}
constexpr unsigned iocqes(std::uint32_t v) {
    return (v >> iocqes_shift) & 0xf;
}
constexpr unsigned css_nvm = 0b000;
constexpr unsigned css_all_iocs = 0b110;
constexpr unsigned css_admin_only = 0b111;
} // namespace cc

/// CSTS fields.
namespace csts {
constexpr std::uint32_t rdy = 1u << 0;
constexpr std::uint32_t cfs = 1u << 1;
constexpr unsigned shst_shift = 2;
constexpr std::uint32_t shst_normal = 0u << 2;
constexpr std::uint32_t shst_occurring = 1u << 2;
constexpr std::uint32_t shst_complete = 2u << 2;
constexpr std::uint32_t nssro = 1u << 4;
constexpr std::uint32_t pp = 1u << 5;
constexpr std::uint32_t st = 1u << 6;
} // namespace csts

constexpr std::uint32_t version_2_0 = 0x00020000;

} // namespace znssim::nvme::spec
