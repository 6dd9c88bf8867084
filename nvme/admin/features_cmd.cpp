// Get Features / Set Features (NVMe Base 2.0 §5.15, §5.27): arbitration, power management,
// temperature threshold, volatile write cache, number of queues, interrupt coalescing, interrupt
// vector configuration, asynchronous event configuration, timestamp, I/O command set profile.
#include "nvme/core/controller_core.h"
#include "nvme/transfer/data_transfer.h"

#include <cstring>

namespace znssim::nvme {

using namespace spec;

namespace {
// SEL values (Get Features CDW10 bits 10:8); 0 is the current value.
[[maybe_unused]] constexpr unsigned sel_current = 0, sel_default = 1, sel_saved = 2,
                                    sel_capabilities = 3;

bool known_feature(std::uint8_t f) {
    switch (f) {
    case fid::arbitration:
    case fid::power_management:
    case fid::temperature_threshold:
    case fid::volatile_write_cache:
    case fid::number_of_queues:
    case fid::interrupt_coalescing:
    case fid::interrupt_vector_config:
    case fid::async_event_config:
    case fid::timestamp:
    case fid::iocs_profile:
    case fid::ns_write_protection:
        return true;
    default:
        return false;
    }
}

// Timestamp data structure (8 bytes): 48-bit milliseconds, attributes (Synch, Timestamp Origin).
struct timestamp_data {
    std::uint8_t ms[6];
    std::uint8_t attributes;
    std::uint8_t reserved;
};
static_assert(sizeof(timestamp_data) == 8);
} // namespace

disposition controller_core::get_features(command& cmd) {
    const std::uint8_t f = cmd.sqe.cdw10 & 0xff;
    const unsigned sel = (cmd.sqe.cdw10 >> 8) & 0x7;
    if (!known_feature(f) || sel > sel_capabilities)
        return cmd.fail(sc::invalid_field), disposition::complete;
    if (f == fid::volatile_write_cache && !m_params.volatile_write_cache)
        return cmd.fail(sc::invalid_field), disposition::complete;
    if (sel == sel_capabilities) {
        cmd.dw0 = 1u << 2; // changeable; not saveable, not namespace specific
        return disposition::complete;
    }
    // Nothing is saveable: the saved value is the default one.
    const bool want_default = sel == sel_default || sel == sel_saved;
    feature_store defaults(m_params);
    const feature_store& fs = want_default ? defaults : m_features;

    switch (f) {
    case fid::arbitration:
        cmd.dw0 = fs.arbitration();
        break;
    case fid::power_management:
        cmd.dw0 = fs.power_management();
        break;
    case fid::temperature_threshold:
        cmd.status = fs.get_temperature_threshold(cmd.sqe.cdw11, cmd.dw0);
        break;
    case fid::volatile_write_cache:
        cmd.dw0 = fs.write_cache() ? 1 : 0;
        break;
    case fid::number_of_queues:
        cmd.dw0 = static_cast<std::uint32_t>(fs.sqs_granted() - 1) |
                  static_cast<std::uint32_t>(fs.cqs_granted() - 1) << 16;
        break;
    case fid::interrupt_coalescing:
        cmd.dw0 = fs.coalescing();
        break;
    case fid::interrupt_vector_config:
        cmd.status = fs.get_vector_config(cmd.sqe.cdw11, m_interrupts.vector_count(), cmd.dw0);
        break;
    case fid::async_event_config:
        cmd.dw0 = fs.async_event_config();
        break;
    case fid::iocs_profile:
        cmd.dw0 = fs.iocs_profile();
        break;
    case fid::ns_write_protection: {
        nvme_namespace* ns = find_namespace(cmd.sqe.nsid);
        if (!ns) return cmd.fail(sc::invalid_namespace_or_format), disposition::complete;
        cmd.dw0 = (!want_default && ns->read_only()) ? 1 : 0;
        break;
    }
    case fid::timestamp: {
        timestamp_data ts{};
        std::uint64_t ms = 0;
        if (m_timestamp_set && !want_default)
            ms = m_timestamp_base_ms + (now() - m_timestamp_set_at) / from_ms(1);
        else
            ms = now() / from_ms(1); // time since the controller powered on
        for (int i = 0; i < 6; ++i)
            ts.ms[i] = static_cast<std::uint8_t>(ms >> (8 * i));
        ts.attributes = (m_timestamp_set && !want_default) ? 1u << 1 : 0u; // origin: host
        data_transfer& x = *cmd.xfer;
        cmd.status = x.prepare(*this, cmd.sqe, sizeof(ts), false, false);
        if (cmd.status.ok()) cmd.status = x.copy_to_host(*this, &ts);
        break;
    }
    default:
        break;
    }
    return disposition::complete;
}

disposition controller_core::set_features(command& cmd) {
    const std::uint8_t f = cmd.sqe.cdw10 & 0xff;
    const bool save = cmd.sqe.cdw10 >> 31;
    if (!known_feature(f)) return cmd.fail(sc::invalid_field), disposition::complete;
    if (save) return cmd.fail(sc::feature_not_saveable), disposition::complete;
    const std::uint32_t v = cmd.sqe.cdw11;

    switch (f) {
    case fid::arbitration:
        cmd.status = m_features.set_arbitration(v);
        break;
    case fid::power_management:
        cmd.status = m_features.set_power_management(v);
        break;
    case fid::temperature_threshold:
        cmd.status = m_features.set_temperature_threshold(v);
        if (cmd.status.ok()) check_temperature();
        break;
    case fid::volatile_write_cache:
        cmd.status = m_features.set_write_cache(v);
        m_state.write_cache_enabled = m_features.write_cache();
        break;
    case fid::number_of_queues: {
        bool io_queues = false;
        for (std::size_t q = 1; q < m_sqs.size(); ++q)
            io_queues = io_queues || m_sqs[q].valid || m_cqs[q].valid;
        cmd.status = m_features.set_number_of_queues(v, io_queues, cmd.dw0);
        m_state.io_sqs_granted = m_features.sqs_granted();
        m_state.io_cqs_granted = m_features.cqs_granted();
        break;
    }
    case fid::interrupt_coalescing:
        cmd.status = m_features.set_coalescing(v);
        break;
    case fid::interrupt_vector_config:
        cmd.status = m_features.set_vector_config(v, m_interrupts.vector_count());
        break;
    case fid::async_event_config:
        cmd.status = m_features.set_async_event_config(v);
        m_state.async_event_config = m_features.async_event_config();
        break;
    case fid::iocs_profile:
        cmd.status = m_features.set_iocs_profile(v);
        m_state.iocs_profile_index = m_features.iocs_profile();
        break;
    case fid::ns_write_protection: {
        // Changing a namespace's write protection changes its attributes (Identify NSATTR):
        // the host learns it from a Namespace Attribute Changed notice and log page 04h.
        nvme_namespace* ns = find_namespace(cmd.sqe.nsid);
        if (!ns) return cmd.fail(sc::invalid_namespace_or_format), disposition::complete;
        const unsigned wps = v & 0x7;
        if (wps > 1) // write protect until power cycle / permanent: not offered
            return cmd.fail(sc::invalid_field), disposition::complete;
        const bool was = ns->read_only();
        if (!ns->set_write_protected(wps == 1))
            return cmd.fail(sc::invalid_field), disposition::complete;
        if (was != ns->read_only()) namespace_attribute_changed(ns->nsid());
        break;
    }
    case fid::timestamp: {
        timestamp_data ts{};
        data_transfer& x = *cmd.xfer;
        cmd.status = x.prepare(*this, cmd.sqe, sizeof(ts), true, false);
        if (cmd.status.ok()) cmd.status = x.copy_from_host(*this, &ts);
        if (cmd.status.ok()) {
            std::uint64_t ms = 0;
            for (int i = 0; i < 6; ++i)
                ms |= static_cast<std::uint64_t>(ts.ms[i]) << (8 * i);
            m_timestamp_base_ms = ms;
            m_timestamp_set_at = now();
            m_timestamp_set = true;
        }
        break;
    }
    default:
        break;
    }
    return disposition::complete;
}

} // namespace znssim::nvme
