#pragma once
// NVMe Base 2.0: submission and completion queue entries, opcodes, command set identifiers.
#include <cstddef>
#include <cstdint>

namespace znssim::nvme::spec {

#pragma pack(push, 1)
/// Submission queue entry (64 bytes), Figure 88 of NVMe Base 2.0.
struct sqe {
    std::uint8_t opcode;
    std::uint8_t flags; ///< FUSE in bits 1:0, PSDT in bits 7:6 (0 = PRP, 1/2 = SGL)
    std::uint16_t cid;
    std::uint32_t nsid;
    std::uint32_t cdw2;
    std::uint32_t cdw3;
    std::uint64_t mptr;
    std::uint64_t dptr1; ///< PRP1, or the first half of the SGL descriptor
    std::uint64_t dptr2; ///< PRP2, or the second half of the SGL descriptor
    std::uint32_t cdw10;
    std::uint32_t cdw11;
    std::uint32_t cdw12;
    std::uint32_t cdw13;
    std::uint32_t cdw14;
    std::uint32_t cdw15;

    unsigned fuse() const { return flags & 0x3u; }
    unsigned psdt() const { return flags >> 6; }
};
static_assert(sizeof(sqe) == 64);
static_assert(offsetof(sqe, nsid) == 4);
static_assert(offsetof(sqe, mptr) == 16);
static_assert(offsetof(sqe, dptr1) == 24);
static_assert(offsetof(sqe, cdw10) == 40);
static_assert(offsetof(sqe, cdw15) == 60);

/// Completion queue entry (16 bytes).
struct cqe {
    std::uint32_t dw0;
    std::uint32_t dw1;
    std::uint16_t sqhd;
    std::uint16_t sqid;
    std::uint16_t cid;
    std::uint16_t status; ///< bit 0 phase tag, bits 15:1 status field (see status.h)
};
static_assert(sizeof(cqe) == 16);
static_assert(offsetof(cqe, sqhd) == 8);
static_assert(offsetof(cqe, cid) == 12);
static_assert(offsetof(cqe, status) == 14);
#pragma pack(pop)

/// Command Set Identifier.
enum class csi : std::uint8_t { nvm = 0x00, key_value = 0x01, zns = 0x02 };

namespace admin_opcode {
constexpr std::uint8_t delete_io_sq = 0x00;
constexpr std::uint8_t create_io_sq = 0x01;
constexpr std::uint8_t get_log_page = 0x02;
constexpr std::uint8_t delete_io_cq = 0x04;
constexpr std::uint8_t create_io_cq = 0x05;
constexpr std::uint8_t identify = 0x06;
constexpr std::uint8_t abort = 0x08;
constexpr std::uint8_t set_features = 0x09;
constexpr std::uint8_t get_features = 0x0a;
constexpr std::uint8_t async_event_request = 0x0c;
constexpr std::uint8_t namespace_management = 0x0d;
constexpr std::uint8_t firmware_commit = 0x10;
constexpr std::uint8_t firmware_download = 0x11;
constexpr std::uint8_t keep_alive = 0x18;
constexpr std::uint8_t doorbell_buffer_config = 0x7c;
constexpr std::uint8_t format_nvm = 0x80;
} // namespace admin_opcode

namespace io_opcode {
constexpr std::uint8_t flush = 0x00;
constexpr std::uint8_t write = 0x01;
constexpr std::uint8_t read = 0x02;
constexpr std::uint8_t write_uncorrectable = 0x04;
constexpr std::uint8_t compare = 0x05;
constexpr std::uint8_t write_zeroes = 0x08;
constexpr std::uint8_t dataset_management = 0x09;
constexpr std::uint8_t verify = 0x0c;
constexpr std::uint8_t copy = 0x19;
// Zoned Namespace command set (CSI 02h)
constexpr std::uint8_t zone_mgmt_send = 0x79;
constexpr std::uint8_t zone_mgmt_recv = 0x7a;
constexpr std::uint8_t zone_append = 0x7d;
} // namespace io_opcode

} // namespace znssim::nvme::spec
