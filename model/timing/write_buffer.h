#pragma once
// Write buffer accounting: a write is admitted when the buffer, and the part of it one stream
// (zone) may use, have room for it; otherwise it waits, in arrival order, until drained data
// frees enough. Admission is what completes a buffered write early; the drain to the dies runs
// on its own. Pure bookkeeping: the timing model decides when space frees.
#include <cstdint>

namespace znssim::timing {

class write_buffer {
  public:
    /// per_stream = 0: a stream may use the whole buffer.
    write_buffer(std::uint64_t capacity, std::uint64_t per_stream)
        : m_capacity(capacity ? capacity : 1), m_per_stream(per_stream) {}

    /// Would 'bytes' fit now, given what its stream already holds?
    bool fits(std::uint64_t bytes, std::uint64_t stream_fill) const {
        // A write larger than the buffer (or the stream's share) is admitted alone.
        if (m_fill != 0 && m_fill + bytes > m_capacity) return false;
        if (m_per_stream && stream_fill != 0 && stream_fill + bytes > m_per_stream) return false;
        return true;
    }
    void admit(std::uint64_t bytes) { m_fill += bytes; }
    void release(std::uint64_t bytes) { m_fill = bytes > m_fill ? 0 : m_fill - bytes; }

    std::uint64_t fill() const { return m_fill; }
    std::uint64_t capacity() const { return m_capacity; }
    std::uint64_t per_stream() const { return m_per_stream; }
    void reset() { m_fill = 0; }

  private:
    std::uint64_t m_capacity;
    std::uint64_t m_per_stream;
    std::uint64_t m_fill = 0;
};

} // namespace znssim::timing
