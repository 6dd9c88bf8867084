#include "nvme/core/features.h"

#include <algorithm>

namespace znssim::nvme {

using namespace spec;

namespace {
constexpr std::uint16_t default_over_threshold = 358; // 85 °C in Kelvin
constexpr std::uint16_t default_under_threshold = 0;  // disabled
} // namespace

feature_store::feature_store(const controller_params& p) : m_params(p) {
    reset();
}

void feature_store::reset() {
    // AB = params.arbitration_burst; priority weights unused with round robin.
    m_arbitration = m_params.arbitration_burst & 0x7;
    m_power_management = 0;
    m_over_threshold = default_over_threshold;
    m_under_threshold = default_under_threshold;
    m_write_cache = m_params.volatile_write_cache;
    m_sqs_granted = m_params.max_io_queues;
    m_cqs_granted = m_params.max_io_queues;
    m_queues_set = false;
    m_coalescing = 0;
    m_vector_cd.fill(false);
    m_vector_cd[0] = true; // the admin queue's vector is never coalesced
    m_aec = 0;
    m_iocs_profile = 0;
}

status feature_store::set_arbitration(std::uint32_t cdw11) {
    m_arbitration = cdw11;
    return sc::success;
}

status feature_store::set_power_management(std::uint32_t cdw11) {
    // NPSS = 0: power state 0 is the only one.
    if ((cdw11 & 0x1f) != 0) return sc::invalid_field;
    m_power_management = cdw11 & 0xff;
    return sc::success;
}

status feature_store::set_temperature_threshold(std::uint32_t cdw11) {
    const unsigned tmpsel = (cdw11 >> 16) & 0xf;
    const unsigned thsel = (cdw11 >> 20) & 0x3;
    if (tmpsel != 0 && tmpsel != 0xf) // composite only (Fh = all implemented sensors)
        return sc::invalid_field;
    if (thsel > 1) return sc::invalid_field;
    const std::uint16_t value = cdw11 & 0xffff;
    (thsel == 0 ? m_over_threshold : m_under_threshold) = value;
    return sc::success;
}

status feature_store::get_temperature_threshold(std::uint32_t cdw11, std::uint32_t& dw0) const {
    const unsigned tmpsel = (cdw11 >> 16) & 0xf;
    const unsigned thsel = (cdw11 >> 20) & 0x3;
    if (tmpsel != 0 || thsel > 1) return sc::invalid_field;
    dw0 = thsel == 0 ? m_over_threshold : m_under_threshold;
    return sc::success;
}

status feature_store::set_write_cache(std::uint32_t cdw11) {
    if (!m_params.volatile_write_cache) return sc::invalid_field; // no volatile write cache present
    m_write_cache = cdw11 & 1;
    return sc::success;
}

status feature_store::set_number_of_queues(std::uint32_t cdw11, bool io_queues_exist,
                                           std::uint32_t& dw0) {
    const std::uint32_t nsqr = cdw11 & 0xffff;
    const std::uint32_t ncqr = cdw11 >> 16;
    if (nsqr == 0xffff || ncqr == 0xffff) return sc::invalid_field;
    // Allowed only before any I/O queue exists (NVMe 2.0 §5.27.1.5).
    if (io_queues_exist) return sc::command_sequence_error;
    m_sqs_granted =
        static_cast<std::uint16_t>(std::min<std::uint32_t>(nsqr + 1, m_params.max_io_queues));
    m_cqs_granted =
        static_cast<std::uint16_t>(std::min<std::uint32_t>(ncqr + 1, m_params.max_io_queues));
    m_queues_set = true;
    dw0 = static_cast<std::uint32_t>(m_sqs_granted - 1) |
          (static_cast<std::uint32_t>(m_cqs_granted - 1) << 16);
    return sc::success;
}

status feature_store::set_coalescing(std::uint32_t cdw11) {
    m_coalescing = cdw11 & 0xffff;
    return sc::success;
}

status feature_store::set_vector_config(std::uint32_t cdw11, unsigned vector_count) {
    const unsigned iv = cdw11 & 0xffff;
    if (iv >= vector_count || iv >= m_vector_cd.size()) return sc::invalid_field;
    if (iv == 0 && !(cdw11 & (1u << 16)))
        return sc::invalid_field; // coalescing does not apply to the admin vector
    m_vector_cd[iv] = cdw11 & (1u << 16);
    return sc::success;
}

status feature_store::get_vector_config(std::uint32_t cdw11, unsigned vector_count,
                                        std::uint32_t& dw0) const {
    const unsigned iv = cdw11 & 0xffff;
    if (iv >= vector_count || iv >= m_vector_cd.size()) return sc::invalid_field;
    dw0 = iv | (m_vector_cd[iv] ? 1u << 16 : 0u);
    return sc::success;
}

status feature_store::set_async_event_config(std::uint32_t cdw11) {
    m_aec = cdw11 & supported_aec; // unsupported notices are ignored, as the spec allows
    return sc::success;
}

status feature_store::set_iocs_profile(std::uint32_t cdw11) {
    // Index into the Identify CNS 1Ch list; this controller offers one combination (index 0).
    if ((cdw11 & 0x1ff) != 0) return sc::invalid_field;
    m_iocs_profile = 0;
    return sc::success;
}

} // namespace znssim::nvme
