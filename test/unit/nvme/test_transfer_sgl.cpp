#include "nvme/transfer/data_transfer.h"
#include "test/unit/nvme/fake_context.h"

#include <doctest/doctest.h>

#include <vector>

using namespace znssim;
using namespace znssim::nvme;
using znssim::test::fake_context;

namespace {

struct desc {
    std::uint64_t addr;
    std::uint32_t len;
    std::uint8_t type;
    std::uint8_t subtype = 0;
};

void write_desc(std::uint8_t* p, const desc& d) {
    std::memset(p, 0, 16);
    std::memcpy(p, &d.addr, 8);
    std::memcpy(p + 8, &d.len, 4);
    p[15] = static_cast<std::uint8_t>(d.type << 4 | d.subtype);
}

spec::sqe sgl_sqe(const desc& d) {
    spec::sqe s{};
    s.flags = 1u << 6;
    std::uint8_t raw[16];
    write_desc(raw, d);
    std::memcpy(&s.dptr1, raw, 8);
    std::memcpy(&s.dptr2, raw + 8, 8);
    return s;
}

/// Writes a descriptor list in host memory, returns its address.
std::uint64_t put_list(fake_context& ctx, const std::vector<desc>& ds) {
    const std::uint64_t a = ctx.alloc(ds.size() * 16, 16);
    for (std::size_t i = 0; i < ds.size(); ++i)
        write_desc(ctx.at(a + i * 16), ds[i]);
    return a;
}

constexpr std::uint8_t data_block = 0, bit_bucket = 1, segment = 2, last_segment = 3;

std::vector<std::uint8_t> pattern(std::size_t n) {
    std::vector<std::uint8_t> v(n);
    for (std::size_t i = 0; i < n; ++i)
        v[i] = static_cast<std::uint8_t>(i * 13 + 1);
    return v;
}

} // namespace

TEST_CASE("nvme_sgl_data_block_in_sqe") {
    fake_context ctx;
    data_transfer x(16);
    const std::uint64_t a = ctx.alloc(8192);
    REQUIRE(x.prepare(ctx, sgl_sqe({a + 3, 1000, data_block}), 1000, true, true).ok());
    CHECK(x.segment_count() == 1);
    // Longer than the transfer is allowed; shorter is not.
    CHECK(x.prepare(ctx, sgl_sqe({a, 4096, data_block}), 1000, true, true).ok());
    CHECK(x.length() == 1000);
    CHECK(x.prepare(ctx, sgl_sqe({a, 999, data_block}), 1000, true, true) ==
          spec::sc::data_sgl_length_invalid);
    // Offset subtype and keyed / transport descriptors are unsupported.
    CHECK(x.prepare(ctx, sgl_sqe({a, 1000, data_block, 1}), 1000, true, true) ==
          spec::sc::sgl_descriptor_type_invalid);
    CHECK(x.prepare(ctx, sgl_sqe({a, 1000, 4}), 1000, true, true) ==
          spec::sc::sgl_descriptor_type_invalid);
    CHECK(x.prepare(ctx, sgl_sqe({a, 1000, 5}), 1000, true, true) ==
          spec::sc::sgl_descriptor_type_invalid);
    CHECK(x.prepare(ctx, sgl_sqe({a, 1000, 0xf}), 1000, true, true) ==
          spec::sc::sgl_descriptor_type_invalid);
}

TEST_CASE("nvme_sgl_last_segment_scatter_round_trip") {
    fake_context ctx;
    data_transfer x(16);
    const std::uint64_t a = ctx.alloc(100), b = ctx.alloc(300), c = ctx.alloc(4096);
    const std::uint64_t list =
        put_list(ctx, {{a, 100, data_block}, {b, 300, data_block}, {c, 4096, data_block}});
    const std::uint64_t len = 100 + 300 + 600;
    REQUIRE(x.prepare(ctx, sgl_sqe({list, 48, last_segment}), len, false, true).ok());
    CHECK(x.segment_count() == 3);
    const auto data = pattern(len);
    REQUIRE(x.copy_to_host(ctx, data.data()).ok());
    CHECK(std::memcmp(ctx.at(a), data.data(), 100) == 0);
    CHECK(std::memcmp(ctx.at(b), data.data() + 100, 300) == 0);
    CHECK(std::memcmp(ctx.at(c), data.data() + 400, 600) == 0);
    CHECK(ctx.at(c + 600)[0] == 0);
}

TEST_CASE("nvme_sgl_segment_chain") {
    fake_context ctx;
    data_transfer x(16);
    const std::uint64_t a = ctx.alloc(512), b = ctx.alloc(512), c = ctx.alloc(512);
    const std::uint64_t l3 = put_list(ctx, {{c, 512, data_block}});
    const std::uint64_t l2 = put_list(ctx, {{b, 512, data_block}, {l3, 16, last_segment}});
    const std::uint64_t l1 = put_list(ctx, {{a, 512, data_block}, {l2, 32, segment}});
    REQUIRE(x.prepare(ctx, sgl_sqe({l1, 32, segment}), 1536, true, true).ok());
    const auto data = pattern(1536);
    std::memcpy(ctx.at(a), data.data(), 512);
    std::memcpy(ctx.at(b), data.data() + 512, 512);
    std::memcpy(ctx.at(c), data.data() + 1024, 512);
    std::vector<std::uint8_t> back(1536);
    REQUIRE(x.copy_from_host(ctx, back.data()).ok());
    CHECK(back == data);
    // The chain ends before the transfer is covered.
    CHECK(x.prepare(ctx, sgl_sqe({l1, 32, segment}), 2048, true, true) ==
          spec::sc::data_sgl_length_invalid);
    // A segment list that ends with data (no further pointer) is the end of the SGL too.
    const std::uint64_t short_list = put_list(ctx, {{a, 512, data_block}, {b, 512, data_block}});
    CHECK(x.prepare(ctx, sgl_sqe({short_list, 32, segment}), 1536, true, true) ==
          spec::sc::data_sgl_length_invalid);
}

TEST_CASE("nvme_sgl_bit_bucket_reads_only") {
    fake_context ctx;
    data_transfer x(16);
    const std::uint64_t a = ctx.alloc(4096), b = ctx.alloc(4096);
    const std::uint64_t list =
        put_list(ctx, {{a, 100, data_block}, {0, 200, bit_bucket}, {b, 100, data_block}});
    REQUIRE(x.prepare(ctx, sgl_sqe({list, 48, last_segment}), 400, false, true).ok());
    const auto data = pattern(400);
    REQUIRE(x.copy_to_host(ctx, data.data()).ok());
    CHECK(std::memcmp(ctx.at(a), data.data(), 100) == 0);
    CHECK(std::memcmp(ctx.at(b), data.data() + 300, 100) == 0);
    CHECK(x.prepare(ctx, sgl_sqe({list, 48, last_segment}), 400, true, true) ==
          spec::sc::sgl_descriptor_type_invalid);
}

TEST_CASE("nvme_sgl_segment_descriptor_errors") {
    fake_context ctx;
    data_transfer x(16);
    const std::uint64_t a = ctx.alloc(4096);
    const std::uint64_t tail = put_list(ctx, {{a, 4096, data_block}});
    // Segment descriptor not last in its segment.
    const std::uint64_t bad1 = put_list(ctx, {{tail, 16, segment}, {a, 512, data_block}});
    CHECK(x.prepare(ctx, sgl_sqe({bad1, 32, segment}), 1024, true, true) ==
          spec::sc::invalid_sgl_segment_descriptor);
    // Segment descriptor inside the last segment.
    const std::uint64_t bad2 = put_list(ctx, {{a, 512, data_block}, {tail, 16, segment}});
    CHECK(x.prepare(ctx, sgl_sqe({bad2, 32, last_segment}), 1024, true, true) ==
          spec::sc::invalid_sgl_segment_descriptor);
    // Segment length not a multiple of 16, or zero.
    CHECK(x.prepare(ctx, sgl_sqe({tail, 24, last_segment}), 512, true, true) ==
          spec::sc::invalid_sgl_segment_descriptor);
    CHECK(x.prepare(ctx, sgl_sqe({tail, 0, segment}), 512, true, true) ==
          spec::sc::invalid_sgl_segment_descriptor);
    // Segment with the offset subtype.
    CHECK(x.prepare(ctx, sgl_sqe({tail, 16, last_segment, 1}), 512, true, true) ==
          spec::sc::sgl_descriptor_type_invalid);
    // A segment list outside host memory.
    const std::uint64_t outside = fake_context::host_base + ctx.host().size();
    CHECK(x.prepare(ctx, sgl_sqe({outside, 16, last_segment}), 512, true, true) ==
          spec::sc::data_transfer_error);
}

TEST_CASE("nvme_sgl_looping_chain_is_bounded") {
    fake_context ctx;
    data_transfer x(16);
    const std::uint64_t a = ctx.alloc(64);
    // A segment whose only descriptor points back at itself: no data, no end.
    const std::uint64_t self = ctx.alloc(16, 16);
    write_desc(ctx.at(self), {self, 16, segment});
    CHECK(x.prepare(ctx, sgl_sqe({self, 16, segment}), 512, true, true) ==
          spec::sc::invalid_sgl_descriptor_count);
    // A loop that carries data each round ends when the segment scratch is full.
    const std::uint64_t loop = ctx.alloc(32, 16);
    write_desc(ctx.at(loop), {a, 1, data_block});
    write_desc(ctx.at(loop + 16), {loop, 32, segment});
    CHECK(x.prepare(ctx, sgl_sqe({loop, 32, segment}), 4096, true, true) ==
          spec::sc::invalid_sgl_descriptor_count);
}
