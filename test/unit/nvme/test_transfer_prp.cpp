#include "nvme/transfer/data_transfer.h"
#include "test/unit/nvme/fake_context.h"

#include <doctest/doctest.h>

#include <numeric>
#include <vector>

using namespace znssim;
using namespace znssim::nvme;
using znssim::test::fake_context;

namespace {

std::vector<std::uint8_t> pattern(std::size_t n, std::uint8_t seed = 1) {
    std::vector<std::uint8_t> v(n);
    for (std::size_t i = 0; i < n; ++i)
        v[i] = static_cast<std::uint8_t>(seed + i * 7 + (i >> 9));
    return v;
}

void put64(fake_context& ctx, std::uint64_t addr, std::uint64_t v) {
    std::memcpy(ctx.at(addr), &v, 8);
}

spec::sqe prp_sqe(std::uint64_t prp1, std::uint64_t prp2) {
    spec::sqe s{};
    s.dptr1 = prp1;
    s.dptr2 = prp2;
    return s;
}

} // namespace

TEST_CASE("nvme_prp_single_page_with_offset") {
    fake_context ctx;
    data_transfer x(8);
    const std::uint64_t page = ctx.alloc(4096);
    REQUIRE(x.prepare(ctx, prp_sqe(page + 0x104, 0xdead000), 512, false, false).ok());
    CHECK(x.segment_count() == 1);
    CHECK(x.length() == 512);
    const auto data = pattern(512);
    REQUIRE(x.copy_to_host(ctx, data.data()).ok());
    CHECK(std::memcmp(ctx.at(page + 0x104), data.data(), 512) == 0);
    CHECK(ctx.at(page + 0x103)[0] == 0);
    CHECK(ctx.at(page + 0x104 + 512)[0] == 0);
}

TEST_CASE("nvme_prp_two_pages_uses_prp2_as_data") {
    fake_context ctx;
    data_transfer x(8);
    const std::uint64_t a = ctx.alloc(4096);
    ctx.alloc(4096); // a gap, so the pages are not contiguous
    const std::uint64_t b = ctx.alloc(4096);
    REQUIRE(x.prepare(ctx, prp_sqe(a + 0x800, b), 4096, true, false).ok());
    CHECK(x.segment_count() == 2);
    const auto src = pattern(4096, 9);
    std::memcpy(ctx.at(a + 0x800), src.data(), 0x800);
    std::memcpy(ctx.at(b), src.data() + 0x800, 0x800);
    std::vector<std::uint8_t> back(4096);
    REQUIRE(x.copy_from_host(ctx, back.data()).ok());
    CHECK(back == src);
    // A second data page with an offset is invalid.
    CHECK(x.prepare(ctx, prp_sqe(a + 0x800, b + 8), 4096, true, false) ==
          spec::sc::prp_offset_invalid);
}

TEST_CASE("nvme_prp_list_scattered_pages_round_trip") {
    fake_context ctx;
    data_transfer x(data_transfer::segments_for(128 << 10));
    const std::uint64_t first = ctx.alloc(4096);
    std::vector<std::uint64_t> pages(6);
    for (auto& p : pages)
        p = ctx.alloc(4096);
    const std::uint64_t list = ctx.alloc(4096);
    // Entries in reverse order so nothing is contiguous.
    for (std::size_t i = 0; i < pages.size(); ++i)
        put64(ctx, list + i * 8, pages[pages.size() - 1 - i]);
    const std::uint64_t len = (4096 - 0x200) + 5 * 4096 + 100;
    REQUIRE(x.prepare(ctx, prp_sqe(first + 0x200, list), len, false, false).ok());
    CHECK(x.segment_count() == 7);
    const auto data = pattern(len, 3);
    REQUIRE(x.copy_to_host(ctx, data.data()).ok());
    CHECK(std::memcmp(ctx.at(first + 0x200), data.data(), 4096 - 0x200) == 0);
    std::uint64_t off = 4096 - 0x200;
    for (std::size_t i = 0; i < 6; ++i) {
        const std::uint64_t n = std::min<std::uint64_t>(4096, len - off);
        CHECK(std::memcmp(ctx.at(pages[5 - i]), data.data() + off, n) == 0);
        off += n;
    }
    // Partial copies address the transfer by offset.
    std::vector<std::uint8_t> part(5000);
    REQUIRE(x.copy_from_host(ctx, 4000, part.data(), part.size()).ok());
    CHECK(std::memcmp(part.data(), data.data() + 4000, part.size()) == 0);
    CHECK(x.copy_from_host(ctx, len - 10, part.data(), 11) == spec::sc::invalid_field);
}

TEST_CASE("nvme_prp_contiguous_pages_coalesce") {
    fake_context ctx;
    data_transfer x(16);
    const std::uint64_t buf = ctx.alloc(8 * 4096);
    const std::uint64_t list = ctx.alloc(4096);
    for (int i = 0; i < 7; ++i)
        put64(ctx, list + i * 8, buf + (i + 1) * 4096);
    REQUIRE(x.prepare(ctx, prp_sqe(buf, list), 8 * 4096, false, false).ok());
    CHECK(x.segment_count() == 1);
    CHECK(x.segment(0).len == 8 * 4096);
}

TEST_CASE("nvme_prp_chained_list") {
    fake_context ctx;
    data_transfer x(64);
    std::vector<std::uint64_t> pages(5);
    for (auto& p : pages)
        p = ctx.alloc(4096);
    // The first list starts 16 bytes before its page end: one data entry, then the chain.
    const std::uint64_t list1 = ctx.alloc(4096) + 4096 - 16;
    const std::uint64_t list2 = ctx.alloc(4096);
    put64(ctx, list1, pages[1]);
    put64(ctx, list1 + 8, list2);
    put64(ctx, list2, pages[2]);
    put64(ctx, list2 + 8, pages[3]);
    put64(ctx, list2 + 16, pages[4]);
    const std::uint64_t len = 5 * 4096;
    REQUIRE(x.prepare(ctx, prp_sqe(pages[0], list1), len, false, false).ok());
    const auto data = pattern(len, 5);
    REQUIRE(x.copy_to_host(ctx, data.data()).ok());
    for (int i = 0; i < 5; ++i)
        CHECK(std::memcmp(ctx.at(pages[i]), data.data() + i * 4096, 4096) == 0);
    // A chain pointer with an offset is invalid.
    put64(ctx, list1 + 8, list2 + 8);
    CHECK(x.prepare(ctx, prp_sqe(pages[0], list1), len, false, false) ==
          spec::sc::prp_offset_invalid);
}

TEST_CASE("nvme_prp_offset_errors") {
    fake_context ctx;
    data_transfer x(16);
    const std::uint64_t a = ctx.alloc(4 * 4096);
    const std::uint64_t list = ctx.alloc(4096);
    CHECK(x.prepare(ctx, prp_sqe(a + 2, 0), 16, false, false) == spec::sc::prp_offset_invalid);
    CHECK(x.prepare(ctx, prp_sqe(a + 4, 0), 16, false, false).ok()); // dword aligned is fine
    put64(ctx, list, a + 4096);
    put64(ctx, list + 8, a + 2 * 4096 + 512); // data entry with an offset
    CHECK(x.prepare(ctx, prp_sqe(a, list), 3 * 4096, false, false) == spec::sc::prp_offset_invalid);
    CHECK(x.prepare(ctx, prp_sqe(a, list + 4), 3 * 4096, false, false) ==
          spec::sc::prp_offset_invalid);
    CHECK(x.segment_count() == 0); // failed prepares leave nothing behind
}

TEST_CASE("nvme_prp_host_memory_errors") {
    fake_context ctx;
    data_transfer x(16);
    const std::uint64_t a = ctx.alloc(4096);
    const std::uint64_t outside = fake_context::host_base + ctx.host().size() + 0x10000;
    // A PRP list outside host memory fails while walking it.
    CHECK(x.prepare(ctx, prp_sqe(a, outside), 3 * 4096, false, false) ==
          spec::sc::data_transfer_error);
    // A data page outside host memory fails at the copy.
    REQUIRE(x.prepare(ctx, prp_sqe(outside, 0), 512, false, false).ok());
    std::vector<std::uint8_t> buf(512);
    CHECK(x.copy_to_host(ctx, buf.data()) == spec::sc::data_transfer_error);
    // Bus mastering off: nothing may move.
    REQUIRE(x.prepare(ctx, prp_sqe(a, 0), 512, false, false).ok());
    ctx.host().set_enabled(false);
    CHECK(x.copy_to_host(ctx, buf.data()) == spec::sc::data_transfer_error);
    CHECK(x.copy_from_host(ctx, buf.data()) == spec::sc::data_transfer_error);
}

TEST_CASE("nvme_prp_mdts_and_psdt_checks") {
    nvme::controller_params p;
    p.mdts = 2; // 16 KiB
    fake_context ctx(p);
    data_transfer x(data_transfer::segments_for(data_transfer::max_transfer_bytes(p)));
    CHECK(data_transfer::max_transfer_bytes(p) == 16384);
    const std::uint64_t a = ctx.alloc(8 * 4096);
    const std::uint64_t list = ctx.alloc(4096);
    for (int i = 0; i < 4; ++i)
        put64(ctx, list + i * 8, a + (i + 1) * 4096);
    CHECK(x.prepare(ctx, prp_sqe(a, list), 16384, false, false).ok());
    CHECK(x.prepare(ctx, prp_sqe(a, list), 16385, false, false) == spec::sc::invalid_field);
    spec::sqe s = prp_sqe(a, 0);
    s.flags = 1u << 6; // PSDT = SGL
    CHECK(x.prepare(ctx, s, 512, false, false) == spec::sc::invalid_field);
    s.flags = 2u << 6; // SGL with MPTR as SGL: metadata unsupported
    CHECK(x.prepare(ctx, s, 512, false, true) == spec::sc::invalid_field);
    s.flags = 3u << 6;
    CHECK(x.prepare(ctx, s, 512, false, true) == spec::sc::invalid_field);
    // Zero-length transfers need no data pointer at all.
    CHECK(x.prepare(ctx, prp_sqe(3, 3), 0, false, false).ok());
}
