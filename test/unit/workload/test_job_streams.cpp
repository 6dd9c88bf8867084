// Job files: the run and prepare steps (platform/workload/job_run.cpp).
#include "platform/workload/job.h"

#include <doctest/doctest.h>

using namespace znssim;
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

/// The error of a one-stream run step given as a flow mapping's contents.
std::string stream_error(const std::string& body) {
    return job_error("steps:\n  - run:\n      - {" + body + "}\n");
}

std::string prepare_error(const std::string& body) {
    return job_error("steps:\n  - prepare: {" + body + "}\n");
}

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

} // namespace

TEST_CASE("workload_job: run step with every stream key") {
    job j = parse_job(R"(steps:
  - prepare: {nsid: 1, zones: 0-13, fill: 25%}
  - run:
      - {name: writer, op: write, nsid: 1, zones: 0-13, open_zones: 14, block: 64 KiB, queue_depth: 1, bytes: 1 GiB}
      - {name: reader, op: randread, nsid: 2, start: 0, length: 1 GiB, block: 4 KiB, queue_depth: 32, runtime: 100ms, rate: 50 MiB, start_delay: 1ms, verify: true, seed: 3, queues: 2}
      - {name: resetter, op: reset, nsid: 1, zones: 20-29, queue_depth: 1}
      - {op: append, zones: {first: 40, count: 4}, reset_full_zones: true, zone_reset_threshold: 0.5, zone_reset_frequency: 10%, commands: 1000}
      - {op: randrw, read_percent: 70, time_based: true, runtime: 2s, rate: 1 MiB/s}
      - {op: read, zones: all}
      - {op: finish, zones: 7, time_based: true, runtime: 1ms}
)",
                      "j.yaml");
    REQUIRE(j.steps.size() == 2);
    const job_step& run = j.steps[1];
    CHECK(run.kind == step_kind::run);
    CHECK(run.where == "j.yaml:3");
    CHECK(std::string(step_name(step_kind::run)) == "run");
    CHECK(std::string(step_name(step_kind::prepare)) == "prepare");
    REQUIRE(run.streams.size() == 7);

    const stream_spec& w = run.streams[0];
    CHECK(w.name == "writer");
    CHECK(w.where == "j.yaml:4");
    CHECK(w.op == stream_op::write);
    CHECK(w.nsid == 1);
    CHECK(w.by_zone);
    CHECK(w.zone_first == 0);
    CHECK(w.zone_count == 14);
    CHECK(w.open_zones == 14);
    CHECK(w.block_bytes == 65536);
    CHECK(w.queue_depth == 1);
    CHECK(w.amount_bytes == 1ull << 30);
    CHECK_FALSE(w.verify);

    const stream_spec& r = run.streams[1];
    CHECK(r.op == stream_op::randread);
    CHECK(r.nsid == 2);
    CHECK_FALSE(r.by_zone);
    CHECK(r.offset_bytes == 0);
    CHECK(r.size_bytes == 1ull << 30);
    CHECK(r.block_bytes == 4096);
    CHECK(r.queue_depth == 32);
    CHECK(r.queues == 2);
    CHECK(r.runtime == from_ms(100));
    CHECK(r.rate_bytes_per_s == 50ull << 20);
    CHECK(r.start_delay == from_ms(1));
    CHECK(r.verify);
    CHECK(r.seed == 3);

    const stream_spec& z = run.streams[2];
    CHECK(z.op == stream_op::zone_reset);
    CHECK(is_zone_mgmt(z.op));
    CHECK(z.zone_first == 20);
    CHECK(z.zone_count == 10);

    const stream_spec& a = run.streams[3];
    CHECK(a.name == "stream3"); // default: its index in the list
    CHECK(a.op == stream_op::append);
    CHECK(a.zone_first == 40);
    CHECK(a.zone_count == 4);
    CHECK(a.reset_full_zones);
    CHECK(a.zone_reset_threshold == 0.5);
    CHECK(a.zone_reset_frequency == doctest::Approx(0.1));
    CHECK(a.amount_commands == 1000);
    CHECK(a.block_bytes == 4096); // default

    const stream_spec& m = run.streams[4];
    CHECK(m.op == stream_op::randrw);
    CHECK(m.read_percent == 70);
    CHECK(m.time_based);
    CHECK(m.runtime == from_s(2));
    CHECK(m.rate_bytes_per_s == 1ull << 20);
    CHECK(m.size_bytes == 0); // to the end of the namespace

    CHECK(run.streams[5].by_zone);
    CHECK(run.streams[5].zone_first == 0);
    CHECK(run.streams[5].zone_count == 0); // all: to the last zone
    CHECK(run.streams[6].op == stream_op::zone_finish);
    CHECK(run.streams[6].zone_first == 7);
    CHECK(run.streams[6].zone_count == 1);
    CHECK(std::string(stream_op_name(stream_op::zone_finish)) == "finish");
    CHECK(writes_data(stream_op::randrw));
    CHECK_FALSE(writes_data(stream_op::randread));
}

TEST_CASE("workload_job: prepare step") {
    job j = parse_job(R"(steps:
  - prepare: {nsid: 1, zones: 0-13, fill: 25%}
  - prepare: {zones: 3, state: closed, fill: 0.5, block: 64 KiB, seed: 9}
  - prepare: {zones: all, state: empty}
  - prepare: {zones: {first: 2, count: 3}, state: open}
  - prepare: {zones: 5-6, state: full}
  - prepare: {zones: 8, fill: 16 MiB}
  - prepare: {nsid: 3, zones: 9, state: open, fill: 1%}
)",
                      "j.yaml");
    REQUIRE(j.steps.size() == 7);
    const prepare_spec& p = j.steps[0].prepare;
    CHECK(j.steps[0].kind == step_kind::prepare);
    CHECK(p.where == "j.yaml:2");
    CHECK(p.nsid == 1);
    CHECK(p.zone_first == 0);
    CHECK(p.zone_count == 14);
    CHECK(p.state == prepare_spec::target::fill);
    CHECK(p.fill_fraction == 0.25);
    CHECK(p.fill_bytes == 0);
    CHECK(p.block_bytes == 128 * 1024);
    const prepare_spec& c = j.steps[1].prepare;
    CHECK(c.state == prepare_spec::target::closed);
    CHECK(c.zone_first == 3);
    CHECK(c.zone_count == 1);
    CHECK(c.fill_fraction == 0.5);
    CHECK(c.block_bytes == 65536);
    CHECK(c.seed == 9);
    CHECK(j.steps[2].prepare.state == prepare_spec::target::empty);
    CHECK(j.steps[2].prepare.zone_count == 0);
    CHECK(j.steps[3].prepare.state == prepare_spec::target::open);
    CHECK(j.steps[3].prepare.zone_first == 2);
    CHECK(j.steps[3].prepare.zone_count == 3);
    CHECK(j.steps[3].prepare.fill_fraction == 0);
    CHECK(j.steps[4].prepare.state == prepare_spec::target::full);
    CHECK(j.steps[5].prepare.fill_bytes == 16u << 20);
    CHECK(j.steps[5].prepare.state == prepare_spec::target::fill);
    CHECK(j.steps[6].nsid == 3);
    CHECK(j.steps[6].prepare.fill_fraction == doctest::Approx(0.01));
}

TEST_CASE("workload_job: run stream errors name file, line and key") {
    CHECK(stream_error("op: write, colour: red")
              .rfind("j.yaml:3:21: steps[0].run[0].colour: unknown key", 0) == 0);
    CHECK(stream_error("name: w").rfind("j.yaml:3:9: steps[0].run[0].op: required key missing",
                                        0) == 0);
    CHECK(has(stream_error("op: trim"), "steps[0].run[0].op: must be one of: write, append"));
    CHECK(has(stream_error("op: append"), "op: op append needs zones"));
    CHECK(has(stream_error("op: reset"), "op: op reset needs zones"));
    CHECK(has(stream_error("op: randwrite, zones: 1-2"), "zones: op randwrite writes at random"));
    CHECK(has(stream_error("op: randrw, zones: 1"), "zones: op randrw writes at random"));
    CHECK(has(stream_error("op: read, zones: 1, start: 0"), "start: not with zones"));
    CHECK(has(stream_error("op: read, zones: 1, length: 1 MiB"), "length: not with zones"));
    CHECK(has(stream_error("op: read, zones: 3-1"), "ends before it starts"));
    CHECK(has(stream_error("op: read, zones: 1-x"), "is not a zone range"));
    CHECK(has(stream_error("op: read, zones: some"), "is not a zone range"));
    CHECK(has(stream_error("op: read, zones: {count: 2}"), "zones.first: required key missing"));
    CHECK(has(stream_error("op: read, zones: {first: 1, count: 0}"), "zones.count: must be"));
    CHECK(has(stream_error("op: read, zones: {first: 1, last: 3}"), "zones.last: unknown key"));
    CHECK(has(stream_error("op: read, read_percent: 50"), "read_percent: only for op readwrite"));
    CHECK(has(stream_error("op: readwrite, read_percent: 101"), "read_percent: must be between"));
    CHECK(
        has(stream_error("op: read, queue_depth: 0"), "queue_depth: must be between 1 and 65535"));
    CHECK(has(stream_error("op: read, queue_depth: 65536"), "queue_depth: must be between"));
    CHECK(has(stream_error("op: read, queues: 65"), "queues: must be between 1 and 64"));
    CHECK(has(stream_error("op: read, block: 1000"), "block: must be a multiple of 512"));
    CHECK(has(stream_error("op: read, block: 128 MiB"), "block: must be between"));
    CHECK(has(stream_error("op: read, start: 100"), "start: must be a multiple of 512"));
    CHECK(has(stream_error("op: read, length: 2 KiB"), "length: is smaller than one block"));
    CHECK(has(stream_error("op: write, open_zones: 2"), "open_zones: only for op write or append"));
    CHECK(has(stream_error("op: read, zones: 0-3, open_zones: 2"), "open_zones: only for op"));
    CHECK(has(stream_error("op: write, zones: 0-3, open_zones: 5"), "more than the 4 zones"));
    CHECK(has(stream_error("op: write, zones: 0-3, open_zones: 0"), "open_zones: must be"));
    CHECK(has(stream_error("op: read, reset_full_zones: true"), "reset_full_zones: only for"));
    CHECK(has(stream_error("op: write, zone_reset_threshold: 0.5"), "zone_reset_threshold: only"));
    CHECK(has(stream_error("op: write, zones: 1, zone_reset_threshold: 1.5"), "at most 1"));
    CHECK(has(stream_error("op: write, zones: 1, zone_reset_frequency: 120%"), "at most 1"));
    CHECK(has(stream_error("op: write, zones: 1, zone_reset_frequency: half"), "not a fraction"));
    CHECK(has(stream_error("op: write, zones: 1, zone_reset_frequency: .5"), "not a fraction"));
    CHECK(has(stream_error("op: read, time_based: true"), "time_based: needs runtime"));
    CHECK(has(stream_error("op: read, runtime: 0"), "runtime: must be more than 0"));
    CHECK(has(stream_error("op: read, runtime: 5"), "runtime: '5' is not a duration"));
    CHECK(has(stream_error("op: read, rate: fast"), "rate: 'fast' is not a size"));
    CHECK(has(stream_error("op: read, rate: 0"), "rate: must be between"));
    CHECK(has(stream_error("op: read, bytes: 1 KiB"), "bytes: is less than one block"));
    CHECK(has(stream_error("op: read, commands: 0"), "commands: must be between"));
    CHECK(has(stream_error("op: read, verify: yes"), "verify: must be true or false"));
    CHECK(
        has(stream_error("op: read, start_delay: soon"), "start_delay: 'soon' is not a duration"));
    CHECK(has(stream_error("op: read, name: \"\""), "name: must not be empty"));
    CHECK(has(stream_error("op: read, nsid: 0"), "nsid: must be between 1 and 1024"));
    for (const char* k : {"verify: true", "block: 4 KiB", "bytes: 1 MiB", "rate: 1 MiB", "seed: 2",
                          "read_percent: 5", "open_zones: 2"})
        CHECK(has(stream_error(std::string("op: close, zones: 1, ") + k),
                  "not for op close (zone actions move no data)"));

    CHECK(has(job_error("steps:\n  - run: []\n"), "steps[0].run: a run step needs at least one"));
    CHECK(has(job_error("steps:\n  - run: {op: read}\n"), "a run step is a list of streams"));
    CHECK(has(job_error("steps:\n  - run: [read]\n"), "run[0]: each stream is a mapping"));
    CHECK(job_error("steps:\n  - run:\n      - {name: a, op: read}\n      - {name: a, op: write}\n")
              .rfind("j.yaml:4:9: steps[0].run[1]: stream name 'a' is used twice (first at line "
                     "3)",
                     0) == 0);
}

TEST_CASE("workload_job: prepare errors") {
    CHECK(has(prepare_error("state: full"), "steps[0].prepare.zones: required key missing"));
    CHECK(has(prepare_error("zones: 1"), "give state (empty, full, closed, open) or fill"));
    CHECK(has(prepare_error("zones: 1, state: half"), "state: must be one of: empty, fill"));
    CHECK(has(prepare_error("zones: 1, state: closed"), "state: needs fill"));
    CHECK(has(prepare_error("zones: 1, state: fill"), "state: needs fill"));
    CHECK(has(prepare_error("zones: 1, state: full, fill: 50%"), "fill: not with state full"));
    CHECK(has(prepare_error("zones: 1, state: empty, fill: 0.5"), "fill: not with state empty"));
    CHECK(has(prepare_error("zones: 1, fill: 0"), "fill: writes nothing"));
    CHECK(has(prepare_error("zones: 1, state: closed, fill: 100%"), "a full zone is neither"));
    CHECK(has(prepare_error("zones: 1, state: open, fill: 1"), "a full zone is neither"));
    CHECK(has(prepare_error("zones: 1, fill: 150%"), "fill: must be at most 1"));
    CHECK(has(prepare_error("zones: 1, fill: 1.5"), "fill: must be at most 1"));
    CHECK(has(prepare_error("zones: 1, fill: lots"), "fill: 'lots' is not a size"));
    CHECK(has(prepare_error("zones: 1, fill: 1000 B"), "fill: must be a multiple of 512"));
    CHECK(has(prepare_error("zones: 1, fill: 25%, block: 4000"), "block: must be a multiple"));
    CHECK(has(prepare_error("zones: 1, fill: 25%, zone: 2"), "prepare.zone: unknown key"));
    CHECK(has(job_error("steps:\n  - prepare: [1]\n"), "must be a mapping"));
}

TEST_CASE("workload_job: older steps keep their numbering") {
    CHECK(static_cast<int>(step_kind::write) == 0);
    CHECK(static_cast<int>(step_kind::flush) == 10);
    CHECK(static_cast<int>(step_kind::run) == 11);
    CHECK(static_cast<int>(step_kind::prepare) == 12);
    CHECK(has(job_error("steps:\n  - runn: []\n"), "known: write, read, verify, random, open, "
                                                   "close, finish, reset, append, report, flush, "
                                                   "run, prepare"));
}
