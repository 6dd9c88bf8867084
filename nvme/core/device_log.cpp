#include "nvme/core/device_log.h"

namespace znssim::nvme {

std::string device_logger_name(const std::string& instance, std::string_view module) {
    if (instance.empty()) return std::string(module);
    constexpr std::string_view area = "nvme.";
    if (module.substr(0, area.size()) == area)
        return instance + std::string(module.substr(area.size() - 1));
    return instance + "." + std::string(module);
}

log::logger_ptr device_logger(const std::string& instance, const std::string& module) {
    return log::get(device_logger_name(instance, module), module);
}

const log::logger_ptr& device_loggers::get(std::string_view module) {
    for (const auto& [name, lg] : m_loggers)
        if (name == module) return lg;
    const std::string m(module);
    m_loggers.emplace_back(m, device_logger(m_instance, m));
    return m_loggers.back().second;
}

} // namespace znssim::nvme
