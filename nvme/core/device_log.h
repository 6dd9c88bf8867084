#pragma once
// The loggers of one controller instance, so that several controllers in a platform can be told
// apart. A controller whose log instance is "sys0.nvme" (nvme::pci_nvme uses its SystemC name)
// logs as "sys0.nvme.ctrl", its command handlers as "sys0.nvme.admin" and "sys0.nvme.io", its
// zoned namespaces as "sys0.nvme.zns.ns1" and their commands as "sys0.nvme.zns.cmd". Levels set
// for the module names ("nvme", "nvme.ctrl", "zns.ns1") apply to every instance; keys naming an
// instance ("sys0.nvme", "sys0.nvme.io") to that one (see log::get(name, module)). Without an
// instance the module names are used as they are.
#include "model/log/log.h"

#include <deque>
#include <string>
#include <string_view>
#include <utility>

namespace znssim::nvme {

/// The name of 'module' ("nvme.ctrl", "zns.ns1") in 'instance': the device stands for the
/// "nvme." area ("sys0.nvme.ctrl"), other modules follow it ("sys0.nvme.zns.ns1").
std::string device_logger_name(const std::string& instance, std::string_view module);
/// log::get(device_logger_name(instance, module), module).
log::logger_ptr device_logger(const std::string& instance, const std::string& module);

/// One instance's loggers, each looked up in the log registry once.
class device_loggers {
  public:
    explicit device_loggers(std::string instance = {}) : m_instance(std::move(instance)) {}

    const std::string& instance() const { return m_instance; }
    /// The logger of 'module' (a short linear search after the first call; the reference stays
    /// valid for the life of this object).
    const log::logger_ptr& get(std::string_view module);

  private:
    std::string m_instance;
    std::deque<std::pair<std::string, log::logger_ptr>> m_loggers;
};

} // namespace znssim::nvme
