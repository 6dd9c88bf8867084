#pragma once
// A latency histogram with log-linear buckets (HdrHistogram-like): constant memory whatever the
// run length, relative error of a recorded value below 1/sub_buckets, exact min/max/mean.
#include <array>
#include <cstdint>
#include <vector>

namespace znssim::trace {

class latency_histogram {
  public:
    void record(std::uint64_t value);
    void merge(const latency_histogram& other);
    void clear();

    std::uint64_t count() const { return m_count; }
    bool empty() const { return m_count == 0; }
    std::uint64_t min() const { return m_count ? m_min : 0; }
    std::uint64_t max() const { return m_max; }
    double mean() const;
    /// Sample standard deviation (divides by N-1, as fio does); 0 below two samples.
    double stddev() const;
    /// The value at percentile p (0 < p <= 100): the upper edge of the bucket holding it, clamped
    /// to [min, max]; 0 when empty.
    std::uint64_t percentile(double p) const;

    /// Linear sub-buckets per power of two: a bucket's width is below 1/sub_buckets of any value
    /// in it, so percentile() is at most that fraction (3.1 %) above the exact sample.
    static constexpr unsigned sub_buckets = 32;

  private:
    // Implementation choice of the histogram; see histogram.cpp.
    static constexpr unsigned sub_bucket_bits = 5;
    // Values below 2 * sub_buckets are exact; each further power of two up to 2^64 adds one
    // magnitude: 2^(64 - sub_bucket_bits) needs 60. 60 x 32 x 8 bytes = 15 KiB per histogram.
    static constexpr unsigned magnitudes = 64 - sub_bucket_bits + 1;
    static std::size_t index_of(std::uint64_t value);
    static std::uint64_t highest_in(std::size_t index);

    static constexpr std::size_t bucket_count = std::size_t{magnitudes} << sub_bucket_bits;
    /// Allocated by the first record(): an unused histogram (most directions and zone actions
    /// of most streams) is a few words, so statistics are cheap to create and copy.
    std::vector<std::uint64_t> m_buckets;
    std::uint64_t m_count = 0;
    std::uint64_t m_min = ~0ull;
    std::uint64_t m_max = 0;
    // Welford's running mean and sum of squared deviations: no cancellation for long runs of
    // large, close values (sum of squares minus square of sums would lose them).
    long double m_mean = 0;
    long double m_m2 = 0;
};

} // namespace znssim::trace
