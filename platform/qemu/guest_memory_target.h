#pragma once
// TLM target over guest_memory: the device's dma_out binds here, so its DMA reads and writes go
// straight into the guest RAM QEMU shared. DMI is granted per region (the device's DMA cache
// then copies without a transaction); every SYNC that changes the table invalidates all DMI
// before old mappings are released.
#include "platform/qemu/guest_memory.h"

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

namespace znssim::platform {

class guest_memory_target : public sc_core::sc_module {
  public:
    tlm_utils::simple_target_socket<guest_memory_target> dma_in;

    guest_memory_target(const sc_core::sc_module_name& name, guest_memory& memory);

    /// Revokes every DMI pointer handed out (call before the region table's mappings go away).
    void invalidate_all();
    std::uint64_t transactions() const { return m_transactions; }

  private:
    void b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time& delay);
    unsigned int transport_dbg(tlm::tlm_generic_payload& p);
    bool get_direct_mem_ptr(tlm::tlm_generic_payload& p, tlm::tlm_dmi& dmi);
    tlm::tlm_response_status access(tlm::tlm_generic_payload& p);

    guest_memory& m_memory;
    std::uint64_t m_transactions = 0;
};

} // namespace znssim::platform
