// The CSV writer: the header then the rows, buffered across large writes, and failures that
// name the file.
#include "model/trace/csv_writer.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

using znssim::trace::csv_writer;

namespace {

std::string temp_path(const char* name) {
    return (std::filesystem::temp_directory_path() /
            (std::string("znssim-csv-") + std::to_string(::getpid()) + "-" + name))
        .string();
}

std::string slurp(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

} // namespace

TEST_CASE("csv writer: header and rows in order, across many buffer flushes") {
    const std::string path = temp_path("rows.csv");
    {
        csv_writer out(path, "a,b,c");
        for (int i = 0; i < 100000; ++i)
            out.row("%d,%s,%.1f", i, i % 2 ? "odd" : "even", i / 2.0);
        out.close();
    }
    std::ifstream in(path);
    std::string line;
    REQUIRE(std::getline(in, line));
    CHECK(line == "a,b,c");
    int n = 0;
    while (std::getline(in, line)) {
        std::ostringstream want;
        want << n << "," << (n % 2 ? "odd" : "even") << "," << n / 2 << (n % 2 ? ".5" : ".0");
        if (line != want.str()) {
            FAIL("row " << n << ": " << line);
            break;
        }
        ++n;
    }
    CHECK(n == 100000);
    std::filesystem::remove(path);
}

TEST_CASE("csv writer: a row longer than the buffer is written whole") {
    const std::string path = temp_path("long.csv");
    const std::string cell(300000, 'x');
    {
        csv_writer out(path, "x");
        out.row("%s", cell.c_str());
        out.row("end");
        out.close();
    }
    CHECK(slurp(path) == "x\n" + cell + "\nend\n");
    std::filesystem::remove(path);
}

TEST_CASE("csv writer: a file that cannot be created is named in the error") {
    const std::string path = "/nonexistent-directory/zones.csv";
    try {
        csv_writer out(path, "h");
        FAIL("no error");
    } catch (const std::runtime_error& e) {
        CHECK(std::string(e.what()).find(path) != std::string::npos);
    }
}

TEST_CASE("csv writer: a full disk fails the write or the close, naming the file") {
    if (!std::filesystem::exists("/dev/full")) return;
    bool failed = false;
    try {
        csv_writer out("/dev/full", "h");
        for (int i = 0; i < 100000; ++i)
            out.row("%d,some text to fill the buffer", i);
        out.close();
    } catch (const std::runtime_error& e) {
        failed = true;
        CHECK(std::string(e.what()).find("/dev/full") != std::string::npos);
    }
    CHECK(failed);
}
