#include "platform/config/load_config.h"

#include "model/log/log.h"
#include "platform/config/config_sections.h"

#include <filesystem>

namespace znssim::platform {
namespace {

constexpr log::level levels[] = {log::level::trace, log::level::debug, log::level::info,
                                 log::level::warn,  log::level::err,   log::level::critical,
                                 log::level::off};

log::level read_level(const yaml_value& v) {
    return levels[v.as_choice({"trace", "debug", "info", "warn", "error", "critical", "off"})];
}

void read_platform(yaml_map p, system_config& cfg) {
    // Host DRAM sits at bus address 0 and must stay below the 32-bit MMIO window (0xC000_0000).
    if (auto mem = p.find("host_memory")) {
        cfg.host_memory_bytes = mem->as_size(4ull << 20, 3ull << 30);
        if (cfg.host_memory_bytes % 4096) mem->fail("must be a multiple of 4 KiB");
    }
    if (auto t = p.find("timing"))
        cfg.timing =
            t->as_choice({"untimed", "timed"}) == 0 ? timing_mode::untimed : timing_mode::timed;
    p.finish();
}

void read_logging(yaml_map l, const std::string& base_dir, system_config& cfg) {
    if (auto v = l.find("level")) cfg.logging.default_level = read_level(*v);
    if (auto m = l.find("modules")) {
        yaml_map modules(*m);
        for (const auto& [name, value] : modules.entries()) {
            if (name.empty()) value.fail("module names must not be empty");
            cfg.logging.module_levels[name] = read_level(value);
        }
    }
    if (auto f = l.find("file")) {
        std::string path = f->as_string(4096);
        cfg.logging.file = path.empty() ? "" : resolve_path(base_dir, path);
    }
    l.finish();
}

} // namespace

std::string resolve_path(const std::string& base_dir, const std::string& path) {
    std::filesystem::path p(path);
    if (p.is_absolute() || base_dir.empty()) return p.lexically_normal().string();
    return (std::filesystem::path(base_dir) / p).lexically_normal().string();
}

system_config parse_config(const std::string& yaml_text, const std::string& name_for_errors,
                           const std::string& base_dir) {
    log::get("platform.config"); // its warnings' logger exists for --log to name
    yaml_value root = parse_yaml(yaml_text, name_for_errors);
    yaml_map top(root);
    // Unknown top-level keys first: "namespace:" should not be reported as "namespaces" missing.
    top.allow({"controller", "namespaces", "platform", "logging", "workload", "timing"});
    top.finish();
    system_config cfg;
    cfg.source = name_for_errors;
    yaml_map controller = top.sub("controller");
    const std::optional<yaml_value> controller_zasl = controller.find("zasl");
    detail::read_controller(controller, cfg);
    detail::read_namespaces(top.get("namespaces"), base_dir, cfg, controller_zasl);
    read_platform(top.sub("platform"), cfg);
    if (auto t = top.find("timing")) {
        if (cfg.timing != timing_mode::timed)
            t->fail("the timing model's parameters need platform.timing: timed");
        detail::read_timing(yaml_map(*t), cfg);
    }
    read_logging(top.sub("logging"), base_dir, cfg);
    if (auto w = top.find("workload")) {
        std::string path = w->as_string(4096);
        if (path.empty()) w->fail("must not be empty (leave the key out to run no job)");
        cfg.workload = resolve_path(base_dir, path);
    }
    top.finish();
    return cfg;
}

system_config load_config(const std::string& path) {
    std::string dir = std::filesystem::path(path).parent_path().string();
    if (dir.empty()) dir = ".";
    return parse_config(read_text_file(path), path, dir);
}

} // namespace znssim::platform
