// Driver-side PRP and SGL builders (platform/driver/data_pointer.h).
#include "platform/driver/data_pointer.h"

#include <doctest/doctest.h>

#include <vector>

using namespace znssim::platform;

namespace {
struct list_pages {
    std::vector<std::vector<std::uint64_t>> mem;
    std::vector<prp_list_page> pages;
    explicit list_pages(std::size_t n) : mem(n, std::vector<std::uint64_t>(512, 0)) {
        for (std::size_t i = 0; i < n; ++i)
            pages.push_back({0x900000 + i * 0x1000, mem[i].data()});
    }
};
} // namespace

TEST_CASE("platform_prp: pages touched and list pages needed") {
    CHECK(prp_pages_touched(0x10000, 4096, 4096) == 1);
    CHECK(prp_pages_touched(0x10200, 4096, 4096) == 2);
    CHECK(prp_pages_touched(0x10000, 0, 4096) == 0);
    CHECK(prp_list_pages_needed(0x10000, 8192, 4096) == 0);
    CHECK(prp_list_pages_needed(0x10000, 12288, 4096) == 1);
    CHECK(prp_list_pages_needed(0x10000, 513ull * 4096, 4096) == 1); // 512 entries fit
    CHECK(prp_list_pages_needed(0x10000, 514ull * 4096, 4096) == 2); // 513 entries chain
}

TEST_CASE("platform_prp: PRP1 only and PRP1+PRP2 keep the first-page offset") {
    prp_pair p = build_prps(0x10200, 512, 4096, nullptr, 0);
    CHECK(p.ok);
    CHECK(p.prp1 == 0x10200);
    CHECK(p.prp2 == 0);
    p = build_prps(0x10200, 4096, 4096, nullptr, 0);
    CHECK(p.ok);
    CHECK(p.prp2 == 0x11000);
}

TEST_CASE("platform_prp: list entries, chaining and too few list pages") {
    list_pages lp(2);
    prp_pair p = build_prps(0x100000, 4ull * 4096, 4096, lp.pages.data(), 2);
    REQUIRE(p.ok);
    CHECK(p.prp2 == lp.pages[0].bus);
    CHECK(p.list_pages_used == 1);
    CHECK(lp.mem[0][0] == 0x101000);
    CHECK(lp.mem[0][2] == 0x103000);
    CHECK(lp.mem[0][3] == 0);

    list_pages chain(2);
    p = build_prps(0x200000, 600ull * 4096, 4096, chain.pages.data(), 2);
    REQUIRE(p.ok);
    CHECK(p.list_pages_used == 2);
    CHECK(chain.mem[0][510] == 0x200000 + 511ull * 4096);
    CHECK(chain.mem[0][511] == chain.pages[1].bus); // chain pointer
    CHECK(chain.mem[1][0] == 0x200000 + 512ull * 4096);
    CHECK(chain.mem[1][87] == 0x200000 + 599ull * 4096);

    CHECK_FALSE(build_prps(0x200000, 600ull * 4096, 4096, chain.pages.data(), 1).ok);
}

TEST_CASE("platform_sgl: descriptor encoding and SQE placement") {
    sgl_descriptor d = sgl::data_block(0x1234000, 8192);
    CHECK(d.identifier == 0x00);
    CHECK(sgl::bit_bucket(512).identifier == 0x10);
    CHECK(sgl::segment(0x5000, 3).identifier == 0x20);
    CHECK(sgl::segment(0x5000, 3).length == 48);
    CHECK(sgl::last_segment(0x5000, 2).identifier == 0x30);
    znssim::nvme::spec::sqe s{};
    set_sgl(s, d);
    CHECK(s.psdt() == 1);
    CHECK(s.dptr1 == 0x1234000);
    CHECK((s.dptr2 & 0xffffffff) == 8192);
    CHECK((s.dptr2 >> 56) == 0x00);
    set_prps(s, prp_pair{0x1000, 0x2000, 0, true});
    CHECK(s.psdt() == 0);
    CHECK(s.dptr2 == 0x2000);
}
