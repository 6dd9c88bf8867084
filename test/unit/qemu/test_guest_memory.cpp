// guest_memory: the SYNC_SYSMEM region table over memfds, as QEMU's proxy sends it.
#include "platform/qemu/guest_memory.h"
#include "test/unit/qemu/qemu_test_util.h"

#include <doctest/doctest.h>

#include <cstring>
#include <vector>

using namespace znssim;
using namespace znssim::platform;
using namespace znssim::platform::test;

namespace {

// The pc machine's map before SeaBIOS set PAM: [0, 0xc0000)@0 and [1 MiB, end)@1 MiB.
mpqemu::sync_sysmem pc_layout(std::uint64_t ram) {
    mpqemu::sync_sysmem s{};
    s.gpas[0] = 0;
    s.sizes[0] = 0xc0000;
    s.offsets[0] = 0;
    s.gpas[1] = 0x100000;
    s.sizes[1] = ram - 0x100000;
    s.offsets[1] = 0x100000;
    return s;
}

} // namespace

TEST_CASE("qemu guest_memory maps the pc layout once and reads/writes the memfd") {
    const std::uint64_t ram = 4 << 20;
    int memfd = make_memfd(ram);
    guest_memory mem;
    int fds[2] = {::dup(memfd), ::dup(memfd)};
    std::string problems;
    CHECK(mem.sync(pc_layout(ram), fds, 2, problems));
    CHECK(problems.empty());
    CHECK(mem.regions().size() == 2);
    CHECK(mem.mapped_files() == 1); // same memfd twice: one mapping

    const char text[] = "written by the device";
    CHECK(mem.write(0x200010, text, sizeof text) == dma_status::ok);
    char check[sizeof text] = {};
    REQUIRE(::pread(memfd, check, sizeof check, 0x200010) == static_cast<ssize_t>(sizeof check));
    CHECK(std::memcmp(check, text, sizeof text) == 0);

    const char host[] = "written by the guest";
    REQUIRE(::pwrite(memfd, host, sizeof host, 0x1000) == static_cast<ssize_t>(sizeof host));
    char back[sizeof host] = {};
    CHECK(mem.read(0x1000, back, sizeof back) == dma_status::ok);
    CHECK(std::memcmp(back, host, sizeof host) == 0);

    CHECK(mem.translate(0x100000, 4096) != nullptr);
    CHECK(mem.translate(0xbfff0, 0x20) == nullptr); // crosses the end of region 0
    // The VGA/BIOS hole and anything past RAM are not the device's to touch.
    char buf[16];
    CHECK(mem.read(0xc0000, buf, 16) == dma_status::address_error);
    CHECK(mem.write(0xbfff8, buf, 16) == dma_status::address_error);
    CHECK(mem.read(ram - 8, buf, 16) == dma_status::address_error);
    CHECK(mem.read(~0ull - 4, buf, 16) == dma_status::address_error);
    ::close(memfd);
}

TEST_CASE("qemu guest_memory accesses may span adjacent regions of different files") {
    int a = make_memfd(0x10000), b = make_memfd(0x10000);
    mpqemu::sync_sysmem s{};
    s.gpas[0] = 0x0;
    s.sizes[0] = 0x10000;
    s.gpas[1] = 0x10000;
    s.sizes[1] = 0x10000;
    int fds[2] = {::dup(a), ::dup(b)};
    guest_memory mem;
    std::string problems;
    mem.sync(s, fds, 2, problems);
    CHECK(mem.mapped_files() == 2);
    std::vector<unsigned char> data(64);
    for (std::size_t i = 0; i < data.size(); ++i)
        data[i] = static_cast<unsigned char>(i + 1);
    CHECK(mem.write(0x10000 - 32, data.data(), data.size()) == dma_status::ok);
    unsigned char first = 0, second = 0;
    REQUIRE(::pread(a, &first, 1, 0x10000 - 1) == 1);
    REQUIRE(::pread(b, &second, 1, 0) == 1);
    CHECK(first == 32);
    CHECK(second == 33);
    ::close(a);
    ::close(b);
}

TEST_CASE("qemu guest_memory survives a SYNC flood without leaking fds or mappings") {
    const std::uint64_t ram = 2 << 20;
    int memfd = make_memfd(ram);
    guest_memory mem;
    std::string problems;
    int baseline = -1;
    for (int i = 0; i < 300; ++i) {
        int fds[2] = {::dup(memfd), ::dup(memfd)}; // fresh duplicates, as QEMU sends them
        bool changed = mem.sync(pc_layout(ram), fds, 2, problems);
        mem.release_unused();
        CHECK(changed == (i == 0));
        if (i == 0) baseline = open_fd_count();
    }
    CHECK(open_fd_count() == baseline);
    CHECK(mem.mapped_files() == 1);
    ::close(memfd);
}

TEST_CASE("qemu guest_memory replaces the table and unmaps files no longer referenced") {
    int first = make_memfd(1 << 20), second = make_memfd(1 << 20);
    guest_memory mem;
    std::string problems;
    mpqemu::sync_sysmem s{};
    s.gpas[0] = 0;
    s.sizes[0] = 1 << 20;
    int fd1 = ::dup(first);
    mem.sync(s, &fd1, 1, problems);
    unsigned char* old_ptr = mem.translate(0, 1);
    REQUIRE(old_ptr != nullptr);
    int fd2 = ::dup(second);
    CHECK(mem.sync(s, &fd2, 1, problems));
    CHECK(mem.mapped_files() == 2); // still mapped: DMI may point there until invalidated
    mem.release_unused();
    CHECK(mem.mapped_files() == 1);
    const char tag = 'Z';
    CHECK(mem.write(0, &tag, 1) == dma_status::ok);
    char seen = 0;
    REQUIRE(::pread(second, &seen, 1, 0) == 1);
    CHECK(seen == 'Z');
    // An empty SYNC leaves no RAM at all: DMA is refused, not sent to a stale mapping.
    CHECK(mem.sync(s, nullptr, 0, problems));
    mem.release_unused();
    CHECK(mem.mapped_files() == 0);
    CHECK(mem.write(0, &tag, 1) == dma_status::address_error);
    ::close(first);
    ::close(second);
}

TEST_CASE("qemu guest_memory skips bad regions and says why, closing every fd") {
    int before = open_fd_count();
    int memfd = make_memfd(0x10000);
    mpqemu::sync_sysmem s{};
    s.gpas[0] = 0x0; // fine
    s.sizes[0] = 0x8000;
    s.gpas[1] = 0x100000; // beyond the file
    s.sizes[1] = 0x8000;
    s.offsets[1] = 0xc000;
    s.gpas[2] = 0x4000; // overlaps region 0
    s.sizes[2] = 0x1000;
    s.gpas[3] = 0x200000; // zero size
    s.sizes[3] = 0;
    s.gpas[4] = 0x300000; // not a file at all (a socket)
    s.sizes[4] = 0x1000;
    auto [x, y] = make_socketpair();
    ::close(y);
    int fds[5] = {::dup(memfd), ::dup(memfd), ::dup(memfd), ::dup(memfd), x};
    guest_memory mem;
    std::string problems;
    mem.sync(s, fds, 5, problems);
    CHECK(mem.regions().size() == 1);
    CHECK(problems.find("region 1: offset") != std::string::npos);
    CHECK(problems.find("region 2: overlaps") != std::string::npos);
    CHECK(problems.find("region 3: empty") != std::string::npos);
    CHECK(problems.find("region 4:") != std::string::npos);
    ::close(memfd);
    CHECK(open_fd_count() == before + 0 + 0); // every received fd closed; only the mapping remains
}
