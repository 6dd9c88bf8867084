#include "platform/system.h"

#include "model/identity/host_identity.h"
#include "model/sim/sc_scheduler.h"
#include "model/timing/ssd_timing.h"
#include "nvme/nvm/nvm_command_set.h"
#include "platform/host/address_map.h"
#include "platform/namespace_factory.h"

#include <stdexcept>
#include <string>

namespace znssim::platform {

namespace {

std::uint64_t checked_memory_size(const system_config& cfg) {
    const std::uint64_t n = cfg.host_memory_bytes;
    if (n < (4u << 20) || n > address_map::host_memory_limit)
        throw std::invalid_argument(cfg.source + ": host_memory_bytes " + std::to_string(n) +
                                    " must be between 4 MiB and 3 GiB (the 32-bit MMIO window "
                                    "starts at 0xC0000000)");
    return n;
}

pcie::function_params function_params_of(const system_config& cfg) {
    pcie::function_params p = cfg.pcie;
    if (!cfg.identity_from_host.empty())
        identity::apply_host_identity(identity::read_host_identity(cfg.identity_from_host), p);
    return p;
}

std::vector<std::unique_ptr<nvme::nvme_namespace>> namespaces_of(const system_config& cfg,
                                                                 scheduler& zone_timers) {
    std::vector<std::unique_ptr<nvme::nvme_namespace>> out;
    for (const auto& p : cfg.namespaces)
        out.push_back(make_namespace(p, cfg.controller, zone_timers));
    return out;
}

std::unique_ptr<media_timing> make_timing(const system_config& cfg) {
    if (cfg.timing == timing_mode::timed) return std::make_unique<timing::ssd_timing>(cfg.ssd);
    return std::make_unique<zero_time_media>();
}

/// The device is "<system>.nvme": its controller and namespaces log under that instance
/// ("sys0.nvme.ctrl", "sys0.nvme.zns.ns1") from the start, unless the config names one.
system_config named(const system_config& cfg, const std::string& system_name) {
    system_config c = cfg;
    if (c.controller.log_instance.empty()) c.controller.log_instance = system_name + ".nvme";
    for (auto& ns : c.namespaces)
        if (ns.log_instance.empty()) ns.log_instance = c.controller.log_instance;
    return c;
}

/// The driver's host-cost model follows the config's timing: host section in timed runs.
driver_params driver_params_for(const system_config& cfg, driver_params d) {
    if (cfg.timing != timing_mode::timed) return d;
    const timing::host_params& h = cfg.ssd.host;
    d.polled = h.polled;
    d.submit_cost = to_sc_time(h.submit_cost);
    d.complete_cost = to_sc_time(h.complete_cost);
    d.interrupt_latency = to_sc_time(h.interrupt_latency);
    return d;
}

} // namespace

system::system(const sc_core::sc_module_name& name, const system_config& cfg,
               const driver_params& driver)
    : sc_module(name), m_cfg(named(cfg, this->name())),
      m_device_timers("device_timers", m_cfg.controller.max_inflight + 64),
      m_timing(make_timing(m_cfg)), m_memory("memory", checked_memory_size(m_cfg)), m_irq("irq"),
      m_rc("root_complex", m_cfg.host_memory_bytes),
      m_device(std::make_unique<nvme::pci_nvme>("nvme", function_params_of(m_cfg), m_cfg.controller,
                                                namespaces_of(m_cfg, m_device_timers),
                                                all_command_sets(), *m_timing, &m_device_timers)),
      m_intx("intx"), m_driver("driver", m_memory, m_irq, driver_params_for(m_cfg, driver)) {
    log::set_clock(&sc_now);
    connect_namespace_events(m_device->core().core());
    m_driver.cpu_out.bind(m_rc.cpu_in);
    m_rc.cfg_out.bind(m_device->cfg_in);
    m_rc.mmio_out.bind(m_device->mem_in);
    m_rc.mem_out.bind(m_memory.mem_in);
    m_rc.msi_out.bind(m_irq.msi_in);
    m_device->dma_out.bind(m_rc.dma_in);
    m_device->intx_out.bind(m_intx);
    m_irq.intx_in.bind(m_intx);
}

system::~system() {
    // The timing model cancels its timers on m_device_timers when it goes, but is declared (and
    // so destroyed) after it: it goes first, after the device that uses it. UBSan found the
    // call on the destroyed scheduler; with a die still busy at exit it would have removed the
    // die's timer from the destroyed scheduler's heap (freed memory).
    m_device.reset();
    m_timing.reset();
}

} // namespace znssim::platform
