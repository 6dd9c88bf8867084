// ZNS command handlers through a fake controller context: report zones, zone management, append,
// identify, the Changed Zone List log and every zone status code.
#include "zns_fixture.h"

#include "../nvme/fake_context.h"
#include "nvme/spec/identify.h"
#include "zns/commands/zns_commands.h"

#include <algorithm>
#include <array>

using namespace zns_test;
using znssim::zns::zone_state;
namespace sp = znssim::zns::spec;
namespace nsc = znssim::nvme::spec::sc;
namespace op = znssim::nvme::spec::io_opcode;

namespace {

struct zns_ctx {
    temp_image img;
    test::fake_context ctx;
    zns::zoned_namespace* ns = nullptr;

    explicit zns_ctx(void (*tweak)(nvme::namespace_params&) = nullptr) {
        nvme::namespace_params p = params(img.path);
        if (tweak) tweak(p);
        auto owned = std::make_unique<zns::zoned_namespace>(p, ctx.sched);
        ns = owned.get();
        ns->set_event_hook([this](const nvme::async_event& ev) { ctx.raise_event(ev); });
        ctx.add_namespace(std::move(owned));
        ctx.set_command_set(&zns::zns_command_set());
    }

    nvme::command cmd(std::uint8_t opcode) { return ctx.make_command(opcode, 1, false); }
    nvme::spec::status run(nvme::command& c) {
        const nvme::command_handler h = zns::zns_command_set().handlers[c.sqe.opcode];
        REQUIRE((h != nullptr));
        return ctx.run(h, c);
    }
    nvme::spec::status io(std::uint8_t opcode, std::uint64_t slba, std::uint32_t nlb,
                          nvme::command* out = nullptr) {
        nvme::command c = cmd(opcode);
        c.sqe.cdw10 = static_cast<std::uint32_t>(slba);
        c.sqe.cdw11 = static_cast<std::uint32_t>(slba >> 32);
        c.sqe.cdw12 = nlb - 1;
        const std::uint64_t len = std::uint64_t(nlb) * 512;
        const std::uint64_t buf = ctx.alloc(len);
        ctx.fill(buf, 0x3c, len);
        ctx.set_prps(c, buf, len);
        const nvme::spec::status s = run(c);
        if (out) *out = c;
        return s;
    }
    nvme::spec::status zms(sp::zsa a, std::uint64_t slba, bool all = false) {
        nvme::command c = cmd(op::zone_mgmt_send);
        c.sqe.cdw10 = static_cast<std::uint32_t>(slba);
        c.sqe.cdw13 = static_cast<std::uint32_t>(a) | (all ? sp::zms_select_all : 0);
        return run(c);
    }
    /// Report into a host buffer of len bytes; returns the status and the buffer address.
    nvme::spec::status report(std::uint64_t slba, std::uint32_t len, std::uint8_t zrasf,
                              bool partial, std::uint64_t& buf, std::uint8_t zra = 0) {
        nvme::command c = cmd(op::zone_mgmt_recv);
        c.sqe.cdw10 = static_cast<std::uint32_t>(slba);
        c.sqe.cdw12 = len / 4 - 1;
        c.sqe.cdw13 = zra | (std::uint32_t(zrasf) << 8) | (partial ? sp::zmr_partial_report : 0);
        buf = ctx.alloc(len);
        ctx.fill(buf, 0xff, len);
        ctx.set_prps(c, buf, len);
        return run(c);
    }
    std::uint64_t nr_zones(std::uint64_t buf) {
        std::uint64_t n = 0;
        std::memcpy(&n, ctx.at(buf), 8);
        return n;
    }
    sp::zone_descriptor desc(std::uint64_t buf, unsigned k, unsigned entry = 64) {
        sp::zone_descriptor d{};
        std::memcpy(&d, ctx.at(buf + 64 + k * entry), sizeof d);
        return d;
    }
};

} // namespace

TEST_CASE("zns_cmd: command set registers the zone commands with their effects") {
    const auto& set = zns::zns_command_set();
    CHECK(set.csi == nvme::spec::csi::zns);
    CHECK(set.effects[op::zone_append] == (nvme::effects::csupp | nvme::effects::lbcc));
    CHECK(set.effects[op::zone_mgmt_send] == (nvme::effects::csupp | nvme::effects::lbcc));
    CHECK(set.effects[op::zone_mgmt_recv] == nvme::effects::csupp);
    CHECK((set.handlers[op::write] != nullptr));
    CHECK((set.handlers[op::read] != nullptr));
    CHECK((set.identify_controller != nullptr));
    CHECK((set.log_page != nullptr));
}

TEST_CASE("zns_cmd: report zones, all zones and descriptor fields") {
    zns_ctx t;
    REQUIRE(t.io(op::write, 0, 8).ok());
    REQUIRE(t.zms(sp::zsa::finish, 64).ok());
    std::uint64_t buf = 0;
    REQUIRE(t.report(0, 64 + 8 * 64, 0, false, buf).ok());
    CHECK(t.nr_zones(buf) == 8);
    const sp::zone_descriptor d0 = t.desc(buf, 0);
    CHECK(d0.zt == 2);
    CHECK((d0.zs >> 4) == 2);
    CHECK(d0.zcap == 48);
    CHECK(d0.zslba == 0);
    CHECK(d0.wp == 8);
    const sp::zone_descriptor d1 = t.desc(buf, 1);
    CHECK((d1.zs >> 4) == 0xe);
    CHECK(d1.wp == ~0ull);
    CHECK(t.desc(buf, 7).zslba == 7 * 64);
    // Starting in the middle of a zone reports from that zone.
    REQUIRE(t.report(70, 128, 0, true, buf).ok());
    CHECK(t.nr_zones(buf) == 1);
    CHECK(t.desc(buf, 0).zslba == 64);
}

TEST_CASE("zns_cmd: report filters and the partial report bit") {
    zns_ctx t([](nvme::namespace_params& p) {
        p.zoned_cfg.faults = {{5, false, 0}, {6, true, 0}};
    });
    REQUIRE(t.io(op::write, 0, 1).ok());    // zone 0 imp open
    REQUIRE(t.zms(sp::zsa::open, 64).ok()); // zone 1 exp open
    REQUIRE(t.io(op::write, 128, 1).ok());  // zone 2 closed
    REQUIRE(t.zms(sp::zsa::close, 128).ok());
    REQUIRE(t.zms(sp::zsa::finish, 192).ok()); // zone 3 full
    // zone 4 and 7 empty, 5 read only, 6 offline
    struct row {
        std::uint8_t zrasf;
        std::uint64_t count;
        std::uint64_t first;
    };
    const row rows[] = {{0, 8, 0},   {1, 2, 256}, {2, 1, 0},   {3, 1, 64},
                        {4, 1, 128}, {5, 1, 192}, {6, 1, 320}, {7, 1, 384}};
    for (const row& r : rows) {
        CAPTURE(int(r.zrasf));
        std::uint64_t buf = 0;
        REQUIRE(t.report(0, 4096, r.zrasf, false, buf).ok());
        CHECK(t.nr_zones(buf) == r.count);
        CHECK(t.desc(buf, 0).zslba == r.first);
    }
    std::uint64_t buf = 0;
    // Room for 3 descriptors (and a partial fourth that must not be written).
    REQUIRE(t.report(0, 64 + 3 * 64 + 32, 0, true, buf).ok());
    CHECK(t.nr_zones(buf) == 3);
    CHECK(int(t.ctx.at(buf + 64 + 3 * 64)[0]) == 0); // trailing bytes zeroed, no partial descriptor
    REQUIRE(t.report(0, 64 + 3 * 64 + 32, 0, false, buf).ok());
    CHECK(t.nr_zones(buf) == 8);
    // nvme-cli's header-only request: Partial=0 gives the total.
    REQUIRE(t.report(0, 64, 1, false, buf).ok());
    CHECK(t.nr_zones(buf) == 2);
    REQUIRE(t.report(0, 64, 1, true, buf).ok());
    CHECK(t.nr_zones(buf) == 0);
    // Filtered reports count from the zone containing SLBA on.
    REQUIRE(t.report(300, 4096, 1, false, buf).ok());
    CHECK(t.nr_zones(buf) == 2);
    CHECK(t.desc(buf, 0).zslba == 256);
    REQUIRE(t.report(320, 4096, 1, false, buf).ok());
    CHECK(t.nr_zones(buf) == 1);
    CHECK(t.desc(buf, 0).zslba == 448);
}

TEST_CASE("zns_cmd: report zones field errors") {
    zns_ctx t;
    std::uint64_t buf = 0;
    CHECK(t.report(0, 32, 0, false, buf) == nsc::invalid_field);
    CHECK(t.report(0, 4096, 8, false, buf) == nsc::invalid_field);
    CHECK(t.report(0, 4096, 0, false, buf, 2) == nsc::invalid_field);
    CHECK(t.report(8 * 64, 4096, 0, false, buf) == nsc::lba_out_of_range);
    // Beyond MDTS (5 → 128 KiB).
    nvme::command c = t.cmd(op::zone_mgmt_recv);
    c.sqe.cdw12 = (256 * 1024) / 4 - 1;
    CHECK(t.run(c) == nsc::invalid_field);
}

TEST_CASE("zns_cmd: extended report carries the descriptor extension") {
    zns_ctx t;
    nvme::command c = t.cmd(op::zone_mgmt_send);
    c.sqe.cdw10 = 128;
    c.sqe.cdw13 = static_cast<std::uint32_t>(sp::zsa::set_extension);
    const std::uint64_t data = t.ctx.alloc(64);
    for (int i = 0; i < 64; ++i)
        t.ctx.at(data)[i] = static_cast<std::uint8_t>(0x80 + i);
    t.ctx.set_prps(c, data, 64);
    REQUIRE(t.run(c).ok());
    CHECK(t.ns->zones().at(2).state == zone_state::closed);
    std::uint64_t buf = 0;
    REQUIRE(t.report(128, 64 + 2 * 128, 0, true, buf, 1).ok());
    CHECK(t.nr_zones(buf) == 2);
    const sp::zone_descriptor d = t.desc(buf, 0, 128);
    CHECK(d.za == sp::za::zdev);
    CHECK(std::memcmp(t.ctx.at(buf + 64 + 64), t.ctx.at(data), 64) == 0);
    CHECK(int(t.ctx.at(buf + 64 + 128 + 64)[5]) == 0); // zone 3 has no extension
    // Select All and ZDES-less namespaces refuse the action.
    c = t.cmd(op::zone_mgmt_send);
    c.sqe.cdw13 = static_cast<std::uint32_t>(sp::zsa::set_extension) | sp::zms_select_all;
    CHECK(t.run(c) == nsc::invalid_field);
}

TEST_CASE("zns_cmd: zone management send addressing and select all") {
    zns_ctx t;
    CHECK(t.zms(sp::zsa::open, 65) == nsc::invalid_field);
    CHECK(t.zms(sp::zsa::open, 8 * 64) == nsc::lba_out_of_range);
    nvme::command c = t.cmd(op::zone_mgmt_send);
    c.sqe.cdw13 = 0x7;
    CHECK(t.run(c) == nsc::invalid_field);
    REQUIRE(t.io(op::write, 0, 4).ok());
    REQUIRE(t.io(op::write, 64, 4).ok());
    REQUIRE(t.zms(sp::zsa::finish, 128).ok());
    CHECK(t.zms(sp::zsa::reset, 0, true).ok());
    for (std::uint32_t i = 0; i < 8; ++i)
        CHECK(t.ns->zones().at(i).state == zone_state::empty);
    // The old data reads as zeros (the image drops it once a read reaches it).
    nvme::command rd;
    REQUIRE(t.io(op::read, 0, 4, &rd).ok());
    const std::uint64_t rd_buf = rd.sqe.dptr1;
    const std::uint8_t* got = t.ctx.at(rd_buf);
    CHECK(std::all_of(got, got + 4 * 512, [](std::uint8_t b) { return b == 0; }));
    CHECK(holds(*t.ns, 0, 4, 0));
    CHECK(t.zms(sp::zsa::close, 0, true).ok()); // nothing selected: success
}

TEST_CASE("zns_cmd: Zone Open at the open limit closes an implicitly opened zone") {
    // Regression: an explicit open at the open limit failed with Too Many Open Zones although
    // the limit was held by an implicitly opened zone the controller may close (QEMU, null_blk
    // and ZBC close it; Linux relies on it when it opens zones explicitly).
    zns_ctx t([](nvme::namespace_params& p) {
        p.zoned_cfg.max_open = 2;
        p.zoned_cfg.max_active = 3;
    });
    REQUIRE(t.io(op::write, 0, 4).ok());  // zone 0 implicitly opened first
    REQUIRE(t.io(op::write, 64, 4).ok()); // zone 1 implicitly opened: the open limit is reached
    REQUIRE(t.ns->zones().at(0).state == zone_state::imp_open);
    REQUIRE(t.ns->zones().at(1).state == zone_state::imp_open);

    CHECK(t.zms(sp::zsa::open, 128) == nsc::success);
    CHECK(t.ns->zones().at(2).state == zone_state::exp_open);
    CHECK(t.ns->zones().at(0).state == zone_state::closed); // the least recently opened one
    CHECK(t.ns->zones().at(0).wp == 4);
    CHECK(t.ns->zones().at(1).state == zone_state::imp_open);
    CHECK(t.ns->zones().open_count() == 2);

    // Only explicitly opened zones would be left to close: the next open must fail, and the
    // active limit still counts the closed zone.
    REQUIRE(t.zms(sp::zsa::open, 64) == nsc::success); // zone 1 ImpOpen → ExpOpen, no new zone
    CHECK(t.zms(sp::zsa::open, 0) == nsc::too_many_open_zones);
    CHECK(t.ns->zones().at(0).state == zone_state::closed);
    CHECK_FALSE(t.zms(sp::zsa::open, 192).ok());
    CHECK(t.ns->zones().at(3).state == zone_state::empty);
}

TEST_CASE("zns_cmd: zone append returns the assigned LBA and obeys ZASL") {
    zns_ctx t;
    t.ctx.mutable_params().zasl = 0; // MDTS
    nvme::command c;
    REQUIRE(t.io(op::zone_append, 64, 4, &c).ok());
    CHECK(c.dw0 == 64);
    CHECK(c.dw1 == 0);
    REQUIRE(t.io(op::zone_append, 64, 2, &c).ok());
    CHECK(c.dw0 == 68);
    CHECK(holds(*t.ns, 64, 6, 0x3c));
    CHECK(t.ns->zones().at(1).wp == 70);
    CHECK(t.io(op::zone_append, 65, 1) == nsc::invalid_field);
    CHECK(t.io(op::zone_append, 128, 49) == nsc::zone_boundary_error);

    // ZASL 1 = 2 × 4 KiB = 16 LBAs of 512 bytes.
    zns_ctx z1([](nvme::namespace_params& p) {
        p.zoned_cfg.zone_size_lbas = 64;
        p.zoned_cfg.zone_capacity_lbas = 64;
    });
    z1.ctx.mutable_params().zasl = 1;
    CHECK(z1.io(op::zone_append, 0, 16).ok());
    CHECK(z1.io(op::zone_append, 0, 17) == nsc::invalid_field);
}

TEST_CASE("zns_cmd: a Flush names no zone, a write names its own") {
    // The media request of a Flush described zone 0 (the zone of LBA 0), so every Flush of a
    // zoned namespace, NSID FFFFFFFFh included, was recorded as a command on zone 0 (commands.csv,
    // the trace); fuzz_core's command record check found it.
    zns_ctx t;
    nvme::command w;
    REQUIRE(t.io(op::write, 64, 4, &w).ok());
    REQUIRE(w.plan.has_media);
    CHECK(w.plan.media.zoned);
    CHECK(w.plan.media.zone == 1);
    for (const std::uint32_t nsid : {1u, 0xffffffffu}) {
        CAPTURE(nsid);
        nvme::command f = t.cmd(op::flush);
        f.sqe.nsid = nsid;
        REQUIRE(t.run(f).ok());
        REQUIRE(f.plan.has_media);
        CHECK(f.plan.media.op == media_op::flush);
        CHECK_FALSE(f.plan.media.zoned);
    }
}

TEST_CASE("zns_cmd: ZASL is one controller value, reported and enforced for every namespace") {
    // Regression: ZASL was configured per namespace; Identify Controller (ZNS) reported the
    // first zoned namespace's value while each namespace enforced its own.
    zns_ctx t;
    temp_image second_img;
    nvme::namespace_params p2 = params(second_img.path);
    p2.nsid = 2;
    p2.zoned_cfg.zone_capacity_lbas = 64;
    t.ctx.add_namespace(std::make_unique<zns::zoned_namespace>(p2, t.ctx.sched));
    t.ctx.mutable_params().zasl = 1; // 8 KiB = 16 LBAs of 512 bytes
    std::array<std::uint8_t, 4096> raw{};
    zns::zns_command_set().identify_controller(t.ctx, raw.data());
    CHECK(raw[0] == 1);
    for (std::uint32_t nsid : {1u, 2u}) {
        CAPTURE(nsid);
        auto append = [&](std::uint32_t nlb) {
            nvme::command c = t.ctx.make_command(op::zone_append, nsid, false);
            c.sqe.cdw12 = nlb - 1;
            const std::uint64_t buf = t.ctx.alloc(nlb * 512ull);
            t.ctx.set_prps(c, buf, nlb * 512ull);
            return t.ctx.run(zns::zns_command_set().handlers[op::zone_append], c);
        };
        CHECK(append(16).ok());
        CHECK(append(17) == nsc::invalid_field);
    }
    // ZASL 0 means MDTS, which Identify reports as the limit.
    t.ctx.mutable_params().zasl = 0;
    zns::zns_command_set().identify_controller(t.ctx, raw.data());
    CHECK(raw[0] == t.ctx.params().mdts);
}

TEST_CASE("zns_cmd: every zone status code through the I/O handlers, with DNR") {
    zns_ctx t([](nvme::namespace_params& p) {
        p.zoned_cfg.max_open = 1;
        p.zoned_cfg.max_active = 2;
        p.zoned_cfg.faults = {{6, false, 0}, {7, true, 0}};
    });
    REQUIRE(t.io(op::write, 0, 4).ok());
    CHECK(t.io(op::write, 8, 1) == nsc::zone_invalid_write);   // 1BC
    CHECK(t.io(op::write, 4, 45) == nsc::zone_boundary_error); // 1B8
    REQUIRE(t.zms(sp::zsa::finish, 0).ok());
    CHECK(t.io(op::write, 4, 1) == nsc::zone_is_full);           // 1B9
    CHECK(t.io(op::write, 6 * 64, 1) == nsc::zone_is_read_only); // 1BA
    CHECK(t.io(op::write, 7 * 64, 1) == nsc::zone_is_offline);   // 1BB
    CHECK(t.io(op::read, 7 * 64, 1) == nsc::zone_is_offline);
    CHECK(t.io(op::read, 60, 8) == nsc::zone_boundary_error);
    REQUIRE(t.zms(sp::zsa::open, 64).ok());
    CHECK(t.zms(sp::zsa::open, 128) == nsc::too_many_open_zones); // 1BE
    CHECK(t.io(op::write, 128, 1) == nsc::too_many_open_zones); // no implicitly open zone to close
    REQUIRE(t.zms(sp::zsa::close, 64).ok());
    REQUIRE(t.io(op::write, 128, 1).ok());
    CHECK(t.io(op::write, 192, 1) == nsc::too_many_active_zones);            // 1BD
    CHECK(t.zms(sp::zsa::close, 256) == nsc::zone_invalid_state_transition); // 1BF
    for (auto s : {nsc::zone_invalid_write, nsc::zone_boundary_error, nsc::zone_is_full,
                   nsc::zone_is_read_only, nsc::zone_is_offline, nsc::too_many_active_zones,
                   nsc::too_many_open_zones, nsc::zone_invalid_state_transition})
        CHECK(s.dnr());
    // Reads below the zone size succeed even above ZCAP and the write pointer.
    CHECK(t.io(op::read, 64 + 50, 14).ok());
}

TEST_CASE("zns_cmd: identify CNS 05h and 06h") {
    zns_ctx t([](nvme::namespace_params& p) {
        p.zoned_cfg.max_open = 4;
        p.zoned_cfg.max_active = 6;
        p.zoned_cfg.cross_zone_read = true;
        p.zoned_cfg.reset_recommended_after = from_s(10);
    });
    t.ctx.mutable_params().zasl = 3;
    std::array<std::uint8_t, 4096> raw{};
    REQUIRE(t.ns->identify_csi(nvme::spec::csi::zns, raw.data()));
    sp::id_ns_zns id{};
    std::memcpy(&id, raw.data(), sizeof id);
    CHECK(id.zoc == 0);
    CHECK(id.ozcs == 1);
    CHECK(id.mor == 3);
    CHECK(id.mar == 5);
    CHECK(id.rrl == 10);
    CHECK(id.frl == 0);
    CHECK(id.lbafe[0].zsze == 64);
    CHECK(id.lbafe[0].zdes == 1);
    nvme::spec::id_ns ns{};
    t.ns->identify(ns);
    CHECK(ns.nsze == 8 * 64);
    CHECK(ns.ncap == 8 * 64);
    CHECK(ns.lbaf[0].lbads == 9);
    zns::zns_command_set().identify_controller(t.ctx, raw.data());
    CHECK(raw[0] == 3);

    zns_ctx u;
    REQUIRE(u.ns->identify_csi(nvme::spec::csi::zns, raw.data()));
    std::memcpy(&id, raw.data(), sizeof id);
    CHECK(id.mor == 0xffffffffu);
    CHECK(id.mar == 0xffffffffu);
}

TEST_CASE("zns_cmd: faults after a delay raise Zone Descriptor Changed and fill log BFh") {
    zns_ctx t([](nvme::namespace_params& p) {
        p.zoned_cfg.faults = {{2, false, from_ms(5)}, {3, true, from_ms(5)}};
    });
    auto read_log = [&](bool rae, sp::changed_zone_list& out) {
        nvme::command c = t.ctx.make_command(0x02, 1, true);
        c.sqe.cdw10 = 0xbf | (rae ? 1u << 15 : 0);
        return zns::zns_command_set().log_page(t.ctx, c, 0xbf, 0, &out, sizeof out);
    };
    sp::changed_zone_list log{};
    REQUIRE(read_log(false, log).ok());
    CHECK(log.nrzid == 0);
    CHECK(t.ctx.events.empty());
    t.ctx.sched.advance_to(from_ms(6));
    CHECK(t.ns->zones().at(2).state == zone_state::read_only);
    CHECK(t.ns->zones().at(3).state == zone_state::offline);
    REQUIRE(t.ctx.events.size() == 1);
    CHECK(t.ctx.events[0].type == nvme::event_type::notice);
    CHECK(t.ctx.events[0].info == 0xef);
    CHECK(t.ctx.events[0].log_page == 0xbf);
    CHECK(t.ctx.events[0].nsid == 1);
    REQUIRE(read_log(true, log).ok());
    CHECK(log.nrzid == 2);
    CHECK(log.zid[0] == 128);
    CHECK(log.zid[1] == 192);
    REQUIRE(read_log(false, log).ok()); // RAE=1 kept it; this read clears it
    CHECK(log.nrzid == 2);
    REQUIRE(read_log(false, log).ok());
    CHECK(log.nrzid == 0);
}

TEST_CASE("zns_cmd: finish and reset recommended after RRL/FRL") {
    zns_ctx t([](nvme::namespace_params& p) {
        p.zoned_cfg.finish_recommended_after = from_ms(10);
        p.zoned_cfg.reset_recommended_after = from_ms(20);
    });
    REQUIRE(t.io(op::write, 64, 1).ok());
    t.ctx.sched.advance_to(from_ms(11));
    CHECK(t.ns->zones().at(1).attrs == sp::za::fzr);
    CHECK(t.ctx.events.size() == 1);
    t.ctx.sched.advance_to(from_ms(25));
    CHECK(int(t.ns->zones().at(1).attrs) == (sp::za::fzr | sp::za::rzr));
    REQUIRE(t.zms(sp::zsa::finish, 64).ok());
    CHECK(t.ns->zones().at(1).attrs == 0);
}
