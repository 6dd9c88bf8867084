// Zoned namespaces through the reference host driver on the reference platform: report zones with
// every filter and the Partial Report bit, Zone Append results, and every zone status code.
#include "test/platform/harness_main.h"

#include <cstring>

using namespace znssim;
using namespace znssim::platform;

namespace {
constexpr std::uint32_t nsid = 1;
constexpr std::uint64_t zsze = 256; // LBAs of 4 KiB: 1 MiB zones
constexpr std::uint64_t zcap = 192;
constexpr std::uint32_t zones = 16;
constexpr std::uint32_t ro_zone = 14, offline_zone = 15;

enum : std::uint8_t {
    zs_empty = 1,
    zs_imp = 2,
    zs_exp = 3,
    zs_closed = 4,
    zs_ro = 0xd,
    zs_full = 0xe,
    zs_off = 0xf
};
enum : std::uint8_t { zsa_close = 1, zsa_finish = 2, zsa_open = 3, zsa_reset = 4 };

std::uint64_t zslba(std::uint32_t z) {
    return z * zsze;
}

void expect(const completion& c, std::uint16_t code) {
    REQUIRE_FALSE(c.timed_out);
    CHECK(c.status.code() == code);
    if (code) CHECK(c.status.dnr());
}

/// All zones back to Empty (Read Only and Offline zones stay as they are).
void reset_all() {
    REQUIRE(test::driver().zone_mgmt_send(nsid, 0, zsa_reset, true).ok());
}

completion write_at(std::uint64_t lba, std::uint32_t nlb) {
    auto& d = test::driver();
    auto buf = d.alloc(nlb * 4096ull);
    return d.write(nsid, lba, nlb, buf);
}

/// Writes n LBAs from lba on in transfers the MDTS allows.
void fill(std::uint64_t lba, std::uint64_t n) {
    while (n) {
        const std::uint32_t chunk = static_cast<std::uint32_t>(n < 32 ? n : 32);
        REQUIRE(write_at(lba, chunk).ok());
        lba += chunk;
        n -= chunk;
    }
}

/// Header count and descriptors of a report from zone 0 with filter zrasf.
std::uint64_t report(std::uint8_t zrasf, bool partial, std::size_t bytes,
                     std::vector<zone_descriptor>& out) {
    auto& d = test::driver();
    auto buf = d.alloc(bytes);
    auto c = d.zone_mgmt_recv(nsid, 0, buf, 0, zrasf, partial, static_cast<std::uint32_t>(bytes));
    REQUIRE(c.ok());
    out.clear();
    return host_driver::parse_zone_report(buf, bytes, out);
}

/// Zones in every state: 0 implicitly open, 1 explicitly open, 2 closed, 3 full, rest empty.
void make_states() {
    auto& d = test::driver();
    reset_all();
    REQUIRE(write_at(zslba(0), 1).ok());
    REQUIRE(d.zone_mgmt_send(nsid, zslba(1), zsa_open).ok());
    REQUIRE(write_at(zslba(2), 2).ok());
    REQUIRE(d.zone_mgmt_send(nsid, zslba(2), zsa_close).ok());
    REQUIRE(d.zone_mgmt_send(nsid, zslba(3), zsa_finish).ok());
}
} // namespace

void znssim::test::setup(harness& h) {
    system_config cfg = default_config("zns");
    nvme::namespace_params& ns = cfg.namespaces[0];
    ns.zoned = true;
    ns.capacity_lbas = zsze * zones;
    ns.zoned_cfg.zone_size_lbas = zsze;
    ns.zoned_cfg.zone_capacity_lbas = zcap;
    ns.zoned_cfg.zone_count = zones;
    ns.zoned_cfg.max_open = 3;
    ns.zoned_cfg.max_active = 4;
    cfg.controller.zasl = 1; // 8 KiB appends at most
    ns.zoned_cfg.faults.push_back({ro_zone, false, 0});
    ns.zoned_cfg.faults.push_back({offline_zone, true, 0});
    h.add_system("sys", cfg);
}

TEST_CASE("zns_driver: the scan finds the zoned namespace with its geometry") {
    const namespace_info* ns = test::driver().find_namespace(nsid);
    REQUIRE(ns);
    CHECK(ns->zoned);
    CHECK(ns->zone_size == zsze);
    CHECK(ns->zone_capacity == zcap);
    CHECK(ns->zone_count == zones);
    CHECK(ns->mor == 2);
    CHECK(ns->mar == 3);
}

TEST_CASE("zns_driver: report zones with every filter") {
    make_states();
    std::vector<zone_descriptor> z;
    const std::size_t bytes = 64 + 64 * zones;
    struct {
        std::uint8_t zrasf;
        std::uint64_t count;
        std::uint8_t state;
    } cases[] = {
        {1, zones - 6, zs_empty}, {2, 1, zs_imp}, {3, 1, zs_exp}, {4, 1, zs_closed},
        {5, 1, zs_full},          {6, 1, zs_ro},  {7, 1, zs_off},
    };
    CHECK(report(0, true, bytes, z) == zones);
    CHECK(z.size() == zones);
    for (std::uint32_t i = 0; i < z.size(); ++i)
        CHECK(z[i].start == zslba(i));
    CHECK(z[0].write_pointer == zslba(0) + 1);
    CHECK(z[2].write_pointer == zslba(2) + 2);
    for (const auto& c : cases) {
        CAPTURE(int(c.zrasf));
        CHECK(report(c.zrasf, true, bytes, z) == c.count);
        REQUIRE(z.size() == c.count);
        for (const auto& d : z)
            CHECK(d.state == c.state);
    }
}

TEST_CASE("zns_driver: the Partial Report bit decides what the header counts") {
    make_states();
    std::vector<zone_descriptor> z;
    const std::size_t two = 64 + 2 * 64 + 32; // room for two whole descriptors and a fraction
    CHECK(report(0, true, two, z) == 2);      // partial: what was returned
    CHECK(z.size() == 2);
    CHECK(report(0, false, two, z) == zones);    // not partial: every matching zone
    CHECK(report(1, false, 64, z) == zones - 6); // header only, as nvme-cli asks first
}

TEST_CASE("zns_driver: zone append returns the assigned LBA and the data lands there") {
    auto& d = test::driver();
    reset_all();
    auto a = d.alloc(8192), b = d.alloc(8192);
    std::memset(a.data(), 0xa1, 8192);
    std::memset(b.data(), 0xb2, 8192);
    auto c1 = d.zone_append(nsid, zslba(5), 2, a);
    auto c2 = d.zone_append(nsid, zslba(5), 2, b);
    REQUIRE(c1.ok());
    REQUIRE(c2.ok());
    CHECK(c1.result64() == zslba(5));
    CHECK(c2.result64() == zslba(5) + 2);
    auto back = d.alloc(4 * 4096);
    REQUIRE(d.read(nsid, zslba(5), 4, back).ok());
    CHECK(std::memcmp(back.data(), a.data(), 8192) == 0);
    CHECK(std::memcmp(back.data() + 8192, b.data(), 8192) == 0);
    // Beyond ZASL (2^1 × 4 KiB) and not at a zone start: Invalid Field.
    auto big = d.alloc(3 * 4096);
    expect(d.zone_append(nsid, zslba(5), 3, big), 0x002);
    expect(d.zone_append(nsid, zslba(5) + 1, 1, a), 0x002);
}

TEST_CASE("zns_driver: every zone status code, with DNR") {
    auto& d = test::driver();
    auto buf = d.alloc(4096);
    reset_all();
    // Zone Boundary Error: a write that runs past the zone capacity.
    REQUIRE(write_at(zslba(4), 1).ok());
    REQUIRE(d.zone_mgmt_send(nsid, zslba(4), zsa_finish).ok());
    REQUIRE(d.zone_mgmt_send(nsid, zslba(4), zsa_reset).ok());
    fill(zslba(4), zcap - 1);
    expect(write_at(zslba(4) + zcap - 1, 2), 0x1b8);
    // Zone Is Full.
    REQUIRE(write_at(zslba(4) + zcap - 1, 1).ok());
    expect(write_at(zslba(4) + zcap, 1), 0x1b9);
    // Zone Is Read Only, Zone Is Offline.
    expect(write_at(zslba(ro_zone), 1), 0x1ba);
    expect(d.read(nsid, zslba(offline_zone), 1, buf), 0x1bb);
    // Zone Invalid Write: not at the write pointer.
    expect(write_at(zslba(6) + 3, 1), 0x1bc);
    // Invalid Zone State Transition: closing an empty zone.
    expect(d.zone_mgmt_send(nsid, zslba(7), zsa_close), 0x1bf);
    // Too Many Open Zones: three explicitly open (MOR+1 = 3), a fourth explicit open fails.
    reset_all();
    for (std::uint32_t z = 0; z < 3; ++z)
        REQUIRE(d.zone_mgmt_send(nsid, zslba(z), zsa_open).ok());
    expect(d.zone_mgmt_send(nsid, zslba(3), zsa_open), 0x1be);
    // Too Many Active Zones: three open and one closed use all four active resources.
    expect(write_at(zslba(3), 1), 0x1be); // implicit open cannot close explicitly opened zones
    reset_all();
    for (std::uint32_t z = 0; z < 4; ++z) {
        REQUIRE(write_at(zslba(z), 1).ok());
        REQUIRE(d.zone_mgmt_send(nsid, zslba(z), zsa_close).ok());
    }
    expect(write_at(zslba(4), 1), 0x1bd);
    reset_all();
}
