// The zone activity part of a run summary (run_recorder::print_activity).
#include "zns/trace/run_recorder.h"

#include <cstdio>

namespace znssim::zns {

namespace {

std::string duration_text(std::uint64_t ps) {
    char b[32];
    if (ps >= from_s(1))
        std::snprintf(b, sizeof b, "%.3f s", to_s(ps));
    else if (ps >= from_ms(1))
        std::snprintf(b, sizeof b, "%.3f ms", to_ms(ps));
    else
        std::snprintf(b, sizeof b, "%.1f us", to_us(ps));
    return b;
}

std::string limit_text(std::uint32_t limit) {
    return limit ? std::to_string(limit) : std::string("unlimited");
}

void print_latency(std::ostream& out, const char* what, std::uint64_t zones,
                   const trace::latency_histogram& h) {
    out << "  " << what << ": " << zones << (zones == 1 ? " zone" : " zones");
    if (!h.empty())
        out << ", " << h.count() << (h.count() == 1 ? " command" : " commands") << ", latency mean "
            << duration_text(static_cast<std::uint64_t>(h.mean())) << ", p50 "
            << duration_text(h.percentile(50)) << ", p99 " << duration_text(h.percentile(99))
            << ", max " << duration_text(h.max());
    out << "\n";
}

} // namespace

void run_recorder::print_activity(std::ostream& out) const {
    for (const auto& [nsid, ns] : m_timeline.namespaces()) {
        std::uint64_t moves = 0;
        for (const auto& row : ns.moves)
            for (std::uint64_t n : row)
                moves += n;
        out << "zone activity, ns " << nsid << " (" << ns.zones.size() << " zones): " << moves
            << " transitions\n";
        std::string kinds;
        for (std::size_t c = 0; c < ns.changes.size(); ++c) {
            const auto change = static_cast<zone_change>(c);
            if (!ns.changes[c] || change == zone_change::reset || change == zone_change::finish)
                continue;
            kinds += (kinds.empty() ? "" : ", ") + std::string(zone_change_name(change)) + " " +
                     std::to_string(ns.changes[c]);
        }
        if (!kinds.empty()) out << "  " << kinds << "\n";
        out << "  open zones peak " << ns.peak_open << " (limit " << limit_text(ns.max_open)
            << "), active zones peak " << ns.peak_active << " (limit " << limit_text(ns.max_active)
            << ")\n";
        print_latency(out, "resets", ns.count(zone_change::reset), m_resets.latency);
        print_latency(out, "finishes", ns.count(zone_change::finish), m_finishes.latency);
    }
}

} // namespace znssim::zns
