#include "platform/config/yaml_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace znssim::platform {
namespace {

struct unit {
    const char* name;
    std::uint64_t scale;
};

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

int hex_digit(char c) {
    if (is_digit(c)) return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/// Parses "<digits>[.<digits>]" or "0x<hex>" at the start of text; returns the value scaled by
/// 'scale' (exactly: a fraction must give a whole result) or an error message.
std::optional<std::uint64_t> parse_number(const std::string& num, std::uint64_t scale,
                                          std::string& error) {
    using u128 = unsigned __int128;
    const u128 limit = UINT64_MAX;
    if (num.size() > 2 && num[0] == '0' && (num[1] == 'x' || num[1] == 'X')) {
        u128 v = 0;
        for (std::size_t i = 2; i < num.size(); ++i) {
            int d = hex_digit(num[i]);
            if (d < 0) {
                error = "'" + num + "' is not a hexadecimal number";
                return std::nullopt;
            }
            v = v * 16 + static_cast<unsigned>(d);
            if (v > limit) {
                error = "'" + num + "' is too large";
                return std::nullopt;
            }
        }
        v *= scale;
        if (v > limit) {
            error = "value is too large";
            return std::nullopt;
        }
        return static_cast<std::uint64_t>(v);
    }
    std::size_t dot = num.find('.');
    std::string whole = num.substr(0, dot);
    std::string frac = dot == std::string::npos ? "" : num.substr(dot + 1);
    if (whole.empty() || (dot != std::string::npos && frac.empty())) {
        error = "'" + num + "' is not a number";
        return std::nullopt;
    }
    for (char c : whole + frac)
        if (!is_digit(c)) {
            error = "'" + num + "' is not a number (use decimal or 0x hexadecimal)";
            return std::nullopt;
        }
    if (whole.size() > 20 || frac.size() > 18) {
        error = "'" + num + "' is too large";
        return std::nullopt;
    }
    u128 w = 0;
    for (char c : whole)
        w = w * 10 + static_cast<unsigned>(c - '0');
    u128 value = w * scale;
    if (!frac.empty()) {
        u128 f = 0, den = 1;
        for (char c : frac) {
            f = f * 10 + static_cast<unsigned>(c - '0');
            den *= 10;
        }
        u128 scaled = f * scale;
        if (scaled % den != 0) {
            error = "'" + num + "' is not a whole number of the base unit";
            return std::nullopt;
        }
        value += scaled / den;
    }
    if (value > limit) {
        error = "'" + num + "' is too large";
        return std::nullopt;
    }
    return static_cast<std::uint64_t>(value);
}

/// Splits "16 KiB" / "16KiB" into number and suffix.
std::pair<std::string, std::string> split_suffix(const std::string& text) {
    std::size_t i = 0;
    bool hex = text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
    if (hex) {
        i = 2;
        while (i < text.size() && hex_digit(text[i]) >= 0)
            ++i;
    } else {
        while (i < text.size() && (is_digit(text[i]) || text[i] == '.'))
            ++i;
    }
    std::string num = text.substr(0, i);
    std::size_t j = i;
    while (j < text.size() && text[j] == ' ')
        ++j;
    return {num, text.substr(j)};
}

std::string join(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& w : words)
        out += (out.empty() ? "" : ", ") + w;
    return out;
}

} // namespace

// ---- yaml_value ---------------------------------------------------------------------------

yaml_value::yaml_value(YAML::Node node, std::string path, std::shared_ptr<const std::string> file)
    : m_node(std::move(node)), m_path(std::move(path)), m_file(std::move(file)) {
    auto m = m_node.Mark();
    if (m.line >= 0) {
        m_line = m.line + 1;
        m_column = m.column + 1;
    }
}

yaml_value yaml_value::derive(YAML::Node node, std::string path) const {
    yaml_value v(std::move(node), std::move(path), m_file);
    if (v.m_node.Mark().line < 0) {
        v.m_line = m_line;
        v.m_column = m_column;
    }
    return v;
}

std::string yaml_value::where() const {
    std::string s = *m_file + ":" + std::to_string(line()) + ":" + std::to_string(column());
    return m_path.empty() ? s : s + ": " + m_path;
}

void yaml_value::fail(const std::string& message) const {
    throw config_error(where() + ": " + message);
}

const std::string& yaml_value::scalar() const {
    if (!m_node.IsScalar())
        fail(m_node.IsNull() ? "needs a value" : "must be a single value, not a list or mapping");
    return m_node.Scalar();
}

std::uint64_t yaml_value::as_uint(std::uint64_t min, std::uint64_t max) const {
    const std::string& text = scalar();
    if (!text.empty() && text[0] == '-') fail("must not be negative (got " + text + ")");
    std::string error;
    auto v = parse_number(text, 1, error);
    if (!v || text.find('.') != std::string::npos)
        fail(error.empty() ? "'" + text + "' is not an integer" : error);
    if (*v < min || *v > max)
        fail("must be between " + std::to_string(min) + " and " + std::to_string(max) + " (got " +
             text + ")");
    return *v;
}

std::uint64_t yaml_value::as_size(std::uint64_t min, std::uint64_t max) const {
    static const unit units[] = {{"", 1},
                                 {"B", 1},
                                 {"KiB", 1ull << 10},
                                 {"MiB", 1ull << 20},
                                 {"GiB", 1ull << 30},
                                 {"TiB", 1ull << 40},
                                 {"K", 1ull << 10},
                                 {"M", 1ull << 20},
                                 {"G", 1ull << 30},
                                 {"T", 1ull << 40},
                                 // QEMU's spellings (-device nvme-ns,zoned.zone_size=64m)
                                 {"b", 1},
                                 {"k", 1ull << 10},
                                 {"m", 1ull << 20},
                                 {"g", 1ull << 30},
                                 {"t", 1ull << 40}};
    const std::string& text = scalar();
    if (!text.empty() && text[0] == '-') fail("must not be negative (got " + text + ")");
    auto [num, suffix] = split_suffix(text);
    for (const auto& u : units) {
        if (suffix != u.name) continue;
        std::string error;
        auto v = parse_number(num, u.scale, error);
        if (!v) fail(error == "" ? "'" + text + "' is not a size" : error);
        if (*v < min || *v > max)
            fail("must be between " + format_size(min) + " and " + format_size(max) + " (got " +
                 text + ")");
        return *v;
    }
    fail("'" + text +
         "' is not a size (a number with an optional unit B, KiB, MiB, GiB, TiB, K, "
         "M, G or T; k, m, g and t as QEMU spells them)");
}

sim_time yaml_value::as_duration(sim_time min, sim_time max) const {
    static const unit units[] = {{"ps", 1},
                                 {"ns", 1000ull},
                                 {"us", 1000'000ull},
                                 {"ms", 1000'000'000ull},
                                 {"s", 1000'000'000'000ull}};
    const std::string& text = scalar();
    if (!text.empty() && text[0] == '-') fail("must not be negative (got " + text + ")");
    auto [num, suffix] = split_suffix(text);
    if (suffix.empty() && num == "0" && min == 0) return 0;
    for (const auto& u : units) {
        if (suffix != u.name) continue;
        std::string error;
        auto v = parse_number(num, u.scale, error);
        if (!v) fail(error);
        if (*v < min || *v > max)
            fail("must be between " + std::to_string(min / 1000) + " ns and " +
                 std::to_string(max / 1000) + " ns (got " + text + ")");
        return *v;
    }
    fail("'" + text + "' is not a duration (a number with a unit ns, us, ms or s)");
}

double yaml_value::as_rate(double min, double max) const {
    struct rate_unit {
        const char* name;
        double scale;
    };
    static const rate_unit units[] = {
        {"B/s", 1},    {"kB/s", 1e3},     {"KB/s", 1e3},        {"MB/s", 1e6},
        {"GB/s", 1e9}, {"KiB/s", 1024.0}, {"MiB/s", 1048576.0}, {"GiB/s", 1073741824.0}};
    const std::string& text = scalar();
    if (!text.empty() && text[0] == '-') fail("must not be negative (got " + text + ")");
    auto [num, suffix] = split_suffix(text);
    for (const auto& u : units) {
        if (suffix != u.name) continue;
        char* end = nullptr;
        const double v = std::strtod(num.c_str(), &end);
        if (num.empty() || end != num.c_str() + num.size()) fail("'" + text + "' is not a rate");
        const double bps = v * u.scale;
        if (bps < min || bps > max)
            fail(fmt::format("must be between {} MB/s and {} MB/s (got {})", min / 1e6, max / 1e6,
                             text));
        return bps;
    }
    fail("'" + text +
         "' is not a rate (a number with a unit B/s, kB/s, MB/s, GB/s, KiB/s, MiB/s "
         "or GiB/s, e.g. 1200 MB/s)");
}

bool yaml_value::as_bool() const {
    const std::string& text = scalar();
    if (text == "true") return true;
    if (text == "false") return false;
    fail("must be true or false (got '" + text + "')");
}

std::string yaml_value::as_string(std::size_t max_len, bool ascii) const {
    const std::string& text = scalar();
    if (text.size() > max_len)
        fail("must be at most " + std::to_string(max_len) + " characters (got " +
             std::to_string(text.size()) + ")");
    if (ascii)
        for (char c : text)
            if (c < 0x20 || c > 0x7e) fail("must be printable ASCII");
    return text;
}

std::size_t yaml_value::as_choice(std::initializer_list<const char*> choices) const {
    const std::string& text = scalar();
    std::vector<std::string> words;
    std::size_t i = 0;
    for (const char* c : choices) {
        if (text == c) return i;
        words.emplace_back(c);
        ++i;
    }
    fail("must be one of: " + join(words) + " (got '" + text + "')");
}

yaml_map yaml_value::as_map() const {
    return yaml_map(*this);
}

std::vector<yaml_value> yaml_value::as_sequence() const {
    std::vector<yaml_value> out;
    if (m_node.IsNull()) return out;
    if (!m_node.IsSequence()) fail("must be a list");
    for (std::size_t i = 0; i < m_node.size(); ++i)
        out.emplace_back(m_node[i], m_path + "[" + std::to_string(i) + "]", m_file);
    return out;
}

// ---- yaml_map -----------------------------------------------------------------------------

yaml_map::yaml_map(const yaml_value& v) : m_self(v) {
    if (!v.node().IsNull() && !v.node().IsMap()) v.fail("must be a mapping (key: value lines)");
}

yaml_value yaml_map::child(const YAML::Node& key, const YAML::Node& value) const {
    const std::string& k = key.Scalar();
    std::string path = m_self.path().empty() ? k : m_self.path() + "." + k;
    return m_self.derive(value, path);
}

std::optional<yaml_value> yaml_map::find(const std::string& key) {
    m_allowed.push_back(key);
    if (!m_self.node().IsMap()) return std::nullopt;
    std::optional<yaml_value> found;
    for (auto it = m_self.node().begin(); it != m_self.node().end(); ++it)
        if (it->first.IsScalar() && it->first.Scalar() == key) found = child(it->first, it->second);
    for (const auto& [other, target] : m_aliases) {
        if (target != key) continue;
        for (auto it = m_self.node().begin(); it != m_self.node().end(); ++it) {
            if (!it->first.IsScalar() || it->first.Scalar() != other) continue;
            yaml_value v = child(it->first, it->second);
            if (found) v.fail("is QEMU's name for " + key + ": give only one of them");
            found = v;
        }
    }
    return found;
}

void yaml_map::alias(const char* other, const char* key) {
    m_aliases.emplace_back(other, key);
}

namespace {
yaml_map::key_recorder g_key_recorder = nullptr;
}

void yaml_map::set_key_recorder(key_recorder r) {
    g_key_recorder = r;
}

yaml_value yaml_map::get(const std::string& key) {
    auto v = find(key);
    if (!v) {
        std::string path = m_self.path().empty() ? key : m_self.path() + "." + key;
        m_self.derive(m_self.node(), path).fail("required key missing");
    }
    return *v;
}

bool yaml_map::has(const std::string& key) {
    return find(key).has_value();
}

yaml_map yaml_map::sub(const std::string& key) {
    auto v = find(key);
    if (v) return yaml_map(*v);
    std::string path = m_self.path().empty() ? key : m_self.path() + "." + key;
    return yaml_map(m_self.derive(YAML::Node(YAML::NodeType::Null), path));
}

void yaml_map::allow(std::initializer_list<const char*> keys) {
    for (const char* k : keys)
        m_allowed.emplace_back(k);
}

void yaml_map::finish() const {
    if (g_key_recorder) {
        std::vector<std::string> keys;
        for (const auto& a : m_allowed) {
            std::string k = a;
            for (const auto& [other, target] : m_aliases)
                if (target == a) k += "=" + other;
            if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
        }
        g_key_recorder(m_self.path(), keys);
    }
    if (!m_self.node().IsMap()) return;
    std::vector<std::pair<std::string, int>> seen;
    for (auto it = m_self.node().begin(); it != m_self.node().end(); ++it) {
        yaml_value key = m_self.derive(it->first, m_self.path());
        if (!it->first.IsScalar()) key.fail("keys must be plain words");
        const std::string& k = it->first.Scalar();
        yaml_value at =
            m_self.derive(it->first, m_self.path().empty() ? k : m_self.path() + "." + k);
        for (const auto& [name, line] : seen)
            if (name == k)
                at.fail("duplicate key (first given at line " + std::to_string(line) + ")");
        seen.emplace_back(k, at.line());
        bool known = false;
        for (const auto& a : m_allowed)
            known = known || a == k;
        for (const auto& [other, target] : m_aliases)
            known = known || other == k;
        if (!known) {
            std::vector<std::string> allowed;
            for (const auto& a : m_allowed) {
                bool dup = false;
                for (const auto& b : allowed)
                    dup = dup || a == b;
                if (!dup) allowed.push_back(a);
            }
            at.fail("unknown key (allowed here: " + join(allowed) + ")");
        }
    }
}

std::vector<std::pair<std::string, yaml_value>> yaml_map::entries() const {
    std::vector<std::pair<std::string, yaml_value>> out;
    if (!m_self.node().IsMap()) return out;
    for (auto it = m_self.node().begin(); it != m_self.node().end(); ++it) {
        if (!it->first.IsScalar())
            m_self.derive(it->first, m_self.path()).fail("keys must be plain words");
        out.emplace_back(it->first.Scalar(), child(it->first, it->second));
    }
    return out;
}

bool yaml_map::read_duration(const std::string& key, sim_time& out, sim_time min, sim_time max) {
    auto v = find(key);
    if (v) out = v->as_duration(min, max);
    return v.has_value();
}

bool yaml_map::read_bool(const std::string& key, bool& out) {
    auto v = find(key);
    if (v) out = v->as_bool();
    return v.has_value();
}

bool yaml_map::read_string(const std::string& key, std::string& out, std::size_t max_len,
                           bool ascii) {
    auto v = find(key);
    if (v) out = v->as_string(max_len, ascii);
    return v.has_value();
}

// ---- documents ----------------------------------------------------------------------------

yaml_value parse_yaml(const std::string& text, const std::string& name) {
    auto file = std::make_shared<const std::string>(name);
    try {
        return yaml_value(YAML::Load(text), "", file);
    } catch (const YAML::Exception& e) {
        int line = e.mark.line < 0 ? 1 : e.mark.line + 1;
        int col = e.mark.column < 0 ? 1 : e.mark.column + 1;
        throw config_error(name + ":" + std::to_string(line) + ":" + std::to_string(col) +
                           ": YAML syntax error: " + e.msg);
    }
}

std::string read_text_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw config_error(path + ": cannot open: " + std::strerror(errno));
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) throw config_error(path + ": cannot read: " + std::strerror(errno));
    return text.str();
}

yaml_value load_yaml_file(const std::string& path) {
    return parse_yaml(read_text_file(path), path);
}

std::string format_size(std::uint64_t bytes) {
    static const unit units[] = {
        {"TiB", 1ull << 40}, {"GiB", 1ull << 30}, {"MiB", 1ull << 20}, {"KiB", 1ull << 10}};
    for (const auto& u : units)
        if (bytes >= u.scale && bytes % u.scale == 0)
            return std::to_string(bytes / u.scale) + " " + u.name;
    return std::to_string(bytes) + " B";
}

} // namespace znssim::platform
