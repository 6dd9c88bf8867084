// Config loading: a full config maps to the expected parameters; every validation rule reports
// the key path and the line of the offending value.
#include "platform/config/load_config.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <functional>

using namespace znssim;
using namespace znssim::platform;

namespace {

std::string error_of(const std::string& yaml) {
    try {
        parse_config(yaml, "c.yaml", "/cfg");
    } catch (const config_error& e) {
        return e.what();
    }
    return "";
}

// One valid namespace (lines 1-3) that cases append controller sections etc. after.
const std::string one_ns = "namespaces:\n"
                           "  - image: a.img\n"
                           "    capacity: 1 MiB\n";

// A zoned namespace; the zoned keys start on line 6 (8 spaces of indent, column 9).
std::string zoned(const std::string& zoned_keys, const std::string& prefix = "") {
    return prefix +
           "namespaces:\n"
           "  - image: z.img\n"
           "    type: zoned\n"
           "    zoned:\n"
           "        zone_size: 1 MiB\n" +
           zoned_keys;
}

void check_error(const std::string& yaml, const std::string& expected_prefix,
                 const std::string& fragment = "") {
    std::string msg = error_of(yaml);
    INFO("message: " << msg);
    CHECK(msg.rfind(expected_prefix, 0) == 0);
    if (!fragment.empty()) CHECK(msg.find(fragment) != std::string::npos);
}

} // namespace

TEST_CASE("config_load full config maps to the expected parameters") {
    const std::string yaml = R"(controller:
  serial: SN42
  model: test model
  firmware: "1.0"
  vendor_id: 0x1234
  device_id: 0x5678
  subsystem_vendor_id: 0x1235
  subsystem_id: 0x0001
  revision: 2
  bar0: {size: 64 KiB, bits: 32}
  interrupts: msix
  msix_vectors: 17
  max_io_queues: 16
  queue_entries: 256
  mdts: 6
  doorbell_stride: 1
  ready_delay: 2 ms
  shutdown_delay: 3us
  aerl: 7
  acl: 2
  volatile_write_cache: true
  sgl: false
namespaces:
  - nsid: 3
    image: images/z.img
    lba_size: 4096
    type: zoned
    durability: host
    reformat: true
    zoned:
      zone_size: 16 MiB
      zone_capacity: 12 MiB
      zones: 64
      conventional_zones: 1
      max_active: 12
      max_open: 8
      zasl: 3
      descriptor_extension_size: 64
      cross_zone_read: true
      reset_recommended_after: 10s
      faults:
        - {zone: 5, state: offline, after: 1ms}
        - {zone: 6, state: read_only}
  - image: /abs/c.img
    lba_size: 512
    lbas: 1000
platform:
  host_memory: 512 MiB
  timing: timed
logging:
  level: debug
  modules: {nvme: trace, zns.ns1: warn}
  file: logs/z.log
workload: jobs/x.yaml
)";
    system_config c = parse_config(yaml, "full.yaml", "/cfg");
    CHECK(c.source == "full.yaml");
    CHECK(c.controller.serial == "SN42");
    CHECK(c.controller.model == "test model");
    CHECK(c.controller.firmware == "1.0");
    CHECK(c.pcie.vendor_id == 0x1234);
    CHECK(c.controller.vendor_id == 0x1234);
    CHECK(c.pcie.device_id == 0x5678);
    CHECK(c.pcie.subsystem_vendor_id == 0x1235);
    CHECK(c.controller.subsystem_vendor_id == 0x1235);
    CHECK(c.pcie.subsystem_id == 1);
    CHECK(c.pcie.revision == 2);
    CHECK(c.pcie.bar0_size == 65536);
    CHECK_FALSE(c.pcie.bar0_64bit);
    CHECK(c.pcie.msix_vectors == 17);
    // doorbells end at 0x1000 + 17*2*8 = 0x1110 → table at 0x2000, PBA on the next page.
    CHECK(c.pcie.msix_table_offset == 0x2000);
    CHECK(c.pcie.msix_pba_offset == 0x3000);
    CHECK(c.controller.max_io_queues == 16);
    CHECK(c.controller.mqes == 255);
    CHECK(c.controller.mdts == 6);
    CHECK(c.controller.doorbell_stride == 1);
    CHECK(c.controller.ready_delay == from_ms(2));
    CHECK(c.controller.shutdown_delay == from_us(3));
    CHECK(c.controller.aerl == 7);
    CHECK(c.controller.acl == 2);
    CHECK(c.controller.volatile_write_cache);
    CHECK_FALSE(c.controller.sgl);

    REQUIRE(c.namespaces.size() == 2);
    const auto& z = c.namespaces[0];
    CHECK(z.nsid == 3);
    CHECK(z.image == "/cfg/images/z.img");
    CHECK(z.lba_size == 4096);
    CHECK(z.zoned);
    CHECK(z.mode == durability::host_crash);
    CHECK(z.reformat);
    CHECK(z.zoned_cfg.zone_size_lbas == 4096);
    CHECK(z.zoned_cfg.zone_capacity_lbas == 3072);
    CHECK(z.zoned_cfg.zone_count == 64);
    CHECK(z.capacity_lbas == 64 * 4096);
    CHECK(z.zoned_cfg.conventional_zones == 1);
    CHECK(z.zoned_cfg.max_open == 8);
    CHECK(z.zoned_cfg.max_active == 12);
    CHECK(c.controller.zasl == 3); // a namespace's zasl is the controller's when it gives none
    CHECK(z.zoned_cfg.descriptor_extension_bytes == 64);
    CHECK(z.zoned_cfg.cross_zone_read);
    CHECK(z.zoned_cfg.reset_recommended_after == from_s(10));
    CHECK(z.zoned_cfg.finish_recommended_after == 0);
    REQUIRE(z.zoned_cfg.faults.size() == 2);
    CHECK(z.zoned_cfg.faults[0].zone == 5);
    CHECK(z.zoned_cfg.faults[0].offline);
    CHECK(z.zoned_cfg.faults[0].at == from_ms(1));
    CHECK(z.zoned_cfg.faults[1].zone == 6);
    CHECK_FALSE(z.zoned_cfg.faults[1].offline);
    const auto& n = c.namespaces[1];
    CHECK(n.nsid == 2);
    CHECK(n.image == "/abs/c.img");
    CHECK(n.lba_size == 512);
    CHECK_FALSE(n.zoned);
    CHECK(n.capacity_lbas == 1000);
    CHECK(n.mode == durability::process_crash);

    CHECK(c.host_memory_bytes == 512ull << 20);
    CHECK(c.timing == timing_mode::timed);
    CHECK(c.logging.default_level == log::level::debug);
    CHECK(c.logging.module_levels.at("nvme") == log::level::trace);
    CHECK(c.logging.module_levels.at("zns.ns1") == log::level::warn);
    CHECK(c.logging.file == "/cfg/logs/z.log");
    CHECK(c.workload == "/cfg/jobs/x.yaml");
}

TEST_CASE("config_load defaults and intx") {
    system_config c = parse_config(one_ns, "d.yaml", "rel");
    CHECK(c.pcie.bar0_size == 16384);
    CHECK(c.pcie.bar0_64bit);
    CHECK(c.pcie.msix_vectors == 65);
    CHECK(c.pcie.msix_table_offset == 0x2000);
    CHECK(c.pcie.msix_pba_offset == 0x3000);
    CHECK(c.namespaces[0].nsid == 1);
    CHECK(c.namespaces[0].image == "rel/a.img");
    CHECK(c.namespaces[0].capacity_lbas == 256);
    CHECK(c.workload.empty());

    system_config q = parse_config("controller:\n  capabilities: false\n" + one_ns, "q.yaml", ".");
    CHECK(q.pcie.msix_vectors == 0);
    CHECK_FALSE(q.pcie.capabilities);
    system_config i = parse_config("controller:\n  interrupts: intx\n" + one_ns, "i.yaml", ".");
    CHECK(i.pcie.msix_vectors == 0);
    CHECK(i.pcie.capabilities);

    system_config m =
        parse_config(zoned("        capacity: 8 MiB\n        max_active: 4\n"), "z.yaml", ".");
    CHECK(m.namespaces[0].zoned_cfg.zone_count == 8);
    CHECK(m.namespaces[0].zoned_cfg.zone_capacity_lbas == 256);
    CHECK(m.namespaces[0].zoned_cfg.max_open == 4); // MOR follows MAR
    system_config u =
        parse_config(zoned("        zones: 4\n        max_open: unlimited\n"), "z.yaml", ".");
    CHECK(u.namespaces[0].zoned_cfg.max_open == 0);
}

TEST_CASE("config_load unknown keys and structure errors") {
    check_error("controler:\n  serial: x\n" + one_ns, "c.yaml:1:1: controler: unknown key",
                "allowed here: controller, namespaces");
    check_error("controller:\n  seriall: x\n" + one_ns, "c.yaml:2:3: controller.seriall: unknown",
                "serial, model");
    check_error(one_ns + "    colour: red\n", "c.yaml:4:5: namespaces[0].colour: unknown key");
    check_error(zoned("        zone_sise: 1\n"), "c.yaml:6:9: namespaces[0].zoned.zone_sise");
    check_error("controller:\n  bar0: {size: 16 KiB, width: 64}\n" + one_ns,
                "c.yaml:2:24: controller.bar0.width: unknown key");
    check_error("controller: 5\n" + one_ns, "c.yaml:1:13: controller: must be a mapping");
    check_error("logging:\n  level: info\n", "c.yaml:1:1: namespaces: required key missing");
    check_error("namespaces: []\n", "c.yaml:1:13: namespaces: at least one namespace");
    check_error("namespaces:\n  - capacity: 1 MiB\n", "c.yaml:2:5: namespaces[0].image: required");
    check_error("namespaces:\n  - image: a\n",
                "c.yaml:2:5: namespaces[0]: give the namespace size");
    check_error("a: [1,\n", "c.yaml:", "YAML syntax error");
    check_error(one_ns + "    capacity: 2 MiB\n", "c.yaml:4:5: namespaces[0].capacity: duplicate");
}

TEST_CASE("config_load controller validation names key and line") {
    auto ctrl = [](const std::string& lines) { return "controller:\n" + lines + one_ns; };
    check_error(ctrl("  serial: 123456789012345678901\n"),
                "c.yaml:2:11: controller.serial:", "at most 20");
    check_error(ctrl("  model: \"" + std::string(41, 'm') + "\"\n"),
                "c.yaml:2:10: controller.model:");
    check_error(ctrl("  firmware: 123456789\n"), "c.yaml:2:13: controller.firmware:", "at most 8");
    check_error(ctrl("  serial: \"\"\n"), "c.yaml:2:11: controller.serial: must not be empty");
    check_error(ctrl("  vendor_id: 0x10000\n"),
                "c.yaml:2:14: controller.vendor_id: must be between");
    check_error(ctrl("  vendor_id: 0xffff\n"), "c.yaml:2:14: controller.vendor_id:");
    check_error(ctrl("  revision: 256\n"), "c.yaml:2:13: controller.revision:");
    check_error(ctrl("  bar0:\n    size: 24 KiB\n"),
                "c.yaml:3:11: controller.bar0.size:", "power of two");
    check_error(ctrl("  bar0:\n    size: 8 KiB\n"),
                "c.yaml:3:11: controller.bar0.size:", "between 16 KiB");
    check_error(ctrl("  bar0:\n    size: 2 GiB\n    bits: 32\n"),
                "c.yaml:3:11: controller.bar0.size:", "32-bit");
    check_error(ctrl("  bar0:\n    bits: 16\n"), "c.yaml:3:11: controller.bar0.bits:", "64, 32");
    check_error(ctrl("  interrupts: msi\n"), "c.yaml:2:15: controller.interrupts:");
    check_error(ctrl("  capabilities: false\n  interrupts: msix\n"),
                "c.yaml:3:15: controller.interrupts:", "capabilities");
    check_error(ctrl("  msix_vectors: 2049\n"), "c.yaml:2:17: controller.msix_vectors:");
    check_error(ctrl("  msix_vectors: 0\n"), "c.yaml:2:17: controller.msix_vectors:");
    check_error(ctrl("  interrupts: intx\n  msix_vectors: 4\n"),
                "c.yaml:3:17: controller.msix_vectors: only valid with interrupts: msix");
    check_error(ctrl("  mqes: 0\n"), "c.yaml:2:9: controller.mqes:");
    check_error(ctrl("  mqes: 65536\n"), "c.yaml:2:9: controller.mqes:");
    check_error(ctrl("  mqes: 10\n  queue_entries: 11\n"),
                "c.yaml:3:18: controller.queue_entries:");
    check_error(ctrl("  max_io_queues: 0\n"), "c.yaml:2:18: controller.max_io_queues:");
    check_error(ctrl("  max_io_queues: 65536\n"), "c.yaml:2:18: controller.max_io_queues:");
    check_error(ctrl("  mdts: 16\n"), "c.yaml:2:9: controller.mdts:");
    // AERs hold aerl + 1 slots; admin and I/O need one more each (default aerl 3: at least 6).
    check_error(ctrl("  max_inflight: 1\n"), "c.yaml:2:17: controller.max_inflight:",
                "must be at least aerl + 3 (6): outstanding AERs hold aerl + 1 (4)");
    check_error(ctrl("  max_inflight: 5\n"), "c.yaml:2:17: controller.max_inflight:", "(6)");
    check_error(ctrl("  max_inflight: 12\n  aerl: 10\n"),
                "c.yaml:2:17: controller.max_inflight:", "at least aerl + 3 (13)");
    CHECK(parse_config(ctrl("  max_inflight: 6\n"), "c", "/").controller.max_inflight == 6);
    CHECK(
        parse_config(ctrl("  aerl: 10\n  max_inflight: 13\n"), "c", "/").controller.max_inflight ==
        13);
    check_error(ctrl("  doorbell_stride: 16\n"), "c.yaml:2:20: controller.doorbell_stride:");
    check_error(ctrl("  ready_delay: 10\n"), "c.yaml:2:16: controller.ready_delay:", "unit");
    check_error(ctrl("  cap_timeout: 1\n  ready_delay: 600ms\n"),
                "c.yaml:3:16: controller.ready_delay:", "cap_timeout");
    check_error(ctrl("  identity_from_host: 00:1f\n"),
                "c.yaml:2:23: controller.identity_from_host");
    CHECK(parse_config(ctrl("  identity_from_host: 0000:00:1f.2\n"), "c", ".").identity_from_host ==
          "0000:00:1f.2");
    // Doorbells: 0x1000 + 1025*2*4 = 0x3008 > 16 KiB-worth of table space.
    check_error(ctrl("  bar0: {size: 16 KiB}\n  max_io_queues: 1024\n"),
                "c.yaml:2:16: controller.bar0.size:", "MSI-X table");
    check_error(ctrl("  max_io_queues: 2048\n  interrupts: intx\n"),
                "c.yaml:2:3: controller:", "doorbells");
    CHECK(parse_config(ctrl("  max_io_queues: 1024\n  bar0: {size: 32 KiB}\n"), "c", ".")
              .pcie.msix_table_offset == 0x4000);
    check_error(ctrl("  msix_table_offset: 0x1100\n"),
                "c.yaml:2:22: controller.msix_table_offset:", "overlaps the doorbells");
    check_error(ctrl("  msix_table_offset: 0x2004\n"),
                "c.yaml:2:22: controller.msix_table_offset:", "multiple of 8");
    check_error(ctrl("  msix_table_offset: 0x3000\n"), "c.yaml:2:3: controller:", "PBA");
    check_error(ctrl("  msix_pba_offset: 0x2100\n"),
                "c.yaml:2:20: controller.msix_pba_offset:", "overlaps the MSI-X table");
    check_error(ctrl("  msix_vectors: 1024\n"), "c.yaml:2:3: controller:", "does not fit");
}

TEST_CASE("config_load namespace validation names key and line") {
    check_error("namespaces:\n  - image: a\n    capacity: 1 MiB\n    nsid: 1025\n",
                "c.yaml:4:11: namespaces[0].nsid:");
    check_error("namespaces:\n  - image: a\n    capacity: 1 MiB\n    nsid: 0\n",
                "c.yaml:4:11: namespaces[0].nsid:");
    check_error(one_ns + "  - image: b.img\n    capacity: 1 MiB\n    nsid: 1\n",
                "c.yaml:6:11: namespaces[1].nsid:", "used twice");
    check_error(one_ns + "  - image: ./x/../a.img\n    capacity: 1 MiB\n",
                "c.yaml:4:12: namespaces[1].image:", "share the image");
    check_error("namespaces:\n  - image: a\n    capacity: 1 MiB\n    lba_size: 1024\n",
                "c.yaml:4:15: namespaces[0].lba_size:", "512, 4096");
    check_error("namespaces:\n  - image: a\n    capacity: 1000 B\n    lba_size: 512\n",
                "c.yaml:3:15: namespaces[0].capacity:", "multiple of lba_size");
    check_error("namespaces:\n  - image: a\n    capacity: 0\n",
                "c.yaml:3:15: namespaces[0].capacity:");
    check_error("namespaces:\n  - image: a\n    capacity: 1 MiB\n    lbas: 4\n",
                "c.yaml:4:11: namespaces[0].lbas:", "not both");
    check_error("namespaces:\n  - image: a\n    capacity: 1 MiB\n    type: zns\n",
                "c.yaml:4:11: namespaces[0].type:");
    check_error("namespaces:\n  - image: a\n    capacity: 1 MiB\n    durability: disk\n",
                "c.yaml:4:17: namespaces[0].durability:");
    check_error("namespaces:\n  - image: a\n    capacity: 1 MiB\n    zoned: {zone_size: 1 MiB}\n",
                "c.yaml:4:12: namespaces[0].zoned: only valid with type: zoned");
    check_error("namespaces:\n  - image: a\n    type: zoned\n",
                "c.yaml:2:5: namespaces[0]:", "zoned: section");
}

TEST_CASE("config_load zone count × zone size cannot overflow the namespace size check") {
    // Regression: 262,144 zones of 64 TiB overflow 64 bits (2^64 bytes) to 0 and passed, to fail
    // later inside the image layer.
    check_error("namespaces:\n  - image: z.img\n    type: zoned\n    zoned:\n"
                "        zone_size: 64 TiB\n        zones: 262144\n",
                "c.yaml:6:16: namespaces[0].zoned.zones:",
                "262144 zones of 64 TiB would make the namespace larger than 64 TiB");
    check_error("namespaces:\n  - image: z.img\n    type: zoned\n    zoned:\n"
                "        zone_size: 1 MiB\n        zones: 4294967295\n",
                "c.yaml:6:16: namespaces[0].zoned.zones:", "larger than 64 TiB");
    check_error("namespaces:\n  - image: z.img\n    type: zoned\n    zoned:\n"
                "        zone_size: 1 GiB\n        zones: 65537\n",
                "c.yaml:6:16: namespaces[0].zoned.zones:", "larger than 64 TiB");
    const system_config c = parse_config("namespaces:\n  - image: z.img\n    type: zoned\n"
                                         "    zoned:\n        zone_size: 1 GiB\n"
                                         "        zones: 65536\n",
                                         "c", "/");
    CHECK(c.namespaces[0].capacity_lbas * 4096 == 64ull << 40);
}

TEST_CASE("config_load zasl is one controller property") {
    // Regression: each zoned namespace had its own zasl, Identify reported the first one's.
    CHECK(parse_config("controller: {zasl: 2}\n" + one_ns, "c", "/").controller.zasl == 2);
    CHECK(parse_config(one_ns, "c", "/").controller.zasl == 0);
    check_error("controller: {zasl: 6}\n" + one_ns,
                "c.yaml:1:20: controller.zasl:", "between 0 and 5");
    CHECK(parse_config("controller: {mdts: 0, zasl: 12}\n" + one_ns, "c", "/").controller.zasl ==
          12);
    // A namespace key that agrees is accepted; one that conflicts names both places.
    CHECK(parse_config(zoned("        zones: 4\n        zasl: 2\n", "controller: {zasl: 2}\n"), "c",
                       "/")
              .controller.zasl == 2);
    check_error(zoned("        zones: 4\n        zasl: 3\n", "controller: {zasl: 2}\n"),
                "c.yaml:8:15: namespaces[0].zoned.zasl:",
                "zasl 3 conflicts with controller.zasl 2 (c.yaml:1:20: controller.zasl)");
    const std::string two_zoned = "namespaces:\n"
                                  "  - image: z1.img\n"
                                  "    type: zoned\n"
                                  "    zoned: {zone_size: 1 MiB, zones: 4, zasl: 1}\n"
                                  "  - image: z2.img\n"
                                  "    type: zoned\n"
                                  "    zoned: {zone_size: 1 MiB, zones: 4, zasl: 2}\n";
    check_error(two_zoned, "c.yaml:7:47: namespaces[1].zoned.zasl:",
                "zasl 2 conflicts with zasl 1 (c.yaml:4:47: namespaces[0].zoned.zasl)");
    std::string agree = two_zoned;
    agree.replace(agree.rfind("zasl: 2"), 7, "zasl: 1");
    CHECK(parse_config(agree, "c", "/").controller.zasl == 1);
}

TEST_CASE("config_load zoned validation names key and line") {
    check_error(zoned(""), "c.yaml:5:9: namespaces[0].zoned:", "zones");
    check_error(zoned("        zones: 0\n"), "c.yaml:6:16: namespaces[0].zoned.zones:");
    check_error(zoned("        zones: 4\n        zone_capacity: 2 MiB\n"),
                "c.yaml:7:24: namespaces[0].zoned.zone_capacity:");
    check_error(zoned("        zones: 4\n        zone_capacity: 6000\n"),
                "c.yaml:7:24: namespaces[0].zoned.zone_capacity:", "multiple of lba_size");
    check_error(zoned("        capacity: 3 MiB\n        zones: 3\n"),
                "c.yaml:7:16: namespaces[0].zoned.zones:", "only one");
    check_error(zoned("        capacity: 1536 KiB\n"),
                "c.yaml:6:19: namespaces[0].zoned.capacity:", "multiple of the zone size");
    check_error(zoned("        zones: 4\n        max_open: 5\n        max_active: 4\n"),
                "c.yaml:7:19: namespaces[0].zoned.max_open:", "max_active");
    check_error(zoned("        zones: 4\n        max_open: lots\n"),
                "c.yaml:7:19: namespaces[0].zoned.max_open:");
    check_error(zoned("        zones: 4\n        zasl: 6\n"),
                "c.yaml:7:15: namespaces[0].zoned.zasl:", "between 0 and 5");
    CHECK(parse_config(zoned("        zones: 4\n        zasl: 9\n", "controller: {mdts: 0}\n"), "c",
                       ".")
              .controller.zasl == 9);
    check_error(zoned("        zones: 4\n        descriptor_extension_size: 100\n"),
                "c.yaml:7:36: namespaces[0].zoned.descriptor_extension_size:", "multiple of 64");
    check_error(zoned("        zones: 4\n        descriptor_extension_size: 16384\n"),
                "c.yaml:7:36: namespaces[0].zoned.descriptor_extension_size:");
    check_error(zoned("        zones: 4\n        conventional_zones: 4\n"),
                "c.yaml:7:29: namespaces[0].zoned.conventional_zones:");
    check_error(zoned("        zones: 4\n        faults:\n          - {zone: 4, state: offline}\n"),
                "c.yaml:8:20: namespaces[0].zoned.faults[0].zone:", "does not exist");
    check_error(zoned("        zones: 4\n        faults:\n          - {zone: 1, state: broken}\n"),
                "c.yaml:8:30: namespaces[0].zoned.faults[0].state:");
    check_error(zoned("        zones: 4\n        faults:\n          - {zone: 1}\n"),
                "c.yaml:8:13: namespaces[0].zoned.faults[0].state: required");
    check_error(zoned("        zones: 4\n        reset_recommended_after: 1500ms\n"),
                "c.yaml:7:34: namespaces[0].zoned.reset_recommended_after:", "whole number");
    check_error("namespaces:\n  - image: z\n    type: zoned\n    lba_size: 4096\n"
                "    zoned: {zone_size: 6 KiB, zones: 2}\n",
                "c.yaml:5:24: namespaces[0].zoned.zone_size:", "multiple of lba_size");
    // A zone size that is not a power of two is legal (with a warning): Linux hides it.
    CHECK(parse_config(zoned("        zones: 2\n").replace(0, 0, ""), "c", ".")
              .namespaces[0]
              .zoned_cfg.zone_size_lbas == 256);
    CHECK(parse_config("namespaces:\n  - {image: z, type: zoned, zoned: {zone_size: 3 MiB, "
                       "zones: 2}}\n",
                       "c", ".")
              .namespaces[0]
              .zoned_cfg.zone_size_lbas == 768);
}

TEST_CASE("config_load platform and logging validation") {
    check_error(one_ns + "platform:\n  host_memory: 4 GiB\n", "c.yaml:5:16: platform.host_memory:");
    check_error(one_ns + "platform:\n  host_memory: 1000000000\n",
                "c.yaml:5:16: platform.host_memory:", "4 KiB");
    check_error(one_ns + "platform:\n  timing: exact\n", "c.yaml:5:11: platform.timing:");
    check_error(one_ns + "logging:\n  level: loud\n", "c.yaml:5:10: logging.level:", "trace");
    check_error(one_ns + "logging:\n  modules:\n    nvme: chatty\n",
                "c.yaml:6:11: logging.modules.nvme:");
    check_error(one_ns + "workload: \"\"\n", "c.yaml:4:11: workload:");
}

TEST_CASE("config_load reads files relative to their directory") {
    namespace fs = std::filesystem;
    fs::path dir = fs::temp_directory_path() / "znssim_config_test";
    fs::create_directories(dir);
    fs::path file = dir / "t.yaml";
    {
        std::ofstream out(file);
        out << one_ns << "workload: jobs/j.yaml\n";
    }
    system_config c = load_config(file.string());
    CHECK(c.namespaces[0].image == (dir / "a.img").string());
    CHECK(c.workload == (dir / "jobs/j.yaml").string());
    CHECK(c.source == file.string());
    fs::remove_all(dir);
    try {
        load_config((dir / "missing.yaml").string());
        FAIL("no error for a missing file");
    } catch (const config_error& e) {
        CHECK(std::string(e.what()).find("missing.yaml: cannot open") != std::string::npos);
    }
}
