#pragma once
// Get/Set Features state (NVMe Base 2.0 §5.27.1): values, defaults, and validation of the
// features this controller supports. Pure: the admin handler does the transfer and side effects.
#include "nvme/params.h"
#include "nvme/spec/status.h"

#include <array>
#include <cstdint>

namespace znssim::nvme {

namespace fid {
constexpr std::uint8_t arbitration = 0x01;
constexpr std::uint8_t power_management = 0x02;
constexpr std::uint8_t temperature_threshold = 0x04;
constexpr std::uint8_t volatile_write_cache = 0x06;
constexpr std::uint8_t number_of_queues = 0x07;
constexpr std::uint8_t interrupt_coalescing = 0x08;
constexpr std::uint8_t interrupt_vector_config = 0x09;
constexpr std::uint8_t async_event_config = 0x0b;
constexpr std::uint8_t timestamp = 0x0e;
constexpr std::uint8_t iocs_profile = 0x19;
constexpr std::uint8_t ns_write_protection = 0x84;
} // namespace fid

/// Asynchronous event configuration bits this controller can report (OAES).
constexpr std::uint32_t supported_aec = 0xffu /* SMART critical warnings */ |
                                        (1u << 8) /* NS attr */ |
                                        (1u << 27) /* zone descriptor changed */;

class feature_store {
  public:
    explicit feature_store(const controller_params& p);

    /// Back to power-on/reset defaults (controller reset).
    void reset();

    std::uint32_t arbitration() const { return m_arbitration; }
    std::uint32_t power_management() const { return m_power_management; }
    bool write_cache() const { return m_write_cache; }
    std::uint16_t sqs_granted() const { return m_sqs_granted; }
    std::uint16_t cqs_granted() const { return m_cqs_granted; }
    bool queues_set() const { return m_queues_set; }
    std::uint8_t coalescing_threshold() const { return m_coalescing & 0xff; }   ///< 0-based
    std::uint8_t coalescing_time() const { return (m_coalescing >> 8) & 0xff; } ///< 100 µs
    std::uint32_t coalescing() const { return m_coalescing; }
    bool coalescing_disabled(std::uint16_t vector) const {
        return vector < m_vector_cd.size() ? m_vector_cd[vector] : true;
    }
    std::uint32_t async_event_config() const { return m_aec; }
    std::uint8_t iocs_profile() const { return m_iocs_profile; }

    /// Temperature thresholds (composite sensor only).
    std::uint16_t over_threshold() const { return m_over_threshold; }
    std::uint16_t under_threshold() const { return m_under_threshold; }

    // Setters validate and return the status; dw0 receives the Set Features completion value.
    spec::status set_arbitration(std::uint32_t cdw11);
    spec::status set_power_management(std::uint32_t cdw11);
    spec::status set_temperature_threshold(std::uint32_t cdw11);
    spec::status get_temperature_threshold(std::uint32_t cdw11, std::uint32_t& dw0) const;
    spec::status set_write_cache(std::uint32_t cdw11);
    spec::status set_number_of_queues(std::uint32_t cdw11, bool io_queues_exist,
                                      std::uint32_t& dw0);
    spec::status set_coalescing(std::uint32_t cdw11);
    spec::status set_vector_config(std::uint32_t cdw11, unsigned vector_count);
    spec::status get_vector_config(std::uint32_t cdw11, unsigned vector_count,
                                   std::uint32_t& dw0) const;
    spec::status set_async_event_config(std::uint32_t cdw11);
    spec::status set_iocs_profile(std::uint32_t cdw11);

  private:
    const controller_params& m_params;
    std::uint32_t m_arbitration = 0;
    std::uint32_t m_power_management = 0;
    std::uint16_t m_over_threshold = 0;
    std::uint16_t m_under_threshold = 0;
    bool m_write_cache = false;
    std::uint16_t m_sqs_granted = 0;
    std::uint16_t m_cqs_granted = 0;
    bool m_queues_set = false;
    std::uint32_t m_coalescing = 0;
    std::array<bool, 2048> m_vector_cd{};
    std::uint32_t m_aec = 0;
    std::uint8_t m_iocs_profile = 0;
};

} // namespace znssim::nvme
