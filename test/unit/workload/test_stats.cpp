// Run statistics (platform/workload/stats.h): fio JSON layout and values read back, the fio-like
// text summary, error codes and runtime rules.
#include "platform/workload/stats.h"

#include <doctest/doctest.h>

#include <sstream>

using namespace znssim;
using namespace znssim::platform;
using nlohmann::json;

namespace {

/// A 1 GiB sequential writer at 64 KiB, clat 52..60 us, 868 ms; and a zone resetter.
std::vector<stream_stats> sample_streams() {
    stream_spec w;
    w.name = "writer";
    w.op = stream_op::write;
    w.block_bytes = 64 * 1024;
    w.queue_depth = 1;
    stream_stats writer = make_stream_stats(w);
    for (int i = 0; i < 16384; ++i)
        writer.write.record(64 * 1024, 52000 + (i % 9) * 1000);
    writer.started = from_ms(10);
    writer.finished = from_ms(878);
    writer.verified_lbas = 2048;

    stream_spec r;
    r.name = "resetter";
    r.op = stream_op::zone_reset;
    r.block_bytes = 4096;
    stream_stats resetter = make_stream_stats(r);
    for (int i = 0; i < 14; ++i)
        resetter.zone(zone_action_kind::reset).record(0, 1600'000 + i * 1100'000ull);
    resetter.started = from_ms(1);
    resetter.finished = from_ms(200);
    return {writer, resetter};
}

} // namespace

TEST_CASE("workload_stats: fio JSON fields read back") {
    const auto streams = sample_streams();
    std::ostringstream text;
    print_fio_json(text, streams, 1700000000);
    CHECK(text.str().rfind("{\n  \"fio version\": \"znssim-0.1\",", 0) == 0); // fio's key order
    json j = json::parse(text.str());
    CHECK(j == fio_json(streams, 1700000000));

    CHECK(j["fio version"] == "znssim-0.1");
    CHECK(j["timestamp"] == 1700000000);
    CHECK(j["timestamp_ms"] == 1700000000000ll);
    CHECK(j["time"].get<std::string>().find("2023") != std::string::npos);
    CHECK(j["global options"].is_object());
    CHECK(j["disk_util"] == json::array());
    REQUIRE(j["jobs"].size() == 2);

    const json& job = j["jobs"][0];
    CHECK(job["jobname"] == "writer");
    CHECK(job["groupid"] == 0);
    CHECK(job["error"] == 0);
    CHECK(job["job options"] == json{{"rw", "write"}, {"bs", "64k"}, {"iodepth", "1"}});
    CHECK(job["job_runtime"] == 868);

    const json& w = job["write"];
    CHECK(w["io_bytes"] == 1ull << 30);
    CHECK(w["io_kbytes"] == 1ull << 20);
    CHECK(w["bw_bytes"] == 1237029751ull); // 2^30 B / 0.868 s, rounded down
    CHECK(w["bw"] == 1237029751ull / 1024);
    CHECK(w["iops"].get<double>() == doctest::Approx(16384 / 0.868));
    CHECK(w["runtime"] == 868);
    CHECK(w["total_ios"] == 16384);
    CHECK(w["short_ios"] == 0);
    CHECK(w["drop_ios"] == 0);
    const json& clat = w["clat_ns"];
    CHECK(clat["min"] == 52000);
    CHECK(clat["max"] == 60000);
    CHECK(clat["N"] == 16384);
    CHECK(clat["mean"].get<double>() == doctest::Approx(streams[0].write.clat.mean()));
    CHECK(clat["stddev"].get<double>() == doctest::Approx(streams[0].write.clat.stddev()));
    const char* keys[] = {"1.000000",  "5.000000",  "10.000000", "20.000000", "30.000000",
                          "40.000000", "50.000000", "60.000000", "70.000000", "80.000000",
                          "90.000000", "95.000000", "99.000000", "99.500000", "99.900000",
                          "99.950000", "99.990000"};
    REQUIRE(clat["percentile"].size() == std::size(keys));
    for (const char* k : keys)
        CHECK(clat["percentile"].contains(k));
    const auto p50 = clat["percentile"]["50.000000"].get<std::uint64_t>();
    CHECK(p50 == streams[0].write.clat.percentile(50));
    CHECK(p50 >= 56000); // ranks 7285..9104 are 56 us
    CHECK(p50 <= 56000 * 1.032);
    CHECK(clat["percentile"]["99.990000"] == 60000); // clamped to max
    CHECK(w["slat_ns"]["N"] == 16384);
    CHECK(w["slat_ns"]["max"] == 0);
    CHECK_FALSE(w["slat_ns"].contains("percentile"));
    CHECK(w["lat_ns"]["min"] == 52000);
    CHECK_FALSE(w["lat_ns"].contains("percentile"));

    const json& r = job["read"];
    CHECK(r["io_bytes"] == 0);
    CHECK(r["runtime"] == 0);
    CHECK(r["iops"] == 0.0);
    CHECK(r["clat_ns"]["N"] == 0);
    CHECK_FALSE(r["clat_ns"].contains("percentile")); // as fio: none without samples
    CHECK(job["trim"]["total_ios"] == 0);
    CHECK(job["verify"] == json{{"lbas", 2048}, {"mismatches", 0}});
    CHECK(job["zone_mgmt"]["reset"]["total_ios"] == 0);

    const json& z = j["jobs"][1]["zone_mgmt"];
    for (const char* k : {"open", "close", "finish"}) {
        CHECK(z[k]["total_ios"] == 0);
        CHECK_FALSE(z[k]["lat_ns"].contains("percentile"));
    }
    CHECK(z["reset"]["total_ios"] == 14);
    CHECK(z["reset"]["lat_ns"]["min"] == 1600000);
    CHECK(z["reset"]["lat_ns"]["max"] == 1600000 + 13 * 1100000);
    CHECK(z["reset"]["lat_ns"]["N"] == 14);
    CHECK(z["reset"]["lat_ns"]["percentile"].size() == 17);
    CHECK(j["jobs"][1]["job options"]["rw"] == "reset");
    CHECK(j["jobs"][1]["write"]["runtime"] == 0); // no writes: fio reports no runtime
}

TEST_CASE("workload_stats: text summary") {
    std::ostringstream out;
    print_text_summary(out, sample_streams());
    const std::string t = out.str();
    INFO(t);
    CHECK(t.find("writer: (groupid=0, jobs=1): err= 0: op=write bs=64KiB qd=1\n") == 0);
    CHECK(t.find("\n  write: IOPS=18.9k, BW=1180MiB/s (1237MB/s)(1024MiB/868msec)\n") !=
          std::string::npos);
    CHECK(t.find("\n    clat (usec): min=52.0, max=60.0, avg=56.00, stdev=2.58\n") !=
          std::string::npos);
    CHECK(t.find("\n    clat percentiles (usec):\n     |  1.00th=[   52],  5.00th=[   52], "
                 "10.00th=[   52], 20.00th=[   53],\n     | 30.00th=[   54],") !=
          std::string::npos);
    CHECK(t.find(" 99.99th=[   60]\n") != std::string::npos);
    CHECK(t.find("  verify: 2048 LBAs checked, 0 mismatches\n") != std::string::npos);
    CHECK(t.find("slat") == std::string::npos); // no submission latency was measured
    CHECK(t.find("  read:") == std::string::npos);
    CHECK(t.find("resetter: (groupid=0, jobs=1): err= 0: op=reset bs=4KiB qd=1\n") !=
          std::string::npos);
    CHECK(t.find("  zone reset: 14 commands, lat (msec): min=1.6, max=15.9, avg=8.8, p50=") !=
          std::string::npos);
}

TEST_CASE("workload_stats: error codes, runtime and small units") {
    stream_stats s;
    s.name = "x";
    CHECK_FALSE(s.ran());
    CHECK(s.runtime() == 0);
    CHECK(s.error_code() == 0);
    std::ostringstream none;
    print_text_summary(none, {s});
    CHECK(none.str().find("no commands ran") != std::string::npos);

    s.verify_mismatches = 3;
    CHECK(s.error_code() == 84); // fio's EILSEQ for a verify failure
    s.read.errors = 1;
    s.zone(zone_action_kind::open).errors = 2;
    CHECK(s.errors() == 3);
    CHECK(s.error_code() == 5); // EIO
    CHECK(s.ran());
    CHECK(s.runtime() == from_ns(1)); // something ran: never a zero runtime

    s = stream_stats{};
    s.name = "fast";
    s.op = "randread";
    s.block_bytes = 4096;
    s.queue_depth = 32;
    for (int i = 0; i < 100; ++i)
        s.read.record(4096, 800 + i, 150);
    s.started = 0;
    s.finished = from_us(50);
    auto j = fio_json({s}, 0);
    CHECK(j["jobs"][0]["read"]["runtime"] == 1); // under 1 ms: at least 1, tools divide by it
    CHECK(j["jobs"][0]["read"]["iops"].get<double>() == doctest::Approx(2e6));
    CHECK(j["jobs"][0]["read"]["lat_ns"]["min"] == 950);
    CHECK(j["jobs"][0]["read"]["slat_ns"]["mean"] == 150.0);
    std::ostringstream out;
    print_text_summary(out, {s});
    const std::string t = out.str();
    INFO(t);
    CHECK(t.find("  read: IOPS=2000k, BW=7812MiB/s (8192MB/s)(400KiB/50usec)\n") !=
          std::string::npos);
    CHECK(t.find("    slat (nsec): min=150, max=150, avg=150.00, stdev=0.00\n") !=
          std::string::npos);
    CHECK(t.find("    clat (nsec): min=800, max=899,") != std::string::npos);
    CHECK(t.find("     lat (nsec): min=950, max=1049,") != std::string::npos);
    // 800 ns lies in a 16 ns wide bucket: reported as its upper edge.
    CHECK(t.find("    clat percentiles (nsec):\n     |  1.00th=[  815],") != std::string::npos);
    CHECK(std::string(zone_action_name(zone_action_kind::finish)) == "finish");
    CHECK(zone_action_of(stream_op::zone_close) == zone_action_kind::close);
}
