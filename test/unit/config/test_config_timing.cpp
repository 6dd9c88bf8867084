// The timing: section and data: none, read as strictly as the rest of a config.
#include "platform/config/load_config.h"

#include <doctest/doctest.h>

using namespace znssim;
using namespace znssim::platform;

namespace {

const std::string ns = R"(namespaces:
  - {nsid: 1, image: a.img, type: zoned, zoned: {zone_size: 16 MiB, zones: 4}}
)";

std::string error_of(const std::string& yaml) {
    try {
        parse_config(yaml, "t.yaml", "/tmp");
    } catch (const config_error& e) {
        return e.what();
    }
    return "";
}

} // namespace

TEST_CASE("config_timing: every part of the timing model is read with its unit") {
    const system_config c = parse_config(ns + R"(platform: {timing: timed}
timing:
  pcie: {generation: 4, lanes: 8, max_payload: 512 B, tlp_overhead: 26 B, read_latency: 1.2us}
  controller: {processors: 2, read_cost: 3us, write_cost: 7us, program_dispatch_cost: 1us}
  flash: {channels: 4, dies_per_channel: 4, planes: 2, page_size: 16 KiB, cell_bits: 2,
          read_time: [40us, 50us], program_time: 1.5ms, erase_time: 3ms, block_size: 8 MiB,
          channel_rate: 800 MB/s}
  write_buffer: {size: 16 MiB, ingest_rate: 2 GiB/s, per_zone: 256 KiB, power_loss_protected: false}
  zones: {dies_per_zone: 2, open_cost: 1us, metadata_program: 1ms, append_serialization: 100ns}
  host: {completions: interrupt, submit_cost: 1us, complete_cost: 500ns, interrupt_latency: 4us}
)",
                                         "t.yaml", "/tmp");
    CHECK(c.timing == timing_mode::timed);
    const timing::ssd_params& p = c.ssd;
    CHECK(p.link.generation == 4);
    CHECK(p.link.lanes == 8);
    CHECK(p.link.max_payload == 512);
    CHECK(p.link.read_latency == from_ns(1200));
    CHECK(p.frontend.processors == 2);
    CHECK(p.frontend.write_cost == from_us(7));
    CHECK(p.nand.dies() == 16);
    CHECK(p.nand.read_time[1] == from_us(50));
    CHECK(p.nand.program_time == from_us(1500));
    CHECK(p.nand.channel_bytes_per_second == doctest::Approx(800e6));
    CHECK(p.buffer.ingest_bytes_per_second == doctest::Approx(2.0 * 1073741824));
    CHECK(p.buffer.per_zone_bytes == 256 * 1024);
    CHECK_FALSE(p.buffer.power_loss_protected);
    CHECK(p.zones.dies_per_zone == 2);
    CHECK_FALSE(p.host.polled);
    CHECK(p.host.interrupt_latency == from_us(4));
}

TEST_CASE("config_timing: mistakes name the file, line and key path") {
    CHECK(
        error_of(ns + "platform: {timing: untimed}\ntiming: {flash: {channels: 4}}\n")
            .find(
                "t.yaml:4:9: timing: the timing model's parameters need platform.timing: timed") !=
        std::string::npos);
    const std::string timed = ns + "platform: {timing: timed}\n";
    CHECK(error_of(timed + "timing: {flash: {chanels: 4}}\n").find("chanels") != std::string::npos);
    CHECK(error_of(timed + "timing: {flash: {channel_rate: 800 Mb/s}}\n")
              .find("timing.flash.channel_rate: '800 Mb/s' is not a rate") != std::string::npos);
    CHECK(error_of(timed + "timing: {flash: {cell_bits: 3, read_time: [1us, 2us]}}\n")
              .find("needs one time per page type: 3") != std::string::npos);
    CHECK(error_of(timed + "timing: {pcie: {lanes: 3}}\n").find("must be 1, 2, 4, 8 or 16") !=
          std::string::npos);
    CHECK(error_of(timed + "timing: {zones: {dies_per_zone: 99}}\n")
              .find("timing.zones.dies_per_zone") != std::string::npos);
    CHECK(error_of(timed + "timing: {write_buffer: {size: 1 KiB}}\n")
              .find("timing.write_buffer.size") != std::string::npos);
}

TEST_CASE("config_timing: data: none keeps no data but is otherwise a namespace like any other") {
    const system_config c = parse_config(R"(namespaces:
  - {nsid: 1, image: a.img, data: none, type: zoned, zoned: {zone_size: 16 MiB, zones: 4}}
  - {nsid: 2, image: b.img, capacity: 1 MiB}
)",
                                         "t.yaml", "/tmp");
    CHECK_FALSE(c.namespaces[0].store_data);
    CHECK(c.namespaces[1].store_data);
    CHECK(error_of("namespaces:\n  - {image: a.img, capacity: 1 MiB, data: tmpfs}\n")
              .find("namespaces[0].data") != std::string::npos);
}
