// Offline zone report from an image's persisted metadata.
#include "zns_fixture.h"

#include "zns/report.h"

#include <nlohmann/json.hpp>

using namespace zns_test;
using znssim::zns::zone_state;
namespace sp = znssim::zns::spec;

TEST_CASE("zns_report: offline report shows the persisted zones as the next start sees them") {
    temp_image img;
    {
        manual_scheduler sched;
        zns::zoned_namespace ns(params(img.path), sched);
        REQUIRE(write(ns, 0, 16, 0x1).ok());                               // imp open → closed
        REQUIRE(ns.zone_action(sp::zsa::finish, 64, false, nullptr).ok()); // full
        REQUIRE(ns.zone_action(sp::zsa::open, 128, false, nullptr).ok());  // exp open, empty
    }
    const zns::zone_report r = zns::read_zone_report(img.path);
    REQUIRE(r.zones.size() == 8);
    CHECK(r.geo.zone_size == 64);
    CHECK(r.geo.zone_capacity == 48);
    CHECK(r.zones[0].state == zone_state::closed);
    CHECK(r.zones[0].persisted == zone_state::imp_open);
    CHECK(r.zones[0].wp == 16);
    CHECK(r.zones[1].state == zone_state::full);
    CHECK(r.zones[2].state == zone_state::empty);
    CHECK(r.zones[3].state == zone_state::empty);

    const std::string text = zns::format_zone_report_text(r);
    CHECK(text.find("  start: 0x000000000, len 0x000040, cap 0x000030, wptr 0x000010 reset:0 "
                    "non-seq:0, zcond: 4(cl) [type: 2(SEQ_WRITE_REQUIRED)]\n") == 0);
    CHECK(text.find("zcond:14(fu)") != std::string::npos);

    const auto j = nlohmann::json::parse(zns::format_zone_report_json(r));
    CHECK(j["zone_count"] == 8);
    CHECK(j["zones"][0]["state"] == "closed");
    CHECK(j["zones"][0]["wp"] == 16);
    CHECK(j["zones"][1]["state"] == "full");

    // Zones per state, in the text's last line and in the JSON.
    const zns::zone_state_counts c = zns::count_zone_states(r);
    CHECK(c.of(zone_state::closed) == 1);
    CHECK(c.of(zone_state::full) == 1);
    CHECK(c.of(zone_state::empty) == 6);
    CHECK(c.of(zone_state::exp_open) == 0);
    CHECK(text.size() > 2);
    const std::string last = text.substr(text.rfind('\n', text.size() - 2) + 1);
    CHECK(last == "zones: 8 (6 empty, 0 implicitly-open, 0 explicitly-open, 1 closed, 0 read-only, "
                  "1 full, 0 offline)\n");
    CHECK(j["states"]["empty"] == 6);
    CHECK(j["states"]["closed"] == 1);
    CHECK(j["states"]["full"] == 1);
    CHECK(j["states"]["offline"] == 0);
    CHECK(j["states"]["conventional"] == 0);
}

TEST_CASE("zns_report: an image without metadata is an error naming it") {
    temp_image img;
    {
        std::FILE* f = std::fopen(img.path.c_str(), "wb");
        REQUIRE(f);
        std::fputs("not an image", f);
        std::fclose(f);
    }
    CHECK_THROWS_WITH_AS(zns::read_zone_report(img.path), doctest::Contains(img.path.c_str()),
                         image_error);
}
