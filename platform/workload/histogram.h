#pragma once
// A latency histogram with log-linear buckets (HdrHistogram-like): constant memory whatever the
// run length, relative error of a recorded value below 1/sub_buckets, exact min/max/mean.
#include <array>
#include <cstdint>

namespace znssim::platform {

class latency_histogram {
  public:
    void record(std::uint64_t value);
    void merge(const latency_histogram& other);
    void clear();

    std::uint64_t count() const { return m_count; }
    std::uint64_t min() const { return m_count ? m_min : 0; }
    std::uint64_t max() const { return m_max; }
    double mean() const;
    double stddev() const;
    /// The value at percentile p (0 < p <= 100): the upper edge of the bucket holding it, clamped
    /// to [min, max]; 0 when empty.
    std::uint64_t percentile(double p) const;

  private:
    // Implementation choice of the histogram; see histogram.cpp.
    static constexpr unsigned sub_bucket_bits = 7; // 128 linear sub-buckets per power of two
    static constexpr unsigned magnitudes = 64;
    std::array<std::uint64_t, magnitudes << sub_bucket_bits> m_buckets{};
    std::uint64_t m_count = 0;
    std::uint64_t m_min = ~0ull;
    std::uint64_t m_max = 0;
    long double m_sum = 0;
    long double m_sum_sq = 0;
};

} // namespace znssim::platform
