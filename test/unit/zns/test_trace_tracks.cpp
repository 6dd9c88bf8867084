// The Chrome trace of a run: valid JSON, every track's slices in time order and nested, command
// lanes that never overlap, zone actions inside the states they ended, and a window, a sampling
// rate and an event cap that bound the file and say what they dropped.
#include "zns/trace/trace_tracks.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <unistd.h>

using namespace znssim;
using namespace znssim::zns;
using nlohmann::json;

namespace {

std::string temp_path(const char* name) {
    return (std::filesystem::temp_directory_path() /
            (std::string("znssim-tracks-") + std::to_string(::getpid()) + "-" + name))
        .string();
}

json load(const std::string& path) {
    std::ifstream in(path);
    json doc = json::parse(in);
    std::filesystem::remove(path);
    return doc;
}

nvme::command_record command(std::uint16_t sqid, std::uint16_t cid, sim_time submitted,
                             sim_time completed) {
    nvme::command_record r;
    r.sqid = sqid;
    r.cid = cid;
    r.nsid = 1;
    r.opcode = 0x02;
    r.submitted = submitted;
    r.fetched = submitted + from_us(1);
    r.completed = completed;
    return r;
}

/// The slices of the file (ph X) per track, in file order; checks each track's order and
/// nesting on the way.
std::map<std::pair<long, long>, std::vector<json>> slices_by_track(const json& doc) {
    std::map<std::pair<long, long>, std::vector<json>> tracks;
    for (const json& e : doc.at("traceEvents")) {
        if (e.at("ph") != "X") continue;
        auto& t = tracks[{e.at("pid").get<long>(), e.at("tid").get<long>()}];
        if (!t.empty()) {
            const json& prev = t.back();
            const double prev_ts = prev.at("ts"), prev_end = prev_ts + prev.at("dur").get<double>();
            const double ts = e.at("ts"), end = ts + e.at("dur").get<double>();
            CHECK(ts >= prev_ts);
            // Either after the previous slice or inside it.
            CHECK((ts >= prev_end - 1e-6 || end <= prev_end + 1e-6));
        }
        t.push_back(e);
    }
    return tracks;
}

} // namespace

TEST_CASE("trace tracks: overlapping commands take lanes of their queue, media inside") {
    const std::string path = temp_path("lanes.json");
    {
        trace_tracks t(path, {});
        auto a = command(1, 1, from_us(0), from_us(10));
        a.media_start = from_us(2);
        a.media_end = from_us(8);
        t.command(a, "read");
        t.command(command(1, 2, from_us(5), from_us(12)), "read");   // overlaps a: lane 1
        t.command(command(1, 3, from_us(11), from_us(20)), "write"); // after a: lane 0
        t.command(command(2, 1, from_us(0), from_us(3)), "flush");   // another queue
        t.close();
    }
    const json doc = load(path);
    CHECK(doc.at("displayTimeUnit") == "ns");
    const auto tracks = slices_by_track(doc);
    const long sq1 = 1001, sq2 = 1002, lane0 = 1L << 16, lane1 = lane0 + 1;
    REQUIRE(tracks.count({sq1, lane0}));
    REQUIRE(tracks.count({sq1, lane1}));
    REQUIRE(tracks.count({sq2, 2L << 16}));
    const auto& l0 = tracks.at({sq1, lane0});
    REQUIRE(l0.size() == 3); // cid 1, its media, cid 3
    CHECK(l0[0].at("name") == "read");
    CHECK(l0[0].at("args").at("cid") == 1);
    CHECK(l0[0].at("dur").get<double>() == doctest::Approx(10));
    CHECK(l0[1].at("name") == "media");
    CHECK(l0[1].at("ts").get<double>() == doctest::Approx(2));
    CHECK(l0[2].at("args").at("cid") == 3);
    CHECK(tracks.at({sq1, lane1}).at(0).at("args").at("cid") == 2);
    // Every process and lane is named.
    std::map<long, std::string> processes;
    for (const json& e : doc.at("traceEvents"))
        if (e.at("ph") == "M" && e.at("name") == "process_name")
            processes[e.at("pid")] = e.at("args").at("name");
    CHECK(processes[sq1] == "SQ 1");
    CHECK(processes[1] == "device");
}

TEST_CASE("trace tracks: zone actions sit inside the state they ended, in time order") {
    const std::string path = temp_path("zones.json");
    {
        trace_tracks t(path, {});
        t.add_namespace(1);
        // Zone 0: opened by an Open action [10, 20] (inside Empty, which has no slice), closed
        // by a Close action [30, 40], then reset while Closed [50, 60].
        t.zone_state(1, 0, {zone_state::empty, 0, from_us(20), zone_cause::restore});
        t.zone_action(1, 0, "zone open", from_us(10), from_us(20), 7);
        t.zone_state(1, 0, {zone_state::exp_open, from_us(20), from_us(40), zone_cause::action});
        t.zone_action(1, 0, "zone close", from_us(30), from_us(40), 8);
        t.zone_state(1, 0, {zone_state::closed, from_us(40), from_us(60), zone_cause::action});
        t.zone_action(1, 0, "zone reset", from_us(50), from_us(60), 9);
        t.zone_counts(1, from_us(20), 1, 1);
        t.zone_counts(1, from_us(20), 1, 1); // unchanged: no event
        t.zone_counts(1, from_us(40), 0, 1);
        t.close();
    }
    const json doc = load(path);
    const auto tracks = slices_by_track(doc);
    const auto& z0 = tracks.at({100001, 1});
    std::vector<std::string> names;
    for (const json& e : z0)
        names.push_back(e.at("name"));
    CHECK(names == std::vector<std::string>{"zone open", "explicitly-open", "zone close", "closed",
                                            "zone reset"});
    CHECK(z0[1].at("args").at("entered_by") == "action");
    CHECK(z0[4].at("args").at("cid") == 9);
    unsigned counters = 0;
    for (const json& e : doc.at("traceEvents"))
        if (e.at("ph") == "C") ++counters;
    CHECK(counters == 2);
}

TEST_CASE("trace tracks: a window clips, sampling thins, a cap stops and says so") {
    const std::string path = temp_path("bounded.json");
    trace_window w;
    w.start = from_us(100);
    w.end = from_us(200);
    w.sample_every = 2;
    w.max_events = 8;
    {
        trace_tracks t(path, w);
        t.add_namespace(1);
        t.command(command(1, 1, from_us(0), from_us(50)), "early");   // before the window
        t.command(command(1, 2, from_us(300), from_us(310)), "late"); // after it (not sampled)
        t.command(command(1, 3, from_us(300), from_us(310)), "late"); // after it
        t.zone_state(1, 2, {zone_state::imp_open, from_us(50), from_us(150), zone_cause::write});
        for (std::uint16_t cid = 10; cid < 60; ++cid)
            t.command(command(1, cid, from_us(100 + cid), from_us(101 + cid)), "read");
        t.close();
    }
    const json doc = load(path);
    const auto tracks = slices_by_track(doc);
    unsigned reads = 0;
    for (const auto& [key, slices] : tracks) {
        for (const json& e : slices) {
            const double ts = e.at("ts"), end = ts + e.at("dur").get<double>();
            CHECK(ts >= 100 - 1e-6);
            CHECK(end <= 200 + 1e-6);
            if (e.at("name") == "read") ++reads;
            CHECK(e.at("name") != "early");
            CHECK(e.at("name") != "late");
        }
    }
    const auto& zone = tracks.at({100001, 3});
    REQUIRE(zone.size() == 1);
    CHECK(zone[0].at("ts").get<double>() == doctest::Approx(100)); // clipped to the window
    CHECK(zone[0].at("dur").get<double>() == doctest::Approx(50));
    const json& other = doc.at("otherData");
    CHECK(other.at("sample_every") == 2);
    CHECK(other.at("dropped_command_slices").get<unsigned>() > 0);
    CHECK(reads > 0);
    CHECK(reads + other.at("dropped_command_slices").get<unsigned>() == 25); // every second
}
