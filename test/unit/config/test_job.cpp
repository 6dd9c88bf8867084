// Job files: step parsing, defaults, strictness with file:line; the data pattern.
#include "platform/workload/job.h"
#include "platform/workload/pattern.h"

#include <doctest/doctest.h>

#include <vector>

using namespace znssim::platform;

namespace {

std::string job_error(const std::string& yaml) {
    try {
        parse_job(yaml, "j.yaml");
    } catch (const config_error& e) {
        return e.what();
    }
    return "";
}

} // namespace

TEST_CASE("config_job steps parse with defaults") {
    job j = parse_job(R"(name: demo
steps:
  - write: {nsid: 1, zone: first_empty, zones: 2, block: 64 KiB, verify: true}
  - verify: {nsid: 2, start: 1 MiB, length: 8 MiB, seed: 7, queue_depth: 4}
  - read: {nsid: 2, start_lba: 100, lbas: 8}
  - random: {nsid: 2, commands: 1000, queue_depth: 32, read_percent: 70}
  - append: {nsid: 1, zone: 3, blocks: 4, block: 16 KiB}
  - reset: {nsid: 1, zone: all}
  - finish: {zone: first_open}
  - report: {nsid: 1}
  - flush: {nsid: 2}
)",
                      "j.yaml");
    CHECK(j.name == "demo");
    REQUIRE(j.steps.size() == 9);
    const auto& w = j.steps[0];
    CHECK(w.kind == step_kind::write);
    CHECK(w.where == "j.yaml:3");
    CHECK(w.by_zone);
    CHECK(w.zone.what == zone_selector::kind::first_empty);
    CHECK(w.zone_count == 2);
    CHECK(w.block_bytes == 65536);
    CHECK(w.verify_after);
    const auto& v = j.steps[1];
    CHECK(v.kind == step_kind::verify);
    CHECK(v.start_in_bytes);
    CHECK(v.start_bytes == 1u << 20);
    CHECK(v.length_in_bytes);
    CHECK(v.length == 8u << 20);
    CHECK(v.seed == 7);
    CHECK(v.queue_depth == 4);
    CHECK(v.block_bytes == 128 * 1024);
    const auto& r = j.steps[2];
    CHECK_FALSE(r.start_in_bytes);
    CHECK(r.start_lba == 100);
    CHECK(r.length == 8);
    CHECK_FALSE(r.length_in_bytes);
    const auto& rnd = j.steps[3];
    CHECK(rnd.commands == 1000);
    CHECK(rnd.block_bytes == 4096);
    CHECK(rnd.read_percent == 70);
    CHECK(rnd.length == 0); // whole namespace
    const auto& a = j.steps[4];
    CHECK(a.kind == step_kind::append);
    CHECK(a.zone.what == zone_selector::kind::index);
    CHECK(a.zone.index == 3);
    CHECK(a.blocks == 4);
    CHECK(a.block_bytes == 16384);
    CHECK(j.steps[5].zone.what == zone_selector::kind::all);
    CHECK(j.steps[6].nsid == 1);
    CHECK(j.steps[6].zone.what == zone_selector::kind::first_open);
    CHECK(j.steps[7].kind == step_kind::report);
    CHECK(j.steps[8].kind == step_kind::flush);
    CHECK(std::string(step_name(step_kind::random)) == "random");
}

TEST_CASE("config_job errors name file line and key") {
    CHECK(job_error("steps:\n  - wirte: {nsid: 1}\n")
              .rfind("j.yaml:2:5: steps[0].wirte: unknown step", 0) == 0);
    CHECK(job_error("steps:\n  - write: {nsid: 1, colour: red}\n")
              .rfind("j.yaml:2:22: steps[0].write.colour: unknown key", 0) == 0);
    CHECK(job_error("steps:\n  - random: {nsid: 1}\n")
              .rfind("j.yaml:2:13: steps[0].random.commands: required key missing", 0) == 0);
    CHECK(job_error("steps:\n  - read: {start: 0, zone: 1}\n").find("not with zone") !=
          std::string::npos);
    CHECK(job_error("steps:\n  - read: {start: 0, start_lba: 1}\n").find("not both") !=
          std::string::npos);
    CHECK(job_error("steps:\n  - reset: {zone: some}\n")
              .rfind("j.yaml:2:19: steps[0].reset.zone: must be one of", 0) == 0);
    CHECK(job_error("steps:\n  - append: {zone: all}\n").find("must be one of") !=
          std::string::npos);
    CHECK(job_error("steps:\n  - random: {commands: 5, read_percent: 101}\n")
              .find("steps[0].random.read_percent") != std::string::npos);
    CHECK(job_error("steps:\n  - random: {commands: 5, zone: 1}\n").find("not zones") !=
          std::string::npos);
    CHECK(job_error("steps:\n  - write: {nsid: 1}\n    read: {nsid: 1}\n")
              .find("one mapping entry") != std::string::npos);
    CHECK(job_error("steps: []\n").find("at least one step") != std::string::npos);
    CHECK(job_error("name: x\n").find("steps: required key missing") != std::string::npos);
    CHECK(job_error("stepz: []\n").find("stepz: unknown key") != std::string::npos);
    CHECK(job_error("steps:\n  - write: {block: 100 MiB}\n").find("block") != std::string::npos);
}

TEST_CASE("config_job data pattern detects every changed block") {
    const std::uint32_t lba = 512;
    std::vector<std::uint8_t> buf(lba * 8);
    fill_pattern(buf.data(), 1000, 8, lba, 42);
    CHECK(check_pattern(buf.data(), 1000, 8, lba, 42) == 0);
    CHECK(check_pattern(buf.data(), 1001, 8, lba, 42) == 8); // shifted LBA
    CHECK(check_pattern(buf.data(), 1000, 8, lba, 43) == 8); // other seed
    buf[3 * lba + 300] ^= 1;
    buf[6 * lba + 511] ^= 0x80;
    CHECK(check_pattern(buf.data(), 1000, 8, lba, 42) == 2);
    std::vector<std::uint8_t> zeros(lba, 0);
    CHECK(check_pattern(zeros.data(), 0, 1, lba, 0) == 1); // unwritten data never passes
}
