#include "platform/workload/stats.h"

#include <cstdio>

namespace znssim::platform {

const std::array<double, 17> fio_percentiles = {1,  5,  10, 20, 30,   40,   50,    60,   70,
                                                80, 90, 95, 99, 99.5, 99.9, 99.95, 99.99};

namespace {

using ojson = nlohmann::ordered_json;

const char* const zone_action_names[] = {"open", "close", "finish", "reset"};

/// "64k" style, as an fio job option would read (fio's k/m/g are 1024-based).
std::string fio_size_option(std::uint64_t bytes) {
    if (bytes != 0 && bytes % (1ull << 30) == 0) return std::to_string(bytes >> 30) + "g";
    if (bytes != 0 && bytes % (1ull << 20) == 0) return std::to_string(bytes >> 20) + "m";
    if (bytes != 0 && bytes % (1ull << 10) == 0) return std::to_string(bytes >> 10) + "k";
    return std::to_string(bytes);
}

/// {min, max, mean, stddev, N} and, when asked and there are samples, the percentiles; fio
/// leaves "percentile" out of an empty clat_ns.
ojson latency_json(const latency_histogram& h, bool percentiles) {
    ojson j;
    j["min"] = h.min();
    j["max"] = h.max();
    j["mean"] = h.mean();
    j["stddev"] = h.stddev();
    j["N"] = h.count();
    if (percentiles && !h.empty()) {
        ojson p = ojson::object();
        for (double q : fio_percentiles) {
            char key[32];
            std::snprintf(key, sizeof key, "%f", q);
            p[key] = h.percentile(q);
        }
        j["percentile"] = p;
    }
    return j;
}

ojson direction_json(const op_stats& o, sim_time runtime) {
    // Rates come from the exact simulated runtime: fio divides by whole milliseconds, which
    // would make any run shorter than 1 ms report nothing.
    const sim_time t = o.ios ? runtime : 0;
    std::uint64_t bw_bytes = 0;
    double iops = 0;
    std::uint64_t runtime_ms = 0;
    if (t) {
        using u128 = unsigned __int128;
        bw_bytes = static_cast<std::uint64_t>(u128(o.bytes) * 1000'000'000'000ull / t);
        iops = static_cast<double>(o.ios) * 1e12 / static_cast<double>(t);
        runtime_ms = (t + 500'000'000ull) / 1000'000'000ull;
        if (runtime_ms == 0) runtime_ms = 1; // tools divide by it
    }
    ojson j;
    j["io_bytes"] = o.bytes;
    j["io_kbytes"] = o.bytes >> 10;
    j["bw_bytes"] = bw_bytes;
    j["bw"] = bw_bytes >> 10;
    j["iops"] = iops;
    j["runtime"] = runtime_ms;
    j["total_ios"] = o.ios;
    j["short_ios"] = 0;
    j["drop_ios"] = 0;
    j["slat_ns"] = latency_json(o.slat, false);
    j["clat_ns"] = latency_json(o.clat, true);
    j["lat_ns"] = latency_json(o.lat, false);
    return j;
}

ojson job_json(const stream_stats& s) {
    ojson j;
    j["jobname"] = s.name;
    j["groupid"] = 0;
    j["error"] = s.error_code();
    ojson opts;
    opts["rw"] = s.op;
    opts["bs"] = fio_size_option(s.block_bytes);
    opts["iodepth"] = std::to_string(s.queue_depth);
    j["job options"] = opts;
    const sim_time runtime = s.runtime();
    j["read"] = direction_json(s.read, runtime);
    j["write"] = direction_json(s.write, runtime);
    j["trim"] = direction_json(s.trim, runtime);
    j["job_runtime"] = (runtime + 500'000'000ull) / 1000'000'000ull;
    ojson zones;
    for (std::size_t k = 0; k < zone_action_kinds; ++k) {
        ojson z;
        z["total_ios"] = s.zone_mgmt[k].ios;
        z["lat_ns"] = latency_json(s.zone_mgmt[k].clat, true);
        zones[zone_action_names[k]] = z;
    }
    j["zone_mgmt"] = zones;
    j["verify"] = {{"lbas", s.verified_lbas}, {"mismatches", s.verify_mismatches}};
    return j;
}

} // namespace

void op_stats::record(std::uint64_t bytes_moved, std::uint64_t clat_ns, std::uint64_t slat_ns) {
    ++ios;
    bytes += bytes_moved;
    clat.record(clat_ns);
    slat.record(slat_ns);
    lat.record(clat_ns + slat_ns);
}

void op_stats::merge(const op_stats& other) {
    ios += other.ios;
    bytes += other.bytes;
    errors += other.errors;
    clat.merge(other.clat);
    slat.merge(other.slat);
    lat.merge(other.lat);
}

const char* zone_action_name(zone_action_kind k) {
    return zone_action_names[static_cast<std::size_t>(k)];
}

zone_action_kind zone_action_of(stream_op op) {
    switch (op) {
    case stream_op::zone_open:
        return zone_action_kind::open;
    case stream_op::zone_close:
        return zone_action_kind::close;
    case stream_op::zone_finish:
        return zone_action_kind::finish;
    default:
        return zone_action_kind::reset;
    }
}

std::uint64_t stream_stats::errors() const {
    std::uint64_t n = read.errors + write.errors + trim.errors;
    for (const auto& z : zone_mgmt)
        n += z.errors;
    return n;
}

bool stream_stats::ran() const {
    if (read.ios || write.ios || trim.ios || errors()) return true;
    for (const auto& z : zone_mgmt)
        if (z.ios) return true;
    return false;
}

sim_time stream_stats::runtime() const {
    if (!ran()) return 0;
    const sim_time t = finished > started ? finished - started : 0;
    return t < from_ns(1) ? from_ns(1) : t;
}

int stream_stats::error_code() const {
    if (errors()) return 5;
    if (verify_mismatches) return 84;
    return 0;
}

stream_stats make_stream_stats(const stream_spec& s) {
    stream_stats st;
    st.name = s.name;
    st.op = stream_op_name(s.op);
    st.queue_depth = s.queue_depth;
    st.block_bytes = s.block_bytes;
    return st;
}

nlohmann::ordered_json fio_json_ordered(const std::vector<stream_stats>& streams,
                                        std::time_t when) {
    char text[64] = "";
    std::tm local{};
    if (localtime_r(&when, &local))
        std::strftime(text, sizeof text, "%a %b %e %H:%M:%S %Y", &local);
    ojson j;
    j["fio version"] = "znssim-0.1";
    j["timestamp"] = static_cast<std::int64_t>(when);
    j["timestamp_ms"] = static_cast<std::int64_t>(when) * 1000;
    j["time"] = text;
    j["global options"] = ojson::object();
    ojson jobs = ojson::array();
    for (const auto& s : streams)
        jobs.push_back(job_json(s));
    j["jobs"] = jobs;
    j["disk_util"] = ojson::array();
    return j;
}

nlohmann::json fio_json(const std::vector<stream_stats>& streams, std::time_t when) {
    return nlohmann::json(fio_json_ordered(streams, when));
}

void print_fio_json(std::ostream& out, const std::vector<stream_stats>& streams, std::time_t when) {
    out << fio_json_ordered(streams, when).dump(2) << "\n";
}

} // namespace znssim::platform
