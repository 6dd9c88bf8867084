#include "model/pcie/msix.h"

#include <doctest/doctest.h>

#include <cstring>

using namespace znssim::pcie;

namespace {
void put32(msix_state& m, std::uint32_t off, std::uint32_t v) {
    std::uint8_t b[4];
    std::memcpy(b, &v, 4);
    REQUIRE(m.table_write(off, b, 4));
}
std::uint32_t get32(const msix_state& m, std::uint32_t off) {
    std::uint8_t b[4];
    REQUIRE(m.table_read(off, b, 4));
    std::uint32_t v;
    std::memcpy(&v, b, 4);
    return v;
}
std::uint64_t pba64(const msix_state& m, std::uint32_t off) {
    std::uint8_t b[8];
    REQUIRE(m.pba_read(off, b, 8));
    std::uint64_t v;
    std::memcpy(&v, b, 8);
    return v;
}
} // namespace

TEST_CASE("pcie msix: power-on table is masked and PBA clear") {
    msix_state m(65);
    CHECK(m.table_bytes() == 65 * 16);
    CHECK(m.pba_bytes() == 16);
    for (unsigned v = 0; v < 65; ++v) {
        CHECK(m.masked(v));
        CHECK_FALSE(m.pending(v));
        CHECK(get32(m, v * 16 + 12) == 1);
    }
    CHECK(pba64(m, 0) == 0);
    CHECK(pba64(m, 8) == 0);
}

TEST_CASE("pcie msix: entry fields, reserved bits and access widths") {
    msix_state m(4);
    put32(m, 16 + 0, 0xfee00003); // bits 1:0 reserved
    put32(m, 16 + 4, 0x00000001);
    put32(m, 16 + 8, 0x00004041);
    put32(m, 16 + 12, 0xfffffffe); // unmask; reserved bits stay 0
    CHECK(get32(m, 16) == 0xfee00000u);
    CHECK(get32(m, 28) == 0);
    CHECK_FALSE(m.masked(1));
    const msix_message msg = m.message(1);
    CHECK(msg.address == 0x1fee00000ull);
    CHECK(msg.data == 0x4041);
    // 8-byte write of address, then 2-byte read of the data.
    const std::uint64_t addr = 0x00000002fee01000ull;
    std::uint8_t b[8];
    std::memcpy(b, &addr, 8);
    REQUIRE(m.table_write(32, b, 8));
    CHECK(m.message(2).address == addr);
    std::uint8_t h[2];
    REQUIRE(m.table_read(16 + 8, h, 2));
    CHECK(h[0] == 0x41);
    CHECK(h[1] == 0x40);
    // Malformed: misaligned, bad length, out of range.
    CHECK_FALSE(m.table_write(2, b, 4));
    CHECK_FALSE(m.table_write(0, b, 3));
    CHECK_FALSE(m.table_read(64, b, 4));
    CHECK_FALSE(m.table_read(60, b, 8));
}

TEST_CASE("pcie msix: masked or undeliverable requests set pending bits") {
    msix_state m(70);
    put32(m, 3 * 16 + 12, 0); // unmask vector 3
    CHECK(m.request(3, true));
    CHECK_FALSE(m.pending(3));
    CHECK_FALSE(m.request(3, false)); // e.g. function masked
    CHECK(m.pending(3));
    CHECK_FALSE(m.request(66, true)); // masked vector
    CHECK(m.pending(66));
    CHECK(pba64(m, 0) == (1ull << 3));
    CHECK(pba64(m, 8) == (1ull << 2));
    CHECK_FALSE(m.request(70, true)); // out of range: ignored
    CHECK(m.next_deliverable(0) == 3);
    CHECK(m.next_deliverable(4) == 70); // 66 is still masked
    put32(m, 66 * 16 + 12, 0);
    CHECK(m.next_deliverable(4) == 66);
    m.clear_pending(3);
    m.clear_pending(66);
    CHECK(m.next_deliverable(0) == 70);
    CHECK(pba64(m, 0) == 0);
}

TEST_CASE("pcie msix: PBA is read-only and reset clears everything") {
    msix_state m(8);
    CHECK_FALSE(m.request(5, true));
    CHECK(m.pba_write(0, 8));
    CHECK_FALSE(m.pba_write(4, 8));
    CHECK(m.pending(5));
    put32(m, 5 * 16 + 8, 0x55);
    m.reset();
    CHECK_FALSE(m.pending(5));
    CHECK(m.masked(5));
    CHECK(m.message(5).data == 0);
}

TEST_CASE("pcie msix: zero vectors") {
    msix_state m(0);
    CHECK(m.table_bytes() == 0);
    CHECK(m.pba_bytes() == 0);
    std::uint8_t b[4] = {};
    CHECK_FALSE(m.table_write(0, b, 4));
    CHECK_FALSE(m.request(0, true));
    CHECK(m.next_deliverable(0) == 0);
}
