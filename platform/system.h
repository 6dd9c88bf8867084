#pragma once
// The reference virtual platform: host memory, root complex, interrupt controller, the NVMe ZNS
// controller (nvme::pci_nvme) and the reference host driver, built from a system_config.
//
//   host_driver.cpu_out ─► root_complex.cpu_in ─┬─ ECAM ─► cfg_out ─► pci_nvme.cfg_in
//                                               ├─ MMIO ─► mmio_out ─► pci_nvme.mem_in
//                                               └─ else ─► mem_out ─► host_memory
//   pci_nvme.dma_out ─► root_complex.dma_in ─┬─ MSI window ─► msi_out ─► interrupt_controller
//                                            └─ memory ─► mem_out ─► host_memory
//   pci_nvme.intx_out ─► sc_signal ─► interrupt_controller.intx_in
#include "model/sim/sc_scheduler.h"
#include "model/timing/media_timing.h"
#include "nvme/pci_nvme.h"
#include "platform/config/system_config.h"
#include "platform/driver/host_driver.h"
#include "platform/host/host_memory.h"
#include "platform/host/interrupt_controller.h"
#include "platform/host/root_complex.h"

#include <systemc>

#include <memory>

namespace znssim::platform {

class system : public sc_core::sc_module {
  public:
    /// Throws (std::invalid_argument, image_error, std::runtime_error) with a message naming the
    /// config key or file when the configuration cannot be built.
    system(const sc_core::sc_module_name& name, const system_config& cfg,
           const driver_params& driver = {});
    ~system() override;

    const system_config& config() const { return m_cfg; }
    host_memory& memory() { return m_memory; }
    interrupt_controller& irq() { return m_irq; }
    root_complex& bridge() { return m_rc; }
    nvme::pci_nvme& device() { return *m_device; }
    host_driver& driver() { return m_driver; }
    media_timing& timing() { return *m_timing; }
    /// Model exit: namespaces made durable (call once the simulation is over).
    void shutdown() { m_device->shutdown(); }

  private:
    system_config m_cfg;
    /// Every timer of the device (commands, zone faults and RRL/FRL, the timing model's
    /// background work): one thread, so the device is never entered from two processes.
    sc_scheduler m_device_timers; // before the timing model, which arms timers on it
    std::unique_ptr<media_timing> m_timing;
    host_memory m_memory;
    interrupt_controller m_irq;
    root_complex m_rc;
    std::unique_ptr<nvme::pci_nvme> m_device;
    /// INTA#: one writer, the PCIe function's drive process (whichever process changes the
    /// interrupt state only notifies it), so the default writer check holds.
    sc_core::sc_signal<bool> m_intx;
    host_driver m_driver;
};

} // namespace znssim::platform
