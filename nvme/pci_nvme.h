#pragma once
// The NVMe controller as a PCIe function, the component a platform instantiates. Like VCML's
// xhcipci wrapping xhci, it binds a PCIe function shell (config space, BAR0, MSI-X, INTx, bus
// master gate) to the NVMe controller, which sees only a register target, a DMA port and
// interrupt requests. Outward it offers plain TLM-2.0 sockets and an INTx signal.
#include "model/pcie/function.h"
#include "model/pcie/params.h"
#include "nvme/controller.h"

#include <systemc>
#include <tlm>

#include <memory>
#include <vector>

namespace znssim::nvme {

class pci_nvme : public sc_core::sc_module {
  public:
    tlm::tlm_target_socket<> cfg_in;     ///< config space: address = offset 0..4095
    tlm::tlm_target_socket<> mem_in;     ///< memory space: address = bus address (BAR0 decode)
    tlm::tlm_initiator_socket<> dma_out; ///< DMA and MSI-X messages, bus addresses
    sc_core::sc_out<bool> intx_out;      ///< INTA#

    /// 'scheduler' runs every timer of the device (see nvme::controller); nullptr: its own.
    /// Zoned namespaces must be built on the same one. The device's loggers are named after
    /// ctrl_params.log_instance, by default this module's instance name: "top.ssd0.ctrl",
    /// "top.ssd0.io", "top.ssd0.zns.ns1" (nvme/core/device_log.h).
    pci_nvme(const sc_core::sc_module_name& name, const pcie::function_params& pcie_params,
             const controller_params& ctrl_params,
             std::vector<std::unique_ptr<nvme_namespace>> namespaces,
             std::vector<const io_command_set*> command_sets, media_timing& timing,
             sc_scheduler* scheduler = nullptr);

    /// Conventional reset of the whole function: config space and controller.
    void reset();
    /// Model exit: make every namespace durable.
    void shutdown();

    pcie::function& function() { return m_function; }
    controller& core() { return m_controller; }

  private:
    pcie::function m_function;
    controller m_controller;
};

} // namespace znssim::nvme
