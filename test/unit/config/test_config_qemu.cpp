// What QEMU users type is understood: sizes with QEMU's lower-case suffixes, zone_capacity 0 as
// the zone size, and QEMU's property names as aliases of ours (never both at once).
#include "platform/config/load_config.h"

#include <doctest/doctest.h>

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

const char* const qemu_style = R"(controller: {max_ioqpairs: 7}
namespaces:
  - image: z.img
    logical_block_size: 512
    type: zoned
    zoned: {zone_size: 16m, zone_capacity: 0, zones: 4, cross_read: true, descr_ext_size: 128}
)";

} // namespace

TEST_CASE("config qemu: QEMU's spellings of sizes and keys") {
    const system_config cfg = parse_config(qemu_style, "c.yaml", "/cfg");
    CHECK(cfg.controller.max_io_queues == 7);
    REQUIRE(cfg.namespaces.size() == 1);
    const auto& ns = cfg.namespaces[0];
    CHECK(ns.lba_size == 512);
    CHECK(ns.zoned_cfg.zone_size_lbas == (16u << 20) / 512);
    CHECK(ns.zoned_cfg.zone_capacity_lbas == ns.zoned_cfg.zone_size_lbas); // 0: the zone size
    CHECK(ns.zoned_cfg.cross_zone_read);
    CHECK(ns.zoned_cfg.descriptor_extension_bytes == 128);
}

TEST_CASE("config qemu: k, m, g and t are binary units like K, M, G and T") {
    for (const char* size : {"1m", "1M", "1 MiB", "1024k", "1048576"}) {
        const std::string yaml =
            std::string("namespaces:\n  - image: z.img\n    type: zoned\n    zoned: {zones: 2, "
                        "zone_size: ") +
            size + "}\n";
        INFO(size);
        CHECK(parse_config(yaml, "c.yaml", "/cfg").namespaces[0].zoned_cfg.zone_size_lbas == 256);
    }
    CHECK(parse_config("namespaces:\n  - {image: a.img, capacity: 1g}\n", "c.yaml", "/cfg")
              .namespaces[0]
              .capacity_lbas == (1u << 30) / 4096);
    CHECK(error_of("namespaces:\n  - {image: a.img, capacity: 1x}\n").find("is not a size") !=
          std::string::npos);
}

TEST_CASE("config qemu: our name and QEMU's together are an error at QEMU's") {
    CHECK(error_of("namespaces:\n  - image: a.img\n    capacity: 1 MiB\n    lba_size: 512\n"
                   "    logical_block_size: 512\n") ==
          "c.yaml:5:25: namespaces[0].logical_block_size: is QEMU's name for lba_size: give only "
          "one of them");
    CHECK(error_of("controller: {max_io_queues: 4, max_ioqpairs: 4}\nnamespaces:\n"
                   "  - {image: a.img, capacity: 1 MiB}\n")
              .find("max_ioqpairs: is QEMU's name for max_io_queues") != std::string::npos);
    // An unknown key's message lists what is allowed (ours), aliases are accepted silently.
    CHECK(error_of("namespaces:\n  - {image: a.img, capacity: 1 MiB, block_size: 512}\n")
              .find("unknown key") != std::string::npos);
}
