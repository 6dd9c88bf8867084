#pragma once
// The host's interrupt controller: receives MSI-X messages (4-byte writes into the MSI window;
// the data is the vector number the driver programmed) and watches the INTx line. Keeps
// per-vector counters for tests and one sc_event per vector for the driver to wait on.
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include <cstdint>
#include <deque>
#include <vector>

namespace znssim::platform {

class interrupt_controller : public sc_core::sc_module {
  public:
    static constexpr unsigned max_vectors = 2048; ///< MSI-X table size limit

    tlm_utils::simple_target_socket<interrupt_controller> msi_in; ///< offsets into the MSI window
    sc_core::sc_in<bool> intx_in;

    SC_HAS_PROCESS(interrupt_controller);
    explicit interrupt_controller(const sc_core::sc_module_name& name);

    /// Notified (immediately) whenever a message for 'vector' arrives.
    sc_core::sc_event& vector_event(unsigned vector) { return m_vector_events[vector]; }
    /// Notified on every MSI message, whatever the vector.
    sc_core::sc_event& any_message_event() { return m_any_message; }
    /// Notified on each INTx level change (either direction).
    const sc_core::sc_event& intx_event() const { return intx_in.value_changed_event(); }
    bool intx_level() const { return intx_in.read(); }

    std::uint64_t message_count(unsigned vector) const { return m_counts[vector]; }
    std::uint64_t total_messages() const { return m_total; }
    std::uint64_t intx_assertions() const { return m_intx_rises; }
    std::uint64_t intx_deassertions() const { return m_intx_falls; }
    /// Messages that were not a 4-byte write of a valid vector number (counted, then dropped).
    std::uint64_t malformed_messages() const { return m_malformed; }
    /// Address and data of the most recent message, for tests checking the programmed address.
    std::uint64_t last_address() const { return m_last_address; }
    std::uint32_t last_data() const { return m_last_data; }
    void reset_counters();

  private:
    void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
    unsigned transport_dbg(tlm::tlm_generic_payload& gp);
    void on_intx();

    std::vector<sc_core::sc_event> m_vector_events;
    sc_core::sc_event m_any_message;
    std::vector<std::uint64_t> m_counts;
    std::uint64_t m_total = 0;
    std::uint64_t m_intx_rises = 0;
    std::uint64_t m_intx_falls = 0;
    std::uint64_t m_malformed = 0;
    std::uint64_t m_last_address = 0;
    std::uint32_t m_last_data = 0;
};

} // namespace znssim::platform
