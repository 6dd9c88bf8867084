#include "model/trace/chrome_trace.h"

#include <cerrno>
#include <cinttypes>
#include <cstring>
#include <stdexcept>

namespace znssim::trace {

namespace {
constexpr std::size_t flush_at = 1 << 20;
} // namespace

std::string json_string(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char b[8];
            std::snprintf(b, sizeof b, "\\u%04x", c);
            out += b;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

chrome_trace::chrome_trace(const std::string& path) : m_path(path) {
    m_file = std::fopen(path.c_str(), "w");
    if (!m_file) throw std::runtime_error("cannot create " + path + ": " + std::strerror(errno));
    m_buffer.reserve(flush_at + 4096);
    m_buffer = "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n";
}

chrome_trace::~chrome_trace() {
    if (!m_file) return;
    try {
        close();
    } catch (const std::exception&) {
        // Destruction after an error elsewhere: the first error was already reported.
    }
}

void chrome_trace::begin_event() {
    if (m_events++) m_buffer += ",\n";
}

void chrome_trace::end_event() {
    if (m_buffer.size() >= flush_at) write_out();
}

void chrome_trace::write_out() {
    if (std::fwrite(m_buffer.data(), 1, m_buffer.size(), m_file) != m_buffer.size())
        throw std::runtime_error("cannot write " + m_path + ": " + std::strerror(errno));
    m_buffer.clear();
}

void chrome_trace::append_time(sim_time t) {
    char b[32];
    const int n = std::snprintf(b, sizeof b, "%" PRIu64 ".%06" PRIu64, t / 1000000, t % 1000000);
    m_buffer.append(b, static_cast<std::size_t>(n));
}

void chrome_trace::process_name(std::uint32_t pid, const std::string& name, int sort_index) {
    begin_event();
    m_buffer += "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":" + std::to_string(pid) +
                ",\"tid\":0,\"args\":{\"name\":" + json_string(name) + "}},\n";
    ++m_events;
    m_buffer += "{\"ph\":\"M\",\"name\":\"process_sort_index\",\"pid\":" + std::to_string(pid) +
                ",\"tid\":0,\"args\":{\"sort_index\":" + std::to_string(sort_index) + "}}";
    end_event();
}

void chrome_trace::thread_name(std::uint32_t pid, std::uint32_t tid, const std::string& name,
                               int sort_index) {
    begin_event();
    const std::string ids = "\"pid\":" + std::to_string(pid) + ",\"tid\":" + std::to_string(tid);
    m_buffer += "{\"ph\":\"M\",\"name\":\"thread_name\"," + ids +
                ",\"args\":{\"name\":" + json_string(name) + "}},\n";
    ++m_events;
    m_buffer += "{\"ph\":\"M\",\"name\":\"thread_sort_index\"," + ids +
                ",\"args\":{\"sort_index\":" + std::to_string(sort_index) + "}}";
    end_event();
}

void chrome_trace::slice(std::uint32_t pid, std::uint32_t tid, const char* name, sim_time start,
                         sim_time end, const char* args) {
    begin_event();
    char head[96];
    const int n = std::snprintf(head, sizeof head,
                                "{\"ph\":\"X\",\"pid\":%" PRIu32 ",\"tid\":%" PRIu32 ",", pid, tid);
    m_buffer.append(head, static_cast<std::size_t>(n));
    m_buffer += "\"name\":\"";
    m_buffer += name;
    m_buffer += "\",\"ts\":";
    append_time(start);
    m_buffer += ",\"dur\":";
    append_time(end > start ? end - start : 0);
    if (args && *args) {
        m_buffer += ",\"args\":{";
        m_buffer += args;
        m_buffer += '}';
    }
    m_buffer += '}';
    end_event();
}

void chrome_trace::counter(std::uint32_t pid, const char* name, sim_time at, const char* series) {
    begin_event();
    char head[64];
    const int n =
        std::snprintf(head, sizeof head, "{\"ph\":\"C\",\"pid\":%" PRIu32 ",\"tid\":0,", pid);
    m_buffer.append(head, static_cast<std::size_t>(n));
    m_buffer += "\"name\":\"";
    m_buffer += name;
    m_buffer += "\",\"ts\":";
    append_time(at);
    m_buffer += ",\"args\":{";
    m_buffer += series;
    m_buffer += "}}";
    end_event();
}

void chrome_trace::close(const std::string& other_data) {
    if (!m_file) return;
    m_buffer += "\n],\"otherData\":{\"producer\":\"znssim\"";
    if (!other_data.empty()) m_buffer += "," + other_data;
    m_buffer += "}}\n";
    const bool written =
        std::fwrite(m_buffer.data(), 1, m_buffer.size(), m_file) == m_buffer.size();
    const bool closed = std::fclose(m_file) == 0;
    m_file = nullptr;
    if (!written || !closed)
        throw std::runtime_error("cannot write " + m_path + ": " + std::strerror(errno));
}

} // namespace znssim::trace
