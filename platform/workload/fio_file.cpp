// fio job files: the INI layout ([global] defaults apply to the jobs below them, a job's own
// options override them) and the job they make: one run step, a stream per fio job. Options are
// mapped in fio_options.cpp, values read as fio reads them in fio_values.cpp.
#include "platform/workload/fio_file.h"

#include "platform/workload/fio_ini.h"

namespace znssim::platform {
namespace {

using fio::option;
using fio::option_map;
using fio::section;

constexpr std::size_t max_streams = 256;

std::string trim(const std::string& s) {
    const std::size_t b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

class fio_reader {
  public:
    explicit fio_reader(std::string file) : m_ctx{std::move(file)} {}

    job read(const std::string& text);

  private:
    [[noreturn]] void fail(int line, const std::string& message) const {
        m_ctx.fail(line, message);
    }
    std::vector<section> sections(const std::string& text);
    option parse_option(const std::string& line, int number);

    fio::context m_ctx;
};

option fio_reader::parse_option(const std::string& text, int number) {
    option o;
    o.line = number;
    const std::size_t eq = text.find('=');
    o.key = trim(text.substr(0, eq));
    o.bare = eq == std::string::npos;
    if (!o.bare) o.value = trim(text.substr(eq + 1));
    if (o.key.rfind("include", 0) == 0 && o.key.find_first_of(" \t") != std::string::npos)
        fail(number, "include files are not supported");
    if (!fio::is_supported(o.key))
        fail(number, "fio option '" + o.key +
                         "' is not supported (supported: " + fio::supported_options() + ")");
    if (!o.bare && o.value.empty()) m_ctx.fail(o, "needs a value");
    if (o.value.find('$') != std::string::npos)
        m_ctx.fail(o, "environment variables and $keywords are not expanded");
    if (!o.value.empty() && o.value.front() == '(')
        m_ctx.fail(o, "arithmetic expressions are not supported");
    return o;
}

std::vector<section> fio_reader::sections(const std::string& text) {
    std::vector<section> out;
    std::size_t pos = 0;
    for (int number = 1; pos <= text.size(); ++number) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string::npos) end = text.size();
        const std::string line = trim(text.substr(pos, end - pos));
        pos = end + 1;
        if (line.empty() || line[0] == '#' || line[0] == ';') continue;
        if (line[0] == '[') {
            if (line.back() != ']') fail(number, "a section header is [name]");
            const std::string name = trim(line.substr(1, line.size() - 2));
            if (name.empty()) fail(number, "a section needs a name");
            for (char c : name)
                if (c < 0x21 || c > 0x7e) fail(number, "a job name is printable ASCII");
            if (name.size() > 64) fail(number, "a job name is at most 64 characters");
            out.push_back({name, number, {}});
            continue;
        }
        if (out.empty()) fail(number, "options must follow a [global] or [job] section header");
        option o = parse_option(line, number);
        auto [it, fresh] = out.back().options.emplace(o.key, o);
        if (!fresh)
            fail(number, o.key + ": given twice in [" + out.back().name + "] (first at line " +
                             std::to_string(it->second.line) + ")");
    }
    return out;
}

job fio_reader::read(const std::string& text) {
    job j;
    j.name = m_ctx.file;
    j.source = m_ctx.file;
    job_step step;
    step.kind = step_kind::run;
    option_map global;
    for (const section& sec : sections(text)) {
        if (sec.name == "global") {
            for (const auto& [key, o] : sec.options)
                global[key] = o;
            continue;
        }
        option_map opts = global;
        for (const auto& [key, o] : sec.options)
            opts[key] = o;
        if (step.streams.empty()) step.where = m_ctx.file + ":" + std::to_string(sec.line);
        for (stream_spec& s : fio::job_streams(m_ctx, sec, opts)) {
            for (const stream_spec& other : step.streams)
                if (other.name == s.name)
                    fail(sec.line,
                         "job name '" + s.name + "' is used twice (first at " + other.where + ")");
            if (step.streams.size() == max_streams)
                fail(sec.line, "at most " + std::to_string(max_streams) + " jobs");
            step.streams.push_back(std::move(s));
        }
    }
    if (step.streams.empty()) fail(1, "no job section (a [name] header followed by its options)");
    step.nsid = step.streams.front().nsid;
    j.steps.push_back(std::move(step));
    return j;
}

} // namespace

job parse_fio_job(const std::string& text, const std::string& name) {
    return fio_reader(name).read(text);
}

job load_fio_job(const std::string& path) {
    return parse_fio_job(read_text_file(path), path);
}

} // namespace znssim::platform
