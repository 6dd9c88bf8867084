#pragma once
// A CSV file written as a run goes on: rows are buffered and go to disk in large writes, so a
// long run keeps bounded memory. A failed write is an error naming the file.
#include <cstdio>
#include <stdexcept>
#include <string>

namespace znssim::trace {

class csv_writer {
  public:
    /// Creates (truncates) 'path' and writes the header line.
    csv_writer(const std::string& path, const std::string& header);
    ~csv_writer();
    csv_writer(const csv_writer&) = delete;
    csv_writer& operator=(const csv_writer&) = delete;

    /// Appends one row (without its newline), as printf formats it.
    void row(const char* format, ...) __attribute__((format(printf, 2, 3)));
    /// Writes what is buffered and closes the file; throws std::runtime_error on failure.
    void close();
    const std::string& path() const { return m_path; }

  private:
    void flush();
    std::string m_path;
    std::FILE* m_file = nullptr;
    std::string m_buffer;
};

} // namespace znssim::trace
