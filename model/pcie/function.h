#pragma once
// The PCIe endpoint shell around a device core: config space, BAR0 decode, MSI-X table/PBA,
// INTx and the bus-master gate on DMA. The logic lives in config_space and msix_state (plain
// C++); this module only adds sockets and the side effects of host accesses.
//
// Socket conventions (all LT, b_transport + transport_dbg):
// - cfg_in: address = config offset 0..4095. Reads/writes of 1, 2 or 4 bytes at a naturally
//   aligned offset. Offset >= 4096 → TLM_ADDRESS_ERROR_RESPONSE; other lengths or misaligned
//   offsets → TLM_GENERIC_ERROR_RESPONSE; byte enables → TLM_BYTE_ENABLE_ERROR_RESPONSE. Debug
//   transport accepts any byte range (writes go through the same masks; they update INTx but
//   never send MSI-X messages).
// - mem_in: absolute bus address; claimed only inside BAR0 while Command.MEM is set and the
//   function is in D0, else TLM_ADDRESS_ERROR_RESPONSE. The MSI-X table and PBA are served here
//   (1/2/4/8-byte naturally aligned accesses, else TLM_GENERIC_ERROR_RESPONSE); every other
//   offset goes to bar0_out with the BAR0-relative address (the address is restored on return).
// - dma_in → dma_out: gated by Command.BME (and D0); refused with TLM_COMMAND_ERROR_RESPONSE.
//   MSI-X messages are 4-byte writes on dma_out issued from the calling process; the annotated
//   delay they return is not waited for.
#include "model/log/log.h"
#include "model/pcie/config_space.h"
#include "model/pcie/interrupt_if.h"
#include "model/pcie/msix.h"
#include "model/pcie/params.h"

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <cstdint>
#include <functional>

namespace znssim::pcie {

class function : public sc_core::sc_module, public interrupt_if {
  public:
    SC_HAS_PROCESS(function);
    tlm_utils::simple_target_socket<function> cfg_in;
    tlm_utils::simple_target_socket<function> mem_in;
    tlm_utils::simple_initiator_socket<function> bar0_out;
    tlm_utils::simple_target_socket<function> dma_in;
    tlm_utils::simple_initiator_socket<function> dma_out;
    sc_core::sc_export<interrupt_if> irq_in; ///< bound to *this
    sc_core::sc_out<bool> intx_out;          ///< INTA# level

    /// Throws std::invalid_argument if params are invalid (see pcie::validate).
    function(const sc_core::sc_module_name& name, const function_params& params);

    /// Conventional reset: config space and MSI-X state to power-on values, INTx deasserted,
    /// DMI pointers handed out through dma_in invalidated.
    void reset();
    const config_space& config() const { return m_config; }
    const msix_state& msix() const { return m_msix; }
    std::uint64_t bar0_base() const { return m_config.bar0_base(); }

    /// Called after a Function Level Reset (host wrote Device Control.Initiate-FLR) has reset
    /// this function, so the device core behind it can reset too. Additive to the agreed API.
    void set_flr_handler(std::function<void()> handler) { m_flr_handler = std::move(handler); }

    // interrupt_if
    interrupt_mode mode() const override { return m_config.mode(); }
    unsigned vector_count() const override;
    void signal(unsigned vector) override;
    void set_level(bool asserted) override;

  private:
    void start_of_simulation() override;

    void cfg_b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay);
    unsigned cfg_transport_dbg(tlm::tlm_generic_payload& tx);
    void mem_b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay);
    unsigned mem_transport_dbg(tlm::tlm_generic_payload& tx);
    void dma_b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay);
    unsigned dma_transport_dbg(tlm::tlm_generic_payload& tx);
    bool dma_get_direct_mem_ptr(tlm::tlm_generic_payload& tx, tlm::tlm_dmi& dmi);
    void dma_invalidate(sc_dt::uint64 start, sc_dt::uint64 end);

    enum class region : std::uint8_t { none, msix_table, msix_pba, straddle, other };
    /// Decodes a memory access: BAR0-relative offset and which part of BAR0 it hits.
    region decode(std::uint64_t addr, std::uint64_t len, std::uint32_t& offset) const;
    tlm::tlm_response_status msix_access(tlm::tlm_generic_payload& tx, region r, std::uint32_t off);

    /// MSI-X messages may leave the function: enabled, function unmasked, bus master, D0.
    bool deliverable() const;
    void send_message(unsigned vector);
    void deliver_pending();
    /// Side effects of a config write: DMI invalidation, FLR, pending delivery, INTx.
    void after_config_write(bool bme_before, bool allow_messages);
    void update_intx();
    void drive_intx();
    void invalidate_dma_dmi();
    void function_level_reset();

    config_space m_config;
    msix_state m_msix;
    log::logger_ptr m_log;
    std::function<void()> m_flr_handler;
    tlm::tlm_generic_payload m_msg; ///< reused for every MSI-X message: no allocation per signal
    std::uint8_t m_msg_data[4] = {};
    bool m_level = false;   ///< the core's INTx request
    bool m_pin = false;     ///< what intx_out currently drives
    bool m_started = false; ///< simulation started: ports usable
    sc_core::sc_event m_intx_changed;
};

} // namespace znssim::pcie
