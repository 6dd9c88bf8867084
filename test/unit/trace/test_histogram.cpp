// Latency histogram (model/trace/histogram.h): exact small values, bounded error for large
// ones against a sorted reference, merge, empty, extreme values.
#include "model/trace/histogram.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

using namespace znssim::trace;

namespace {

const double fio_percentiles[] = {1,  5,  10, 20, 30,   40,   50,    60,   70,
                                  80, 90, 95, 99, 99.5, 99.9, 99.95, 99.99};

/// The exact sample at or below which p % of the sorted samples lie (fio's definition).
std::uint64_t exact_percentile(const std::vector<std::uint64_t>& sorted, double p) {
    double r = p * static_cast<double>(sorted.size()) / 100;
    double k = std::round(r);
    std::size_t rank = std::fabs(r - k) < 1e-9 * std::max(1.0, k)
                           ? static_cast<std::size_t>(k)
                           : static_cast<std::size_t>(std::ceil(r));
    rank = std::clamp<std::size_t>(rank, 1, sorted.size());
    return sorted[rank - 1];
}

double exact_mean(const std::vector<std::uint64_t>& v) {
    long double s = 0;
    for (auto x : v)
        s += x;
    return static_cast<double>(s / v.size());
}

double exact_stddev(const std::vector<std::uint64_t>& v) {
    long double m = exact_mean(v), s = 0;
    for (auto x : v)
        s += (x - m) * (x - m);
    return static_cast<double>(std::sqrt(s / (v.size() - 1)));
}

} // namespace

TEST_CASE("workload_histogram: small footprint") {
    CHECK(sizeof(latency_histogram) <= 16 * 1024);
}

TEST_CASE("workload_histogram: empty histogram reports zeros") {
    latency_histogram h;
    CHECK(h.empty());
    CHECK(h.count() == 0);
    CHECK(h.min() == 0);
    CHECK(h.max() == 0);
    CHECK(h.mean() == 0);
    CHECK(h.stddev() == 0);
    CHECK(h.percentile(50) == 0);
    CHECK(h.percentile(100) == 0);
}

TEST_CASE("workload_histogram: values below 64 are exact") {
    latency_histogram h;
    std::vector<std::uint64_t> v;
    for (std::uint64_t i = 0; i < 64; ++i)
        for (std::uint64_t k = 0; k <= i % 3; ++k) {
            h.record(i);
            v.push_back(i);
        }
    std::sort(v.begin(), v.end());
    for (double p : fio_percentiles)
        CHECK(h.percentile(p) == exact_percentile(v, p));
    for (double p = 0.5; p <= 100; p += 0.5)
        CHECK(h.percentile(p) == exact_percentile(v, p));
    CHECK(h.min() == 0);
    CHECK(h.max() == 63);
    CHECK(h.count() == v.size());
    CHECK(h.mean() == doctest::Approx(exact_mean(v)).epsilon(1e-12));
    CHECK(h.stddev() == doctest::Approx(exact_stddev(v)).epsilon(1e-12));
}

TEST_CASE("workload_histogram: one sample is every percentile") {
    latency_histogram h;
    h.record(123456789);
    for (double p : fio_percentiles)
        CHECK(h.percentile(p) == 123456789);
    CHECK(h.min() == 123456789);
    CHECK(h.max() == 123456789);
    CHECK(h.mean() == 123456789.0);
    CHECK(h.stddev() == 0);
}

TEST_CASE("workload_histogram: random large values within the bucket error") {
    std::mt19937_64 rng(7);
    // Log-uniform from 100 ns to ~10 s, plus a tight cluster (a typical latency peak).
    std::uniform_real_distribution<double> exponent(2, 10);
    std::normal_distribution<double> peak(53000, 400);
    latency_histogram h;
    std::vector<std::uint64_t> v;
    for (int i = 0; i < 20000; ++i) {
        double x = i % 2 ? std::pow(10.0, exponent(rng)) : std::max(1.0, peak(rng));
        auto value = static_cast<std::uint64_t>(x);
        h.record(value);
        v.push_back(value);
    }
    std::sort(v.begin(), v.end());
    for (double p : fio_percentiles) {
        const std::uint64_t exact = exact_percentile(v, p);
        const std::uint64_t got = h.percentile(p);
        CAPTURE(p);
        CHECK(got >= exact); // the upper edge of the exact sample's bucket
        CHECK(static_cast<double>(got - exact) <= exact / double(latency_histogram::sub_buckets));
    }
    for (double p = 0.1; p < 100; p += 0.7) {
        const std::uint64_t exact = exact_percentile(v, p);
        CAPTURE(p);
        CHECK(std::fabs(double(h.percentile(p)) - double(exact)) <= exact * 0.0313);
    }
    CHECK(h.percentile(100) == v.back());
    CHECK(h.max() == v.back());
    CHECK(h.min() == v.front());
    CHECK(h.mean() == doctest::Approx(exact_mean(v)).epsilon(1e-12));
    CHECK(h.stddev() == doctest::Approx(exact_stddev(v)).epsilon(1e-9));
}

TEST_CASE("workload_histogram: extreme values up to 2^64-1") {
    latency_histogram h;
    h.record(~0ull);
    h.record(1ull << 63);
    h.record(0);
    CHECK(h.max() == ~0ull);
    CHECK(h.min() == 0);
    CHECK(h.percentile(100) == ~0ull);
    CHECK(h.percentile(10) == 0);
    // 2^63 is the lowest value of its bucket; the report is that bucket's upper edge.
    const std::uint64_t p50 = h.percentile(50);
    CHECK(p50 >= 1ull << 63);
    CHECK(double(p50 - (1ull << 63)) <= std::ldexp(1.0, 63) / 32);
}

TEST_CASE("workload_histogram: merge equals recording everything in one") {
    std::mt19937_64 rng(11);
    std::uniform_int_distribution<std::uint64_t> d(1000, 5000000);
    latency_histogram a, b, all;
    for (int i = 0; i < 3000; ++i) {
        auto x = d(rng);
        (i % 3 ? a : b).record(x);
        all.record(x);
    }
    latency_histogram m = a;
    m.merge(b);
    CHECK(m.count() == all.count());
    CHECK(m.min() == all.min());
    CHECK(m.max() == all.max());
    CHECK(m.mean() == doctest::Approx(all.mean()).epsilon(1e-12));
    CHECK(m.stddev() == doctest::Approx(all.stddev()).epsilon(1e-9));
    for (double p : fio_percentiles)
        CHECK(m.percentile(p) == all.percentile(p));

    latency_histogram empty;
    m.merge(empty);
    CHECK(m.count() == all.count());
    empty.merge(a);
    CHECK(empty.count() == a.count());
    CHECK(empty.percentile(50) == a.percentile(50));
    CHECK(empty.min() == a.min());

    m.clear();
    CHECK(m.empty());
    CHECK(m.min() == 0);
    CHECK(m.percentile(99) == 0);
}
