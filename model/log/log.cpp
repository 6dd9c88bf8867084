#include "model/log/log.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include <algorithm>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace znssim::log {
namespace {

sim_time (*g_clock)() = nullptr;

// "%*" prints simulated time as seconds with picosecond digits, e.g. "   0.000012345678s".
class sim_time_flag final : public spdlog::custom_flag_formatter {
  public:
    void format(const spdlog::details::log_msg&, const std::tm&,
                spdlog::memory_buf_t& dest) override {
        if (!g_clock) {
            dest.append(std::string_view("         -        "));
            return;
        }
        const sim_time t = g_clock();
        fmt::format_to(std::back_inserter(dest), "{:4}.{:012}s", t / 1000'000'000'000ull,
                       t % 1000'000'000'000ull);
    }
    std::unique_ptr<custom_flag_formatter> clone() const override {
        return std::make_unique<sim_time_flag>();
    }
};

struct registry {
    struct entry {
        logger_ptr logger;
        std::string module; ///< the module its level also follows (== name for module loggers)
    };
    std::mutex lock;
    settings current;
    std::vector<spdlog::sink_ptr> sinks; ///< console, the settings' file, then added sinks
    spdlog::sink_ptr file;
    std::vector<spdlog::sink_ptr> added;
    std::map<std::string, entry> loggers;

    registry() {
        auto console = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
        sinks.push_back(console);
        apply_pattern();
    }
    void apply_pattern() {
        for (auto& s : sinks) {
            auto f = std::make_unique<spdlog::pattern_formatter>();
            f->add_flag<sim_time_flag>('*').set_pattern("[%*] [%^%L%$] %n: %v");
            s->set_formatter(std::move(f));
        }
    }
    static bool covers(const std::string& key, const std::string& name) {
        return name == key || (name.size() > key.size() && name.compare(0, key.size(), key) == 0 &&
                               name[key.size()] == '.');
    }
    level level_for(const std::string& name, const std::string& module) const {
        // The longest key that is a prefix of the name or of the module at a '.' boundary wins.
        level result = current.default_level;
        std::size_t best = 0;
        for (const auto& [key, lvl] : current.module_levels) {
            if ((covers(key, name) || covers(key, module)) && key.size() >= best) {
                best = key.size();
                result = lvl;
            }
        }
        return result;
    }
    void rebuild_sinks() {
        sinks.resize(1);
        if (file) sinks.push_back(file);
        sinks.insert(sinks.end(), added.begin(), added.end());
        apply_pattern();
        for (auto& [name, e] : loggers) {
            e.logger->sinks() = sinks;
            e.logger->set_level(level_for(name, e.module));
        }
    }
};

registry& reg() {
    static registry r;
    return r;
}

} // namespace

logger_ptr get(const std::string& module) {
    return get(module, module);
}

logger_ptr get(const std::string& name, const std::string& module) {
    auto& r = reg();
    std::lock_guard<std::mutex> guard(r.lock);
    auto it = r.loggers.find(name);
    if (it != r.loggers.end()) return it->second.logger;
    auto lg = std::make_shared<spdlog::logger>(name, r.sinks.begin(), r.sinks.end());
    lg->set_level(r.level_for(name, module));
    lg->flush_on(level::warn);
    r.loggers.emplace(name, registry::entry{lg, module});
    return lg;
}

void configure(const settings& s) {
    auto& r = reg();
    std::lock_guard<std::mutex> guard(r.lock);
    r.current = s;
    r.file = s.file.empty() ? nullptr
                            : std::make_shared<spdlog::sinks::basic_file_sink_mt>(s.file, true);
    r.rebuild_sinks();
}

void add_sink(const spdlog::sink_ptr& s) {
    auto& r = reg();
    std::lock_guard<std::mutex> guard(r.lock);
    r.added.push_back(s);
    r.rebuild_sinks();
}

void remove_sink(const spdlog::sink_ptr& s) {
    auto& r = reg();
    std::lock_guard<std::mutex> guard(r.lock);
    r.added.erase(std::remove(r.added.begin(), r.added.end(), s), r.added.end());
    r.rebuild_sinks();
}

void set_clock(sim_time (*now)()) {
    g_clock = now;
}

level parse_level(std::string_view name) {
    static const std::pair<std::string_view, level> names[] = {
        {"trace", level::trace},       {"debug", level::debug},  {"info", level::info},
        {"warn", level::warn},         {"warning", level::warn}, {"error", level::err},
        {"critical", level::critical}, {"off", level::off}};
    for (const auto& [n, l] : names)
        if (n == name) return l;
    throw std::invalid_argument("unknown log level '" + std::string(name) +
                                "' (trace, debug, info, warn, error, critical, off)");
}

} // namespace znssim::log
