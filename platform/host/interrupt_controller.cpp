#include "platform/host/interrupt_controller.h"

#include "model/log/log.h"
#include "platform/host/address_map.h"

#include <cstring>

namespace znssim::platform {

namespace {
const log::logger_ptr& logger() {
    static const log::logger_ptr lg = log::get("platform.irq");
    return lg;
}
} // namespace

interrupt_controller::interrupt_controller(const sc_core::sc_module_name& name)
    : sc_module(name), msi_in("msi_in"), intx_in("intx_in"), m_vector_events(max_vectors),
      m_counts(max_vectors, 0) {
    logger(); // created with the platform, so that --log can name it before it logs
    msi_in.register_b_transport(this, &interrupt_controller::b_transport);
    msi_in.register_transport_dbg(this, &interrupt_controller::transport_dbg);
    SC_METHOD(on_intx);
    sensitive << intx_in;
    dont_initialize();
}

void interrupt_controller::reset_counters() {
    std::fill(m_counts.begin(), m_counts.end(), 0);
    m_total = m_intx_rises = m_intx_falls = m_malformed = 0;
}

void interrupt_controller::b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time&) {
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
    if (gp.is_read()) {
        // Reads of the MSI window are not meaningful on x86; return zeros like an unclaimed read.
        std::memset(gp.get_data_ptr(), 0, gp.get_data_length());
        return;
    }
    std::uint32_t data = 0;
    if (gp.get_data_length() != 4) {
        ++m_malformed;
        ZLOG_WARN(logger(), "MSI write of {} bytes at +{:#x} dropped (must be 4)",
                  gp.get_data_length(), gp.get_address());
        return;
    }
    std::memcpy(&data, gp.get_data_ptr(), 4);
    m_last_address = address_map::msi_base + gp.get_address();
    m_last_data = data;
    if (data >= max_vectors) {
        ++m_malformed;
        ZLOG_WARN(logger(), "MSI message data {:#x} is not a vector number; dropped", data);
        return;
    }
    ++m_counts[data];
    ++m_total;
    ZLOG_TRACE(logger(), "MSI-X vector {} (#{})", data, m_counts[data]);
    m_vector_events[data].notify();
    m_any_message.notify();
}

unsigned interrupt_controller::transport_dbg(tlm::tlm_generic_payload& gp) {
    if (gp.is_read()) std::memset(gp.get_data_ptr(), 0, gp.get_data_length());
    return gp.get_data_length();
}

void interrupt_controller::on_intx() {
    if (intx_in.read())
        ++m_intx_rises;
    else
        ++m_intx_falls;
    ZLOG_TRACE(logger(), "INTx {}", intx_in.read() ? "asserted" : "deasserted");
}

} // namespace znssim::platform
