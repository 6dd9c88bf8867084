#pragma once
// A trace in Chrome's trace event format (the JSON object form, "traceEvents"), which Perfetto
// (ui.perfetto.dev) and chrome://tracing open without conversion: complete events ("X") as slices
// on a process/thread track, counters ("C"), and track names (metadata "M"). Events go to disk
// as they come (bounded memory); timestamps are microseconds with picosecond decimals.
#include "model/sim/time.h"

#include <cstdint>
#include <cstdio>
#include <string>

namespace znssim::trace {

class chrome_trace {
  public:
    /// Creates (truncates) 'path'; throws std::runtime_error naming it on failure.
    explicit chrome_trace(const std::string& path);
    ~chrome_trace();
    chrome_trace(const chrome_trace&) = delete;
    chrome_trace& operator=(const chrome_trace&) = delete;

    void process_name(std::uint32_t pid, const std::string& name, int sort_index);
    void thread_name(std::uint32_t pid, std::uint32_t tid, const std::string& name, int sort_index);
    /// A slice [start, end) named 'name' on track (pid, tid); 'args' is the inside of a JSON
    /// object ("\"slba\":12,\"nlb\":8") or nullptr. 'name' must not need escaping.
    void slice(std::uint32_t pid, std::uint32_t tid, const char* name, sim_time start, sim_time end,
               const char* args = nullptr);
    /// A counter sample on process 'pid': 'series' are JSON members ("\"open\":3").
    void counter(std::uint32_t pid, const char* name, sim_time at, const char* series);
    /// Ends the JSON with 'other_data' (JSON members, may be empty) under "otherData" and closes
    /// the file; throws std::runtime_error on failure.
    void close(const std::string& other_data = {});
    std::uint64_t events() const { return m_events; }
    const std::string& path() const { return m_path; }

  private:
    void begin_event();
    void end_event();
    void write_out();
    void append_time(sim_time t);
    std::string m_path;
    std::FILE* m_file = nullptr;
    std::string m_buffer;
    std::uint64_t m_events = 0;
};

/// A JSON string literal (quotes and escapes) for names in traces.
std::string json_string(const std::string& s);

} // namespace znssim::trace
