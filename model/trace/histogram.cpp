#include "model/trace/histogram.h"

#include <cmath>

namespace znssim::trace {

// Bucket layout: indexes below 2 * sub_buckets hold one value each (magnitudes 0 and 1). A value
// v >= sub_buckets with highest set bit b falls into magnitude b - sub_bucket_bits + 1, whose
// sub_buckets buckets are 2^(b - sub_bucket_bits) wide, indexed by the bits below b.
std::size_t latency_histogram::index_of(std::uint64_t value) {
    if (value < sub_buckets) return static_cast<std::size_t>(value);
    const unsigned msb = 63u - static_cast<unsigned>(__builtin_clzll(value));
    const unsigned shift = msb - sub_bucket_bits;
    return (static_cast<std::size_t>(shift + 1) << sub_bucket_bits) +
           static_cast<std::size_t>((value >> shift) - sub_buckets);
}

std::uint64_t latency_histogram::highest_in(std::size_t index) {
    const std::size_t magnitude = index >> sub_bucket_bits;
    const std::uint64_t sub = index & (sub_buckets - 1);
    if (magnitude == 0) return sub;
    const unsigned shift = static_cast<unsigned>(magnitude - 1);
    const std::uint64_t lowest = (sub_buckets + sub) << shift;
    return lowest + ((1ull << shift) - 1); // the top bucket ends at exactly 2^64 - 1
}

void latency_histogram::record(std::uint64_t value) {
    if (m_buckets.empty()) m_buckets.assign(bucket_count, 0);
    ++m_buckets[index_of(value)];
    ++m_count;
    if (value < m_min) m_min = value;
    if (value > m_max) m_max = value;
    const long double delta = static_cast<long double>(value) - m_mean;
    m_mean += delta / static_cast<long double>(m_count);
    m_m2 += delta * (static_cast<long double>(value) - m_mean);
}

void latency_histogram::merge(const latency_histogram& other) {
    if (other.m_count == 0) return;
    if (m_count == 0) {
        *this = other;
        return;
    }
    if (m_buckets.empty()) m_buckets.assign(bucket_count, 0);
    for (std::size_t i = 0; i < other.m_buckets.size(); ++i)
        m_buckets[i] += other.m_buckets[i];
    // Chan et al.'s pairwise combination of two Welford states.
    const long double na = static_cast<long double>(m_count);
    const long double nb = static_cast<long double>(other.m_count);
    const long double n = na + nb;
    const long double delta = other.m_mean - m_mean;
    m_mean += delta * nb / n;
    m_m2 += other.m_m2 + delta * delta * na * nb / n;
    m_count += other.m_count;
    if (other.m_min < m_min) m_min = other.m_min;
    if (other.m_max > m_max) m_max = other.m_max;
}

void latency_histogram::clear() {
    *this = latency_histogram{};
}

double latency_histogram::mean() const {
    return static_cast<double>(m_mean);
}

double latency_histogram::stddev() const {
    if (m_count < 2) return 0;
    return static_cast<double>(std::sqrt(m_m2 / static_cast<long double>(m_count - 1)));
}

std::uint64_t latency_histogram::percentile(double p) const {
    if (m_count == 0) return 0;
    if (p <= 0) return min();
    if (p >= 100) return m_max;
    // The rank of the sample at or below which p % of the samples lie: ceil(p * N / 100), where
    // a product within rounding noise of an integer counts as that integer (99.99 % of 10000 is
    // rank 9999, not 10000).
    const long double exact = static_cast<long double>(p) * m_count / 100;
    const long double nearest = std::round(exact);
    long double rank = std::fabs(exact - nearest) <= 1e-9L * (nearest < 1 ? 1 : nearest)
                           ? nearest
                           : std::ceil(exact);
    if (rank < 1) rank = 1;
    const std::uint64_t wanted = static_cast<std::uint64_t>(rank);
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < m_buckets.size(); ++i) {
        seen += m_buckets[i];
        if (seen >= wanted) {
            const std::uint64_t v = highest_in(i);
            return v < m_min ? m_min : v > m_max ? m_max : v;
        }
    }
    return m_max;
}

} // namespace znssim::trace
