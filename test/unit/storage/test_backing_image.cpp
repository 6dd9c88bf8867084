#include "model/storage/backing_image.h"
#include "test/unit/storage/temp_dir.h"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

using namespace znssim;
using znssim::test::temp_dir;

namespace {

backing_image::options opts(const std::string& path, std::uint64_t data, std::uint64_t meta = 0) {
    backing_image::options o;
    o.path = path;
    o.data_bytes = data;
    o.metadata_bytes = meta;
    return o;
}

struct stat stat_of(const std::string& path) {
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    return st;
}

bool all_equal(const std::uint8_t* p, std::size_t len, std::uint8_t v) {
    for (std::size_t i = 0; i < len; ++i)
        if (p[i] != v) return false;
    return true;
}

} // namespace

TEST_CASE("storage_image_create_is_sparse_and_sized") {
    temp_dir dir;
    const auto path = dir.file("a.img");
    auto img = backing_image::open(opts(path, 64 << 20, 8192));
    CHECK(img->created());
    CHECK(img->data_bytes() == (64u << 20));
    const auto st = stat_of(path);
    CHECK(static_cast<std::uint64_t>(st.st_size) == (64u << 20) + 8192);
    CHECK(st.st_blocks * 512 < (1 << 20)); // sparse: nothing allocated yet
    CHECK(all_equal(img->data(0), 4096, 0));
}

TEST_CASE("storage_image_data_persists_across_reopen") {
    temp_dir dir;
    const auto path = dir.file("b.img");
    {
        auto img = backing_image::open(opts(path, 1 << 20));
        std::memset(img->data(12345), 0xa5, 1000);
    }
    auto img = backing_image::open(opts(path, 1 << 20));
    CHECK_FALSE(img->created());
    CHECK(all_equal(img->data(12345), 1000, 0xa5));
    CHECK(img->data(12344)[0] == 0);
    CHECK(img->data(13345)[0] == 0);
}

TEST_CASE("storage_image_smaller_existing_is_refused_unless_grow") {
    temp_dir dir;
    const auto path = dir.file("c.img");
    { backing_image::open(opts(path, 4096)); }
    try {
        backing_image::open(opts(path, 8192, 512));
        FAIL("expected image_error");
    } catch (const image_error& e) {
        const std::string what = e.what();
        CHECK(what.find(path) != std::string::npos);
        CHECK(what.find("4096") != std::string::npos);
        CHECK(what.find("8704") != std::string::npos);
    }
    CHECK(stat_of(path).st_size == 4096); // untouched
    auto img = backing_image::open(opts(path, 8192, 512), true);
    CHECK(stat_of(path).st_size == 8704);
}

TEST_CASE("storage_image_missing_without_create_names_path") {
    temp_dir dir;
    auto o = opts(dir.file("missing.img"), 4096);
    o.create = false;
    try {
        backing_image::open(o);
        FAIL("expected image_error");
    } catch (const image_error& e) {
        CHECK(std::string(e.what()).find("missing.img") != std::string::npos);
    }
    CHECK_THROWS_AS(backing_image::open(opts("", 4096)), image_error);
}

TEST_CASE("storage_image_second_open_is_refused_while_locked") {
    temp_dir dir;
    const auto path = dir.file("lock.img");
    auto first = backing_image::open(opts(path, 4096));
    CHECK_THROWS_AS(backing_image::open(opts(path, 4096)), image_error);
    first.reset();
    CHECK_NOTHROW(backing_image::open(opts(path, 4096)));
}

TEST_CASE("storage_image_discard_zeroes_edges_and_punches_pages") {
    temp_dir dir;
    const auto path = dir.file("d.img");
    auto img = backing_image::open(opts(path, 1 << 20));
    std::memset(img->data(0), 0x5a, 1 << 20);
    img->sync_all();
    const auto blocks_before = stat_of(path).st_blocks;
    // 100 bytes into page 1 up to 200 bytes into page 40: partial edges + whole pages.
    const std::uint64_t off = 4096 + 100, len = 39 * 4096 + 100;
    img->discard(off, len);
    CHECK(all_equal(img->data(0), off, 0x5a));
    CHECK(all_equal(img->data(off), len, 0));
    CHECK(all_equal(img->data(off + len), (1 << 20) - off - len, 0x5a));
    CHECK(stat_of(path).st_blocks <= blocks_before);
    // A discard inside one page is a plain memset.
    img->discard(100 * 4096 + 10, 20);
    CHECK(img->data(100 * 4096 + 9)[0] == 0x5a);
    CHECK(all_equal(img->data(100 * 4096 + 10), 20, 0));
    CHECK(img->data(100 * 4096 + 30)[0] == 0x5a);
    CHECK_THROWS_AS(img->discard((1 << 20) - 10, 20), image_error);
}

TEST_CASE("storage_image_metadata_round_trip_and_bounds") {
    temp_dir dir;
    const auto path = dir.file("m.img");
    {
        auto img = backing_image::open(opts(path, 8192, 1024));
        const char msg[] = "zone metadata";
        img->write_metadata(100, msg, sizeof msg);
        char back[sizeof msg] = {};
        img->read_metadata(100, back, sizeof back);
        CHECK(std::string(back) == msg);
        CHECK_THROWS_AS(img->write_metadata(1020, msg, 8), image_error);
        CHECK_THROWS_AS(img->read_metadata(2000, back, 1), image_error);
        img->sync_metadata();
    }
    // Metadata sits right after the data area in the file.
    std::ifstream f(path, std::ios::binary);
    f.seekg(8192 + 100);
    char raw[13];
    f.read(raw, 13);
    CHECK(std::string(raw, 13) == "zone metadata");
}

TEST_CASE("storage_image_host_crash_mode_syncs") {
    temp_dir dir;
    auto o = opts(dir.file("h.img"), 1 << 16, 4096);
    o.mode = durability::host_crash;
    auto img = backing_image::open(o);
    CHECK(img->mode() == durability::host_crash);
    std::memset(img->data(5000), 1, 3000);
    CHECK_NOTHROW(img->sync_data(5000, 3000));
    CHECK_NOTHROW(img->discard(0, 8192));
    CHECK_NOTHROW(img->sync_metadata());
    CHECK_NOTHROW(img->sync_all());
    CHECK_THROWS_AS(img->sync_data(1 << 16, 1), image_error);
}

TEST_CASE("storage_image_failed_creation_leaves_no_file") {
    // Regression: a creation that failed after the file was made left it behind (0 bytes), and
    // the next run refused it as too small.
    temp_dir dir;
    const auto path = dir.file("huge.img");
    CHECK_THROWS_AS(backing_image::open(opts(path, 1ull << 62)), image_error);
    CHECK_FALSE(std::filesystem::exists(path));
    // An image that existed before is never removed, whatever fails.
    const auto kept = dir.file("kept.img");
    { std::ofstream(kept) << "x"; }
    CHECK_THROWS_AS(backing_image::open(opts(kept, 1ull << 62)), image_error);
    CHECK(std::filesystem::exists(kept));
}

TEST_CASE("storage_image_fault_plan_fails_the_nth_operation") {
    temp_dir dir;
    auto img = backing_image::open(opts(dir.file("f.img"), 1 << 20, 4096));
    image_fault_plan plan;
    plan.fail(image_op::allocate, 2);
    plan.fail(image_op::metadata_write, 1, ENOSPC);
    backing_image::set_fault_plan(&plan);
    CHECK(img->reserve(0, 4096) == 0);
    CHECK(img->reserve(8192, 4096) == ENOSPC); // the 2nd allocation
    CHECK(img->reserve(8192, 4096) == 0);      // not sticky
    std::uint8_t b[16] = {};
    try {
        img->write_metadata(0, b, sizeof b);
        FAIL("no error");
    } catch (const image_io_error& e) {
        CHECK(e.error() == ENOSPC);
        CHECK(std::string(e.what()).find("metadata write at file offset 1048576") !=
              std::string::npos);
    }
    backing_image::set_fault_plan(nullptr);
    img->write_metadata(0, b, sizeof b);
    CHECK(img->count(image_op::allocate) == 3);
    CHECK(img->count(image_op::metadata_write) == 2);
}

TEST_CASE("storage_image_reserve_allocates_blocks_once") {
    temp_dir dir;
    const auto path = dir.file("r.img");
    auto img = backing_image::open(opts(path, 1 << 20));
    const auto before = stat_of(path).st_blocks;
    REQUIRE(img->reserve(4096, 8192) == 0);
    CHECK(stat_of(path).st_blocks >= before + 16); // 8 KiB = 16 512-byte blocks
    CHECK(stat_of(path).st_size == 1 << 20);       // KEEP_SIZE
    CHECK(all_equal(img->data(4096), 8192, 0));    // still reads as zeros
    img->discard(0, 1 << 20);
    CHECK(stat_of(path).st_blocks == before);
}
