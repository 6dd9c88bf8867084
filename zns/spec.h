#pragma once
// NVMe Zoned Namespace Command Set 1.1: on-the-wire structures and field values.
#include <cstddef>
#include <cstdint>

namespace znssim::zns::spec {

#pragma pack(push, 1)
/// LBA Format Extension (ZNS 1.1 Figure 48): zone size and descriptor extension size per format.
struct lba_format_ext {
    std::uint64_t zsze; ///< zone size in LBAs
    std::uint8_t zdes;  ///< zone descriptor extension size in 64-byte units
    std::uint8_t rsvd[7];
};
static_assert(sizeof(lba_format_ext) == 16);

/// Identify Namespace data structure for the Zoned Namespace command set (CNS 05h, CSI 02h).
struct id_ns_zns {
    std::uint16_t zoc;  ///< zone operation characteristics (must be 0 for Linux)
    std::uint16_t ozcs; ///< optional zoned command support (bit 0 RAZB)
    std::uint32_t mar;  ///< max active resources, 0-based, FFFFFFFFh = no limit
    std::uint32_t mor;  ///< max open resources, 0-based, FFFFFFFFh = no limit
    std::uint32_t rrl;  ///< reset recommended limit (seconds)
    std::uint32_t frl;  ///< finish recommended limit (seconds)
    std::uint32_t rrl1, rrl2, rrl3;
    std::uint32_t frl1, frl2, frl3;
    std::uint32_t numzrwa;
    std::uint16_t zrwafg;
    std::uint16_t zrwasz;
    std::uint8_t zrwacap;
    std::uint8_t rsvd53[2816 - 53];
    lba_format_ext lbafe[64];
    std::uint8_t vendor[256];
};
static_assert(sizeof(id_ns_zns) == 4096);
static_assert(offsetof(id_ns_zns, mar) == 4);
static_assert(offsetof(id_ns_zns, mor) == 8);
static_assert(offsetof(id_ns_zns, rrl) == 12);
static_assert(offsetof(id_ns_zns, frl) == 16);
static_assert(offsetof(id_ns_zns, rrl1) == 20);
static_assert(offsetof(id_ns_zns, frl3) == 40);
static_assert(offsetof(id_ns_zns, numzrwa) == 44);
static_assert(offsetof(id_ns_zns, zrwafg) == 48);
static_assert(offsetof(id_ns_zns, zrwasz) == 50);
static_assert(offsetof(id_ns_zns, zrwacap) == 52);
static_assert(offsetof(id_ns_zns, lbafe) == 2816);
static_assert(offsetof(id_ns_zns, vendor) == 3840);

/// Identify Controller data structure for the Zoned Namespace command set (CNS 06h, CSI 02h).
struct id_ctrl_zns {
    std::uint8_t zasl; ///< zone append size limit: 2^n × minimum memory page size, 0 = MDTS
    std::uint8_t rsvd[4095];
};
static_assert(sizeof(id_ctrl_zns) == 4096);

/// Zone Descriptor (ZNS 1.1 Figure 37).
struct zone_descriptor {
    std::uint8_t zt;  ///< zone type, bits 3:0 (2 = sequential write required)
    std::uint8_t zs;  ///< zone state in bits 7:4
    std::uint8_t za;  ///< zone attributes
    std::uint8_t zai; ///< zone attributes information
    std::uint8_t rsvd4[4];
    std::uint64_t zcap;
    std::uint64_t zslba;
    std::uint64_t wp;
    std::uint8_t rsvd32[32];
};
static_assert(sizeof(zone_descriptor) == 64);
static_assert(offsetof(zone_descriptor, zs) == 1);
static_assert(offsetof(zone_descriptor, za) == 2);
static_assert(offsetof(zone_descriptor, zai) == 3);
static_assert(offsetof(zone_descriptor, zcap) == 8);
static_assert(offsetof(zone_descriptor, zslba) == 16);
static_assert(offsetof(zone_descriptor, wp) == 24);

/// Report Zones data structure header; zone descriptors follow at offset 64.
struct report_header {
    std::uint64_t nr_zones;
    std::uint8_t rsvd[56];
};
static_assert(sizeof(report_header) == 64);

/// Changed Zone List log page (LID BFh).
struct changed_zone_list {
    std::uint16_t nrzid; ///< number of zone identifiers; FFFFh = more than 511 changed
    std::uint8_t rsvd2[6];
    std::uint64_t zid[511]; ///< ZSLBA of each changed zone
};
static_assert(sizeof(changed_zone_list) == 4096);
static_assert(offsetof(changed_zone_list, zid) == 8);
#pragma pack(pop)

constexpr std::uint8_t zone_type_seq_write_required = 0x2;

/// Zone states as encoded in zone_descriptor::zs bits 7:4.
enum class zone_state : std::uint8_t {
    empty = 0x1,
    imp_open = 0x2,
    exp_open = 0x3,
    closed = 0x4,
    read_only = 0xd,
    full = 0xe,
    offline = 0xf,
};

/// Zone Send Action (ZMS CDW13 bits 7:0).
enum class zsa : std::uint8_t {
    close = 0x1,
    finish = 0x2,
    open = 0x3,
    reset = 0x4,
    offline = 0x5,
    set_extension = 0x10,
};

/// Zone Receive Action (ZMR CDW13 bits 7:0).
enum class zra : std::uint8_t { report = 0x0, extended_report = 0x1 };

/// Zone Receive Action Specific Field: report filter (ZMR CDW13 bits 15:8).
enum class zrasf : std::uint8_t {
    all = 0,
    empty = 1,
    imp_open = 2,
    exp_open = 3,
    closed = 4,
    full = 5,
    read_only = 6,
    offline = 7,
};

/// Zone attributes (zone_descriptor::za).
namespace za {
constexpr std::uint8_t zfc = 1u << 0;  ///< zone finished by controller
constexpr std::uint8_t fzr = 1u << 1;  ///< finish zone recommended
constexpr std::uint8_t rzr = 1u << 2;  ///< reset zone recommended
constexpr std::uint8_t zdev = 1u << 7; ///< zone descriptor extension valid
} // namespace za

/// Command dword fields.
constexpr std::uint32_t zms_select_all = 1u << 8;      ///< ZMS CDW13
constexpr std::uint32_t zmr_partial_report = 1u << 16; ///< ZMR CDW13

/// Asynchronous event information for Zone Descriptor Changed (Notice type, log page BFh).
constexpr std::uint8_t aei_zone_descriptor_changed = 0xef;
constexpr std::uint8_t lid_changed_zone_list = 0xbf;

} // namespace znssim::zns::spec
