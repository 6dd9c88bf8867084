#include "model/pcie/config_space.h"

#include <doctest/doctest.h>

#include <stdexcept>

using namespace znssim::pcie;

namespace {
std::uint32_t rd(const config_space& cs, std::uint32_t off, unsigned len) {
    std::uint32_t v = 0xdeadbeef;
    REQUIRE(cs.read(off, len, v));
    return v;
}
void wr(config_space& cs, std::uint32_t off, unsigned len, std::uint32_t v) {
    REQUIRE(cs.write(off, len, v));
}
} // namespace

TEST_CASE("pcie config: identity registers come from params and are read-only") {
    function_params p;
    p.vendor_id = 0x144d;
    p.device_id = 0xa808;
    p.subsystem_vendor_id = 0x1028;
    p.subsystem_id = 0x1fe1;
    p.revision = 0x07;
    config_space cs(p);
    CHECK(rd(cs, 0x00, 4) == 0xa808144du);
    CHECK(rd(cs, 0x08, 4) == 0x01080207u); // class 010802, revision 07
    CHECK(rd(cs, 0x09, 1) == 0x02);        // prog-if
    CHECK(rd(cs, 0x2c, 4) == 0x1fe11028u);
    CHECK(rd(cs, 0x0e, 1) == 0x00); // type-0 header, single function
    for (std::uint32_t off : {0x00u, 0x08u, 0x2cu}) {
        const std::uint32_t before = rd(cs, off, 4);
        wr(cs, off, 4, ~before);
        CHECK(rd(cs, off, 4) == before);
    }
    CHECK(rd(cs, 0x3d, 1) == 1); // INTA#
    wr(cs, 0x3d, 1, 3);
    CHECK(rd(cs, 0x3d, 1) == 1);
    wr(cs, 0x3c, 1, 0x0b); // Interrupt Line is RW
    CHECK(rd(cs, 0x3c, 1) == 0x0b);
}

TEST_CASE("pcie config: 64-bit BAR0 sizing handshake") {
    function_params p;
    p.bar0_size = 64 * 1024;
    config_space cs(p);
    CHECK(rd(cs, 0x10, 4) == 0x4); // memory, 64-bit, non-prefetchable
    wr(cs, 0x10, 4, 0xffffffff);
    wr(cs, 0x14, 4, 0xffffffff);
    CHECK(rd(cs, 0x10, 4) == 0xffff0004u);
    CHECK(rd(cs, 0x14, 4) == 0xffffffffu);
    const std::uint64_t mask = (std::uint64_t(rd(cs, 0x14, 4)) << 32) | (rd(cs, 0x10, 4) & ~0xfu);
    CHECK(~mask + 1 == 64 * 1024);
    wr(cs, 0x10, 4, 0xfebf1234);
    wr(cs, 0x14, 4, 0x00000040);
    CHECK(rd(cs, 0x10, 4) == 0xfebf0004u);
    CHECK(cs.bar0_base() == 0x40febf0000ull);
    // 2-byte and 1-byte accesses hit the same register.
    CHECK(rd(cs, 0x12, 2) == 0xfebf);
    CHECK(rd(cs, 0x10, 1) == 0x04);
    for (std::uint32_t off = 0x18; off <= 0x24; off += 4) {
        wr(cs, off, 4, 0xffffffff);
        CHECK(rd(cs, off, 4) == 0);
    }
    for (std::uint32_t off : {0x28u, 0x30u}) {
        wr(cs, off, 4, 0xffffffff);
        CHECK(rd(cs, off, 4) == 0);
    }
}

TEST_CASE("pcie config: 32-bit BAR0 sizing leaves BAR1..5 at zero") {
    function_params p;
    p.bar0_64bit = false;
    p.bar0_size = 16 * 1024;
    config_space cs(p);
    CHECK(rd(cs, 0x10, 4) == 0x0);
    wr(cs, 0x10, 4, 0xffffffff);
    CHECK(rd(cs, 0x10, 4) == 0xffffc000u);
    for (std::uint32_t off = 0x14; off <= 0x24; off += 4) {
        wr(cs, off, 4, 0xffffffff);
        CHECK(rd(cs, off, 4) == 0);
    }
    wr(cs, 0x10, 4, 0xc0004000);
    CHECK(cs.bar0_base() == 0xc0004000ull);
}

TEST_CASE("pcie config: invalid params are rejected with the field name") {
    function_params p;
    p.bar0_size = 12 * 1024;
    CHECK_THROWS_WITH_AS(config_space{p}, doctest::Contains("bar0_size"), std::invalid_argument);
    p.bar0_size = 8 * 1024;
    CHECK_THROWS_AS(config_space{p}, std::invalid_argument);
    p = {};
    p.bar0_64bit = false;
    p.bar0_size = 1ull << 32;
    CHECK_THROWS_WITH_AS(config_space{p}, doctest::Contains("32-bit"), std::invalid_argument);
    p = {};
    p.msix_table_offset = 0x3ff0; // 65 entries do not fit in 16 KiB
    CHECK_THROWS_WITH_AS(config_space{p}, doctest::Contains("msix_table_offset"),
                         std::invalid_argument);
    p = {};
    p.msix_pba_offset = 0x2008; // inside the table
    CHECK_THROWS_WITH_AS(config_space{p}, doctest::Contains("overlap"), std::invalid_argument);
    p = {};
    p.msix_vectors = 4096;
    CHECK_THROWS_AS(config_space{p}, std::invalid_argument);
    p = {};
    p.capabilities = false;
    p.msix_table_offset = 0x3ff0; // irrelevant without capabilities
    CHECK_NOTHROW(config_space{p});
}

TEST_CASE("pcie config: Command register writable bits") {
    config_space cs(function_params{});
    CHECK(rd(cs, 0x04, 2) == 0);
    wr(cs, 0x04, 2, 0xffff);
    CHECK(rd(cs, 0x04, 2) == 0x0546); // MEM, BME, PERR, SERR, INTx Disable; I/O hardwired 0
    CHECK(cs.memory_enabled());
    CHECK(cs.bus_master_enabled());
    CHECK(cs.intx_disabled());
    wr(cs, 0x04, 1, 0x01);            // I/O space only: stays 0, and clears MEM/BME
    CHECK(rd(cs, 0x04, 2) == 0x0500); // high byte (SERR, INTx Disable) untouched
    CHECK_FALSE(cs.memory_enabled());
    CHECK_FALSE(cs.bus_master_enabled());
}

TEST_CASE("pcie config: Status interrupt bit is read-only and error bits are RW1C") {
    config_space cs(function_params{});
    CHECK(rd(cs, 0x06, 2) == 0x0010); // Capabilities List
    wr(cs, 0x06, 2, 0xffff);
    CHECK(rd(cs, 0x06, 2) == 0x0010);
    cs.set_interrupt_status(true);
    CHECK(rd(cs, 0x06, 2) == 0x0018);
    wr(cs, 0x06, 2, 0x0008); // not W1C
    CHECK(rd(cs, 0x06, 2) == 0x0018);
    cs.set_interrupt_status(false);
    cs.set_status_errors(status_bits::received_master_abort | status_bits::detected_parity_error);
    CHECK(rd(cs, 0x06, 2) == 0xa010);
    wr(cs, 0x06, 2, 0x2000); // clears only the bit written with 1
    CHECK(rd(cs, 0x06, 2) == 0x8010);
    wr(cs, 0x04, 4, 0x80000000u); // a dword write of Command+Status clears too
    CHECK(rd(cs, 0x06, 2) == 0x0010);
}

TEST_CASE("pcie config: malformed accesses are refused") {
    config_space cs(function_params{});
    std::uint32_t v = 0x1234;
    CHECK_FALSE(cs.read(0x02, 4, v));
    CHECK_FALSE(cs.read(0x01, 2, v));
    CHECK_FALSE(cs.read(0x00, 3, v));
    CHECK_FALSE(cs.read(0x1000, 1, v));
    CHECK(v == 0x1234);
    CHECK_FALSE(cs.write(0x05, 2, 0xffff));
    CHECK(rd(cs, 0x04, 2) == 0);
    CHECK(rd(cs, 0xffc, 4) == 0);
    std::uint8_t buf[8];
    CHECK_FALSE(cs.peek(0xffc, buf, 8));
}

TEST_CASE("pcie config: capability chain walk") {
    config_space cs(function_params{});
    CHECK(rd(cs, 0x34, 1) == 0x40);
    std::uint32_t ptr = rd(cs, 0x34, 1);
    std::uint8_t ids[8];
    std::uint32_t offs[8];
    unsigned n = 0;
    while (ptr != 0 && n < 8) {
        ids[n] = std::uint8_t(rd(cs, ptr, 1));
        offs[n] = ptr;
        ++n;
        ptr = rd(cs, ptr + 1, 1);
    }
    REQUIRE(n == 3);
    CHECK(ids[0] == cap_id::power_management);
    CHECK(offs[0] == 0x40);
    CHECK(ids[1] == cap_id::msix);
    CHECK(offs[1] == 0x50);
    CHECK(ids[2] == cap_id::pci_express);
    CHECK(offs[2] == 0x60);
    // PM: version 1.2 (lspci "version 3"), D0, No_Soft_Reset.
    CHECK((rd(cs, 0x42, 2) & 0x7) == 3);
    CHECK(rd(cs, 0x44, 2) == 0x0008);
    // MSI-X: table size 65 (encoded 64), table at BAR0+0x2000, PBA at BAR0+0x3000.
    CHECK(rd(cs, 0x52, 2) == 64);
    CHECK(rd(cs, 0x54, 4) == 0x2000);
    CHECK(rd(cs, 0x58, 4) == 0x3000);
    // PCIe: v2 endpoint, MPS 256 supported, FLR capable, x4 8 GT/s.
    CHECK(rd(cs, 0x62, 2) == 0x0002);
    const std::uint32_t devcap = rd(cs, 0x64, 4);
    CHECK((devcap & 0x7) == 1);
    CHECK((devcap & (1u << 28)) != 0);
    CHECK((rd(cs, 0x6c, 4) & 0x3ff) == 0x43);
    CHECK((rd(cs, 0x72, 2) & 0x3ff) == 0x43);
    // No extended capabilities.
    CHECK(rd(cs, 0x100, 4) == 0);
    wr(cs, 0x100, 4, 0xffffffff);
    CHECK(rd(cs, 0x100, 4) == 0);
}

TEST_CASE("pcie config: without MSI-X the PM capability links to PCI Express") {
    function_params p;
    p.msix_vectors = 0;
    config_space cs(p);
    CHECK(rd(cs, 0x41, 1) == 0x60);
    CHECK(rd(cs, 0x50, 4) == 0);
    CHECK_FALSE(cs.has_msix());
    CHECK(cs.mode() == interrupt_mode::intx);
}

TEST_CASE("pcie config: capabilities=false gives an empty list") {
    function_params p;
    p.capabilities = false;
    config_space cs(p);
    CHECK((rd(cs, 0x06, 2) & 0x10) == 0);
    CHECK(rd(cs, 0x34, 1) == 0);
    for (std::uint32_t off = 0x40; off < 0x100; off += 4) {
        wr(cs, off, 4, 0xffffffff);
        CHECK(rd(cs, off, 4) == 0);
    }
    CHECK_FALSE(cs.has_msix());
    CHECK(cs.mode() == interrupt_mode::intx);
    CHECK(cs.power_state() == pm::state_d0);
}

TEST_CASE("pcie config: PMCSR accepts D0 and D3hot only") {
    config_space cs(function_params{});
    wr(cs, 0x04, 2, command_bits::memory_space | command_bits::bus_master);
    wr(cs, 0x44, 2, 0x0003);
    CHECK(cs.power_state() == pm::state_d3hot);
    CHECK(rd(cs, 0x44, 2) == 0x000b);
    CHECK_FALSE(cs.memory_enabled()); // only config space answers in D3hot
    CHECK_FALSE(cs.bus_master_enabled());
    wr(cs, 0x44, 2, 0x0001); // D1 unsupported: ignored
    CHECK(cs.power_state() == pm::state_d3hot);
    wr(cs, 0x44, 2, 0x0000);
    CHECK(cs.power_state() == pm::state_d0);
    CHECK(cs.memory_enabled()); // No_Soft_Reset: state kept
    wr(cs, 0x44, 2, 0x0002);
    CHECK(cs.power_state() == pm::state_d0);
}

TEST_CASE("pcie config: MSI-X Message Control and interrupt mode") {
    config_space cs(function_params{});
    CHECK(cs.mode() == interrupt_mode::intx);
    wr(cs, 0x52, 2, 0xffff);
    CHECK(rd(cs, 0x52, 2) == (0xc000 | 64)); // table size read-only
    CHECK(cs.msix_enabled());
    CHECK(cs.msix_function_masked());
    CHECK(cs.mode() == interrupt_mode::msix);
    wr(cs, 0x53, 1, 0x80);
    CHECK_FALSE(cs.msix_function_masked());
    wr(cs, 0x50, 4, 0);
    CHECK(cs.mode() == interrupt_mode::intx);
    CHECK(rd(cs, 0x50, 2) == 0x6011); // ID and next are read-only
}

TEST_CASE("pcie config: PCIe Device Control, Device Status W1C and FLR request") {
    config_space cs(function_params{});
    const std::uint16_t devctl = std::uint16_t(rd(cs, 0x68, 2));
    CHECK((devctl & 0x7000) == 0x2000); // MRRS 512 B
    wr(cs, 0x68, 2, 0x0020);            // MPS 256
    CHECK(rd(cs, 0x68, 2) == 0x0020);
    CHECK_FALSE(cs.take_flr_request());
    wr(cs, 0x68, 2, 0x8020);
    CHECK(rd(cs, 0x68, 2) == 0x0020); // Initiate FLR reads 0
    CHECK(cs.take_flr_request());
    CHECK_FALSE(cs.take_flr_request());
    wr(cs, 0x6a, 2, 0xffff);
    CHECK(rd(cs, 0x6a, 2) == 0);
    wr(cs, 0x6c, 4, 0);
    CHECK((rd(cs, 0x6c, 4) & 0x3ff) == 0x43); // Link Capabilities read-only
}

TEST_CASE("pcie config: conventional reset restores power-on values") {
    config_space cs(function_params{});
    std::uint8_t before[4096];
    REQUIRE(cs.peek(0, before, sizeof before));
    wr(cs, 0x04, 2, 0x0546);
    wr(cs, 0x10, 4, 0xfebf0000);
    wr(cs, 0x14, 4, 0x1);
    wr(cs, 0x3c, 1, 11);
    wr(cs, 0x52, 2, 0xc000);
    wr(cs, 0x44, 2, 3);
    cs.set_interrupt_status(true);
    cs.set_status_errors(status_bits::received_master_abort);
    cs.reset();
    std::uint8_t after[4096];
    REQUIRE(cs.peek(0, after, sizeof after));
    CHECK(std::equal(before, before + 4096, after));
    CHECK(cs.bar0_base() == 0);
    CHECK(cs.mode() == interrupt_mode::intx);
}

TEST_CASE("pcie config: INTx pin follows level, INTx Disable and MSI-X Enable") {
    config_space cs(function_params{});
    CHECK_FALSE(cs.intx_pin(false));
    CHECK(cs.intx_pin(true));
    wr(cs, 0x04, 2, command_bits::intx_disable);
    CHECK_FALSE(cs.intx_pin(true));
    wr(cs, 0x04, 2, 0);
    wr(cs, 0x52, 2, msix_ctl::enable); // MSI-X enabled: INTx must not be asserted
    CHECK_FALSE(cs.intx_pin(true));
    wr(cs, 0x52, 2, msix_ctl::function_mask); // masked but disabled: back to INTx
    CHECK(cs.intx_pin(true));
    cs.set_interrupt_status(true);
    CHECK((rd(cs, 0x06, 2) & status_bits::interrupt_status) != 0);
    function_params nocap;
    nocap.capabilities = false;
    config_space plain(nocap);
    wr(plain, 0x52, 2, msix_ctl::enable); // no capability there: ignored
    CHECK(plain.intx_pin(true));
}
