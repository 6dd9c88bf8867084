// Zone state persisted at the end of the image: round trips, restart rules, corruption handling.
#include "zns_fixture.h"

#include "zns/metadata/layout.h"

#include <filesystem>

using namespace zns_test;
using znssim::zns::zone_state;
namespace md = znssim::zns::metadata;
namespace sp = znssim::zns::spec;

namespace {
constexpr std::uint64_t data_bytes = 8 * 64 * 512;

std::uint64_t record_offset(std::uint32_t zone, unsigned slot) {
    return data_bytes + md::block + (zone * 2 + slot) * sizeof(md::zone_record);
}

void make_image(const std::string& path) {
    manual_scheduler sched;
    zns::zoned_namespace ns(params(path), sched);
    REQUIRE(write(ns, 0, 8, 0x11).ok());
}
} // namespace

TEST_CASE("zns_persist: a new image is formatted with every zone empty") {
    temp_image img;
    manual_scheduler sched;
    zns::zoned_namespace ns(params(img.path), sched);
    CHECK(ns.formatted_at_start());
    CHECK(ns.size_lbas() == 8 * 64);
    for (std::uint32_t i = 0; i < 8; ++i)
        CHECK(ns.zones().at(i).state == zone_state::empty);
    const auto bytes = file_bytes(img.path);
    md::footer f{};
    std::memcpy(&f, bytes.data() + bytes.size() - sizeof f, sizeof f);
    CHECK(std::memcmp(f.magic, md::footer_magic, 8) == 0);
    CHECK(f.metadata_offset == data_bytes);
    CHECK(f.metadata_offset + f.metadata_bytes == bytes.size());
}

TEST_CASE("zns_persist: round trip of writes, appends, finish, reset, extension and open zones") {
    temp_image img;
    std::vector<std::uint8_t> ext(64);
    for (std::size_t i = 0; i < ext.size(); ++i)
        ext[i] = static_cast<std::uint8_t>(i * 3 + 1);
    {
        manual_scheduler sched;
        zns::zoned_namespace ns(params(img.path), sched);
        REQUIRE(write(ns, 0, 10, 0xaa).ok());
        std::uint64_t at = 0;
        REQUIRE(write(ns, 64, 5, 0xbb, true, &at).ok());
        CHECK(at == 64);
        REQUIRE(write(ns, 64, 3, 0xbc, true, &at).ok());
        CHECK(at == 69);
        REQUIRE(ns.zone_action(sp::zsa::finish, 128, false, nullptr).ok());
        REQUIRE(write(ns, 192, 4, 0xcc).ok());
        REQUIRE(ns.zone_action(sp::zsa::reset, 192, false, nullptr).ok());
        REQUIRE(ns.zone_action(sp::zsa::set_extension, 256, false, ext.data()).ok());
        REQUIRE(write(ns, 320, 6, 0xdd).ok());
        REQUIRE(ns.zone_action(sp::zsa::open, 320, false, nullptr).ok());
        REQUIRE(ns.zone_action(sp::zsa::open, 384, false, nullptr).ok());
        REQUIRE(write(ns, 448, 48, 0xee).ok());
        ns.shutdown();
    }
    manual_scheduler sched;
    zns::zoned_namespace ns(params(img.path), sched);
    CHECK_FALSE(ns.formatted_at_start());
    const auto& z = ns.zones();
    CHECK(z.at(0).state == zone_state::closed); // implicitly opened → Closed after power cycle
    CHECK(z.at(0).wp == 10);
    CHECK(holds(ns, 0, 10, 0xaa));
    CHECK(holds(ns, 10, 54, 0));
    CHECK(z.at(1).state == zone_state::closed);
    CHECK(z.at(1).wp == 72);
    CHECK(holds(ns, 64, 5, 0xbb));
    CHECK(holds(ns, 69, 3, 0xbc));
    CHECK(z.at(2).state == zone_state::full);
    CHECK(z.at(3).state == zone_state::empty);
    CHECK(holds(ns, 192, 64, 0)); // reset freed the data
    CHECK(z.at(4).state == zone_state::closed);
    CHECK(z.at(4).attrs == sp::za::zdev);
    std::vector<std::uint8_t> got(64);
    ns.read_extension(4, got.data());
    CHECK(got == ext);
    CHECK(z.at(5).state == zone_state::closed);
    CHECK(z.at(5).wp == 326);
    CHECK(z.at(6).state == zone_state::empty); // opened, nothing written, no extension
    CHECK(z.at(7).state == zone_state::full);
    CHECK(holds(ns, 448, 48, 0xee));
    CHECK(ns.zones().open_count() == 0);
    CHECK(ns.zones().active_count() == 4); // zones 0, 1, 4 and 5 are Closed
    CHECK(ns.used_lbas() == 10 + 8 + 48 + 6 + 48);
    // Writes continue at the restored write pointer.
    CHECK(write(ns, 10, 2, 0xab).ok());
    CHECK(write(ns, 64, 1, 0xab) == nvme::spec::sc::zone_invalid_write);
}

TEST_CASE("zns_persist: data above the write pointer is discarded on restart") {
    temp_image img;
    {
        manual_scheduler sched;
        zns::zoned_namespace ns(params(img.path), sched);
        REQUIRE(write(ns, 0, 4, 0x42).ok());
        // A write whose data was copied but whose command never completed (killed).
        nvme::write_grant g;
        REQUIRE(ns.begin_write(nvme::write_kind::write, 4, 4, g).ok());
        std::memset(ns.image().data(4 * 512), 0x77, 4 * 512);
    }
    manual_scheduler sched;
    zns::zoned_namespace ns(params(img.path), sched);
    CHECK(ns.zones().at(0).wp == 4);
    CHECK(holds(ns, 0, 4, 0x42));
    CHECK(holds(ns, 4, 4, 0));
}

TEST_CASE("zns_persist: a geometry mismatch names the field and changes nothing") {
    struct change {
        const char* field;
        void (*apply)(nvme::namespace_params&);
    };
    const change changes[] = {
        {"lba_size",
         [](nvme::namespace_params& p) {
             p.lba_size = 4096;
             p.zoned_cfg.zone_count = 1;
         }},
        {"zone_size",
         [](nvme::namespace_params& p) {
             p.zoned_cfg.zone_size_lbas = 32;
             p.zoned_cfg.zone_capacity_lbas = 32;
             p.zoned_cfg.zone_count = 16;
         }},
        {"zone_capacity", [](nvme::namespace_params& p) { p.zoned_cfg.zone_capacity_lbas = 64; }},
        {"zone_count", [](nvme::namespace_params& p) { p.zoned_cfg.zone_count = 9; }},
        {"conventional_zones",
         [](nvme::namespace_params& p) { p.zoned_cfg.conventional_zones = 1; }},
        {"descriptor_extension_bytes",
         [](nvme::namespace_params& p) { p.zoned_cfg.descriptor_extension_bytes = 128; }},
    };
    for (const change& c : changes) {
        CAPTURE(c.field);
        temp_image img;
        make_image(img.path);
        const auto before = file_bytes(img.path);
        nvme::namespace_params p = params(img.path);
        c.apply(p);
        manual_scheduler sched;
        try {
            zns::zoned_namespace ns(p, sched);
            FAIL("no error");
        } catch (const image_error& e) {
            const std::string msg = e.what();
            CHECK(msg.find(img.path) != std::string::npos);
            CHECK(msg.find(c.field) != std::string::npos);
        }
        CHECK(file_bytes(img.path) == before);
        // With reformat the image is rebuilt for the new geometry.
        p.reformat = true;
        zns::zoned_namespace ns(p, sched);
        CHECK(ns.formatted_at_start());
        CHECK(ns.zones().at(ns.zones().geometry().conventional).state == zone_state::empty);
    }
}

TEST_CASE("zns_persist: bad header checksum, truncated image and too small image are refused") {
    temp_image img;
    make_image(img.path);
    SUBCASE("header checksum") {
        corrupt_byte(img.path, data_bytes + 20);
        const auto before = file_bytes(img.path);
        manual_scheduler sched;
        CHECK_THROWS_WITH_AS(zns::zoned_namespace(params(img.path), sched),
                             doctest::Contains("checksum"), image_error);
        CHECK(file_bytes(img.path) == before);
    }
    SUBCASE("truncated") {
        std::filesystem::resize_file(img.path, img.size() - 100);
        const auto before = file_bytes(img.path);
        manual_scheduler sched;
        CHECK_THROWS_WITH_AS(zns::zoned_namespace(params(img.path), sched),
                             doctest::Contains("truncated"), image_error);
        CHECK(file_bytes(img.path) == before);
    }
    SUBCASE("too small") {
        std::filesystem::resize_file(img.path, 4096);
        manual_scheduler sched;
        CHECK_THROWS_WITH_AS(zns::zoned_namespace(params(img.path), sched),
                             doctest::Contains("smaller"), image_error);
        CHECK(img.size() == 4096);
    }
    SUBCASE("reformat recovers") {
        corrupt_byte(img.path, data_bytes + 20);
        nvme::namespace_params p = params(img.path);
        p.reformat = true;
        manual_scheduler sched;
        zns::zoned_namespace ns(p, sched);
        CHECK(ns.formatted_at_start());
        CHECK(ns.zones().at(0).state == zone_state::empty);
        CHECK(holds(ns, 0, 8, 0));
    }
}

TEST_CASE("zns_persist: a plain raw image gets zone metadata appended") {
    temp_image img;
    {
        std::FILE* f = std::fopen(img.path.c_str(), "wb");
        REQUIRE(f);
        std::fclose(f);
    }
    std::filesystem::resize_file(img.path, data_bytes);
    manual_scheduler sched;
    zns::zoned_namespace ns(params(img.path), sched);
    CHECK(ns.formatted_at_start());
    CHECK(img.size() > data_bytes);
}

TEST_CASE("zns_persist: a torn record update falls back to the previous record") {
    temp_image img;
    {
        manual_scheduler sched;
        zns::zoned_namespace ns(params(img.path), sched);
        REQUIRE(write(ns, 0, 4, 0x01).ok());
        REQUIRE(write(ns, 4, 4, 0x02).ok()); // the newest record (wp 8) overwrote the oldest slot
    }
    const auto bytes = file_bytes(img.path);
    md::zone_record r0{}, r1{};
    std::memcpy(&r0, bytes.data() + record_offset(0, 0), sizeof r0);
    std::memcpy(&r1, bytes.data() + record_offset(0, 1), sizeof r1);
    const unsigned newest = r1.sequence > r0.sequence ? 1 : 0;
    CHECK((newest ? r1 : r0).wp == 8);
    CHECK((newest ? r0 : r1).wp == 4);
    corrupt_byte(img.path, record_offset(0, newest) + 16); // tear the newest write pointer
    {
        manual_scheduler sched;
        zns::zoned_namespace ns(params(img.path), sched);
        CHECK(ns.zones().at(0).wp == 4);
        CHECK(ns.zones().at(0).state == zone_state::closed);
        CHECK(holds(ns, 0, 4, 0x01));
        CHECK(holds(ns, 4, 4, 0)); // not covered by the surviving record: discarded
    }
    // Both copies damaged is not a torn update: refused, naming the zone.
    corrupt_byte(img.path, record_offset(0, 0) + 16);
    corrupt_byte(img.path, record_offset(0, 1) + 16);
    const auto before = file_bytes(img.path);
    manual_scheduler sched;
    CHECK_THROWS_WITH_AS(zns::zoned_namespace(params(img.path), sched), doctest::Contains("zone 0"),
                         image_error);
    CHECK(file_bytes(img.path) == before);
}

TEST_CASE("zns_persist: host_crash durability round trip") {
    temp_image img;
    nvme::namespace_params p = params(img.path);
    p.mode = durability::host_crash;
    {
        manual_scheduler sched;
        zns::zoned_namespace ns(p, sched);
        REQUIRE(write(ns, 64, 7, 0x5a).ok());
    }
    manual_scheduler sched;
    zns::zoned_namespace ns(p, sched);
    CHECK(ns.zones().at(1).wp == 71);
    CHECK(holds(ns, 64, 7, 0x5a));
}

TEST_CASE("zns_persist: an image without data storage restarts with a write pointer inside a "
          "page") {
    // Found by test/fuzz/fuzz_metadata: the start read the data above each write pointer to see
    // whether it needed discarding, through a null mapping when the namespace stores no data
    // (data: none): a segfault whenever a write pointer was not on a 4 KiB boundary.
    temp_image img;
    nvme::namespace_params p = params(img.path);
    p.store_data = false;
    {
        manual_scheduler sched;
        zns::zoned_namespace ns(p, sched);
        nvme::write_grant g;
        REQUIRE(ns.begin_write(nvme::write_kind::write, 64, 3, g).ok());
        REQUIRE(ns.end_write(nvme::write_kind::write, g, true).ok());
        ns.shutdown();
    }
    manual_scheduler sched;
    zns::zoned_namespace ns(p, sched);
    CHECK(ns.zones().at(1).state == zone_state::closed);
    CHECK(ns.zones().at(1).wp == 67);
    CHECK(ns.zones().at(0).state == zone_state::empty);
}

TEST_CASE("zns_persist: a reset zone's old data reads as zeros, after rewrites, a finish and a "
          "restart") {
    // A reset leaves the old data in the image (punching it out costs wall time) until a read,
    // a finish or the shutdown makes it matter; what the host sees is always zeros above the
    // write pointer.
    temp_image img;
    {
        manual_scheduler sched;
        zns::zoned_namespace ns(params(img.path), sched);
        REQUIRE(write(ns, 0, 48, 0xa1).ok());   // zone 0 full (capacity 48)
        REQUIRE(write(ns, 64, 40, 0xb2).ok());  // zone 1 to 40
        REQUIRE(write(ns, 128, 30, 0xc3).ok()); // zone 2 to 30
        for (std::uint64_t z : {0, 64, 128})
            REQUIRE(ns.zone_action(sp::zsa::reset, z, false, nullptr).ok());

        // Zone 0: rewritten in part; a read across the new write pointer sees the new data,
        // then zeros.
        REQUIRE(write(ns, 0, 8, 0xd4).ok());
        REQUIRE(ns.check_read(0, 16).ok());
        CHECK(holds(ns, 0, 8, 0xd4));
        CHECK(holds(ns, 8, 56, 0));
        // Writes after that read land as usual.
        REQUIRE(write(ns, 8, 4, 0xd5).ok());
        CHECK(holds(ns, 8, 4, 0xd5));

        // Zone 1: finished after the reset with 5 LBAs written: the rest is zeros.
        REQUIRE(write(ns, 64, 5, 0xe6).ok());
        REQUIRE(ns.zone_action(sp::zsa::finish, 64, false, nullptr).ok());
        CHECK(ns.zones().at(1).state == zone_state::full);
        CHECK(holds(ns, 64, 5, 0xe6));
        CHECK(holds(ns, 69, 59, 0));

        // Zone 2: left Empty with its old data unread until the shutdown.
        ns.shutdown();
        CHECK(holds(ns, 128, 64, 0));
    }
    manual_scheduler sched;
    zns::zoned_namespace ns(params(img.path), sched);
    CHECK(ns.zones().at(0).wp == 12);
    CHECK(holds(ns, 0, 8, 0xd4));
    CHECK(holds(ns, 8, 4, 0xd5));
    CHECK(holds(ns, 12, 52, 0));
    CHECK(holds(ns, 69, 59, 0));
    CHECK(ns.zones().at(2).state == zone_state::empty);
    CHECK(holds(ns, 128, 64, 0));
}

TEST_CASE("zns_persist: a reset zone's old data is gone after a crash too") {
    temp_image img;
    {
        manual_scheduler sched;
        zns::zoned_namespace ns(params(img.path), sched);
        REQUIRE(write(ns, 0, 48, 0x5a).ok());
        REQUIRE(ns.zone_action(sp::zsa::reset, 0, false, nullptr).ok());
        REQUIRE(write(ns, 0, 3, 0x6b).ok());
        // No shutdown: the process dies with the old data still in the image.
    }
    manual_scheduler sched;
    zns::zoned_namespace ns(params(img.path), sched);
    CHECK(ns.zones().at(0).wp == 3);
    CHECK(holds(ns, 0, 3, 0x6b));
    CHECK(holds(ns, 3, 61, 0));
}
