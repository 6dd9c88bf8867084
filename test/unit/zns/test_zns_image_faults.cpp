// A full disk, EIO on reads and writes and failed syncs of the backing image, injected through
// the image layer's fault plan: each becomes the NVMe status a drive returns for a media or
// capacity failure, is counted in SMART, and never damages what is already stored.
#include "zns_fixture.h"

#include "../nvme/fake_context.h"
#include "zns/commands/zns_commands.h"

using namespace zns_test;
using znssim::zns::zone_state;
namespace sp = znssim::zns::spec;
namespace nsc = znssim::nvme::spec::sc;
namespace op = znssim::nvme::spec::io_opcode;

namespace {

/// Installs a fault plan for the scope (counting starts at installation).
struct scoped_faults {
    image_fault_plan plan;
    scoped_faults() { backing_image::set_fault_plan(&plan); }
    ~scoped_faults() { backing_image::set_fault_plan(nullptr); }
};

struct ctx_ns {
    test::fake_context ctx;
    zns::zoned_namespace* ns = nullptr;
    explicit ctx_ns(const nvme::namespace_params& p) {
        auto owned = std::make_unique<zns::zoned_namespace>(p, ctx.sched);
        ns = owned.get();
        ctx.add_namespace(std::move(owned));
        ctx.set_command_set(&zns::zns_command_set());
    }
    nvme::spec::status io(std::uint8_t opcode, std::uint64_t slba, std::uint32_t nlb,
                          std::uint8_t fill = 0x3c) {
        nvme::command c = ctx.make_command(opcode, 1, false);
        c.sqe.cdw10 = static_cast<std::uint32_t>(slba);
        c.sqe.cdw11 = static_cast<std::uint32_t>(slba >> 32);
        c.sqe.cdw12 = nlb - 1;
        const std::uint64_t len = std::uint64_t(nlb) * 512;
        const std::uint64_t buf = ctx.alloc(len);
        ctx.fill(buf, fill, len);
        ctx.set_prps(c, buf, len);
        return ctx.run(zns::zns_command_set().handlers[opcode], c);
    }
    nvme::spec::status zms(sp::zsa a, std::uint64_t slba) {
        nvme::command c = ctx.make_command(op::zone_mgmt_send, 1, false);
        c.sqe.cdw10 = static_cast<std::uint32_t>(slba);
        c.sqe.cdw13 = static_cast<std::uint32_t>(a);
        return ctx.run(zns::zns_command_set().handlers[op::zone_mgmt_send], c);
    }
    std::uint64_t media_errors() { return ctx.logs().health.media_errors; }
};

const nvme::spec::status write_fault = nsc::write_fault.with_dnr();
const nvme::spec::status read_error = nsc::unrecovered_read_error.with_dnr();

} // namespace

TEST_CASE("zns_faults: a full disk fails the write with Capacity Exceeded and changes nothing") {
    temp_image img;
    ctx_ns t(params(img.path));
    REQUIRE(t.io(op::write, 0, 8, 0x11).ok());
    {
        scoped_faults f;
        f.plan.fail(image_op::allocate, 1); // ENOSPC, and every allocation after it
        f.plan.sticky = true;
        CHECK(t.io(op::write, 8, 8, 0x22) == nsc::capacity_exceeded);
        CHECK(nsc::capacity_exceeded.dnr());
        CHECK(t.io(op::zone_append, 0, 4, 0x33) == nsc::capacity_exceeded);
        CHECK(t.io(op::write, 64, 4, 0x33) == nsc::capacity_exceeded); // would open zone 1
        CHECK(t.ns->zones().at(0).wp == 8);
        CHECK(t.ns->zones().at(0).issued == 8);
    }
    // The failed write left the zone where it was; the disk has room again: it goes on.
    CHECK(t.ns->zones().at(0).state == zone_state::imp_open);
    CHECK(t.media_errors() == 0); // capacity is not a media error
    const std::uint64_t wp = t.ns->zones().at(0).wp;
    CHECK(t.io(op::write, wp, 4, 0x44).ok());
    CHECK(holds(*t.ns, 0, 8, 0x11));
    CHECK(holds(*t.ns, wp, 4, 0x44));
}

TEST_CASE("zns_faults: EIO on a data write is a Write Fault; on a read an Unrecovered Read Error") {
    temp_image img;
    ctx_ns t(params(img.path));
    REQUIRE(t.io(op::write, 64, 8, 0x11).ok());
    scoped_faults f;
    f.plan.fail(image_op::allocate, 1, EIO);
    f.plan.fail(image_op::data_read, 1);
    CHECK(t.io(op::write, 72, 8) == write_fault);
    CHECK(t.ns->zones().at(1).wp == 72);
    CHECK(t.io(op::read, 64, 8) == read_error);
    CHECK(t.media_errors() == 2);
    CHECK(t.io(op::read, 64, 8).ok()); // the next read works: nothing stored was touched
    CHECK(holds(*t.ns, 64, 8, 0x11));
}

TEST_CASE("zns_faults: a record that cannot be written fails the command, never claims data") {
    temp_image img;
    const nvme::namespace_params p = params(img.path);
    {
        ctx_ns t(p);
        REQUIRE(t.io(op::write, 0, 8, 0x11).ok());
        REQUIRE(t.io(op::write, 128, 8, 0x33).ok());
        scoped_faults f;
        f.plan.fail(image_op::metadata_write, 1);
        // The data of this write reaches the image, its record does not: the command fails and
        // the zone becomes Read Only (the device can no longer store what it reports).
        CHECK(t.io(op::write, 8, 8, 0x22) == write_fault);
        CHECK(t.ns->zones().at(0).state == zone_state::read_only);
        CHECK(t.media_errors() == 1);
        // A reset whose Empty record fails must not punch the data the old record covers.
        f.plan.fail(image_op::metadata_write, 3);
        CHECK(t.zms(sp::zsa::reset, 128) == write_fault);
        CHECK(holds(*t.ns, 128, 8, 0x33));
        CHECK(t.io(op::write, 8, 8) == nsc::zone_is_read_only);
    }
    // What the image says is what it holds: zone 0's record stops before the failed write (or
    // says Read Only, which keeps only data below its pointer), zone 2 kept its data.
    ctx_ns t(p);
    const zns::zone& z0 = t.ns->zones().at(0);
    CHECK(z0.wp <= 16);
    CHECK(holds(*t.ns, 0, 8, 0x11));
    const zns::zone& z2 = t.ns->zones().at(2);
    CHECK(z2.wp == 136);
    CHECK(holds(*t.ns, 128, 8, 0x33));
}

TEST_CASE("zns_faults: failed syncs in host_crash mode fail the write and keep the pointer") {
    temp_image img;
    nvme::namespace_params p = params(img.path);
    p.mode = durability::host_crash;
    {
        ctx_ns t(p);
        REQUIRE(t.io(op::write, 0, 8, 0x11).ok());
        scoped_faults f;
        f.plan.fail(image_op::data_sync, 1);
        CHECK(t.io(op::write, 8, 8, 0x22) == write_fault);
        CHECK(t.ns->zones().at(0).wp == 8); // not durable: not written
        CHECK(t.ns->zones().at(0).state != zone_state::read_only);
        CHECK(t.io(op::write, 8, 8, 0x22).ok()); // the device recovers with the next one
        f.plan.fail(image_op::metadata_sync, 1);
        CHECK(t.io(op::write, 16, 8, 0x44) == write_fault);
        CHECK(t.media_errors() == 2);
    }
    ctx_ns t(p);
    CHECK(t.ns->zones().at(0).wp >= 16);
    CHECK(holds(*t.ns, 0, 8, 0x11));
    CHECK(holds(*t.ns, 8, 8, 0x22));
}

TEST_CASE("zns_faults: metadata I/O errors at start-up name the image and offset, never reformat") {
    temp_image img;
    nvme::namespace_params p = params(img.path);
    {
        manual_scheduler sched;
        zns::zoned_namespace ns(p, sched);
        REQUIRE(write(ns, 0, 8, 0x11).ok());
    }
    p.reformat = true; // an unreadable disk is not a reason to throw the zone state away
    const auto before = file_bytes(img.path);
    scoped_faults f;
    f.plan.fail(image_op::metadata_read, 2);
    manual_scheduler sched;
    std::string msg;
    try {
        zns::zoned_namespace ns(p, sched);
    } catch (const image_io_error& e) {
        msg = e.what();
    }
    INFO(msg);
    CHECK(msg.find(img.path) != std::string::npos);
    CHECK(msg.find("metadata read at file offset") != std::string::npos);
    CHECK(file_bytes(img.path) == before);
}

TEST_CASE("zns_faults: a new image whose format fails is removed") {
    // Regression: a failed creation left a file behind that the next run refused.
    temp_image img;
    scoped_faults f;
    f.plan.fail(image_op::metadata_write, 1, ENOSPC);
    manual_scheduler sched;
    CHECK_THROWS_AS(zns::zoned_namespace(params(img.path), sched), image_error);
    CHECK_FALSE(std::filesystem::exists(img.path));
}
