#include "platform/workload/job.h"

#include "platform/workload/job_readers.h"

#include <iterator>

namespace znssim::platform {
namespace {

constexpr std::uint64_t max_block = job_max_block;

// In step_kind order (run and prepare came last, so the older numbering stays).
const char* const names[] = {"write", "read",   "verify", "random", "open", "close",  "finish",
                             "reset", "append", "report", "flush",  "run",  "prepare"};
static_assert(std::size(names) == static_cast<std::size_t>(step_kind::prepare) + 1);

zone_selector read_zone(const yaml_value& v, bool allow_all) {
    zone_selector z;
    const std::string& text = v.scalar();
    if (!text.empty() && text[0] >= '0' && text[0] <= '9') {
        z.index = static_cast<std::uint32_t>(v.as_uint(0, 0xfffffffe));
        return z;
    }
    std::size_t i =
        allow_all ? v.as_choice({"first_empty", "first_open", "first_closed", "first_full", "all"})
                  : v.as_choice({"first_empty", "first_open", "first_closed", "first_full"});
    z.what = static_cast<zone_selector::kind>(i + 1);
    return z;
}

/// start/start_lba, length/lbas, or zone/zones.
void read_range(yaml_map& m, job_step& s) {
    auto zone = m.find("zone");
    auto zones = m.find("zones");
    auto start = m.find("start");
    auto start_lba = m.find("start_lba");
    auto length = m.find("length");
    auto lbas = m.find("lbas");
    if (start && start_lba) start_lba->fail("give either start (bytes) or start_lba, not both");
    if (length && lbas) lbas->fail("give either length (bytes) or lbas, not both");
    if (zone || zones) {
        for (const auto* o : {&start, &start_lba, &length, &lbas})
            if (*o) (*o)->fail("not with zone/zones (a zone range covers whole zone capacities)");
        s.by_zone = true;
        if (zone) s.zone = read_zone(*zone, false);
        if (zones) s.zone_count = static_cast<std::uint32_t>(zones->as_uint(1, 0xffffffff));
        return;
    }
    if (start) {
        s.start_bytes = start->as_size(0, UINT64_MAX / 2);
        s.start_in_bytes = true;
    }
    if (start_lba) s.start_lba = start_lba->as_uint(0, UINT64_MAX / 2);
    if (length) {
        s.length = length->as_size(1, UINT64_MAX / 2);
        s.length_in_bytes = true;
    }
    if (lbas) s.length = lbas->as_uint(1, UINT64_MAX / 2);
}

job_step read_step(const yaml_value& item) {
    yaml_map outer(item);
    auto entries = outer.entries();
    if (entries.size() != 1)
        item.fail("each step is one mapping entry, e.g. \"- write: {nsid: 1, ...}\"");
    const auto& [kind_name, params] = entries.front();
    job_step s;
    s.where = item.file() + ":" + std::to_string(item.line());
    bool known = false;
    for (std::size_t i = 0; i < std::size(names); ++i)
        if (kind_name == names[i]) {
            s.kind = static_cast<step_kind>(i);
            known = true;
        }
    if (!known) {
        std::string all;
        for (const char* n : names)
            all += (all.empty() ? "" : ", ") + std::string(n);
        item.derive(item.node().begin()->first, params.path())
            .fail("unknown step (known: " + all + ")");
    }
    if (s.kind == step_kind::run) {
        s.streams = read_run_step(params);
        s.nsid = s.streams.front().nsid;
        return s;
    }
    if (s.kind == step_kind::prepare) {
        s.prepare = read_prepare_step(params);
        s.nsid = s.prepare.nsid;
        return s;
    }
    yaml_map m(params);
    m.read_uint("nsid", s.nsid, 1, 1024);
    switch (s.kind) {
    case step_kind::write:
    case step_kind::read:
    case step_kind::verify:
        read_range(m, s);
        m.read_size("block", s.block_bytes, 512, max_block);
        m.read_uint("queue_depth", s.queue_depth, 1, 1024);
        m.read_uint("seed", s.seed, 0, UINT64_MAX);
        if (s.kind == step_kind::write) m.read_bool("verify", s.verify_after);
        break;
    case step_kind::random:
        read_range(m, s);
        if (s.by_zone) {
            auto z = m.find("zone");
            (z ? *z : m.get("zones")).fail("random steps take start/length, not zones");
        }
        s.block_bytes = 4096;
        s.commands = m.get("commands").as_uint(1, 1ull << 40);
        m.read_size("block", s.block_bytes, 512, max_block);
        m.read_uint("queue_depth", s.queue_depth, 1, 1024);
        m.read_uint("read_percent", s.read_percent, 0, 100);
        m.read_uint("seed", s.seed, 0, UINT64_MAX);
        break;
    case step_kind::open:
    case step_kind::close:
    case step_kind::finish:
    case step_kind::reset:
        s.zone = read_zone(m.get("zone"), true);
        break;
    case step_kind::append:
        s.zone = read_zone(m.get("zone"), false);
        s.block_bytes = 4096;
        m.read_uint("blocks", s.blocks, 1, 1u << 20);
        m.read_size("block", s.block_bytes, 512, max_block);
        m.read_uint("seed", s.seed, 0, UINT64_MAX);
        m.read_bool("verify", s.verify_after);
        break;
    case step_kind::report:
    case step_kind::flush:
    case step_kind::run: // read above
    case step_kind::prepare:
        break;
    }
    m.finish();
    return s;
}

} // namespace

const char* step_name(step_kind k) {
    return names[static_cast<std::size_t>(k)];
}

job parse_job(const std::string& yaml_text, const std::string& name_for_errors) {
    yaml_value root = parse_yaml(yaml_text, name_for_errors);
    yaml_map top(root);
    top.allow({"name", "steps"});
    top.finish();
    job j;
    j.source = name_for_errors;
    j.name = name_for_errors;
    top.read_string("name", j.name, 200);
    auto steps = top.get("steps");
    for (const auto& item : steps.as_sequence())
        j.steps.push_back(read_step(item));
    if (j.steps.empty()) steps.fail("a job needs at least one step");
    return j;
}

job load_job(const std::string& path) {
    return parse_job(read_text_file(path), path);
}

} // namespace znssim::platform
