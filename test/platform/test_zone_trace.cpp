// The zone-state timeline matches the commands that caused it. A known sequence (implicit open
// by a write, explicit open, close, finish, reset, an append that fills a zone, an auto-close at
// the open limit, a zone taken offline by an injected fault) runs on a timed and on an untimed
// device with a run_recorder attached; every recorded transition is checked against the command
// in commands.csv that caused it (opcode, queue, CID, time within the command's life), and
// trace.json is checked as Chrome trace JSON (fields, nesting and time order per track).
#include "test/platform/harness_main.h"

#include "zns/trace/run_recorder.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

using namespace znssim;
using namespace znssim::platform;

namespace {

constexpr std::uint32_t nsid = 1;
constexpr std::uint64_t zsze = 256; // 1 MiB zones of 4 KiB LBAs, 128 KiB (32 LBAs) writable
enum : std::uint8_t { zsa_close = 1, zsa_finish = 2, zsa_open = 3, zsa_reset = 4 };

const char* const zoned_ns = R"(
namespaces:
  - nsid: 1
    image: %s.img
    type: zoned
    zoned:
      zone_size: 1 MiB
      zone_capacity: 128 KiB
      zones: 16
      max_open: 2
      max_active: 4
      faults: [{zone: 7, state: offline, after: 50ms}]
)";

const char* const timing = R"(
platform: {timing: timed}
timing:
  pcie: {generation: 3, lanes: 4, read_latency: 1us}
  controller: {doorbell_to_fetch: 0, processors: 1, read_cost: 2us, write_cost: 3us,
               zone_mgmt_cost: 4us, completion_cost: 0, program_dispatch_cost: 0}
  flash: {channels: 1, dies_per_channel: 2, planes: 1, page_size: 16 KiB, cell_bits: 1,
          read_time: 50us, program_time: 1ms, erase_time: 3ms, block_size: 1 MiB,
          channel_rate: 1000 MB/s}
  write_buffer: {size: 1 MiB, ingest_rate: 1000 MB/s}
  zones: {metadata_program: 2ms, open_cost: 5us, close_cost: 5us, implicit_open_cost: 5us}
  host: {completions: polled, submit_cost: 0, complete_cost: 0}
)";

std::string config(const char* tag, bool timed) {
    char text[1024];
    std::snprintf(text, sizeof text, zoned_ns, tag);
    return std::string(text) + (timed ? timing : "");
}

std::filesystem::path out_dir(std::size_t system) {
    return std::filesystem::path(test::temp_dir()) / (system ? "trace-untimed" : "trace-timed");
}

using row = std::map<std::string, std::string>;

std::vector<row> read_csv(const std::filesystem::path& path) {
    std::ifstream in(path);
    REQUIRE_MESSAGE(in.good(), path.string());
    auto split = [](const std::string& line) {
        std::vector<std::string> cells;
        std::stringstream s(line);
        std::string cell;
        while (std::getline(s, cell, ','))
            cells.push_back(cell);
        if (!line.empty() && line.back() == ',') cells.emplace_back();
        return cells;
    };
    std::string line;
    std::getline(in, line);
    const auto header = split(line);
    std::vector<row> rows;
    while (std::getline(in, line)) {
        const auto cells = split(line);
        REQUIRE_MESSAGE(cells.size() == header.size(), path.string() << ": " << line);
        row r;
        for (std::size_t i = 0; i < cells.size(); ++i)
            r[header[i]] = cells[i];
        rows.push_back(r);
    }
    return rows;
}

/// "1.000000250" (seconds with nanosecond decimals) as nanoseconds.
std::uint64_t ns(const std::string& seconds) {
    const auto dot = seconds.find('.');
    REQUIRE(dot != std::string::npos);
    REQUIRE(seconds.size() - dot - 1 == 9);
    return std::stoull(seconds.substr(0, dot)) * 1000000000ull +
           std::stoull(seconds.substr(dot + 1));
}

/// What one test sequence did: the completions of its commands, in order.
struct sequence {
    completion write0, open1, close1, finish0, reset0, append2, write3, write4, write5;
};

completion check(const completion& c, const char* what) {
    INFO(what);
    REQUIRE(c.ok());
    return c;
}

sequence run_sequence(std::size_t system) {
    auto& d = test::driver(system);
    auto buf = d.alloc(32 * 4096);
    std::memset(buf.data(), 0x5a, buf.size());
    sequence s;
    s.write0 = check(d.write(nsid, 0, 8, buf), "write zone 0");
    s.open1 = check(d.zone_mgmt_send(nsid, 1 * zsze, zsa_open), "open zone 1");
    s.close1 = check(d.zone_mgmt_send(nsid, 1 * zsze, zsa_close), "close zone 1");
    s.finish0 = check(d.zone_mgmt_send(nsid, 0, zsa_finish), "finish zone 0");
    s.reset0 = check(d.zone_mgmt_send(nsid, 0, zsa_reset), "reset zone 0");
    s.append2 = check(d.zone_append(nsid, 2 * zsze, 32, buf), "append 32 blocks to zone 2");
    s.write3 = check(d.write(nsid, 3 * zsze, 1, buf), "write zone 3");
    s.write4 = check(d.write(nsid, 4 * zsze, 1, buf), "write zone 4");
    // Zone 1 (closed), 3 and 4 are active and 3, 4 open: the limit of 2 open zones makes the
    // controller close zone 3, the one opened first, to open zone 5.
    s.write5 = check(d.write(nsid, 5 * zsze, 1, buf), "write zone 5");
    return s;
}

struct expected {
    std::uint32_t zone;
    const char* event;
    const char* from;
    const char* to;
    const char* cause;
    const completion* by; ///< nullptr: the controller on its own
    std::uint8_t opcode;
    std::uint32_t command_zone; ///< the zone the causing command acted on
    unsigned open, active;
};

void check_timeline(std::size_t system, const sequence& s) {
    const auto dir = out_dir(system);
    const auto zones = read_csv(dir / "zones.csv");
    const auto commands = read_csv(dir / "commands.csv");
    // The commands of the I/O queue by CID (the sequence uses few enough not to reuse one).
    std::map<std::string, row> by_cid;
    for (const row& c : commands)
        if (c.at("sqid") != "0") by_cid[c.at("cid")] = c;

    const std::vector<expected> want = {
        {0, "implicit_open", "empty", "implicitly-open", "write", &s.write0, 0x01, 0, 1, 1},
        {1, "explicit_open", "empty", "explicitly-open", "action", &s.open1, 0x79, 1, 2, 2},
        {1, "close", "explicitly-open", "closed", "action", &s.close1, 0x79, 1, 1, 2},
        {0, "finish", "implicitly-open", "full", "action", &s.finish0, 0x79, 0, 0, 1},
        {0, "reset", "full", "empty", "action", &s.reset0, 0x79, 0, 0, 1},
        {2, "implicit_open", "empty", "implicitly-open", "write", &s.append2, 0x7d, 2, 1, 2},
        {2, "full", "implicitly-open", "full", "write", &s.append2, 0x7d, 2, 0, 1},
        {3, "implicit_open", "empty", "implicitly-open", "write", &s.write3, 0x01, 3, 1, 2},
        {4, "implicit_open", "empty", "implicitly-open", "write", &s.write4, 0x01, 4, 2, 3},
        {3, "auto_close", "implicitly-open", "closed", "auto_close", &s.write5, 0x01, 5, 1, 3},
        {5, "implicit_open", "empty", "implicitly-open", "write", &s.write5, 0x01, 5, 2, 4},
        {7, "offline", "empty", "offline", "fault", nullptr, 0, 0, 2, 4},
    };
    REQUIRE(zones.size() == want.size());
    std::uint64_t previous = 0;
    for (std::size_t i = 0; i < want.size(); ++i) {
        const row& z = zones[i];
        const expected& w = want[i];
        INFO("zones.csv row " << i + 1 << ": zone " << z.at("zone") << " " << z.at("event"));
        CHECK(z.at("nsid") == "1");
        CHECK(z.at("zone") == std::to_string(w.zone));
        CHECK(z.at("event") == w.event);
        CHECK(z.at("from") == w.from);
        CHECK(z.at("to") == w.to);
        CHECK(z.at("cause") == w.cause);
        CHECK(z.at("open") == std::to_string(w.open));
        CHECK(z.at("active") == std::to_string(w.active));
        const std::uint64_t at = ns(z.at("time_s"));
        CHECK(at >= previous); // in time order
        previous = at;
        if (!w.by) {
            CHECK(z.at("opcode").empty());
            CHECK(z.at("cid").empty());
            CHECK(at == 50'000'000); // the fault's time, exactly
            continue;
        }
        char opcode[8];
        std::snprintf(opcode, sizeof opcode, "0x%02x", w.opcode);
        CHECK(z.at("opcode") == opcode);
        CHECK(z.at("sqid") == std::to_string(w.by->sqid));
        CHECK(z.at("cid") == std::to_string(w.by->cid));
        REQUIRE(by_cid.count(z.at("cid")));
        const row& c = by_cid.at(z.at("cid"));
        CHECK(c.at("opcode") == opcode);
        CHECK(c.at("status") == "0x0");
        // Between the command's fetch and its completion; a zone action changes the zone as
        // it completes.
        CHECK(ns(c.at("fetched_s")) <= at);
        CHECK(at <= ns(c.at("completed_s")));
        if (std::string(w.cause) == "action") CHECK(at == ns(c.at("completed_s")));
        CHECK(c.at("zone") == std::to_string(w.command_zone));
    }
}

void check_residency(std::size_t system, const zns::run_recorder& rec) {
    const auto rows = read_csv(out_dir(system) / "zone-residency.csv");
    REQUIRE(rows.size() == 16);
    const row& z0 = rows[0];
    CHECK(z0.at("resets") == "1");
    CHECK(z0.at("finishes") == "1");
    CHECK(z0.at("transitions") == "3");
    CHECK(rows[1].at("transitions") == "2");
    CHECK(rows[2].at("full_s") != "0.000000000");
    CHECK(rows[15].at("transitions") == "0");
    // Every zone's times add up to the length of the run.
    const std::uint64_t run =
        ns(rows[0].at("empty_s")) + ns(rows[0].at("implicitly_open_s")) + ns(rows[0].at("full_s"));
    for (const row& r : rows) {
        std::uint64_t total = 0;
        for (const char* col : {"empty_s", "implicitly_open_s", "explicitly_open_s", "closed_s",
                                "full_s", "read_only_s", "offline_s"})
            total += ns(r.at(col));
        CHECK(total == doctest::Approx(run).epsilon(1e-6));
    }
    const zns::namespace_history* h = rec.timeline().find(nsid);
    REQUIRE(h);
    CHECK(h->peak_open == 2);
    CHECK(h->peak_active == 4);
    CHECK(h->count(zns::zone_change::auto_close) == 1);
    CHECK(h->count(zns::zone_change::offline) == 1);
    CHECK(rec.resets().latency.count() == 1);
    CHECK(rec.finishes().latency.count() == 1);

    const auto limits = read_csv(out_dir(system) / "limits.csv");
    REQUIRE(limits.size() >= 2);
    unsigned peak_open = 0, peak_active = 0;
    for (const row& l : limits) {
        CHECK(l.at("max_open") == "2");
        CHECK(l.at("max_active") == "4");
        peak_open = std::max(peak_open, unsigned(std::stoul(l.at("open"))));
        peak_active = std::max(peak_active, unsigned(std::stoul(l.at("active"))));
    }
    CHECK(peak_open == 2);
    CHECK(peak_active == 4);
}

/// Chrome trace JSON: the fields each phase needs, and per track (pid, tid) slices in time
/// order and properly nested (a slice inside another ends within it).
void check_trace(std::size_t system) {
    std::ifstream in(out_dir(system) / "trace.json");
    const auto doc = nlohmann::json::parse(in); // throws on malformed JSON
    REQUIRE(doc.contains("traceEvents"));
    CHECK(doc.value("displayTimeUnit", "") == "ns");
    struct track {
        double last_start = -1;
        std::vector<double> open_ends; ///< the slices the next one may nest in
    };
    std::map<std::pair<long, long>, track> tracks;
    std::map<std::pair<long, std::string>, double> counters;
    unsigned slices = 0, zone_states = 0, zone_actions = 0, counter_events = 0;
    for (const auto& e : doc.at("traceEvents")) {
        REQUIRE(e.contains("ph"));
        REQUIRE(e.contains("pid"));
        REQUIRE(e.contains("name"));
        const std::string ph = e.at("ph");
        if (ph == "M") continue;
        REQUIRE(e.contains("ts"));
        const double ts = e.at("ts");
        CHECK(ts >= 0);
        if (ph == "C") {
            ++counter_events;
            REQUIRE(e.contains("args"));
            double& last = counters[{e.at("pid").get<long>(), e.at("name").get<std::string>()}];
            CHECK(ts >= last);
            last = ts;
            continue;
        }
        REQUIRE(ph == "X");
        REQUIRE(e.contains("tid"));
        REQUIRE(e.contains("dur"));
        const double dur = e.at("dur");
        CHECK(dur >= 0);
        ++slices;
        const long pid = e.at("pid");
        if (pid >= 100000) {
            const std::string name = e.at("name");
            if (name.rfind("zone ", 0) == 0)
                ++zone_actions;
            else
                ++zone_states;
        }
        track& t = tracks[{pid, e.at("tid").get<long>()}];
        INFO("track " << pid << "/" << e.at("tid") << " slice " << e.at("name") << " at " << ts);
        CHECK(ts >= t.last_start);
        t.last_start = ts;
        // Tolerance: timestamps are microseconds with nanosecond decimals.
        while (!t.open_ends.empty() && t.open_ends.back() <= ts + 1e-6)
            t.open_ends.pop_back();
        if (!t.open_ends.empty()) CHECK(ts + dur <= t.open_ends.back() + 1e-6);
        t.open_ends.push_back(ts + dur);
    }
    CHECK(slices > 10);
    // Zones 0 (implicitly open, full), 1 (explicitly open, closed), 2, 3, 4, 5 and 7: their
    // non-empty states; the open, close, finish and reset on zones 0 and 1.
    CHECK(zone_states >= 9);
    CHECK(zone_actions == 4);
    CHECK(counter_events >= 10);
}

std::unique_ptr<zns::run_recorder> recorders[2];

void record(std::size_t system) {
    std::filesystem::create_directories(out_dir(system));
    zns::recorder_options options;
    options.dir = out_dir(system).string();
    recorders[system] = std::make_unique<zns::run_recorder>(options);
    recorders[system]->attach(test::sys(system).device().core().core(),
                              &test::sys(system).timing());
}

void finish(std::size_t system) {
    recorders[system]->finish(from_sc_time(sc_core::sc_time_stamp()));
    CHECK(recorders[system]->error().empty());
}

} // namespace

void znssim::test::setup(harness& h) {
    h.add_system_yaml("timed", config("timed", true));
    h.add_system_yaml("untimed", config("untimed", false));
}

TEST_CASE("zone trace: the transitions of a timed and an untimed run match their commands") {
    // Both sequences run before the fault (at 50 ms of simulated time), so that each timeline
    // holds it as the controller's own transition.
    record(0);
    record(1);
    const sequence timed = run_sequence(0);
    const sequence untimed = run_sequence(1);
    REQUIRE(sc_core::sc_time_stamp() < sc_core::sc_time(50, sc_core::SC_MS));
    sc_core::wait(sc_core::sc_time(60, sc_core::SC_MS) - sc_core::sc_time_stamp());
    finish(0);
    finish(1);
    for (std::size_t system : {0, 1}) {
        INFO((system ? "untimed" : "timed"));
        check_timeline(system, system ? untimed : timed);
        check_residency(system, *recorders[system]);
        check_trace(system);
    }
}
