#include "nvme/pci_nvme.h"

namespace znssim::nvme {

pci_nvme::pci_nvme(const sc_core::sc_module_name& name, const pcie::function_params& pcie_params,
                   const controller_params& ctrl_params,
                   std::vector<std::unique_ptr<nvme_namespace>> namespaces,
                   std::vector<const io_command_set*> command_sets, media_timing& timing,
                   sc_scheduler* scheduler)
    : sc_core::sc_module(name), cfg_in("cfg_in"), mem_in("mem_in"), dma_out("dma_out"),
      intx_out("intx_out"), m_function("function", pcie_params),
      // Loggers named after the device ("top.ssd0.ctrl"), not its inner controller module.
      m_controller("controller", controller::named(ctrl_params, this->name()),
                   std::move(namespaces), std::move(command_sets), timing, scheduler) {
    cfg_in.bind(m_function.cfg_in);
    mem_in.bind(m_function.mem_in);
    m_function.dma_out.bind(dma_out);
    m_function.intx_out.bind(intx_out);

    m_function.bar0_out.bind(m_controller.regs_in);
    m_controller.dma_out.bind(m_function.dma_in);
    m_controller.irq_out.bind(m_function.irq_in);
    // A Function Level Reset resets the controller as well as the function's config space.
    m_function.set_flr_handler([this] { m_controller.reset(); });
}

void pci_nvme::reset() {
    m_function.reset();
    m_controller.reset();
}

void pci_nvme::shutdown() {
    m_controller.shutdown();
}

} // namespace znssim::nvme
