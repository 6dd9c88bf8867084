// The documentation cannot drift from the loader: every key the config reader accepts is in the
// README's tables (controller, namespaces, zoned, platform, logging, top level) or, for the
// timing model, in docs/timing.md; every stream key of a job is in the README's stream table;
// and every key those tables name is one the reader accepts. The keys are collected from the
// reader itself (yaml_map's key recorder) while it reads configurations that use every section.
#include "platform/config/load_config.h"
#include "platform/workload/job.h"

#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

using namespace znssim;
using namespace znssim::platform;

namespace {

std::map<std::string, std::set<std::string>>& recorded() {
    static std::map<std::string, std::set<std::string>> keys;
    return keys;
}

/// QEMU's spellings: section → (alias, our key).
std::map<std::string, std::map<std::string, std::string>>& aliases() {
    static std::map<std::string, std::map<std::string, std::string>> keys;
    return keys;
}

/// "namespaces[1].zoned.faults[0]" → "namespaces[].zoned.faults[]".
std::string section_of(const std::string& path) {
    return std::regex_replace(path, std::regex(R"(\[[0-9]+\])"), "[]");
}

void record(const std::string& path, const std::vector<std::string>& keys) {
    auto& set = recorded()[section_of(path)];
    for (const std::string& k : keys) {
        // "ours=QEMU's": QEMU's spelling is documented in a table of its own.
        const auto eq = k.find('=');
        set.insert(k.substr(0, eq));
        if (eq != std::string::npos)
            aliases()[section_of(path)][k.substr(eq + 1)] = k.substr(0, eq);
    }
}

std::string slurp(const std::string& path) {
    std::ifstream in(path);
    REQUIRE_MESSAGE(in.good(), path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

/// The text of a document from the heading that starts with 'heading' to the next heading of
/// the same or a higher level.
std::string section(const std::string& doc, const std::string& heading) {
    const auto at = doc.find("\n" + heading);
    REQUIRE_MESSAGE(at != std::string::npos, heading);
    const auto level = heading.find_first_not_of('#');
    std::size_t end = at + 1;
    for (;;) {
        end = doc.find("\n#", end + 1);
        if (end == std::string::npos) break;
        const auto l = doc.find_first_not_of('#', end + 1) - (end + 1);
        if (l <= level) break;
    }
    return doc.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

/// The keys a markdown table names in its first column: "| `a`, `b` |" → a, b.
std::set<std::string> table_keys(const std::string& text, const std::string& prefix = "") {
    std::set<std::string> keys;
    std::istringstream in(text);
    std::string line;
    const std::regex key(R"(`([a-z_0-9.]+)`)");
    while (std::getline(in, line)) {
        if (line.rfind("| `", 0) != 0) continue;
        const std::string first = line.substr(1, line.find('|', 1) - 1);
        // With a prefix ("zones."), a row's further keys may leave it out: "`zones.open_cost`,
        // `close_cost`".
        bool in_section = prefix.empty();
        for (std::sregex_iterator it(first.begin(), first.end(), key), e; it != e; ++it) {
            const std::string k = (*it)[1];
            if (!prefix.empty() && k.rfind(prefix, 0) == 0) {
                in_section = true;
                keys.insert(k.substr(prefix.size()));
            } else if (in_section && k.find('.') == std::string::npos) {
                keys.insert(k);
            }
        }
    }
    return keys;
}

// Every section of a config, every optional key given once.
const char* const everything = R"(
controller: {serial: S, bar0: {size: 16 KiB}}
namespaces:
  - nsid: 1
    image: z.img
    type: zoned
    zoned:
      zone_size: 1 MiB
      zones: 4
      faults: [{zone: 1, state: offline}]
  - {nsid: 2, image: c.img, capacity: 1 MiB}
platform: {timing: timed}
timing: {pcie: {}, controller: {}, flash: {}, write_buffer: {}, zones: {}, host: {}}
logging: {level: info}
workload: job.yaml
)";

struct recording {
    recording() {
        recorded().clear();
        aliases().clear();
        yaml_map::set_key_recorder(record);
    }
    ~recording() { yaml_map::set_key_recorder(nullptr); }
};

} // namespace

TEST_CASE("docs: every config key is documented, every documented key exists") {
    recording on;
    parse_config(everything, "everything.yaml", "/cfg");
    const auto& keys = recorded();
    const std::string readme = slurp(ZNSSIM_SOURCE_DIR "/README.md");
    const std::string ref = section(readme, "## Configuration reference");
    const std::map<std::string, std::string> readme_tables = {
        {"controller", "### `controller:`"},
        {"namespaces[]", "### `namespaces:`"},
        {"platform", "### `platform:`"},
        {"logging", "### `logging:`"},
        {"namespaces[].zoned", "`zoned:` keys"}};
    // (No structured bindings: clang's C++17 cannot capture them in doctest's message lambdas.)
    for (const auto& table : readme_tables) {
        const std::string& path = table.first;
        const std::string& heading = table.second;
        INFO(path);
        REQUIRE(keys.count(path));
        std::string text =
            section(ref, heading.rfind("###", 0) == 0 ? heading : "### `namespaces:`");
        if (path == "namespaces[].zoned")
            text = text.substr(text.find(heading));
        else if (path == "namespaces[]")
            text = text.substr(0, text.find("`zoned:` keys"));
        const std::set<std::string> documented = table_keys(text);
        for (const std::string& k : keys.at(path)) {
            if (path == "controller" && k == "size") continue; // bar0.size, in bar0's row
            CHECK_MESSAGE(documented.count(k),
                          "config key " << path << "." << k << " is not in README.md");
        }
        for (const std::string& k : documented)
            CHECK_MESSAGE(keys.at(path).count(k),
                          "README.md documents " << path << "." << k << ", the reader has none");
    }
    // QEMU's spellings: each in the README's table of them, with the key it stands for.
    const std::string qemu = section(ref, "### QEMU's spellings");
    unsigned alias_count = 0;
    for (const auto& section_aliases : aliases()) {
        const std::string& path = section_aliases.first;
        for (const auto& name : section_aliases.second) {
            const std::string& alias = name.first;
            const std::string& ours = name.second;
            ++alias_count;
            const std::regex row("\\| `[^`|]*" + alias + "` \\| `[^`|]*" + ours + "` \\|");
            CHECK_MESSAGE(std::regex_search(qemu, row),
                          "QEMU's " << alias << " (for " << path << "." << ours
                                    << ") is not in README.md's table of QEMU's spellings");
        }
    }
    CHECK(alias_count >= 4);

    // The top level: each section has a heading.
    for (const std::string& k : keys.at(""))
        CHECK_MESSAGE(ref.find("### `" + k + ":`") != std::string::npos,
                      "top-level key " << k << " has no README section");

    // The timing model's keys: docs/timing.md's table names them section.key.
    const std::string timing = slurp(ZNSSIM_SOURCE_DIR "/docs/timing.md");
    for (const char* sec : {"pcie", "controller", "flash", "write_buffer", "zones", "host"}) {
        const std::string path = std::string("timing.") + sec;
        INFO(path);
        REQUIRE(keys.count(path));
        const std::set<std::string> documented = table_keys(timing, std::string(sec) + ".");
        for (const std::string& k : keys.at(path))
            CHECK_MESSAGE(documented.count(k),
                          "timing key " << path << "." << k << " is not in docs/timing.md");
        for (const std::string& k : documented)
            CHECK_MESSAGE(keys.at(path).count(k), "docs/timing.md documents "
                                                      << path << "." << k
                                                      << ", the reader has none");
    }
}

TEST_CASE("docs: every stream key of a run step is documented, and only those") {
    recording on;
    parse_job("steps:\n  - run: [{op: randread}]\n", "job.yaml");
    const auto& keys = recorded();
    auto it = keys.find("steps[].run[]");
    REQUIRE(it != keys.end());
    const std::string readme = slurp(ZNSSIM_SOURCE_DIR "/README.md");
    const std::string text = section(readme, "### Measured runs");
    const std::string table = text.substr(text.find("| stream key |"));
    const std::set<std::string> documented = table_keys(table.substr(0, table.find("\n\n")));
    for (const std::string& k : it->second)
        CHECK_MESSAGE(documented.count(k), "stream key " << k << " is not in README.md");
    for (const std::string& k : documented)
        CHECK_MESSAGE(it->second.count(k),
                      "README.md documents stream key " << k << ", the reader has none");
}
