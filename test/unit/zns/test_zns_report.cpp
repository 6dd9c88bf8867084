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

namespace {

/// The descriptors a device started on the image returns (what Zone Management Receive copies).
std::vector<sp::zone_descriptor> device_descriptors(const nvme::namespace_params& p) {
    manual_scheduler sched;
    zns::zoned_namespace ns(p, sched);
    std::vector<sp::zone_descriptor> out(ns.zones().zone_count());
    for (std::uint32_t i = 0; i < out.size(); ++i)
        ns.describe(i, out[i]);
    return out;
}

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

TEST_CASE("zns_report: JSON has nvme-cli's report-zones fields, as the device reports them") {
    temp_image img;
    nvme::namespace_params p = params(img.path);
    {
        manual_scheduler sched;
        zns::zoned_namespace ns(p, sched);
        REQUIRE(write(ns, 0, 16, 0x1).ok());                               // closed, wp 16
        REQUIRE(ns.zone_action(sp::zsa::finish, 64, false, nullptr).ok()); // full
        REQUIRE(write(ns, 128, 8, 0x2).ok());
        REQUIRE(ns.zone_action(sp::zsa::open, 128, false, nullptr).ok()); // exp open, wp 136
        REQUIRE(write(ns, 192, 48, 0x3).ok());                            // written full
        std::vector<std::uint8_t> ext(64, 'x');
        ext[0] = ' ';
        ext[17] = 0x7f;
        REQUIRE(ns.zone_action(sp::zsa::set_extension, 256, false, ext.data()).ok()); // ZDEV
    }
    // Faults at start: zone 6 Read Only, zone 7 Offline (persisted by the device's start).
    p.zoned_cfg.faults = {{6, false, 0}, {7, true, 0}};
    const std::vector<sp::zone_descriptor> dev = device_descriptors(p);

    const zns::zone_report r = zns::read_zone_report(img.path);
    REQUIRE(r.zones.size() == dev.size());
    const auto j = nlohmann::json::parse(zns::format_zone_report_json(r));
    REQUIRE(j["nr_zones"] == 8);
    REQUIRE(j["zone_list"].size() == 8);
    const char* const want_state[] = {"CLOSED", "FULL",  "CLOSED",   "FULL",
                                      "CLOSED", "EMPTY", "READONLY", "OFFLINE"};
    for (std::uint32_t i = 0; i < 8; ++i) {
        CAPTURE(i);
        const auto& z = j["zone_list"][i];
        CHECK(z.size() == (i == 4 ? 8u : 7u)); // ext_data only where ZDEV is set
        CHECK(z["state"] == want_state[i]);
        CHECK(z["type"] == "SEQWRITE_REQ");
        // Field by field what the device's Report Zones returns after a start on this image.
        CHECK(z["slba"] == std::uint64_t(dev[i].zslba));
        CHECK(z["wp"] == std::uint64_t(dev[i].wp));
        CHECK(z["cap"] == std::uint64_t(dev[i].zcap));
        CHECK(z["attrs"] == unsigned(dev[i].za));
        CHECK(z["attrs_info"] == unsigned(dev[i].zai));
        CHECK(z["slba"] == 64 * i);
        CHECK(z["cap"] == 48);
        if (dev[i].wp != ~std::uint64_t(0)) CHECK(j["zones"][i]["wp"] == std::uint64_t(dev[i].wp));
    }
    CHECK(j["zone_list"][0]["wp"] == 16);
    CHECK(j["zone_list"][2]["wp"] == 136); // an open zone comes back Closed
    CHECK(j["zone_list"][4]["wp"] == 256);
    CHECK(j["zone_list"][4]["attrs"] == int(sp::za::zdev));
    // As nvme-cli prints an extension: 16 bytes a string, unprintable bytes as '.'.
    CHECK(j["zone_list"][4]["ext_data"] ==
          nlohmann::json::array(
              {".xxxxxxxxxxxxxxx", "x.xxxxxxxxxxxxxx", "xxxxxxxxxxxxxxxx", "xxxxxxxxxxxxxxxx"}));
    CHECK(j["zone_list"][5]["wp"] == 320);
    CHECK(j["zone_list"][5]["attrs"] == 0);
    // Full (finished or written to capacity), Read Only and Offline zones have no write pointer:
    // the device reports all ones there, and so does the JSON.
    for (std::uint32_t i : {1u, 3u, 6u, 7u}) {
        CAPTURE(i);
        CHECK(j["zone_list"][i]["wp"] == ~std::uint64_t(0));
    }
    // Our own "zones" follow the text (Linux, blkzone): a Full zone's write pointer is its end.
    const std::string lines = zns::format_zone_report_text(r);
    for (std::uint32_t i : {1u, 3u}) {
        CAPTURE(i);
        CHECK(j["zones"][i]["wp"] == 64 * i + 64);
    }
    CHECK(lines.find("start: 0x000000040, len 0x000040, cap 0x000030, wptr 0x000040") !=
          std::string::npos);
    CHECK(j["states"]["full"] == 2);
    CHECK(j["states"]["read-only"] == 1);
    CHECK(j["states"]["offline"] == 1);

    // The text follows blkzone (Linux sets a Full zone's wp to its end): wptr = len.
    const std::string text = zns::format_zone_report_text(r);
    CHECK(text.find("  start: 0x000000040, len 0x000040, cap 0x000030, wptr 0x000040 reset:0 "
                    "non-seq:0, zcond:14(fu)") != std::string::npos);
    CHECK(text.find("  start: 0x0000000c0, len 0x000040, cap 0x000030, wptr 0x000040 reset:0 "
                    "non-seq:0, zcond:14(fu)") != std::string::npos);
}

TEST_CASE("zns_report: conventional zones in the nvme-cli fields as the device reports them") {
    temp_image img;
    nvme::namespace_params p = params(img.path);
    p.zoned_cfg.conventional_zones = 2;
    {
        manual_scheduler sched;
        zns::zoned_namespace ns(p, sched);
        REQUIRE(write(ns, 128, 8, 0x1).ok());
    }
    const std::vector<sp::zone_descriptor> dev = device_descriptors(p);
    const auto j =
        nlohmann::json::parse(zns::format_zone_report_json(zns::read_zone_report(img.path)));
    REQUIRE(j["zone_list"].size() == dev.size());
    for (std::uint32_t i = 0; i < dev.size(); ++i) {
        CAPTURE(i);
        CHECK(j["zone_list"][i]["wp"] == std::uint64_t(dev[i].wp));
        CHECK(j["zone_list"][i]["cap"] == std::uint64_t(dev[i].zcap));
    }
    // nvme-cli's words for a zone type and state it does not know.
    CHECK(j["zone_list"][0]["type"] == "Unknown");
    CHECK(j["zone_list"][0]["state"] == "Unknown State");
    CHECK(j["zone_list"][2]["type"] == "SEQWRITE_REQ");
    CHECK(j["zone_list"][2]["state"] == "CLOSED");
    CHECK(j["zone_list"][2]["wp"] == 136);
}

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
