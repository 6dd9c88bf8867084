// fio job files (platform/workload/fio_file.h): the INI layout, each supported option's mapping
// onto a stream, fio's value syntax, and every refusal with its line.
#include "platform/workload/fio_file.h"
#include "platform/workload/fio_values.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>

using namespace znssim;
using namespace znssim::platform;

namespace {

std::string fio_error(const std::string& text) {
    try {
        parse_fio_job(text, "f.fio");
    } catch (const config_error& e) {
        return e.what();
    }
    return "";
}

/// The error for one job section holding 'options' (one per line, from line 2).
std::string option_error(const std::string& options) {
    return fio_error("[j]\n" + options + "\n");
}

std::string fio_error_file(const std::string& path) {
    try {
        load_fio_job(path);
    } catch (const config_error& e) {
        return e.what();
    }
    return "";
}

bool starts(const std::string& text, const std::string& prefix) {
    return text.rfind(prefix, 0) == 0;
}

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

stream_spec only_stream(const job& j) {
    REQUIRE(j.steps.size() == 1);
    REQUIRE(j.steps[0].streams.size() == 1);
    return j.steps[0].streams[0];
}

} // namespace

TEST_CASE("workload_fio: a zoned write job and a reader") {
    job j = parse_fio_job(R"(; ZNS write test
[global]
ioengine=io_uring
direct=1
filename=/dev/nvme0n2
group_reporting
thread

# zoned writer
[writer]
rw=write
zonemode=zbd
bs=64k
iodepth=8
max_open_zones=4
offset=10z
size=14z
zone_reset_threshold=0.5
zone_reset_frequency=0.25
io_size=1g

[reader]
rw = randread
bs = 4k
iodepth = 32
filename = nvme1n1
size = 1g
offset = 1m
runtime = 100ms
time_based
rate = 50m
startdelay = 2
verify = crc32c
randseed = 42
)",
                          "f.fio");
    CHECK(j.name == "f.fio");
    CHECK(j.source == "f.fio");
    REQUIRE(j.steps.size() == 1);
    const job_step& run = j.steps[0];
    CHECK(run.kind == step_kind::run);
    CHECK(run.where == "f.fio:10");
    CHECK(run.nsid == 2);
    REQUIRE(run.streams.size() == 2);

    const stream_spec& w = run.streams[0];
    CHECK(w.name == "writer");
    CHECK(w.where == "f.fio:10");
    CHECK(w.nsid == 2);
    CHECK(w.op == stream_op::write);
    CHECK(w.by_zone);
    CHECK_FALSE(w.zones_in_bytes);
    CHECK(w.zone_first == 10);
    CHECK(w.zone_count == 14);
    CHECK(w.block_bytes == 65536);
    CHECK(w.open_zones == 4);
    CHECK(w.queue_depth == 2); // fio's iodepth 8 spread over 4 open zones
    CHECK(w.reset_full_zones);
    CHECK(w.zone_reset_threshold == 0.5);
    CHECK(w.zone_reset_frequency == 0.25);
    CHECK(w.amount_bytes == 1ull << 30);
    CHECK(w.runtime == 0);
    CHECK_FALSE(w.verify);

    const stream_spec& r = run.streams[1];
    CHECK(r.name == "reader");
    CHECK(r.nsid == 1);
    CHECK(r.op == stream_op::randread);
    CHECK_FALSE(r.by_zone);
    CHECK(r.offset_bytes == 1u << 20);
    CHECK(r.size_bytes == 1ull << 30);
    CHECK(r.block_bytes == 4096);
    CHECK(r.queue_depth == 32);
    CHECK(r.runtime == from_ms(100));
    CHECK(r.time_based);
    CHECK(r.rate_bytes_per_s == 50ull << 20);
    CHECK(r.start_delay == from_s(2));
    CHECK(r.verify);
    CHECK(r.seed == 42);
    CHECK(r.open_zones == 1);
    CHECK_FALSE(r.reset_full_zones);
}

TEST_CASE("workload_fio: defaults, globals in order, copies, CRLF") {
    const stream_spec d = only_stream(parse_fio_job("[plain]\n", "f.fio"));
    CHECK(d.name == "plain");
    CHECK(d.op == stream_op::read); // fio's default rw
    CHECK(d.nsid == 1);
    CHECK(d.block_bytes == 4096);
    CHECK(d.queue_depth == 1);
    CHECK_FALSE(d.by_zone);
    CHECK(d.size_bytes == 0);
    CHECK(d.seed == 1);

    job j = parse_fio_job("[global]\r\nbs=8k\r\n[a]\r\n[global]\r\nbs=16k\r\n[b]\r\nbs=32k\r\n"
                          "[c]\r\nnumjobs=3\r\nrw=randrw\r\nrwmixwrite=30\r\n",
                          "f.fio");
    REQUIRE(j.steps[0].streams.size() == 5);
    const auto& s = j.steps[0].streams;
    CHECK(s[0].block_bytes == 8192);  // only the [global] above a job applies
    CHECK(s[1].block_bytes == 32768); // the job's own option wins
    for (int i = 0; i < 3; ++i) {
        CAPTURE(i);
        CHECK(s[2 + i].name == "c." + std::to_string(i));
        CHECK(s[2 + i].seed == 1u + i);
        CHECK(s[2 + i].block_bytes == 16384);
        CHECK(s[2 + i].op == stream_op::randrw);
        CHECK(s[2 + i].read_percent == 70);
        CHECK(s[2 + i].where == "f.fio:8");
    }

    // zonemode=zbd without a range: every zone; with a byte range: the zones inside it.
    const stream_spec all = only_stream(parse_fio_job("[z]\nzonemode=zbd\nrw=write\n", "f.fio"));
    CHECK(all.by_zone);
    CHECK(all.zone_first == 0);
    CHECK(all.zone_count == 0);
    CHECK(all.open_zones == 1);
    CHECK(all.queue_depth == 1);
    const stream_spec bytes = only_stream(parse_fio_job(
        "[z]\nzonemode=zbd\nrw=read\noffset=1g\nsize=2g\nmax_open_zones=3\niodepth=6\n", "f.fio"));
    CHECK(bytes.by_zone);
    CHECK(bytes.zones_in_bytes);
    CHECK(bytes.offset_bytes == 1ull << 30);
    CHECK(bytes.size_bytes == 2ull << 30);
    CHECK(bytes.open_zones == 1);  // a reader opens no zones
    CHECK(bytes.queue_depth == 6); // and keeps fio's iodepth
    CHECK_FALSE(bytes.reset_full_zones);

    const stream_spec zmix =
        only_stream(parse_fio_job("[z]\nzonemode=zbd\nrw=rw\niodepth=4\n", "f.fio"));
    CHECK(zmix.by_zone);
    CHECK_FALSE(zmix.reset_full_zones);
    CHECK(zmix.queue_depth == 4);

    // Options that do not apply to the job's op are ignored as fio ignores them.
    const stream_spec r = only_stream(parse_fio_job("[r]\nrw=read\nrwmixread=10\n", "f.fio"));
    CHECK(r.read_percent == 50);
    const stream_spec m = only_stream(parse_fio_job("[r]\nrw=rw\nrwmixread=10\n", "f.fio"));
    CHECK(m.op == stream_op::readwrite);
    CHECK(m.read_percent == 10);

    CHECK(only_stream(parse_fio_job("[r]\nfilename=/dev/ng0n3\n", "f.fio")).nsid == 3);
    CHECK(only_stream(parse_fio_job("[r]\nname=renamed\n", "f.fio")).name == "renamed");
    CHECK_FALSE(only_stream(parse_fio_job("[r]\nverify=0\n", "f.fio")).verify);
    CHECK_FALSE(only_stream(parse_fio_job("[r]\nverify=null\n", "f.fio")).verify);
    CHECK(only_stream(parse_fio_job("[r]\nverify=md5\n", "f.fio")).verify);
    CHECK_FALSE(only_stream(parse_fio_job("[r]\ntime_based=0\n", "f.fio")).time_based);
    CHECK(only_stream(parse_fio_job("[r]\nrate=0\n", "f.fio")).rate_bytes_per_s == 0);
    CHECK(only_stream(parse_fio_job("[r]\nruntime=0\n", "f.fio")).runtime == 0);
    CHECK(only_stream(parse_fio_job("[r]\nrw=readwrite\n", "f.fio")).op == stream_op::readwrite);
    CHECK(only_stream(parse_fio_job("[r]\nnumber_ios=77\n", "f.fio")).amount_commands == 77);
}

TEST_CASE("workload_fio: value syntax as fio reads it") {
    std::string e;
    auto size = [&](const char* t) { return fio::parse_size(t, true, e).value().value; };
    CHECK(size("4096") == 4096);
    CHECK(size("4k") == 4096);
    CHECK(size("4K") == 4096);
    CHECK(size("4kb") == 4096);
    CHECK(size("4KB") == 4096);
    CHECK(size("1m") == 1u << 20);
    CHECK(size("2g") == 2ull << 30);
    CHECK(size("1t") == 1ull << 40);
    CHECK(size("1p") == 1ull << 50);
    CHECK(size("512b") == 512);
    CHECK(size("0x1000") == 4096);
    CHECK(fio::parse_size("10z", true, e).value().zones);
    CHECK_FALSE(fio::parse_size("10z", false, e));
    CHECK(has(e, "needs zonemode=zbd"));
    CHECK_FALSE(fio::parse_size("4KiB", true, e));
    CHECK(has(e, "power of 1000"));
    CHECK_FALSE(fio::parse_size("1mi", true, e));
    CHECK_FALSE(fio::parse_size("50%", true, e));
    CHECK(has(e, "percentages"));
    CHECK_FALSE(fio::parse_size("k", true, e));
    CHECK_FALSE(fio::parse_size("99999999999999999999", true, e));
    CHECK(has(e, "too large"));
    CHECK_FALSE(fio::parse_size("16777216t", true, e));
    CHECK(has(e, "too large"));

    auto time = [&](const char* t) { return fio::parse_time(t, e).value(); };
    CHECK(time("10") == from_s(10));
    CHECK(time("10s") == from_s(10));
    CHECK(time("10sec") == from_s(10));
    CHECK(time("500ms") == from_ms(500));
    CHECK(time("500MSEC") == from_ms(500));
    CHECK(time("20us") == from_us(20));
    CHECK(time("20usec") == from_us(20));
    CHECK(time("2m") == from_s(120));
    CHECK(time("2min") == from_s(120));
    CHECK(time("1h") == from_s(3600));
    CHECK(time("1d") == from_s(86400));
    CHECK_FALSE(fio::parse_time("1.5s", e));
    CHECK_FALSE(fio::parse_time("1w", e));
    CHECK_FALSE(fio::parse_time("99999999d", e));

    CHECK(fio::parse_fraction("0.25", e).value() == 0.25);
    CHECK(fio::parse_fraction("1", e).value() == 1);
    CHECK_FALSE(fio::parse_fraction("1.01", e));
    CHECK_FALSE(fio::parse_fraction("0.1:0.2", e));
    CHECK_FALSE(fio::parse_fraction("-1", e));
    CHECK_FALSE(fio::parse_uint("7x", 0, 10, e));
    CHECK_FALSE(fio::parse_uint("11", 0, 10, e));
    CHECK(fio::parse_flag("", true, e).value());
    CHECK_FALSE(fio::parse_flag("yes", false, e));
}

TEST_CASE("workload_fio: layout errors name the line") {
    CHECK(starts(option_error("stonewall"),
                 "f.fio:2: fio option 'stonewall' is not supported (supported: bs, direct, "));
    CHECK(starts(option_error("bs=4k\nloops=2"), "f.fio:3: fio option 'loops' is not supported"));
    CHECK(starts(fio_error("[global]\nramp_time=5\n[j]\n"), "f.fio:2: fio option 'ramp_time'"));
    CHECK(starts(option_error("include common.fio"), "f.fio:2: include files are not supported"));
    CHECK(starts(fio_error("bs=4k\n[j]\n"), "f.fio:1: options must follow a [global] or [job]"));
    CHECK(starts(fio_error("[j\n"), "f.fio:1: a section header is [name]"));
    CHECK(starts(fio_error("[ ]\n"), "f.fio:1: a section needs a name"));
    CHECK(starts(fio_error("[a b]\n"), "f.fio:1: a job name is printable ASCII"));
    CHECK(starts(fio_error("[" + std::string(65, 'x') + "]\n"), "f.fio:1: a job name is at most"));
    CHECK(starts(option_error("bs="), "f.fio:2: bs: needs a value"));
    CHECK(starts(option_error("size=${SIZE}"), "f.fio:2: size: environment variables"));
    CHECK(starts(option_error("size=8*$mb_memory"), "f.fio:2: size: environment variables"));
    CHECK(starts(option_error("bs=(4*1024)"), "f.fio:2: bs: arithmetic expressions"));
    CHECK(starts(option_error("bs=4k\n\nbs=8k"),
                 "f.fio:4: bs: given twice in [j] (first at line 2)"));
    CHECK(starts(fio_error(""), "f.fio:1: no job section"));
    CHECK(starts(fio_error("; only comments\n[global]\nbs=4k\n"), "f.fio:1: no job section"));
    CHECK(starts(fio_error("[a]\n[b]\n[a]\n"),
                 "f.fio:3: job name 'a' is used twice (first at f.fio:1)"));
    CHECK(starts(fio_error("[global]\nname=x\n[a]\n[b]\n"), "f.fio:4: job name 'x' is used twice"));
    std::string many;
    for (int i = 0; i < 5; ++i)
        many += "[j" + std::to_string(i) + "]\nnumjobs=64\n";
    CHECK(starts(fio_error(many), "f.fio:9: at most 256 jobs"));
}

TEST_CASE("workload_fio: option errors name the option and line") {
    CHECK(starts(option_error("name=a b"), "f.fio:2: name: a job name is printable ASCII"));
    CHECK(starts(option_error("direct=0"), "f.fio:2: direct: buffered I/O (direct=0) is not"));
    CHECK(starts(option_error("direct=2"), "f.fio:2: direct: must be given bare, =1 or =0"));
    CHECK(starts(option_error("ioengine=null"), "f.fio:2: ioengine: 'null' is not supported"));
    CHECK(starts(option_error("group_reporting=yes"), "f.fio:2: group_reporting: must be given"));
    CHECK(starts(option_error("thread=2"), "f.fio:2: thread: must be given"));
    for (const char* f : {"/dev/sda", "nvme0n1p1", "/dev/nvme0n0", "nvme0n1025", "/dev/nvmen1",
                          "/dev/nvme0n1:/dev/nvme0n2", "nvme0", "ng0n"})
        CHECK(starts(option_error(std::string("filename=") + f),
                     "f.fio:2: filename: '" + std::string(f) + "' is not a namespace"));
    CHECK(starts(option_error("rw=trim"), "f.fio:2: rw: trims are not supported"));
    CHECK(starts(option_error("rw=randtrim"), "f.fio:2: rw: trims are not supported"));
    CHECK(starts(option_error("rw=trimwrite"), "f.fio:2: rw: trims are not supported"));
    CHECK(starts(option_error("rw=randread:8"), "f.fio:2: rw: offset modifiers"));
    CHECK(starts(option_error("rw=sideways"), "f.fio:2: rw: 'sideways' is not supported"));
    CHECK(starts(option_error("rwmixread=70\nrwmixwrite=30"), "f.fio:3: rwmixwrite: give"));
    CHECK(starts(option_error("rwmixread=101"), "f.fio:2: rwmixread: must be from 0 to 100"));
    CHECK(starts(option_error("bs=4k,8k"), "f.fio:2: bs: '4k,8k': separate read/write"));
    CHECK(starts(option_error("bs=4k-8k"), "f.fio:2: bs: '4k-8k': separate read/write"));
    CHECK(starts(option_error("bs=1000"), "f.fio:2: bs: must be a multiple of 512"));
    CHECK(starts(option_error("bs=128m"), "f.fio:2: bs: must be a multiple of 512"));
    CHECK(starts(option_error("bs=4KiB"), "f.fio:2: bs: '4KiB': with fio's default kb_base"));
    CHECK(starts(option_error("bs=big"), "f.fio:2: bs: 'big' is not a number"));
    CHECK(starts(option_error("zonemode=strided"), "f.fio:2: zonemode: 'strided' is not"));
    CHECK(starts(option_error("zonemode=zbd\nrw=randwrite"), "f.fio:3: rw: random writes with"));
    CHECK(starts(option_error("zonemode=zbd\nrw=randrw"), "f.fio:3: rw: random writes with"));
    CHECK(starts(option_error("zonemode=zbd\noffset=1z\nsize=1g"),
                 "f.fio:4: size: give offset and size both in zones"));
    CHECK(starts(option_error("size=10z"), "f.fio:2: size: '10z': a number of zones (z) needs"));
    CHECK(starts(option_error("zonemode=zbd\nsize=0z"), "f.fio:3: size: must be at least one"));
    CHECK(starts(option_error("zonemode=zbd\noffset=4294967295z"), "f.fio:3: offset: too many"));
    CHECK(starts(option_error("size=50%"), "f.fio:2: size: '50%': percentages"));
    CHECK(starts(option_error("offset=100"), "f.fio:2: offset: must be a multiple of 512"));
    CHECK(starts(option_error("bs=8k\nsize=4k"), "f.fio:3: size: must be a multiple of 512 bytes "
                                                 "and at least one block"));
    CHECK(starts(option_error("max_open_zones=2"), "f.fio:2: max_open_zones: needs zonemode=zbd"));
    CHECK(starts(option_error("zone_reset_threshold=0.1"), "f.fio:2: zone_reset_threshold: needs"));
    CHECK(starts(option_error("zone_reset_frequency=0.1"), "f.fio:2: zone_reset_frequency: needs"));
    CHECK(starts(option_error("zonemode=zbd\nrw=write\nsize=2z\nmax_open_zones=3"),
                 "f.fio:5: max_open_zones: is more than the 2 zones"));
    CHECK(
        starts(option_error("zonemode=zbd\nmax_open_zones=5000"), "f.fio:3: max_open_zones: must"));
    CHECK(starts(option_error("zonemode=zbd\nzone_reset_threshold=1.5"),
                 "f.fio:3: zone_reset_threshold: must be from 0 to 1"));
    CHECK(starts(option_error("zonemode=zbd\nzone_reset_frequency=x"),
                 "f.fio:3: zone_reset_frequency: 'x' is not a number"));
    CHECK(starts(option_error("zonemode=zbd\nrw=rw\nmax_open_zones=2"),
                 "f.fio:4: max_open_zones: is supported for rw=write only"));
    CHECK(starts(option_error("iodepth=0"), "f.fio:2: iodepth: must be from 1 to 65535"));
    CHECK(starts(option_error("io_size=lots"), "f.fio:2: io_size: 'lots' is not a number"));
    CHECK(starts(option_error("number_ios=-1"), "f.fio:2: number_ios: '-1' is not a number"));
    CHECK(starts(option_error("runtime=abc"), "f.fio:2: runtime: 'abc' is not a number"));
    CHECK(starts(option_error("runtime=5w"), "f.fio:2: runtime: '5w' is not a time"));
    CHECK(starts(option_error("time_based"), "f.fio:2: time_based: needs a runtime"));
    CHECK(starts(option_error("runtime=1\ntime_based=2"), "f.fio:3: time_based: must be given"));
    CHECK(starts(option_error("startdelay=1-5"), "f.fio:2: startdelay: a range of start delays"));
    CHECK(starts(option_error("startdelay=x"), "f.fio:2: startdelay: 'x' is not a number"));
    CHECK(starts(option_error("rate=1m,2m"), "f.fio:2: rate: separate read,write rates"));
    CHECK(starts(option_error("rate=,1m"), "f.fio:2: rate: separate read,write rates"));
    CHECK(starts(option_error("rate=fast"), "f.fio:2: rate: 'fast' is not a number"));
    CHECK(starts(option_error("verify=sha42"), "f.fio:2: verify: 'sha42' is not a verify kind"));
    CHECK(starts(option_error("randseed=x"), "f.fio:2: randseed: 'x' is not a number"));
    CHECK(starts(option_error("numjobs=65"), "f.fio:2: numjobs: must be from 1 to 64"));
    CHECK(starts(option_error("numjobs=2\nverify=md5"), "f.fio:2: numjobs: copies with verify"));
    CHECK(starts(option_error("numjobs=2\nzonemode=zbd\nrw=write"),
                 "f.fio:2: numjobs: copies of a zbd write job"));
    CHECK(starts(fio_error("[global]\nrw=bogus\n[a]\n"), "f.fio:2: rw: 'bogus'")); // global line
}

TEST_CASE("workload_fio: files") {
    const std::string path = "test_fio_file.fio";
    {
        std::ofstream f(path);
        f << "[global]\nbs=16k\n[w]\nrw=write\nsize=1m\n";
    }
    job j = load_fio_job(path);
    std::remove(path.c_str());
    CHECK(j.name == path);
    CHECK(only_stream(j).block_bytes == 16384);
    CHECK(only_stream(j).where == path + ":3");
    CHECK(has(fio_error_file("/nonexistent/x.fio"), "/nonexistent/x.fio: cannot open"));
}

TEST_CASE("fio: a fraction of any length is read or refused with its line, never thrown out") {
    // Found while writing test/fuzz/fuzz_config: std::stod threw std::out_of_range for numbers
    // beyond double's range, which left the reader as "znssim: error: stod" without the file.
    const std::string zeros(400, '0');
    std::string tiny, huge;
    CHECK_NOTHROW(tiny = option_error("zonemode=zbd\nrw=write\nzone_reset_threshold=0." + zeros +
                                      "1\nzone_reset_frequency=0.5"));
    CHECK(tiny == "");
    CHECK_NOTHROW(huge = option_error("zonemode=zbd\nrw=write\nzone_reset_threshold=1" + zeros +
                                      ".0\nzone_reset_frequency=0.5"));
    CHECK(starts(huge, "f.fio:4: zone_reset_threshold: must be from 0 to 1"));
}
