// Zone records whose checksum is valid but whose state and write pointer contradict each other
// are corruption: refused at start-up, naming the zone and the offset, with nothing changed.
#include "zns_fixture.h"

#include "zns/metadata/layout.h"
#include "zns/report.h"

using namespace zns_test;
using znssim::zns::zone_state;
namespace md = znssim::zns::metadata;
namespace sp = znssim::zns::spec;

namespace {

constexpr std::uint64_t data_bytes = 8 * 64 * 512; // params(): 8 zones of 64 LBAs, ZCAP 48
constexpr std::uint64_t zsze = 64, zcap = 48;

std::uint64_t record_offset(std::uint32_t zone, unsigned slot) {
    return data_bytes + md::block + (zone * 2 + slot) * sizeof(md::zone_record);
}

/// Writes a record with a valid checksum into the slot a sequence number selects.
void put_record(const std::string& path, std::uint32_t zone, std::uint64_t sequence, zone_state s,
                std::uint64_t wp, std::uint8_t attrs = 0) {
    md::zone_record r{};
    r.magic = md::record_magic;
    r.zone = zone;
    r.sequence = sequence;
    r.wp = wp;
    r.state = static_cast<std::uint8_t>(s);
    r.attrs = attrs;
    r.crc = 0;
    r.crc = md::crc32c(&r, sizeof r);
    std::FILE* f = std::fopen(path.c_str(), "r+b");
    REQUIRE(f);
    std::fseek(f, static_cast<long>(record_offset(zone, sequence & 1)), SEEK_SET);
    REQUIRE(std::fwrite(&r, sizeof r, 1, f) == 1);
    std::fclose(f);
}

/// An image whose zone 2 holds 40 LBAs of 0x22 (Closed, wp 40 into the zone).
void make_image(const std::string& path) {
    manual_scheduler sched;
    zns::zoned_namespace ns(params(path), sched);
    REQUIRE(write(ns, 2 * zsze, 40, 0x22).ok());
}

} // namespace

TEST_CASE("zns_records: contradictory state and write pointer are refused, nothing changed") {
    struct bad_case {
        const char* name;
        zone_state state;
        std::uint64_t wp; // relative to the zone start
        std::uint8_t attrs;
        const char* why;
    };
    const bad_case cases[] = {
        {"Full at the zone start", zone_state::full, 0, 0, "Full zone's write pointer must be"},
        {"Full below the capacity", zone_state::full, 40, 0, "Full zone's write pointer must be"},
        {"Closed at the capacity", zone_state::closed, zcap, 0, "below ZSLBA + ZCAP"},
        {"ImpOpen at the capacity", zone_state::imp_open, zcap, 0, "below ZSLBA + ZCAP"},
        {"ExpOpen at the capacity", zone_state::exp_open, zcap, 0, "below ZSLBA + ZCAP"},
        {"Empty above the start", zone_state::empty, 5, 0, "Empty zone's write pointer"},
        {"Closed, nothing written, no ZDEV", zone_state::closed, 0, 0, "ZDEV"},
        {"Offline above the start", zone_state::offline, 3, 0, "Offline zone's write pointer"},
    };
    for (const bad_case& c : cases) {
        CAPTURE(c.name);
        temp_image img;
        make_image(img.path);
        put_record(img.path, 2, 1000, c.state, 2 * zsze + c.wp, c.attrs);
        const auto before = file_bytes(img.path);
        manual_scheduler sched;
        std::string msg;
        try {
            zns::zoned_namespace ns(params(img.path), sched);
        } catch (const image_error& e) {
            msg = e.what();
        }
        INFO("message: " << msg);
        CHECK(msg.find(img.path) == 0);
        CHECK(msg.find("zone 2 metadata record at offset") != std::string::npos);
        char off[32];
        std::snprintf(off, sizeof off, "0x%llx",
                      static_cast<unsigned long long>(record_offset(2, 1000 & 1)));
        CHECK(msg.find(off) != std::string::npos);
        CHECK(msg.find(c.why) != std::string::npos);
        CHECK(msg.find("nothing was changed") != std::string::npos);
        CHECK(file_bytes(img.path) == before);
        // The offline report refuses it too rather than showing a zone it cannot restore.
        CHECK_THROWS_AS(zns::read_zone_report(img.path), image_error);
    }
}

TEST_CASE("zns_records: consistent hand-made records load as the format defines") {
    struct good_case {
        const char* name;
        zone_state state;
        std::uint64_t wp;
        std::uint8_t attrs;
        zone_state restored;
        std::uint64_t kept; // LBAs of zone 2's data that survive the start
    };
    const good_case cases[] = {
        {"Full at the capacity", zone_state::full, zcap, 0, zone_state::full, 40},
        {"Closed inside", zone_state::closed, 20, 0, zone_state::closed, 20},
        {"Closed, nothing written, ZDEV", zone_state::closed, 0, sp::za::zdev, zone_state::closed,
         0},
        {"ImpOpen inside", zone_state::imp_open, 30, 0, zone_state::closed, 30},
        {"ExpOpen at the start", zone_state::exp_open, 0, 0, zone_state::empty, 0},
        {"Read Only inside", zone_state::read_only, 10, 0, zone_state::read_only, 10},
        {"Offline at the start", zone_state::offline, 0, 0, zone_state::offline, 0},
        {"Empty at the start", zone_state::empty, 0, 0, zone_state::empty, 0},
    };
    for (const good_case& c : cases) {
        CAPTURE(c.name);
        temp_image img;
        make_image(img.path);
        put_record(img.path, 2, 1000, c.state, 2 * zsze + c.wp, c.attrs);
        manual_scheduler sched;
        zns::zoned_namespace ns(params(img.path), sched);
        const zns::zone& z = ns.zones().at(2);
        CHECK(z.state == c.restored);
        if (c.restored != zone_state::full && c.restored != zone_state::offline)
            CHECK(z.wp == z.start + c.wp);
        CHECK(holds(ns, 2 * zsze, c.kept, 0x22));
        if (c.state != zone_state::offline) CHECK(holds(ns, 2 * zsze + c.kept, 40 - c.kept, 0));
    }
}

TEST_CASE("zns_records: what the namespace writes is what the format accepts") {
    temp_image img;
    {
        manual_scheduler sched;
        zns::zoned_namespace ns(params(img.path), sched);
        REQUIRE(write(ns, 0, 10, 0x01).ok());
        REQUIRE(ns.zone_action(sp::zsa::finish, 0, false, nullptr).ok()); // Full, wp at ZCAP
        REQUIRE(ns.zone_action(sp::zsa::open, zsze, false, nullptr).ok());
        REQUIRE(ns.zone_action(sp::zsa::close, zsze, false, nullptr).ok());      // nothing written
        REQUIRE(ns.zone_action(sp::zsa::finish, 2 * zsze, false, nullptr).ok()); // Empty → Full
        CHECK(ns.zones().at(1).state == zone_state::closed);
    }
    const auto bytes = file_bytes(img.path);
    auto newest = [&](std::uint32_t zone) {
        md::zone_record r[2];
        std::memcpy(r, bytes.data() + record_offset(zone, 0), sizeof r);
        return r[1].sequence > r[0].sequence ? r[1] : r[0];
    };
    CHECK(newest(0).state == static_cast<std::uint8_t>(zone_state::full));
    CHECK(newest(0).wp == zcap);
    CHECK(newest(1).state == static_cast<std::uint8_t>(zone_state::empty)); // as it comes back
    CHECK(newest(1).wp == zsze);
    CHECK(newest(2).wp == 2 * zsze + zcap);
    manual_scheduler sched;
    zns::zoned_namespace ns(params(img.path), sched);
    CHECK(ns.zones().at(0).state == zone_state::full);
    CHECK(holds(ns, 0, 10, 0x01));
    CHECK(ns.zones().at(1).state == zone_state::empty);
    CHECK(ns.zones().at(2).state == zone_state::full);
}

TEST_CASE("zns_records: a start writes only what it changes") {
    // Regression: every start rewrote every zone record and punched every zone above its write
    // pointer (about three system calls per zone, seconds for a million zones).
    temp_image img;
    nvme::namespace_params p = params(img.path);
    {
        manual_scheduler sched;
        zns::zoned_namespace ns(p, sched);
        REQUIRE(write(ns, 0, 10, 0x01).ok());      // zone 0 left implicitly open: comes back Closed
        REQUIRE(write(ns, zsze, zcap, 0x02).ok()); // zone 1 Full
        REQUIRE(write(ns, 3 * zsze, 8, 0x03).ok());
        REQUIRE(ns.zone_action(sp::zsa::close, 3 * zsze, false, nullptr).ok()); // zone 3 Closed
        // Zone 5: data above its write pointer, as a write in flight at a crash leaves it.
        nvme::write_grant g;
        REQUIRE(ns.begin_write(nvme::write_kind::write, 5 * zsze, 4, g).ok());
        std::memset(ns.image().data(5 * zsze * 512), 0x55, 4 * 512);
    }
    {
        manual_scheduler sched;
        zns::zoned_namespace ns(p, sched);
        const backing_image& im = ns.image();
        CHECK(im.count(image_op::metadata_write) == 2); // zone 0 → Closed, zone 5 → Empty
        CHECK(im.count(image_op::discard) == 1);        // zone 5's unacknowledged data
        CHECK(holds(ns, 5 * zsze, 4, 0));
        CHECK(ns.zones().at(0).state == zone_state::closed);
        CHECK(ns.zones().at(5).state == zone_state::empty);
    }
    manual_scheduler sched;
    zns::zoned_namespace ns(p, sched);
    const backing_image& im = ns.image();
    CHECK(im.count(image_op::metadata_write) == 0);
    CHECK(im.count(image_op::discard) == 0);
    CHECK(im.count(image_op::metadata_sync) == 0);
    // One SEEK_DATA answers for every zone up to the next data: far fewer than one per zone
    // once the data is behind the last zone that has any.
    CHECK(im.count(image_op::data_query) <= 4);
    CHECK(holds(ns, 0, 10, 0x01));
    CHECK(holds(ns, zsze, zcap, 0x02));
    CHECK(holds(ns, 3 * zsze, 8, 0x03));
}
