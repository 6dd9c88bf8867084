// print_text_summary: the layout of fio's normal output, so its readers feel at home.
#include "platform/workload/stats.h"

#include "platform/config/yaml_reader.h"

#include <cmath>
#include <cstdarg>
#include <cstdio>

namespace znssim::platform {
namespace {

std::string format(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
std::string format(const char* fmt, ...) {
    char buf[256];
    va_list args;
    va_start(args, fmt);
    std::vsnprintf(buf, sizeof buf, fmt, args);
    va_end(args);
    return buf;
}

/// fio's num2str: at most four significant digits, scaled by 'base' with units[k]:
/// 18900 -> "18.9k", 1237319680 bytes/s base 1024 -> "1180MiB".
std::string scaled(double value, double base, const char* const units[5]) {
    if (std::round(value) < 10000) return format("%.0f%s", value, units[0]);
    for (int k = 1; k < 5; ++k) {
        const double x = value / std::pow(base, k);
        int digits = x < 1 ? 1 : static_cast<int>(std::floor(std::log10(x))) + 1;
        int decimals = digits >= 3 ? 0 : 3 - digits;
        const double scale = std::pow(10.0, decimals);
        if (std::round(x * scale) / scale >= std::pow(10.0, digits)) {
            ++digits; // rounding carried into another digit: 9.995 -> 10.0
            decimals = digits >= 3 ? 0 : 3 - digits;
        }
        if (digits <= 4 || k == 4) return format("%.*f%s", decimals, x, units[k]);
    }
    return "";
}

const char* const count_units[] = {"", "k", "M", "G", "T"};
const char* const iec_units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
const char* const si_units[] = {"B", "kB", "MB", "GB", "TB"};

struct time_unit {
    const char* name;
    double ns;
};

/// The largest unit in which 'smallest' is still at least 1 (fio scales nsec -> usec -> msec
/// by magnitude the same way), so no value of the line prints as a fraction of its unit.
time_unit unit_for(std::uint64_t smallest_ns) {
    if (smallest_ns >= 1000'000) return {"msec", 1e6};
    if (smallest_ns >= 1000) return {"usec", 1e3};
    return {"nsec", 1};
}

std::string value_in(std::uint64_t ns, time_unit u) {
    if (u.ns == 1) return std::to_string(ns);
    return format("%.1f", static_cast<double>(ns) / u.ns);
}

void latency_line(std::ostream& out, const char* label, const latency_histogram& h) {
    const time_unit u = unit_for(h.min());
    out << "    " << label << " (" << u.name << "): min=" << value_in(h.min(), u)
        << ", max=" << value_in(h.max(), u) << format(", avg=%.2f", h.mean() / u.ns)
        << format(", stdev=%.2f", h.stddev() / u.ns) << "\n";
}

void percentile_block(std::ostream& out, const latency_histogram& h) {
    const time_unit u = unit_for(h.percentile(fio_percentiles.front()));
    out << "    clat percentiles (" << u.name << "):\n     |";
    for (std::size_t i = 0; i < fio_percentiles.size(); ++i) {
        const double v = std::round(static_cast<double>(h.percentile(fio_percentiles[i])) / u.ns);
        out << format(" %5.2fth=[%5.0f]", fio_percentiles[i], v);
        if (i + 1 == fio_percentiles.size())
            out << "\n";
        else if (i % 4 == 3)
            out << ",\n     |";
        else
            out << ",";
    }
}

std::string runtime_text(sim_time t) {
    // fio prints whole milliseconds; simulated runs are often shorter.
    if (t >= from_ms(1)) return format("%.0fmsec", to_ms(t));
    return format("%.0fusec", to_us(t));
}

void direction(std::ostream& out, const char* name, const op_stats& o, sim_time runtime) {
    if (!o.ios && !o.errors) return;
    const double seconds = to_s(runtime);
    const double iops = seconds > 0 ? static_cast<double>(o.ios) / seconds : 0;
    const double bw = seconds > 0 ? static_cast<double>(o.bytes) / seconds : 0;
    out << "  " << name << ": IOPS=" << scaled(iops, 1000, count_units)
        << ", BW=" << scaled(bw, 1024, iec_units) << "/s (" << scaled(bw, 1000, si_units) << "/s)("
        << scaled(static_cast<double>(o.bytes), 1024, iec_units) << "/" << runtime_text(runtime)
        << ")";
    if (o.errors) out << "; " << o.errors << " errors";
    out << "\n";
    if (o.clat.empty()) return;
    if (o.slat.max() > 0) latency_line(out, "slat", o.slat);
    latency_line(out, "clat", o.clat);
    if (o.slat.max() > 0) latency_line(out, " lat", o.lat);
    percentile_block(out, o.clat);
}

void zone_line(std::ostream& out, const char* name, const op_stats& o) {
    if (!o.ios && !o.errors) return;
    out << "  zone " << name << ": " << o.ios << (o.ios == 1 ? " command" : " commands");
    if (o.errors) out << ", " << o.errors << " errors";
    if (!o.clat.empty()) {
        const latency_histogram& h = o.clat;
        const time_unit u = unit_for(h.min());
        auto v = [&](double ns) { return format("%.1f", ns / u.ns); };
        out << ", lat (" << u.name << "): min=" << v(double(h.min()))
            << ", max=" << v(double(h.max())) << ", avg=" << v(h.mean())
            << ", p50=" << v(double(h.percentile(50))) << ", p99=" << v(double(h.percentile(99)));
    }
    out << "\n";
}

std::string block_text(std::uint64_t bytes) {
    std::string s = format_size(bytes);
    return s.erase(s.find(' '), 1);
}

} // namespace

void print_text_summary(std::ostream& out, const std::vector<stream_stats>& streams) {
    for (const auto& s : streams) {
        out << s.name << ": (groupid=0, jobs=1): err=" << format("%2d", s.error_code())
            << ": op=" << s.op << " bs=" << block_text(s.block_bytes) << " qd=" << s.queue_depth
            << "\n";
        if (!s.ran()) {
            out << "  no commands ran\n";
            continue;
        }
        const sim_time runtime = s.runtime();
        direction(out, "read", s.read, runtime);
        direction(out, "write", s.write, runtime);
        direction(out, "trim", s.trim, runtime);
        for (std::size_t k = 0; k < zone_action_kinds; ++k)
            zone_line(out, zone_action_name(static_cast<zone_action_kind>(k)), s.zone_mgmt[k]);
        if (s.verified_lbas || s.verify_mismatches)
            out << "  verify: " << s.verified_lbas << " LBAs checked, " << s.verify_mismatches
                << " mismatches\n";
    }
}

} // namespace znssim::platform
