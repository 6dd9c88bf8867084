#include "model/trace/csv_writer.h"

#include <cerrno>
#include <cstdarg>
#include <cstring>

namespace znssim::trace {

namespace {
constexpr std::size_t flush_at = 1 << 20;
}

csv_writer::csv_writer(const std::string& path, const std::string& header) : m_path(path) {
    m_file = std::fopen(path.c_str(), "w");
    if (!m_file) throw std::runtime_error("cannot create " + path + ": " + std::strerror(errno));
    m_buffer.reserve(flush_at + 4096);
    m_buffer = header;
    m_buffer += '\n';
}

csv_writer::~csv_writer() {
    if (!m_file) return;
    try {
        close();
    } catch (const std::exception&) {
        // Destruction after an error elsewhere: the first error was already reported.
    }
}

void csv_writer::row(const char* format, ...) {
    char line[512];
    va_list ap;
    va_start(ap, format);
    const int n = std::vsnprintf(line, sizeof line, format, ap);
    va_end(ap);
    if (n < 0) return;
    m_buffer.append(line, static_cast<std::size_t>(n) < sizeof line ? n : sizeof line - 1);
    m_buffer += '\n';
    if (m_buffer.size() >= flush_at) flush();
}

void csv_writer::flush() {
    if (!m_file || m_buffer.empty()) return;
    if (std::fwrite(m_buffer.data(), 1, m_buffer.size(), m_file) != m_buffer.size())
        throw std::runtime_error("cannot write " + m_path + ": " + std::strerror(errno));
    m_buffer.clear();
}

void csv_writer::close() {
    if (!m_file) return;
    flush();
    const bool ok = std::fclose(m_file) == 0;
    m_file = nullptr;
    if (!ok) throw std::runtime_error("cannot write " + m_path + ": " + std::strerror(errno));
}

} // namespace znssim::trace
