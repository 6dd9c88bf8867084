#pragma once
// A strict, typed reader over yaml-cpp for configuration and job files.
//
// Every error is a config_error whose message reads "<file>:<line>:<column>: <key.path>: <message>"
// (1-based line and column). Mappings are read through yaml_map, which remembers every key the
// reader asked for; finish() then rejects any other key (naming it, its line and the allowed keys)
// and duplicate keys, so a typo never silently falls back to a default.
#include "model/sim/time.h"

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace znssim::platform {

/// A configuration problem the user can fix; what() names the file, line, column and key path.
class config_error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class yaml_map;

/// One node with its position and key path (e.g. "namespaces[1].zoned.zone_size").
class yaml_value {
  public:
    yaml_value(YAML::Node node, std::string path, std::shared_ptr<const std::string> file);

    const std::string& path() const { return m_path; }
    const std::string& file() const { return *m_file; }
    int line() const { return m_line; }     ///< 1-based
    int column() const { return m_column; } ///< 1-based
    /// "<file>:<line>:<column>: <path>"
    std::string where() const;
    [[noreturn]] void fail(const std::string& message) const;

    bool is_null() const { return m_node.IsNull(); }
    bool is_scalar() const { return m_node.IsScalar(); }
    bool is_map() const { return m_node.IsMap(); }
    bool is_sequence() const { return m_node.IsSequence(); }
    /// The raw scalar text; fails unless the node is a scalar.
    const std::string& scalar() const;

    /// Decimal or 0x-hexadecimal integer in [min, max].
    std::uint64_t as_uint(std::uint64_t min, std::uint64_t max) const;
    /// Bytes: a number with an optional suffix B, KiB, MiB, GiB, TiB or K, M, G, T (all
    /// 1024-based).
    std::uint64_t as_size(std::uint64_t min, std::uint64_t max) const;
    /// A duration with a unit ns, us, ms or s ("0" alone is allowed); fractions such as "1.5ms".
    sim_time as_duration(sim_time min, sim_time max) const;
    /// A data rate: a number with a unit B/s, kB/s, MB/s, GB/s (1000-based, as drives are
    /// rated) or KiB/s, MiB/s, GiB/s; returns bytes per second in [min, max].
    double as_rate(double min, double max) const;
    bool as_bool() const;
    /// A string of at most max_len characters; printable ASCII only when ascii is set.
    std::string as_string(std::size_t max_len, bool ascii = false) const;
    /// One of a fixed list of words; returns the index into choices.
    std::size_t as_choice(std::initializer_list<const char*> choices) const;

    yaml_map as_map() const;
    std::vector<yaml_value> as_sequence() const;

    const YAML::Node& node() const { return m_node; }
    /// Another node of the same file; a node without a position (a default made up for an
    /// absent key) reports this node's position.
    yaml_value derive(YAML::Node node, std::string path) const;

  private:
    YAML::Node m_node;
    std::string m_path;
    std::shared_ptr<const std::string> m_file;
    int m_line = 1;
    int m_column = 1;
};

/// A mapping being read. Ask for keys with find()/get()/sub(); call finish() when done.
class yaml_map {
  public:
    /// Wraps a mapping node (a null node reads as an empty mapping: "controller:" with no body).
    explicit yaml_map(const yaml_value& v);

    const yaml_value& value() const { return m_self; }
    /// The key if present (it is allowed either way).
    std::optional<yaml_value> find(const std::string& key);
    /// The key, or a "missing required key" error at the mapping.
    yaml_value get(const std::string& key);
    bool has(const std::string& key);
    /// A nested mapping (empty when the key is absent).
    yaml_map sub(const std::string& key);
    /// Declares keys as allowed without reading them (e.g. handled by another reader).
    void allow(std::initializer_list<const char*> keys);
    /// Accepts 'other' (QEMU's spelling) for 'key': find(key) returns it; giving both is an
    /// error. Declare before reading 'key'.
    void alias(const char* other, const char* key);
    /// Test hook: called by every finish() with the mapping's path and the keys it allows (its
    /// aliases after "="), so that a test can compare the loader's keys with the README.
    using key_recorder = void (*)(const std::string& path, const std::vector<std::string>& keys);
    static void set_key_recorder(key_recorder r);
    /// Rejects unknown and duplicate keys.
    void finish() const;
    /// All entries in document order, for free-form mappings (e.g. logging.modules).
    std::vector<std::pair<std::string, yaml_value>> entries() const;

    // Convenience: assign out from the key when present (out keeps its default otherwise).
    template <class T>
    bool read_uint(const std::string& key, T& out, std::uint64_t min, std::uint64_t max) {
        auto v = find(key);
        if (v) out = static_cast<T>(v->as_uint(min, max));
        return v.has_value();
    }
    template <class T>
    bool read_size(const std::string& key, T& out, std::uint64_t min, std::uint64_t max) {
        auto v = find(key);
        if (v) out = static_cast<T>(v->as_size(min, max));
        return v.has_value();
    }
    bool read_duration(const std::string& key, sim_time& out, sim_time min, sim_time max);
    bool read_bool(const std::string& key, bool& out);
    bool read_string(const std::string& key, std::string& out, std::size_t max_len,
                     bool ascii = false);

  private:
    yaml_value child(const YAML::Node& key, const YAML::Node& value) const;
    yaml_value m_self;
    std::vector<std::string> m_allowed;
    std::vector<std::pair<std::string, std::string>> m_aliases; ///< (other, key)
};

/// Parses YAML text; name is used in messages. Syntax errors become config_error with the line.
yaml_value parse_yaml(const std::string& text, const std::string& name);
/// A whole file as text (config_error naming the file when it cannot be read).
std::string read_text_file(const std::string& path);
/// Reads and parses a file (a missing or unreadable file is a config_error naming it).
yaml_value load_yaml_file(const std::string& path);

/// "16 KiB", "1.5 GiB", "512 B": for messages and printing sizes back to the user.
std::string format_size(std::uint64_t bytes);

} // namespace znssim::platform
