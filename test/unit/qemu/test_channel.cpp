// The mpqemu channel against a fake proxy on the other end of a socketpair, sending bytes exactly
// as QEMU 7.2 lays them out (header, payload, SCM_RIGHTS on the first byte).
#include "platform/qemu/channel.h"
#include "test/unit/qemu/qemu_test_util.h"

#include <doctest/doctest.h>

#include <sys/stat.h>
#include <vector>

using namespace znssim::platform;
using namespace znssim::platform::mpqemu;
using namespace znssim::platform::test;

namespace {

// Raw bytes as QEMU's mpqemu_msg_send would write them.
std::vector<unsigned char> raw_message(std::int32_t cmd, const void* payload, std::uint64_t size) {
    std::vector<unsigned char> out(16 + size);
    std::memcpy(out.data(), &cmd, 4);
    std::memcpy(out.data() + 8, &size, 8);
    if (size != 0) std::memcpy(out.data() + 16, payload, size);
    return out;
}

bool same_file(int a, int b) {
    struct stat sa {
    }, sb{};
    return ::fstat(a, &sa) == 0 && ::fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

} // namespace

TEST_CASE("qemu channel decodes a config read written byte by byte") {
    auto [remote, proxy] = make_socketpair();
    channel ch(remote);
    pci_conf_data d{0x10, 0, 4};
    auto bytes = raw_message(3, &d, sizeof d);
    for (unsigned char b : bytes) // worst case short reads: one byte per segment
        REQUIRE(::write(proxy, &b, 1) == 1);
    message m;
    std::string error;
    REQUIRE(ch.receive(m, error) == receive_status::ok);
    CHECK(m.cmd == 3);
    CHECK(m.size == 12);
    CHECK(m.num_fds == 0);
    auto got = m.as<pci_conf_data>();
    CHECK(got.addr == 0x10);
    CHECK(got.len == 4);
    ::close(proxy);
    CHECK(ch.receive(m, error) == receive_status::eof);
}

TEST_CASE(
    "qemu channel receives SYNC_SYSMEM fds via SCM_RIGHTS and RET replies have QEMU's layout") {
    auto [remote, proxy_fd] = make_socketpair();
    channel ch(remote);
    channel proxy(proxy_fd);
    int ram = make_memfd(1 << 20);
    sync_sysmem s{};
    s.gpas[0] = 0;
    s.sizes[0] = 0xc0000;
    s.gpas[1] = 0x100000;
    s.sizes[1] = 0xf0000;
    s.offsets[1] = 0x100000 - 0x100000; // offsets inside the memfd
    int fds[2] = {ram, ram};
    REQUIRE(proxy.send(0, &s, sizeof s, fds, 2));
    message m;
    std::string error;
    REQUIRE(ch.receive(m, error) == receive_status::ok);
    CHECK(m.cmd == 0);
    CHECK(m.size == 192);
    REQUIRE(m.num_fds == 2);
    CHECK(m.fds[0] != m.fds[1]); // each fd arrives as its own duplicate
    CHECK(same_file(m.fds[0], ram));
    CHECK(m.as<sync_sysmem>().sizes[1] == 0xf0000);
    m.close_fds();
    CHECK(m.num_fds == 0);

    REQUIRE(ch.send_ret(0x1234));
    unsigned char reply[24];
    REQUIRE(::read(proxy_fd, reply, sizeof reply) == 24);
    std::int32_t cmd;
    std::uint64_t size, value;
    std::memcpy(&cmd, reply, 4);
    std::memcpy(&size, reply + 8, 8);
    std::memcpy(&value, reply + 16, 8);
    CHECK(cmd == 1);
    CHECK(size == 8);
    CHECK(value == 0x1234);
    ::close(ram);
}

TEST_CASE("qemu channel rejects an oversized payload and closes the fds that came with it") {
    int before = open_fd_count();
    {
        auto [remote, proxy_fd] = make_socketpair();
        channel ch(remote);
        channel proxy(proxy_fd);
        int ram = make_memfd(4096);
        // Hand-made header claiming 193 bytes (QEMU itself never sends this).
        std::uint64_t size = 193;
        unsigned char hdr[16] = {};
        std::memcpy(hdr + 8, &size, 8);
        REQUIRE(proxy.send(0, nullptr, 0, &ram, 1)); // fds ride a valid empty message first...
        message m;
        std::string error;
        REQUIRE(ch.receive(m, error) == receive_status::ok);
        CHECK(m.num_fds == 1);
        m.close_fds();
        REQUIRE(::write(proxy_fd, hdr, sizeof hdr) == 16); // ...then the bad header
        CHECK(ch.receive(m, error) == receive_status::error);
        CHECK(error.find("193") != std::string::npos);
        CHECK(m.num_fds == 0);
        ::close(ram);
    }
    CHECK(open_fd_count() == before);
}

TEST_CASE(
    "qemu channel reports a message cut short as an error and replies to a dead peer quietly") {
    auto [remote, proxy] = make_socketpair();
    channel ch(remote);
    bar_access b{0xfebf0000, 0, 4, 1, {}};
    auto bytes = raw_message(5, &b, sizeof b);
    REQUIRE(::write(proxy, bytes.data(), 20) == 20); // header + 4 of 24 payload bytes
    ::close(proxy);
    message m;
    std::string error;
    CHECK(ch.receive(m, error) == receive_status::error);
    CHECK(error.find("payload") != std::string::npos);
    CHECK_FALSE(ch.send_ret(0)); // EPIPE, and no SIGPIPE kills the test
}

TEST_CASE("qemu protocol command names") {
    CHECK(std::string(command_name(0)) == "SYNC_SYSMEM");
    CHECK(std::string(command_name(7)) == "DEVICE_RESET");
    CHECK(std::string(command_name(8)) == "UNKNOWN");
    CHECK(std::string(command_name(-1)) == "UNKNOWN");
}
