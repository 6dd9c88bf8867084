// fio options mapped onto a stream_spec: which fio option sets which field, fio's defaults, and
// the refusals of what the model cannot do like fio does.
#include "platform/workload/fio_ini.h"
#include "platform/workload/fio_values.h"
#include "platform/workload/job_readers.h"

#include <algorithm>
#include <iterator>

namespace znssim::platform::fio {
namespace {

const char* const supported[] = {"bs",
                                 "direct",
                                 "filename",
                                 "group_reporting",
                                 "io_size",
                                 "iodepth",
                                 "ioengine",
                                 "max_open_zones",
                                 "name",
                                 "number_ios",
                                 "numjobs",
                                 "offset",
                                 "randseed",
                                 "rate",
                                 "runtime",
                                 "rw",
                                 "rwmixread",
                                 "rwmixwrite",
                                 "size",
                                 "startdelay",
                                 "thread",
                                 "time_based",
                                 "verify",
                                 "zone_reset_frequency",
                                 "zone_reset_threshold",
                                 "zonemode"};

// Every engine reaches the device the same way here: through the reference host driver.
const char* const engines[] = {"libaio", "io_uring", "io_uring_cmd", "sync",  "psync", "vsync",
                               "pvsync", "pvsync2",  "posixaio",     "xnvme", "spdk"};

const char* const verify_kinds[] = {"md5",   "crc64",    "crc32c",   "crc32c-intel", "crc32",
                                    "crc16", "crc7",     "xxhash",   "sha512",       "sha256",
                                    "sha1",  "sha3-224", "sha3-256", "sha3-384",     "sha3-512",
                                    "meta",  "pattern"};

std::string join(const char* const* words, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i)
        out += (i ? ", " : "") + std::string(words[i]);
    return out;
}

template <std::size_t N> bool one_of(const std::string& v, const char* const (&words)[N]) {
    for (const char* w : words)
        if (v == w) return true;
    return false;
}

/// /dev/nvmeXnY, nvmeXnY, /dev/ngXnY (the generic char device io_uring_cmd uses): Y.
std::optional<std::uint32_t> namespace_of(std::string dev) {
    if (dev.rfind("/dev/", 0) == 0) dev.erase(0, 5);
    std::size_t i = dev.rfind("nvme", 0) == 0 ? 4 : dev.rfind("ng", 0) == 0 ? 2 : 0;
    if (i == 0) return std::nullopt;
    auto digits = [&] {
        const std::size_t from = i;
        while (i < dev.size() && dev[i] >= '0' && dev[i] <= '9')
            ++i;
        return i > from && i - from <= 4;
    };
    if (!digits() || i == dev.size() || dev[i] != 'n') return std::nullopt;
    const std::size_t ns = ++i;
    if (!digits() || i != dev.size()) return std::nullopt;
    const unsigned long n = std::stoul(dev.substr(ns));
    if (n < 1 || n > 1024) return std::nullopt;
    return static_cast<std::uint32_t>(n);
}

} // namespace

bool is_supported(const std::string& key) {
    return one_of(key, supported);
}

std::string supported_options() {
    return join(supported, std::size(supported));
}

std::vector<stream_spec> job_streams(const context& ctx, const section& job,
                                     const option_map& opts) {
    auto find = [&](const char* key) -> const option* {
        auto it = opts.find(key);
        return it == opts.end() ? nullptr : &it->second;
    };
    std::string error;
    stream_spec s;
    s.where = ctx.file + ":" + std::to_string(job.line);
    s.name = job.name;
    s.block_bytes = 4096; // fio's default bs

    // Accepted for compatibility; they change nothing in the model.
    if (const option* o = find("name")) {
        for (char c : o->value)
            if (c < 0x21 || c > 0x7e) ctx.fail(*o, "a job name is printable ASCII without spaces");
        if (o->value.size() > 64) ctx.fail(*o, "a job name is at most 64 characters");
        s.name = o->value;
    }
    if (const option* o = find("direct"))
        if (!ctx.check(*o, fio::parse_flag(o->value, o->bare, error), error))
            ctx.fail(*o,
                     "buffered I/O (direct=0) is not modelled: the reference driver does direct "
                     "I/O only");
    if (const option* o = find("ioengine"))
        if (!one_of(o->value, engines))
            ctx.fail(*o, "'" + o->value + "' is not supported (supported: " +
                             join(engines, std::size(engines)) + ")");
    for (const char* flag : {"group_reporting", "thread"})
        if (const option* o = find(flag))
            ctx.check(*o, fio::parse_flag(o->value, o->bare, error), error);
    if (const option* o = find("filename")) {
        auto nsid = namespace_of(o->value);
        if (!nsid)
            ctx.fail(*o,
                     "'" + o->value +
                         "' is not a namespace of the model (use /dev/nvme0nN for namespace N)");
        s.nsid = *nsid;
    }

    // What.
    const option* rw = find("rw");
    if (rw) {
        const std::string& v = rw->value;
        if (v.find(':') != std::string::npos)
            ctx.fail(*rw, "offset modifiers (rw=" + v + ") are not supported");
        if (v.find("trim") != std::string::npos) ctx.fail(*rw, "trims are not supported");
        if (v == "read")
            s.op = stream_op::read;
        else if (v == "write")
            s.op = stream_op::write;
        else if (v == "randread")
            s.op = stream_op::randread;
        else if (v == "randwrite")
            s.op = stream_op::randwrite;
        else if (v == "rw" || v == "readwrite")
            s.op = stream_op::readwrite;
        else if (v == "randrw")
            s.op = stream_op::randrw;
        else
            ctx.fail(*rw,
                     "'" + v +
                         "' is not supported (supported: read, write, randread, randwrite, rw, "
                         "readwrite, randrw)");
    } else {
        s.op = stream_op::read; // fio's default
    }
    const bool mixed = s.op == stream_op::readwrite || s.op == stream_op::randrw;
    const option* mixr = find("rwmixread");
    const option* mixw = find("rwmixwrite");
    if (mixr && mixw) ctx.fail(*mixw, "give rwmixread or rwmixwrite, not both");
    // fio ignores the mix for jobs that only read or only write (a [global] may set it for all).
    if (mixr) {
        auto v = ctx.check(*mixr, fio::parse_uint(mixr->value, 0, 100, error), error);
        if (mixed) s.read_percent = static_cast<unsigned>(v);
    }
    if (mixw) {
        auto v = ctx.check(*mixw, fio::parse_uint(mixw->value, 0, 100, error), error);
        if (mixed) s.read_percent = static_cast<unsigned>(100 - v);
    }
    if (const option* o = find("bs")) {
        if (o->value.find_first_of(",:-") != std::string::npos)
            ctx.fail(*o, "'" + o->value +
                             "': separate read/write block sizes and ranges are not supported");
        s.block_bytes = ctx.check(*o, fio::parse_size(o->value, false, error), error).value;
        if (s.block_bytes < 512 || s.block_bytes > job_max_block || s.block_bytes % 512)
            ctx.fail(*o, "must be a multiple of 512 from 512 to 64m (got " + o->value + ")");
    }

    // Where.
    bool zbd = false;
    const option* zonemode = find("zonemode");
    if (zonemode) {
        if (zonemode->value == "zbd")
            zbd = true;
        else if (zonemode->value != "none")
            ctx.fail(*zonemode,
                     "'" + zonemode->value + "' is not supported (supported: none, zbd)");
    }
    if (zbd && (s.op == stream_op::randwrite || s.op == stream_op::randrw))
        ctx.fail(*rw, "random writes with zonemode=zbd are not supported (znssim writes zones "
                      "sequentially at their write pointers: use rw=write)");
    const option* offset = find("offset");
    const option* size = find("size");
    fio::size_value off, len;
    if (offset) off = ctx.check(*offset, fio::parse_size(offset->value, zbd, error), error);
    if (size) len = ctx.check(*size, fio::parse_size(size->value, zbd, error), error);
    if (offset && size && off.zones != len.zones)
        ctx.fail(*size, "give offset and size both in zones (z) or both in bytes");
    const bool in_zones = (offset && off.zones) || (size && len.zones);
    if (!in_zones) {
        if (offset && off.value % 512) ctx.fail(*offset, "must be a multiple of 512 bytes");
        if (size && (len.value % 512 || len.value < s.block_bytes))
            ctx.fail(*size, "must be a multiple of 512 bytes and at least one block");
    } else if (size && len.value == 0) {
        ctx.fail(*size, "must be at least one zone");
    }
    if (zbd) {
        s.by_zone = true;
        if (in_zones) {
            if (off.value > 0xfffffffe || len.value > 0xffffffff)
                ctx.fail(offset ? *offset : *size, "too many zones");
            s.zone_first = static_cast<std::uint32_t>(off.value);
            s.zone_count = static_cast<std::uint32_t>(len.value);
        } else if (offset || size) {
            s.zones_in_bytes = true;
            s.offset_bytes = off.value;
            s.size_bytes = len.value;
        }
    } else {
        s.offset_bytes = off.value;
        s.size_bytes = len.value;
    }

    // Zoned writing.
    // Zoned streams open and reset zones for sequential writes only (as job files' open_zones).
    const bool zoned_writer = zbd && s.op == stream_op::write;
    for (const char* key : {"max_open_zones", "zone_reset_threshold", "zone_reset_frequency"})
        if (const option* o = find(key)) {
            if (!zbd) ctx.fail(*o, "needs zonemode=zbd");
            if (s.op == stream_op::readwrite)
                ctx.fail(*o, "is supported for rw=write only (not for a zoned read/write mix)");
        }
    if (const option* o = find("max_open_zones")) {
        // 0 is fio's "the device's limit"; a stream needs a number, so it keeps its default.
        auto v = ctx.check(*o, fio::parse_uint(o->value, 0, 4096, error), error);
        if (v && zoned_writer) s.open_zones = static_cast<unsigned>(v);
        if (zoned_writer && s.zone_count && s.open_zones > s.zone_count)
            ctx.fail(*o,
                     "is more than the " + std::to_string(s.zone_count) + " zones of the range");
    }
    if (const option* o = find("zone_reset_threshold")) {
        auto v = ctx.check(*o, fio::parse_fraction(o->value, error), error);
        if (zoned_writer) s.zone_reset_threshold = v;
    }
    if (const option* o = find("zone_reset_frequency")) {
        auto v = ctx.check(*o, fio::parse_fraction(o->value, error), error);
        if (zoned_writer) s.zone_reset_frequency = v;
    }
    // fio resets a full zone when a write job needs it again.
    s.reset_full_zones = zoned_writer;

    // How hard, how much, how long.
    unsigned iodepth = 1;
    if (const option* o = find("iodepth"))
        iodepth =
            static_cast<unsigned>(ctx.check(*o, fio::parse_uint(o->value, 1, 65535, error), error));
    // fio's iodepth is for the whole job; a zoned write stream's queue depth is per open zone.
    s.queue_depth = zoned_writer ? std::max(1u, iodepth / s.open_zones) : iodepth;
    if (const option* o = find("io_size"))
        s.amount_bytes = ctx.check(*o, fio::parse_size(o->value, false, error), error).value;
    if (const option* o = find("number_ios"))
        s.amount_commands = ctx.check(*o, fio::parse_uint(o->value, 0, 1ull << 40, error), error);
    // fio's size sets both the region and the amount of I/O (io_size defaults to it).
    if (!s.amount_bytes && !s.amount_commands && s.size_bytes) s.amount_bytes = s.size_bytes;
    if (const option* o = find("runtime"))
        s.runtime = ctx.check(*o, fio::parse_time(o->value, error), error);
    if (const option* o = find("time_based")) {
        s.time_based = ctx.check(*o, fio::parse_flag(o->value, o->bare, error), error);
        if (s.time_based && !s.runtime) ctx.fail(*o, "needs a runtime (how long to keep going)");
    }
    if (const option* o = find("startdelay")) {
        if (o->value.find_first_of("-:") != std::string::npos)
            ctx.fail(*o, "a range of start delays is not supported");
        s.start_delay = ctx.check(*o, fio::parse_time(o->value, error), error);
    }
    if (const option* o = find("rate")) {
        if (o->value.find(',') != std::string::npos)
            ctx.fail(*o, "separate read,write rates are not supported (one rate for the job)");
        s.rate_bytes_per_s = ctx.check(*o, fio::parse_size(o->value, false, error), error).value;
    }
    if (const option* o = find("verify")) {
        if (o->value == "0" || o->value == "null")
            s.verify = false;
        else if (one_of(o->value, verify_kinds))
            s.verify = true; // checked against znssim's data pattern, whatever the kind
        else
            ctx.fail(*o, "'" + o->value + "' is not a verify kind (0, null, " +
                             join(verify_kinds, std::size(verify_kinds)) + ")");
    }
    if (const option* o = find("randseed"))
        s.seed = ctx.check(*o, fio::parse_uint(o->value, 0, UINT64_MAX, error), error);

    // Copies.
    unsigned numjobs = 1;
    if (const option* o = find("numjobs")) {
        numjobs =
            static_cast<unsigned>(ctx.check(*o, fio::parse_uint(o->value, 1, 64, error), error));
        if (numjobs > 1 && s.verify)
            ctx.fail(*o, "copies with verify are not supported (each copy has its own data pattern "
                         "seed, so they would fail each other's checks)");
        if (numjobs > 1 && zoned_writer)
            ctx.fail(*o, "copies of a zbd write job are not supported (znssim streams do not share "
                         "zones as fio's copies do)");
    }
    if (numjobs == 1) return {s};
    std::vector<stream_spec> copies(numjobs, s);
    for (unsigned i = 0; i < numjobs; ++i) {
        copies[i].name = s.name + "." + std::to_string(i);
        copies[i].seed = s.seed + i; // as fio seeds each clone differently
    }
    return copies;
}

} // namespace znssim::platform::fio
