#include "platform/workload/progress.h"

#include <systemc>

namespace znssim::platform {

progress_meter::progress_meter(bool enabled, std::FILE* out)
    : m_enabled(enabled), m_out(out), m_last(std::chrono::steady_clock::now()) {}

void progress_meter::maybe_draw() {
    const auto now = std::chrono::steady_clock::now();
    const double dt = std::chrono::duration<double>(now - m_last).count();
    if (dt < 0.5) return;
    const double rate = static_cast<double>(m_commands - m_last_commands) / dt;
    std::fprintf(m_out, "\r  simulated %.6f s, %llu commands, %.1f K commands per wall second   ",
                 sc_core::sc_time_stamp().to_seconds(), static_cast<unsigned long long>(m_commands),
                 rate / 1e3);
    std::fflush(m_out);
    m_drawn = true;
    m_last = now;
    m_last_commands = m_commands;
}

void progress_meter::finish() {
    if (!m_drawn) return;
    std::fprintf(m_out, "\r%80s\r", "");
    std::fflush(m_out);
    m_drawn = false;
}

} // namespace znssim::platform
