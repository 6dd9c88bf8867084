#pragma once
// Helpers for the QEMU bridge unit tests: memfds, fd counting, socketpairs.
#include <cstdint>
#include <dirent.h>
#include <stdexcept>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>
#include <utility>

namespace znssim::platform::test {

/// Open fds of this process (entries of /proc/self/fd, minus the directory's own).
inline int open_fd_count() {
    DIR* d = ::opendir("/proc/self/fd");
    if (d == nullptr) throw std::runtime_error("cannot open /proc/self/fd");
    int n = 0;
    while (::readdir(d) != nullptr)
        ++n;
    ::closedir(d);
    return n - 3; // ".", ".." and the DIR's own fd
}

inline int make_memfd(std::uint64_t size) {
    int fd = ::memfd_create("znssim-test-ram", MFD_CLOEXEC);
    if (fd < 0 || ::ftruncate(fd, static_cast<off_t>(size)) != 0)
        throw std::runtime_error("memfd_create/ftruncate failed");
    return fd;
}

inline std::pair<int, int> make_socketpair() {
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        throw std::runtime_error("socketpair failed");
    return {sv[0], sv[1]};
}

} // namespace znssim::platform::test
