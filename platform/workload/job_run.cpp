// The `run:` and `prepare:` steps of a job file: streams with their ranges, limits and rates, and
// the zone states a measurement starts from. Combinations that cannot run are refused here, with
// the file and line, rather than when the step runs.
#include "platform/workload/job_readers.h"

#include <cstdlib>
#include <iterator>

namespace znssim::platform {
namespace {

constexpr std::size_t max_streams = 256;

struct zone_span {
    std::uint32_t first = 0;
    std::uint32_t count = 0; ///< 0 = to the last zone
};

bool all_digits(const std::string& t) {
    if (t.empty()) return false;
    for (char c : t)
        if (c < '0' || c > '9') return false;
    return true;
}

/// zones: N (zone N alone), "A-B" (inclusive), "all", or {first, count} (count omitted: to the
/// last zone).
zone_span read_zones(const yaml_value& v) {
    zone_span z;
    if (v.is_map()) {
        yaml_map m(v);
        z.first = static_cast<std::uint32_t>(m.get("first").as_uint(0, 0xfffffffe));
        m.read_uint("count", z.count, 1, 0xffffffff);
        m.finish();
        return z;
    }
    const std::string& text = v.scalar();
    if (text == "all") return z;
    const std::size_t dash = text.find('-');
    auto part = [&](const std::string& p) {
        if (!all_digits(p))
            v.fail("'" + text + "' is not a zone range (N, A-B, all or {first: N, count: M})");
        return v.derive(YAML::Node(p), v.path()).as_uint(0, 0xfffffffe);
    };
    if (dash == std::string::npos) {
        z.first = static_cast<std::uint32_t>(part(text));
        z.count = 1;
        return z;
    }
    const std::uint64_t a = part(text.substr(0, dash));
    const std::uint64_t b = part(text.substr(dash + 1));
    if (b < a) v.fail("zone range " + text + " ends before it starts");
    z.first = static_cast<std::uint32_t>(a);
    z.count = static_cast<std::uint32_t>(b - a + 1);
    return z;
}

/// "0.25" or "25%": a fraction in [0, 1].
double read_fraction(const yaml_value& v) {
    std::string text = v.scalar();
    const bool percent = !text.empty() && text.back() == '%';
    if (percent) text.pop_back();
    bool ok = !text.empty() && text.front() != '.' && text.back() != '.';
    int dots = 0;
    for (char c : text) {
        dots += c == '.';
        ok = ok && ((c >= '0' && c <= '9') || c == '.');
    }
    if (!ok || dots > 1)
        v.fail("'" + v.scalar() + "' is not a fraction (a number from 0 to 1, or a percentage)");
    double f = std::strtod(text.c_str(), nullptr);
    if (percent) f /= 100;
    if (f > 1) v.fail("must be at most 1 (100%) (got " + v.scalar() + ")");
    return f;
}

bool has_letter(const std::string& t) {
    for (char c : t)
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
    return false;
}

std::uint64_t read_sector_size(const yaml_value& v, std::uint64_t min, std::uint64_t max) {
    const std::uint64_t n = v.as_size(min, max);
    if (n % 512) v.fail("must be a multiple of 512 bytes (got " + v.scalar() + ")");
    return n;
}

/// "50 MiB" or "50 MiB/s": bytes per simulated second.
std::uint64_t read_rate(const yaml_value& v) {
    std::string text = v.scalar();
    if (text.size() > 2 && text.compare(text.size() - 2, 2, "/s") == 0)
        text.resize(text.size() - 2);
    return v.derive(YAML::Node(text), v.path()).as_size(1, UINT64_MAX / 2);
}

const char* const op_words[] = {"write",  "append", "read",  "randread", "randwrite", "readwrite",
                                "randrw", "open",   "close", "finish",   "reset"};

stream_spec read_stream(const yaml_value& item, std::size_t index) {
    if (!item.is_map())
        item.fail("each stream is a mapping, e.g. {name: w, op: write, nsid: 1, zones: 0-3}");
    yaml_map m(item);
    stream_spec s;
    s.where = item.file() + ":" + std::to_string(item.line());
    s.name = "stream" + std::to_string(index);
    if (auto name = m.find("name")) {
        s.name = name->as_string(64, true);
        if (s.name.empty()) name->fail("must not be empty");
    }
    const yaml_value op = m.get("op");
    s.op = static_cast<stream_op>(
        op.as_choice({op_words[0], op_words[1], op_words[2], op_words[3], op_words[4], op_words[5],
                      op_words[6], op_words[7], op_words[8], op_words[9], op_words[10]}));
    static_assert(std::size(op_words) == static_cast<std::size_t>(stream_op::zone_reset) + 1);
    m.read_uint("nsid", s.nsid, 1, 1024);
    m.read_uint("queue_depth", s.queue_depth, 1, 65535);
    m.read_uint("queues", s.queues, 1, 64);

    const bool zone_mgmt = is_zone_mgmt(s.op);
    if (zone_mgmt)
        for (const char* k :
             {"read_percent", "block", "start", "length", "open_zones", "reset_full_zones",
              "zone_reset_threshold", "zone_reset_frequency", "bytes", "rate", "verify", "seed"})
            if (auto v = m.find(k))
                v->fail(std::string("not for op ") + stream_op_name(s.op) +
                        " (zone actions move no data)");

    if (auto rp = m.find("read_percent")) {
        if (s.op != stream_op::readwrite && s.op != stream_op::randrw)
            rp->fail("only for op readwrite or randrw");
        s.read_percent = static_cast<unsigned>(rp->as_uint(0, 100));
    }
    if (auto b = m.find("block")) s.block_bytes = read_sector_size(*b, 512, job_max_block);

    // Where.
    auto zones = m.find("zones");
    auto start = m.find("start");
    auto length = m.find("length");
    if (zones) {
        for (const auto* o : {&start, &length})
            if (*o) (*o)->fail("not with zones (a zone range covers whole zones)");
        if (s.op == stream_op::randwrite || s.op == stream_op::randrw)
            zones->fail(std::string("op ") + stream_op_name(s.op) +
                        " writes at random offsets, which zones do not accept (use start/length "
                        "on a conventional namespace)");
        const zone_span z = read_zones(*zones);
        s.by_zone = true;
        s.zone_first = z.first;
        s.zone_count = z.count;
    } else {
        if (zone_mgmt) op.fail(std::string("op ") + stream_op_name(s.op) + " needs zones");
        if (s.op == stream_op::append) op.fail("op append needs zones (Zone Append fills zones)");
        if (start) s.offset_bytes = read_sector_size(*start, 0, UINT64_MAX / 2);
        if (length) {
            s.size_bytes = read_sector_size(*length, 512, UINT64_MAX / 2);
            if (s.size_bytes < s.block_bytes) length->fail("is smaller than one block");
        }
    }

    // Zoned writing.
    const bool zoned_writer = s.by_zone && (s.op == stream_op::write || s.op == stream_op::append);
    const char* zoned_only = "only for op write or append with zones";
    if (auto v = m.find("open_zones")) {
        if (!zoned_writer) v->fail(zoned_only);
        s.open_zones = static_cast<unsigned>(v->as_uint(1, 4096));
        if (s.by_zone && s.zone_count && s.open_zones > s.zone_count)
            v->fail("is more than the " + std::to_string(s.zone_count) + " zones of the range");
    }
    if (auto v = m.find("reset_full_zones")) {
        if (!zoned_writer) v->fail(zoned_only);
        s.reset_full_zones = v->as_bool();
    }
    if (auto v = m.find("zone_reset_threshold")) {
        if (!zoned_writer) v->fail(zoned_only);
        s.zone_reset_threshold = read_fraction(*v);
    }
    if (auto v = m.find("zone_reset_frequency")) {
        if (!zoned_writer) v->fail(zoned_only);
        s.zone_reset_frequency = read_fraction(*v);
    }

    // How much and how fast.
    if (auto v = m.find("bytes")) {
        s.amount_bytes = v->as_size(1, UINT64_MAX / 2);
        if (s.amount_bytes < s.block_bytes) v->fail("is less than one block");
    }
    if (auto v = m.find("commands")) s.amount_commands = v->as_uint(1, 1ull << 40);
    auto runtime = m.find("runtime");
    if (runtime) {
        if (runtime->scalar() == "0") runtime->fail("must be more than 0 (leave it out: no limit)");
        s.runtime = runtime->as_duration(1, UINT64_MAX);
    }
    if (auto v = m.find("time_based")) {
        s.time_based = v->as_bool();
        if (s.time_based && !runtime) v->fail("needs runtime (how long to keep going)");
    }
    if (auto v = m.find("rate")) s.rate_bytes_per_s = read_rate(*v);
    m.read_duration("start_delay", s.start_delay, 0, UINT64_MAX);
    m.read_bool("verify", s.verify);
    m.read_uint("seed", s.seed, 0, UINT64_MAX);
    m.finish();
    return s;
}

} // namespace

std::vector<stream_spec> read_run_step(const yaml_value& list) {
    if (!list.is_sequence())
        list.fail("a run step is a list of streams, e.g. \"- run: [{op: write, ...}, ...]\"");
    std::vector<stream_spec> streams;
    std::vector<int> lines;
    for (const auto& item : list.as_sequence()) {
        if (streams.size() == max_streams)
            item.fail("at most " + std::to_string(max_streams) + " streams per run step");
        stream_spec s = read_stream(item, streams.size());
        for (std::size_t i = 0; i < streams.size(); ++i)
            if (streams[i].name == s.name)
                item.fail("stream name '" + s.name + "' is used twice (first at line " +
                          std::to_string(lines[i]) + ")");
        streams.push_back(std::move(s));
        lines.push_back(item.line());
    }
    if (streams.empty()) list.fail("a run step needs at least one stream");
    return streams;
}

prepare_spec read_prepare_step(const yaml_value& params) {
    yaml_map m(params);
    prepare_spec p;
    p.where = params.file() + ":" + std::to_string(params.line());
    m.read_uint("nsid", p.nsid, 1, 1024);
    const zone_span z = read_zones(m.get("zones"));
    p.zone_first = z.first;
    p.zone_count = z.count;
    auto state = m.find("state");
    auto fill = m.find("fill");
    if (!state && !fill) params.fail("give state (empty, full, closed, open) or fill, or both");
    p.state = prepare_spec::target::fill;
    if (state)
        p.state = static_cast<prepare_spec::target>(
            state->as_choice({"empty", "fill", "closed", "open", "full"}));
    const bool takes_fill = p.state == prepare_spec::target::fill ||
                            p.state == prepare_spec::target::closed ||
                            p.state == prepare_spec::target::open;
    if (fill) {
        if (!takes_fill) fill->fail("not with state " + state->scalar() + " (it fixes the fill)");
        if (has_letter(fill->scalar()))
            p.fill_bytes = read_sector_size(*fill, 512, UINT64_MAX / 2);
        else
            p.fill_fraction = read_fraction(*fill);
        const bool written = p.fill_bytes || p.fill_fraction > 0;
        const bool whole = p.fill_fraction >= 1;
        if (!written && p.state != prepare_spec::target::open)
            fill->fail("writes nothing (use state: empty, or state: open for an empty open zone)");
        if (whole && p.state != prepare_spec::target::fill)
            fill->fail("fills the zones: a full zone is neither open nor closed (use state: full)");
    } else if (p.state == prepare_spec::target::fill || p.state == prepare_spec::target::closed) {
        state->fail("needs fill (how much of each zone to write)");
    }
    if (auto b = m.find("block")) p.block_bytes = read_sector_size(*b, 512, job_max_block);
    m.read_uint("seed", p.seed, 0, UINT64_MAX);
    m.finish();
    return p;
}

} // namespace znssim::platform
