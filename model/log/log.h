#pragma once
// Logging: one spdlog logger per module ("nvme.ctrl", "zns.ns1", "platform.driver"), or per
// module of a component instance ("sys0.nvme.ctrl", see get(name, module)), every line stamped
// with simulated time. Disabled levels cost one inlined compare (use the ZLOG_* macros on hot
// paths so arguments are not even evaluated).
#include "model/sim/time.h"

#include <spdlog/spdlog.h>

#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace znssim::log {

using level = spdlog::level::level_enum;
using logger_ptr = std::shared_ptr<spdlog::logger>;

struct settings {
    level default_level = level::info;
    /// Per-module overrides; a key applies to the module and its children ("nvme" → "nvme.ctrl").
    std::map<std::string, level> module_levels;
    /// Extra sink: also log to this file when non-empty.
    std::string file;
};

/// The logger of a module, created on first use with the current settings.
logger_ptr get(const std::string& module);
/// The logger 'name' of one instance's 'module' (e.g. "sys0.nvme.ctrl" for "nvme.ctrl"): its
/// lines carry 'name', and its level follows settings keyed by either, the longest match
/// winning: "nvme" covers it as it covers "nvme.ctrl", "sys0" covers every logger of sys0.
logger_ptr get(const std::string& name, const std::string& module);
/// Applies settings to existing and future loggers.
void configure(const settings& s);
/// Also sends every logger's lines to 's' (formatted like the console), until remove_sink(s);
/// kept across configure() (e.g. a test capturing the log).
void add_sink(const spdlog::sink_ptr& s);
void remove_sink(const spdlog::sink_ptr& s);
/// The clock printed on each line (SystemC time once a simulation is built).
void set_clock(sim_time (*now)());
/// "trace", "debug", "info", "warn", "error", "critical", "off"; throws std::invalid_argument.
level parse_level(std::string_view name);

} // namespace znssim::log

#define ZLOG_AT(lg, lvl, ...)                                                                      \
    do {                                                                                           \
        if ((lg)->should_log(lvl)) (lg)->log(lvl, __VA_ARGS__);                                    \
    } while (0)
#define ZLOG_TRACE(lg, ...) ZLOG_AT(lg, spdlog::level::trace, __VA_ARGS__)
#define ZLOG_DEBUG(lg, ...) ZLOG_AT(lg, spdlog::level::debug, __VA_ARGS__)
#define ZLOG_INFO(lg, ...) ZLOG_AT(lg, spdlog::level::info, __VA_ARGS__)
#define ZLOG_WARN(lg, ...) ZLOG_AT(lg, spdlog::level::warn, __VA_ARGS__)
#define ZLOG_ERROR(lg, ...) ZLOG_AT(lg, spdlog::level::err, __VA_ARGS__)
