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

namespace {

namespace md = znssim::zns::metadata;

/// A metadata region on its own (no data area: the footer's offset is 0) whose header claims
/// 'g' and whose footer claims 'region_bytes', both with valid checksums.
void write_bare_region(const std::string& path, const md::geometry& g, std::uint64_t region_bytes) {
    std::vector<std::uint8_t> file(3 * md::block, 0);
    md::header h{};
    std::memcpy(h.magic, md::header_magic, 8);
    h.version = md::format_version;
    h.header_bytes = sizeof h;
    h.lba_size = g.lba_size;
    h.zone_count = g.zone_count;
    h.zone_size = g.zone_size;
    h.zone_capacity = g.zone_capacity;
    const md::region_layout lay = md::region_layout::of(g);
    h.records_offset = lay.records_offset;
    h.ext_offset = lay.ext_offset;
    h.metadata_bytes = lay.bytes;
    h.data_bytes = g.data_bytes();
    h.crc = md::crc32c(&h, sizeof h);
    std::memcpy(file.data(), &h, sizeof h);
    md::footer f{};
    std::memcpy(f.magic, md::footer_magic, 8);
    f.version = md::format_version;
    f.metadata_offset = 0;
    f.metadata_bytes = region_bytes;
    f.crc = md::crc32c(&f, sizeof f);
    file.resize(region_bytes);
    std::memcpy(file.data() + file.size() - sizeof f, &f, sizeof f);
    std::FILE* out = std::fopen(path.c_str(), "wb");
    REQUIRE(out);
    REQUIRE(std::fwrite(file.data(), 1, file.size(), out) == file.size());
    std::fclose(out);
}

std::string report_error(const std::string& path) {
    try {
        zns::read_zone_report(path);
    } catch (const znssim::image_error& e) {
        return e.what();
    }
    return "";
}

} // namespace

TEST_CASE("zns_report: a header whose geometry cannot be an image's is refused before use") {
    // Found while writing test/fuzz/fuzz_metadata: the header's geometry was trusted as far as
    // its checksum went, so an LBA size of 0 made a data area of 0 bytes that matched a footer
    // at offset 0, and the zone count sized the tables before the layout was checked.
    temp_image img;
    md::geometry g;
    g.lba_size = 0;
    g.zone_size = 64;
    g.zone_capacity = 48;
    g.zone_count = 8;
    write_bare_region(img.path, g, md::region_layout::of(g).bytes);
    CHECK(report_error(img.path).find("LBA size 0 is not a power of two") != std::string::npos);

    // A zone count the file cannot hold: the footer's region is far smaller than the tables.
    g.lba_size = 512;
    g.zone_size = 0; // a data area of 0 bytes again, so only the count is wrong
    g.zone_count = 1u << 20;
    write_bare_region(img.path, g, 3 * md::block);
    CHECK(report_error(img.path).find("not 0 < capacity <= size") != std::string::npos);
    g.zone_size = 64;
    write_bare_region(img.path, g, 3 * md::block);
    CHECK(report_error(img.path).find("does not match its footer") != std::string::npos);
}
