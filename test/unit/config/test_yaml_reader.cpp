// The strict YAML reader: number/size/duration parsing, positions, unknown and duplicate keys.
#include "platform/config/yaml_reader.h"

#include <doctest/doctest.h>

#include <functional>

using namespace znssim;
using namespace znssim::platform;

namespace {

yaml_value value_of(const std::string& scalar) {
    return parse_yaml("v: " + scalar + "\n", "t.yaml").as_map().get("v");
}

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const config_error& e) {
        return e.what();
    }
    return "";
}

} // namespace

TEST_CASE("config_reader integers accept decimal and hex within range") {
    CHECK(value_of("42").as_uint(0, 100) == 42);
    CHECK(value_of("0x1b36").as_uint(0, 0xffff) == 0x1b36);
    CHECK(value_of("0XFF").as_uint(0, 0xffff) == 0xff);
    CHECK(value_of("18446744073709551615").as_uint(0, UINT64_MAX) == UINT64_MAX);
    CHECK(error_of([] {
              value_of("18446744073709551616").as_uint(0, UINT64_MAX);
          }).find("too large") != std::string::npos);
    CHECK(error_of([] { value_of("101").as_uint(0, 100); }) ==
          "t.yaml:1:4: v: must be between 0 and 100 (got 101)");
    CHECK(error_of([] { value_of("-1").as_uint(0, 100); }).find("negative") != std::string::npos);
    CHECK(error_of([] { value_of("12abc").as_uint(0, 100); }).find("not a number") !=
          std::string::npos);
    CHECK(error_of([] { value_of("0xfg").as_uint(0, 100); }).find("hexadecimal") !=
          std::string::npos);
    CHECK(error_of([] { value_of("1.5").as_uint(0, 100); }) != "");
    CHECK(error_of([] { value_of("[1, 2]").as_uint(0, 100); }).find("single value") !=
          std::string::npos);
}

TEST_CASE("config_reader sizes take binary suffixes") {
    CHECK(value_of("4096").as_size(0, UINT64_MAX) == 4096);
    CHECK(value_of("512 B").as_size(0, UINT64_MAX) == 512);
    CHECK(value_of("16KiB").as_size(0, UINT64_MAX) == 16384);
    CHECK(value_of("16 K").as_size(0, UINT64_MAX) == 16384);
    CHECK(value_of("12 MiB").as_size(0, UINT64_MAX) == 12ull << 20);
    CHECK(value_of("2G").as_size(0, UINT64_MAX) == 2ull << 30);
    CHECK(value_of("1.5 GiB").as_size(0, UINT64_MAX) == 3ull << 29);
    CHECK(value_of("1 TiB").as_size(0, UINT64_MAX) == 1ull << 40);
    CHECK(value_of("0x4000").as_size(0, UINT64_MAX) == 0x4000);
    CHECK(error_of([] { value_of("16 kb").as_size(0, UINT64_MAX); }).find("not a size") !=
          std::string::npos);
    CHECK(error_of([] { value_of("0.3 B").as_size(0, UINT64_MAX); }).find("whole") !=
          std::string::npos);
    CHECK(error_of([] { value_of("20000000 TiB").as_size(0, UINT64_MAX); }).find("too large") !=
          std::string::npos);
    CHECK(error_of([] { value_of("8 KiB").as_size(16384, 1 << 20); }) ==
          "t.yaml:1:4: v: must be between 16 KiB and 1 MiB (got 8 KiB)");
}

TEST_CASE("config_reader durations need a unit") {
    CHECK(value_of("0").as_duration(0, from_s(10)) == 0);
    CHECK(value_of("10us").as_duration(0, from_s(10)) == from_us(10));
    CHECK(value_of("10 ns").as_duration(0, from_s(10)) == from_ns(10));
    CHECK(value_of("1.5ms").as_duration(0, from_s(10)) == from_us(1500));
    CHECK(value_of("2 s").as_duration(0, from_s(10)) == from_s(2));
    CHECK(error_of([] { value_of("10").as_duration(0, from_s(10)); }).find("unit") !=
          std::string::npos);
    CHECK(error_of([] { value_of("10 min").as_duration(0, from_s(10)); }).find("duration") !=
          std::string::npos);
    CHECK(error_of([] { value_of("11s").as_duration(0, from_s(10)); }).find("between") !=
          std::string::npos);
}

TEST_CASE("config_reader booleans strings and choices are strict") {
    CHECK(value_of("true").as_bool());
    CHECK_FALSE(value_of("false").as_bool());
    CHECK(error_of([] { value_of("yes").as_bool(); }).find("true or false") != std::string::npos);
    CHECK(value_of("abc").as_string(3) == "abc");
    CHECK(error_of([] { value_of("abcd").as_string(3); }).find("at most 3") != std::string::npos);
    CHECK(error_of([] { value_of("\"a\\tb\"").as_string(8, true); }).find("ASCII") !=
          std::string::npos);
    CHECK(value_of("intx").as_choice({"msix", "intx"}) == 1);
    CHECK(error_of([] {
              value_of("msi").as_choice({"msix", "intx"});
          }) == "t.yaml:1:4: v: must be one of: msix, intx (got 'msi')");
    CHECK(error_of([] {
              parse_yaml("v:\n", "t.yaml").as_map().get("v").as_bool();
          }).find("needs a value") != std::string::npos);
}

TEST_CASE("config_reader unknown duplicate and missing keys name path and line") {
    auto root = parse_yaml("outer:\n  alpha: 1\n  betta: 2\n", "k.yaml");
    yaml_map top(root);
    yaml_map outer = top.sub("outer");
    outer.find("alpha");
    outer.find("beta");
    CHECK(error_of([&] { outer.finish(); }) ==
          "k.yaml:3:3: outer.betta: unknown key (allowed here: alpha, beta)");
    CHECK(error_of([&] { outer.get("gamma"); }) == "k.yaml:2:3: outer.gamma: required key missing");

    auto dup = parse_yaml("a: 1\nb: 2\na: 3\n", "d.yaml");
    yaml_map d(dup);
    d.allow({"a", "b"});
    CHECK(error_of([&] { d.finish(); }) == "d.yaml:3:1: a: duplicate key (first given at line 1)");

    auto seq = parse_yaml("list:\n  - x: 1\n  - x: 2\n    y: 3\n", "s.yaml");
    yaml_map s(seq);
    auto items = s.get("list").as_sequence();
    REQUIRE(items.size() == 2);
    yaml_map second(items[1]);
    second.find("x");
    CHECK(error_of([&] { second.finish(); }) ==
          "s.yaml:4:5: list[1].y: unknown key (allowed here: x)");
    CHECK(error_of([&] { s.get("list").as_map(); }).find("must be a mapping") != std::string::npos);
}

TEST_CASE("config_reader syntax errors carry file and line") {
    std::string msg = error_of([] { parse_yaml("a: 1\nb: [1, 2\nc: 3\n", "bad.yaml"); });
    CHECK(msg.rfind("bad.yaml:", 0) == 0);
    CHECK(msg.find("YAML syntax error") != std::string::npos);
    std::string tab = error_of([] { parse_yaml("a:\n  b: 1\n c: 2\n", "tab.yaml"); });
    CHECK(tab.rfind("tab.yaml:3:", 0) == 0);
    CHECK(error_of([] {
              load_yaml_file("/nonexistent/x.yaml");
          }).rfind("/nonexistent/x.yaml: cannot open", 0) == 0);
    CHECK(format_size(16384) == "16 KiB");
    CHECK(format_size(1000) == "1000 B");
}
