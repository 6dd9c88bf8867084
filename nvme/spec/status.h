#pragma once
// NVMe status field (CQE DW3 bits 31:17): SC, SCT, CRD, M, DNR. Values are the 15-bit field
// without the phase bit, so status{}.raw() << 1 | phase is what goes into cqe::status.
#include <cstdint>

namespace znssim::nvme::spec {

enum class status_type : std::uint8_t {
    generic = 0,
    command_specific = 1,
    media = 2,
    path = 3,
    vendor = 7,
};

class status {
  public:
    constexpr status() = default;
    constexpr status(status_type sct, std::uint8_t sc, bool dnr = false)
        : m_raw(static_cast<std::uint16_t>(sc | (static_cast<unsigned>(sct) << 8) |
                                           (dnr ? 1u << 14 : 0u))) {}
    static constexpr status from_raw(std::uint16_t raw) {
        status s;
        s.m_raw = raw & 0x7fff;
        return s;
    }

    constexpr std::uint16_t raw() const { return m_raw; }
    constexpr std::uint8_t sc() const { return m_raw & 0xff; }
    constexpr status_type sct() const { return static_cast<status_type>((m_raw >> 8) & 0x7); }
    constexpr bool dnr() const { return (m_raw >> 14) & 1; }
    constexpr bool more() const { return (m_raw >> 13) & 1; }
    /// SCT and SC alone, as written in the spec and by Linux (e.g. 0x1bc for Zone Invalid Write).
    constexpr std::uint16_t code() const { return m_raw & 0x7ff; }
    constexpr bool ok() const { return code() == 0; }

    constexpr status with_dnr() const { return from_raw(m_raw | (1u << 14)); }
    constexpr status with_more() const { return from_raw(m_raw | (1u << 13)); }

    constexpr bool operator==(status o) const { return m_raw == o.m_raw; }
    constexpr bool operator!=(status o) const { return m_raw != o.m_raw; }

  private:
    std::uint16_t m_raw = 0;
};

namespace sc {
constexpr auto G = status_type::generic;
constexpr auto C = status_type::command_specific;
constexpr auto M = status_type::media;

// Generic command status (SCT 0)
constexpr status success{G, 0x00};
constexpr status invalid_opcode{G, 0x01, true};
constexpr status invalid_field{G, 0x02, true};
constexpr status command_id_conflict{G, 0x03, true};
constexpr status data_transfer_error{
    G, 0x04, true}; // addresses the host gave are unusable: retrying cannot help
constexpr status aborted_power_loss{G, 0x05};
constexpr status internal_error{G, 0x06};
constexpr status abort_requested{G, 0x07};
constexpr status aborted_sq_deletion{G, 0x08};
constexpr status aborted_failed_fused{G, 0x09};
constexpr status aborted_missing_fused{G, 0x0a};
constexpr status invalid_namespace_or_format{G, 0x0b, true};
constexpr status command_sequence_error{G, 0x0c, true};
constexpr status invalid_sgl_segment_descriptor{G, 0x0d, true};
constexpr status invalid_sgl_descriptor_count{G, 0x0e, true};
constexpr status data_sgl_length_invalid{G, 0x0f, true};
constexpr status metadata_sgl_length_invalid{G, 0x10, true};
constexpr status sgl_descriptor_type_invalid{G, 0x11, true};
constexpr status invalid_use_of_cmb{G, 0x12, true};
constexpr status prp_offset_invalid{G, 0x13, true};
constexpr status sgl_offset_invalid{G, 0x16, true};
constexpr status namespace_write_protected{G, 0x20, true};
constexpr status lba_out_of_range{G, 0x80, true};
constexpr status capacity_exceeded{G, 0x81, true};
constexpr status namespace_not_ready{G, 0x82};

// Command specific status (SCT 1)
constexpr status completion_queue_invalid{C, 0x00, true};
constexpr status invalid_queue_identifier{C, 0x01, true};
constexpr status invalid_queue_size{C, 0x02, true};
constexpr status abort_command_limit_exceeded{C, 0x03, true};
constexpr status async_event_limit_exceeded{C, 0x05, true};
constexpr status invalid_interrupt_vector{C, 0x08, true};
constexpr status invalid_log_page{C, 0x09, true};
constexpr status invalid_queue_deletion{C, 0x0c, true};
constexpr status feature_not_saveable{C, 0x0d, true};
constexpr status feature_not_changeable{C, 0x0e, true};
constexpr status feature_not_namespace_specific{C, 0x0f, true};
constexpr status conflicting_attributes{C, 0x80, true};
constexpr status invalid_protection_information{C, 0x81, true};
constexpr status write_to_read_only_range{C, 0x82, true};
// Zoned Namespace command set (SCT 1), always with DNR
constexpr status zone_invalid_operation{C, 0xb6, true};
constexpr status zone_zrwa_resources_unavailable{C, 0xb7, true};
constexpr status zone_boundary_error{C, 0xb8, true};
constexpr status zone_is_full{C, 0xb9, true};
constexpr status zone_is_read_only{C, 0xba, true};
constexpr status zone_is_offline{C, 0xbb, true};
constexpr status zone_invalid_write{C, 0xbc, true};
constexpr status too_many_active_zones{C, 0xbd, true};
constexpr status too_many_open_zones{C, 0xbe, true};
constexpr status zone_invalid_state_transition{C, 0xbf, true};

// Media and data integrity errors (SCT 2)
constexpr status write_fault{M, 0x80};
constexpr status unrecovered_read_error{M, 0x81};
constexpr status compare_failure{M, 0x85, true};
constexpr status deallocated_or_unwritten{M, 0x87, true};
} // namespace sc

} // namespace znssim::nvme::spec
