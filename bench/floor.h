#pragma once
// The floor: the least work any SystemC model of an NVMe device does per command — copy a 64-byte
// command, a 4 KiB block and a 16-byte completion, and wake one SystemC process. Measured here so
// the throughput benchmark can state the model's cost as a ratio of it.
#include <systemc>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

namespace znssim::bench {

class floor_module : public sc_core::sc_module {
  public:
    SC_HAS_PROCESS(floor_module);
    explicit floor_module(const sc_core::sc_module_name& name)
        : sc_core::sc_module(name), m_host(32 * 4096 + 32 * 64 + 32 * 16), m_image(64u << 20),
          m_offsets(1 << 16) {
        std::mt19937_64 rng(7);
        for (auto& o : m_offsets)
            o = (rng() % (m_image.size() / 4096)) * 4096;
        for (std::size_t i = 0; i < m_host.size(); ++i)
            m_host[i] = static_cast<std::uint8_t>(i);
        // Touch the image like the benchmark's warm-up touches the namespace.
        std::memset(m_image.data(), 1, m_image.size());
        SC_METHOD(step);
        sensitive << m_wake;
        dont_initialize();
    }

    /// Runs n iterations (call from an SC_THREAD); returns iterations per wall-clock second.
    double run(std::uint64_t n) {
        m_remaining = n;
        const auto t0 = std::chrono::steady_clock::now();
        m_wake.notify(sc_core::SC_ZERO_TIME);
        sc_core::wait(m_done);
        const double s =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        return static_cast<double>(n) / s;
    }

  private:
    void step() {
        const std::size_t slot = m_i & 31;
        std::uint8_t* sq = m_host.data() + 32 * 4096 + slot * 64;
        std::uint8_t* cq = m_host.data() + 32 * 4096 + 32 * 64 + slot * 16;
        std::memcpy(m_sqe, sq, 64);
        std::memcpy(m_image.data() + m_offsets[m_i & (m_offsets.size() - 1)],
                    m_host.data() + slot * 4096, 4096);
        std::memcpy(cq, m_cqe, 16);
        m_cqe[0] = static_cast<std::uint8_t>(m_sqe[2] + 1);
        ++m_i;
        if (--m_remaining)
            m_wake.notify(sc_core::SC_ZERO_TIME);
        else
            m_done.notify(sc_core::SC_ZERO_TIME);
    }

    std::vector<std::uint8_t> m_host;
    std::vector<std::uint8_t> m_image;
    std::vector<std::uint64_t> m_offsets;
    std::uint8_t m_sqe[64]{};
    std::uint8_t m_cqe[16]{};
    std::uint64_t m_i = 0;
    std::uint64_t m_remaining = 0;
    sc_core::sc_event m_wake, m_done;
};

} // namespace znssim::bench
