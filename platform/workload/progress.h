#pragma once
// Progress of a long run on a terminal: simulated time, commands done and their rate, redrawn on
// one line about twice a wall-clock second. Silent when the output is not a terminal.
#include <chrono>
#include <cstdint>
#include <cstdio>

namespace znssim::platform {

class progress_meter {
  public:
    /// enabled: usually isatty(stderr); 'out' is where the line goes.
    explicit progress_meter(bool enabled, std::FILE* out = stderr);
    ~progress_meter() { finish(); }
    /// Called for each completed command; cheap (a counter) except every 1024th call.
    void completed() {
        if (!m_enabled) return;
        if ((++m_commands & 1023) == 0) maybe_draw();
    }
    /// Ends the line if one was drawn.
    void finish();

  private:
    void maybe_draw();
    bool m_enabled;
    std::FILE* m_out;
    std::uint64_t m_commands = 0;
    std::uint64_t m_last_commands = 0;
    bool m_drawn = false;
    std::chrono::steady_clock::time_point m_last;
};

} // namespace znssim::platform
