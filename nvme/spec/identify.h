#pragma once
// Identify data structures: NVMe Base 2.0 section 5.17.2 (controller, namespace lists, descriptor
// list, I/O command set independent namespace, I/O command set combinations) and the NVM Command
// Set 1.0 structures (Identify Namespace, CNS 05h/06h for CSI 00h). All are 4096 bytes,
// little-endian, laid out exactly as on the wire so they can be copied to the host as they are.
#include <cstddef>
#include <cstdint>

namespace znssim::nvme::spec {

/// Identify CNS values (CDW10 bits 7:0).
namespace cns {
constexpr std::uint8_t ns = 0x00;             ///< Identify Namespace (NVM layout)
constexpr std::uint8_t ctrl = 0x01;           ///< Identify Controller
constexpr std::uint8_t active_ns_list = 0x02; ///< active NSIDs > CDW1.NSID
constexpr std::uint8_t ns_desc_list = 0x03;   ///< Namespace Identification Descriptor list
constexpr std::uint8_t nvmset_list = 0x04;
constexpr std::uint8_t csi_ns = 0x05;             ///< I/O command set specific Identify NS
constexpr std::uint8_t csi_ctrl = 0x06;           ///< I/O command set specific Identify Controller
constexpr std::uint8_t csi_active_ns_list = 0x07; ///< active NSIDs of one command set
constexpr std::uint8_t indep_ns = 0x08;           ///< I/O command set independent Identify NS
constexpr std::uint8_t iocs = 0x1c;               ///< I/O Command Set data structure
} // namespace cns

constexpr std::size_t identify_bytes = 4096;

#pragma pack(push, 1)

/// Power State Descriptor (32 bytes), Figure 276.
struct power_state {
    std::uint16_t mp; ///< maximum power, in centiwatts (flags.MXPS = 0)
    std::uint8_t rsvd2;
    std::uint8_t flags;  ///< bit 0 MXPS, bit 1 NOPS
    std::uint32_t enlat; ///< entry latency (µs)
    std::uint32_t exlat; ///< exit latency (µs)
    std::uint8_t rrt, rrl, rwt, rwl;
    std::uint16_t idlp;
    std::uint8_t ips; ///< bits 7:6
    std::uint8_t rsvd19;
    std::uint16_t actp;
    std::uint8_t apw_aps;
    std::uint8_t rsvd23[9];
};
static_assert(sizeof(power_state) == 32);
static_assert(offsetof(power_state, enlat) == 4);
static_assert(offsetof(power_state, idlp) == 16);
static_assert(offsetof(power_state, actp) == 20);

/// Identify Controller data structure (CNS 01h), Figure 275.
struct id_ctrl {
    std::uint16_t vid;
    std::uint16_t ssvid;
    char sn[20];
    char mn[40];
    char fr[8];
    std::uint8_t rab;
    std::uint8_t ieee[3];
    std::uint8_t cmic;
    std::uint8_t mdts;
    std::uint16_t cntlid;
    std::uint32_t ver;
    std::uint32_t rtd3r;
    std::uint32_t rtd3e;
    std::uint32_t oaes;
    std::uint32_t ctratt;
    std::uint16_t rrls;
    std::uint8_t rsvd102[9];
    std::uint8_t cntrltype;
    std::uint8_t fguid[16];
    std::uint16_t crdt1;
    std::uint16_t crdt2;
    std::uint16_t crdt3;
    std::uint8_t rsvd134[119];
    std::uint8_t nvmsr;
    std::uint8_t vwci;
    std::uint8_t mec;
    // Admin command set attributes and optional controller capabilities
    std::uint16_t oacs;
    std::uint8_t acl;
    std::uint8_t aerl;
    std::uint8_t frmw;
    std::uint8_t lpa;
    std::uint8_t elpe;
    std::uint8_t npss;
    std::uint8_t avscc;
    std::uint8_t apsta;
    std::uint16_t wctemp;
    std::uint16_t cctemp;
    std::uint16_t mtfa;
    std::uint32_t hmpre;
    std::uint32_t hmmin;
    std::uint8_t tnvmcap[16];
    std::uint8_t unvmcap[16];
    std::uint32_t rpmbs;
    std::uint16_t edstt;
    std::uint8_t dsto;
    std::uint8_t fwug;
    std::uint16_t kas;
    std::uint16_t hctma;
    std::uint16_t mntmt;
    std::uint16_t mxtmt;
    std::uint32_t sanicap;
    std::uint32_t hmminds;
    std::uint16_t hmmaxd;
    std::uint16_t nsetidmax;
    std::uint16_t endgidmax;
    std::uint8_t anatt;
    std::uint8_t anacap;
    std::uint32_t anagrpmax;
    std::uint32_t nanagrpid;
    std::uint32_t pels;
    std::uint16_t domainid;
    std::uint8_t rsvd358[10];
    std::uint8_t megcap[16];
    std::uint8_t rsvd384[128];
    // NVM command set attributes
    std::uint8_t sqes;
    std::uint8_t cqes;
    std::uint16_t maxcmd;
    std::uint32_t nn;
    std::uint16_t oncs;
    std::uint16_t fuses;
    std::uint8_t fna;
    std::uint8_t vwc;
    std::uint16_t awun;
    std::uint16_t awupf;
    std::uint8_t icsvscc;
    std::uint8_t nwpc;
    std::uint16_t acwu;
    std::uint16_t cdfs;
    std::uint32_t sgls;
    std::uint32_t mnan;
    std::uint8_t maxdna[16];
    std::uint32_t maxcna;
    std::uint8_t rsvd564[204];
    char subnqn[256];
    std::uint8_t rsvd1024[768];
    // Fabrics
    std::uint32_t ioccsz;
    std::uint32_t iorcsz;
    std::uint16_t icdoff;
    std::uint8_t fcatt;
    std::uint8_t msdbd;
    std::uint16_t ofcs;
    std::uint8_t rsvd1806[242];
    power_state psd[32];
    std::uint8_t vs[1024];
};
static_assert(sizeof(id_ctrl) == identify_bytes);
static_assert(offsetof(id_ctrl, sn) == 4);
static_assert(offsetof(id_ctrl, mn) == 24);
static_assert(offsetof(id_ctrl, fr) == 64);
static_assert(offsetof(id_ctrl, rab) == 72);
static_assert(offsetof(id_ctrl, cmic) == 76);
static_assert(offsetof(id_ctrl, mdts) == 77);
static_assert(offsetof(id_ctrl, cntlid) == 78);
static_assert(offsetof(id_ctrl, ver) == 80);
static_assert(offsetof(id_ctrl, rtd3e) == 88);
static_assert(offsetof(id_ctrl, oaes) == 92);
static_assert(offsetof(id_ctrl, ctratt) == 96);
static_assert(offsetof(id_ctrl, cntrltype) == 111);
static_assert(offsetof(id_ctrl, fguid) == 112);
static_assert(offsetof(id_ctrl, crdt1) == 128);
static_assert(offsetof(id_ctrl, nvmsr) == 253);
static_assert(offsetof(id_ctrl, oacs) == 256);
static_assert(offsetof(id_ctrl, acl) == 258);
static_assert(offsetof(id_ctrl, aerl) == 259);
static_assert(offsetof(id_ctrl, lpa) == 261);
static_assert(offsetof(id_ctrl, elpe) == 262);
static_assert(offsetof(id_ctrl, npss) == 263);
static_assert(offsetof(id_ctrl, apsta) == 265);
static_assert(offsetof(id_ctrl, wctemp) == 266);
static_assert(offsetof(id_ctrl, cctemp) == 268);
static_assert(offsetof(id_ctrl, hmpre) == 272);
static_assert(offsetof(id_ctrl, hmmin) == 276);
static_assert(offsetof(id_ctrl, tnvmcap) == 280);
static_assert(offsetof(id_ctrl, unvmcap) == 296);
static_assert(offsetof(id_ctrl, rpmbs) == 312);
static_assert(offsetof(id_ctrl, kas) == 320);
static_assert(offsetof(id_ctrl, sanicap) == 328);
static_assert(offsetof(id_ctrl, anatt) == 342);
static_assert(offsetof(id_ctrl, pels) == 352);
static_assert(offsetof(id_ctrl, domainid) == 356);
static_assert(offsetof(id_ctrl, megcap) == 368);
static_assert(offsetof(id_ctrl, sqes) == 512);
static_assert(offsetof(id_ctrl, cqes) == 513);
static_assert(offsetof(id_ctrl, maxcmd) == 514);
static_assert(offsetof(id_ctrl, nn) == 516);
static_assert(offsetof(id_ctrl, oncs) == 520);
static_assert(offsetof(id_ctrl, fuses) == 522);
static_assert(offsetof(id_ctrl, fna) == 524);
static_assert(offsetof(id_ctrl, vwc) == 525);
static_assert(offsetof(id_ctrl, awun) == 526);
static_assert(offsetof(id_ctrl, awupf) == 528);
static_assert(offsetof(id_ctrl, nwpc) == 531);
static_assert(offsetof(id_ctrl, acwu) == 532);
static_assert(offsetof(id_ctrl, cdfs) == 534);
static_assert(offsetof(id_ctrl, sgls) == 536);
static_assert(offsetof(id_ctrl, mnan) == 540);
static_assert(offsetof(id_ctrl, maxdna) == 544);
static_assert(offsetof(id_ctrl, maxcna) == 560);
static_assert(offsetof(id_ctrl, subnqn) == 768);
static_assert(offsetof(id_ctrl, ioccsz) == 1792);
static_assert(offsetof(id_ctrl, msdbd) == 1803);
static_assert(offsetof(id_ctrl, psd) == 2048);
static_assert(offsetof(id_ctrl, vs) == 3072);

/// Identify Controller bit fields the model sets.
namespace ctrl_bits {
constexpr std::uint32_t oaes_ns_attribute = 1u << 8; ///< Namespace Attribute Notices
constexpr std::uint32_t oaes_fw_activation = 1u << 9;
constexpr std::uint32_t oaes_zone_descriptor_changed = 1u << 27;
constexpr std::uint16_t oacs_doorbell_buffer_config = 1u << 8; ///< Doorbell Buffer Config (7Ch)
constexpr std::uint8_t lpa_smart_per_ns = 1u << 0;
constexpr std::uint8_t lpa_effects = 1u << 1;
constexpr std::uint8_t lpa_extended_data = 1u << 2; ///< NUMDU/LPOU/extended Get Log Page
constexpr std::uint8_t lpa_telemetry = 1u << 3;
constexpr std::uint8_t lpa_persistent_event = 1u << 4;
constexpr std::uint16_t oncs_compare = 1u << 0;
constexpr std::uint16_t oncs_write_uncorrectable = 1u << 1;
constexpr std::uint16_t oncs_dsm = 1u << 2;
constexpr std::uint16_t oncs_write_zeroes = 1u << 3;
constexpr std::uint16_t oncs_save_select = 1u << 4;
constexpr std::uint16_t oncs_reservations = 1u << 5;
constexpr std::uint16_t oncs_timestamp = 1u << 6;
constexpr std::uint16_t oncs_verify = 1u << 7;
constexpr std::uint16_t oncs_copy = 1u << 8;
constexpr std::uint32_t sgls_supported = 1u << 0; ///< bits 1:0 = 01b, no alignment
constexpr std::uint32_t sgls_keyed = 1u << 2;
constexpr std::uint32_t sgls_bit_bucket = 1u << 16;
constexpr std::uint32_t sgls_mptr_sgl = 1u << 19;         ///< MPTR may hold an SGL descriptor
constexpr std::uint32_t sgls_larger_than_data = 1u << 18; ///< SGL length may exceed the transfer
constexpr std::uint32_t sgls_offset = 1u << 20;
constexpr std::uint8_t cntrltype_io = 1;
} // namespace ctrl_bits

/// LBA Format (4 bytes).
struct lba_format {
    std::uint16_t ms;   ///< metadata bytes per LBA
    std::uint8_t lbads; ///< log2 of the LBA data size
    std::uint8_t rp;    ///< relative performance, bits 1:0
};
static_assert(sizeof(lba_format) == 4);

/// Identify Namespace data structure for the NVM command set (CNS 00h), NVM Command Set 1.0
/// Figure 97 (NULBAF from 1.0c). Zoned namespaces use the same structure.
struct id_ns {
    std::uint64_t nsze;
    std::uint64_t ncap;
    std::uint64_t nuse;
    std::uint8_t nsfeat;
    std::uint8_t nlbaf; ///< 0-based number of LBA formats
    std::uint8_t flbas; ///< bits 3:0 format index low, bit 4 extended metadata, bits 6:5 index high
    std::uint8_t mc;
    std::uint8_t dpc;
    std::uint8_t dps;
    std::uint8_t nmic;
    std::uint8_t rescap;
    std::uint8_t fpi;
    std::uint8_t dlfeat;
    std::uint16_t nawun;
    std::uint16_t nawupf;
    std::uint16_t nacwu;
    std::uint16_t nabsn;
    std::uint16_t nabo;
    std::uint16_t nabspf;
    std::uint16_t noiob;
    std::uint8_t nvmcap[16];
    std::uint16_t npwg;
    std::uint16_t npwa;
    std::uint16_t npdg;
    std::uint16_t npda;
    std::uint16_t nows;
    std::uint16_t mssrl;
    std::uint32_t mcl;
    std::uint8_t msrc;
    std::uint8_t kpios;
    std::uint8_t nulbaf;
    std::uint8_t rsvd83;
    std::uint32_t kpiodaag;
    std::uint8_t rsvd88[4];
    std::uint32_t anagrpid;
    std::uint8_t rsvd96[3];
    std::uint8_t nsattr; ///< bit 0: write protected
    std::uint16_t nvmsetid;
    std::uint16_t endgid;
    std::uint8_t nguid[16];
    std::uint8_t eui64[8];
    lba_format lbaf[64];
    std::uint8_t vs[3712];
};
static_assert(sizeof(id_ns) == identify_bytes);
static_assert(offsetof(id_ns, ncap) == 8);
static_assert(offsetof(id_ns, nuse) == 16);
static_assert(offsetof(id_ns, nsfeat) == 24);
static_assert(offsetof(id_ns, nlbaf) == 25);
static_assert(offsetof(id_ns, flbas) == 26);
static_assert(offsetof(id_ns, nmic) == 30);
static_assert(offsetof(id_ns, dlfeat) == 33);
static_assert(offsetof(id_ns, nawun) == 34);
static_assert(offsetof(id_ns, noiob) == 46);
static_assert(offsetof(id_ns, nvmcap) == 48);
static_assert(offsetof(id_ns, npwg) == 64);
static_assert(offsetof(id_ns, nows) == 72);
static_assert(offsetof(id_ns, mcl) == 76);
static_assert(offsetof(id_ns, msrc) == 80);
static_assert(offsetof(id_ns, nulbaf) == 82);
static_assert(offsetof(id_ns, anagrpid) == 92);
static_assert(offsetof(id_ns, nsattr) == 99);
static_assert(offsetof(id_ns, nvmsetid) == 100);
static_assert(offsetof(id_ns, endgid) == 102);
static_assert(offsetof(id_ns, nguid) == 104);
static_assert(offsetof(id_ns, eui64) == 120);
static_assert(offsetof(id_ns, lbaf) == 128);
static_assert(offsetof(id_ns, vs) == 384);

namespace ns_bits {
constexpr std::uint8_t nsfeat_thinp = 1u << 0;
constexpr std::uint8_t nsfeat_nsabp = 1u << 1; ///< NAWUN/NAWUPF/NACWU valid
constexpr std::uint8_t nsfeat_dae = 1u << 2;   ///< deallocated/unwritten error supported
constexpr std::uint8_t nsfeat_uidreuse = 1u << 3;
constexpr std::uint8_t nsfeat_optperf = 1u << 4;      ///< NPWG, NPWA, NPDG, NPDA, NOWS valid
constexpr std::uint8_t dlfeat_read_zeroes = 0x1;      ///< bits 2:0 = 001b: deallocated reads as 0
constexpr std::uint8_t dlfeat_write_zeroes = 1u << 3; ///< Write Zeroes may deallocate
constexpr std::uint8_t nsattr_write_protected = 1u << 0;
} // namespace ns_bits

/// FLBAS → LBA format index (bits 3:0, bits 6:5 give index bits 5:4).
constexpr unsigned flbas_index(std::uint8_t flbas) {
    return (flbas & 0xfu) | ((flbas >> 5) & 0x3u) << 4;
}

/// I/O Command Set Independent Identify Namespace (CNS 08h), Figure 280.
struct id_ns_indep {
    std::uint8_t nsfeat;
    std::uint8_t nmic;
    std::uint8_t rescap;
    std::uint8_t fpi;
    std::uint32_t anagrpid;
    std::uint8_t nsattr;
    std::uint8_t rsvd9;
    std::uint16_t nvmsetid;
    std::uint16_t endgid;
    std::uint8_t nstat; ///< bit 0: namespace ready
    std::uint8_t rsvd15[4081];
};
static_assert(sizeof(id_ns_indep) == identify_bytes);
static_assert(offsetof(id_ns_indep, anagrpid) == 4);
static_assert(offsetof(id_ns_indep, nsattr) == 8);
static_assert(offsetof(id_ns_indep, nvmsetid) == 10);
static_assert(offsetof(id_ns_indep, nstat) == 14);

/// I/O Command Set specific Identify Controller for the NVM command set (CNS 06h, CSI 00h).
struct id_ctrl_nvm {
    std::uint8_t vsl;    ///< Verify Size Limit, 2^n × min page size, 0 = no limit
    std::uint8_t wzsl;   ///< Write Zeroes Size Limit
    std::uint8_t wusl;   ///< Write Uncorrectable Size Limit
    std::uint8_t dmrl;   ///< DSM: max ranges per command (0 = not reported)
    std::uint32_t dmrsl; ///< DSM: max LBAs per range
    std::uint64_t dmsl;  ///< DSM: max LBAs per command
    std::uint8_t rsvd16[4080];
};
static_assert(sizeof(id_ctrl_nvm) == identify_bytes);
static_assert(offsetof(id_ctrl_nvm, dmrl) == 3);
static_assert(offsetof(id_ctrl_nvm, dmrsl) == 4);
static_assert(offsetof(id_ctrl_nvm, dmsl) == 8);

/// I/O Command Set specific Identify Namespace for the NVM command set (CNS 05h, CSI 00h),
/// NVM Command Set 1.0 Figure 99.
struct id_ns_nvm {
    std::uint64_t lbstm; ///< Logical Block Storage Tag Mask
    std::uint8_t pic;    ///< Protection Information Capabilities
    std::uint8_t rsvd9[3];
    std::uint32_t elbaf[64]; ///< Extended LBA formats (STS, PIF)
    std::uint8_t rsvd268[3828];
};
static_assert(sizeof(id_ns_nvm) == identify_bytes);
static_assert(offsetof(id_ns_nvm, pic) == 8);
static_assert(offsetof(id_ns_nvm, elbaf) == 12);

/// Namespace Identification Descriptor header (CNS 03h); NIDL bytes of identifier follow.
struct ns_id_desc {
    std::uint8_t nidt;
    std::uint8_t nidl;
    std::uint16_t rsvd;
};
static_assert(sizeof(ns_id_desc) == 4);

namespace nidt {
constexpr std::uint8_t eui64 = 1;
constexpr std::uint8_t nguid = 2;
constexpr std::uint8_t uuid = 3;
constexpr std::uint8_t csi = 4;
constexpr std::uint8_t eui64_len = 8;
constexpr std::uint8_t nguid_len = 16;
constexpr std::uint8_t uuid_len = 16;
constexpr std::uint8_t csi_len = 1;
} // namespace nidt

/// Identify I/O Command Set data structure (CNS 1Ch): 512 command set combinations, each a bit
/// vector indexed by CSI.
struct id_iocs {
    std::uint64_t vector[512];
};
static_assert(sizeof(id_iocs) == identify_bytes);

/// Namespace list (CNS 02h/07h, and the Changed Namespace List log): up to 1024 NSIDs, ascending,
/// zero-terminated.
struct ns_list {
    std::uint32_t nsid[1024];
};
static_assert(sizeof(ns_list) == identify_bytes);

#pragma pack(pop)

} // namespace znssim::nvme::spec
