#include "platform/qemu/channel.h"

#include <cerrno>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

namespace znssim::platform::mpqemu {

void message::close_fds() {
    for (std::size_t i = 0; i < num_fds; ++i) {
        if (fds[i] >= 0) ::close(fds[i]);
        fds[i] = -1;
    }
    num_fds = 0;
}

channel::channel(int fd) : m_fd(fd) {}

channel::~channel() {
    if (m_fd >= 0) ::close(m_fd);
}

void channel::shutdown() {
    ::shutdown(m_fd, SHUT_RDWR);
}

bool channel::read_exact(void* dst, std::size_t len, bool& eof) {
    auto* p = static_cast<unsigned char*>(dst);
    std::size_t done = 0;
    eof = false;
    while (done < len) {
        ssize_t n = ::recv(m_fd, p + done, len - done, 0);
        if (n > 0) {
            done += static_cast<std::size_t>(n);
            continue;
        }
        if (n == 0) {
            eof = true;
            return false;
        }
        if (errno != EINTR) return false;
    }
    return true;
}

receive_status channel::receive(message& m, std::string& error) {
    m.cmd = -1;
    m.size = 0;
    m.num_fds = 0;
    m.replied = false;
    std::memset(m.payload, 0, sizeof m.payload);

    // Fds ride on the first byte of a message, so the first read carries the control buffer.
    header hdr{};
    union {
        char buf[CMSG_SPACE(sizeof(int) * socket_max_fds)];
        cmsghdr align;
    } control{};
    iovec iov{&hdr, sizeof hdr};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof control.buf;

    ssize_t n;
    do {
        n = ::recvmsg(m_fd, &msg, MSG_CMSG_CLOEXEC);
    } while (n < 0 && errno == EINTR);
    if (n == 0) return receive_status::eof;
    if (n < 0) {
        error = std::string("recvmsg: ") + std::strerror(errno);
        return receive_status::error;
    }
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
        std::size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        const unsigned char* data = CMSG_DATA(c);
        for (std::size_t i = 0; i < count; ++i) {
            int fd;
            std::memcpy(&fd, data + i * sizeof(int), sizeof fd);
            if (m.num_fds < socket_max_fds)
                m.fds[m.num_fds++] = fd;
            else
                ::close(fd);
        }
    }
    auto fail = [&](std::string why) {
        m.close_fds();
        error = std::move(why);
        return receive_status::error;
    };
    if (msg.msg_flags & MSG_CTRUNC)
        return fail("more fds than the control buffer holds (message truncated)");

    bool eof = false;
    if (static_cast<std::size_t>(n) < sizeof hdr &&
        !read_exact(reinterpret_cast<unsigned char*>(&hdr) + n, sizeof hdr - n, eof))
        return fail(eof ? "peer closed the socket inside a message header"
                        : std::string("recv: ") + std::strerror(errno));
    if (hdr.size > max_payload)
        return fail("payload size " + std::to_string(hdr.size) + " exceeds " +
                    std::to_string(max_payload) + " (command " + std::to_string(hdr.cmd) + ")");
    if (hdr.size != 0 && !read_exact(m.payload, hdr.size, eof))
        return fail(eof ? "peer closed the socket inside a message payload"
                        : std::string("recv: ") + std::strerror(errno));
    m.cmd = hdr.cmd;
    m.size = hdr.size;
    return receive_status::ok;
}

bool channel::send(std::int32_t cmd, const void* payload, std::size_t size, const int* fds,
                   std::size_t num_fds) {
    if (size > max_payload || num_fds > socket_max_fds) return false;
    std::lock_guard<std::mutex> guard(m_send_mutex);
    header hdr{cmd, 0, size};
    iovec iov[2] = {{&hdr, sizeof hdr}, {const_cast<void*>(payload), size}};
    union {
        char buf[CMSG_SPACE(sizeof(int) * socket_max_fds)];
        cmsghdr align;
    } control{};
    msghdr msg{};
    msg.msg_iov = iov;
    msg.msg_iovlen = size != 0 ? 2 : 1;
    if (num_fds != 0) {
        msg.msg_control = control.buf;
        msg.msg_controllen = CMSG_SPACE(sizeof(int) * num_fds);
        cmsghdr* c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int) * num_fds);
        std::memcpy(CMSG_DATA(c), fds, sizeof(int) * num_fds);
    }
    std::size_t total = sizeof hdr + size;
    std::size_t sent = 0;
    while (sent < total) {
        ssize_t n = ::sendmsg(m_fd, &msg, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        sent += static_cast<std::size_t>(n);
        if (sent == total) break;
        // Partial write: the fds went with the first chunk; continue with the rest of the bytes.
        msg.msg_control = nullptr;
        msg.msg_controllen = 0;
        std::size_t skip = static_cast<std::size_t>(n);
        while (msg.msg_iovlen > 0 && skip >= msg.msg_iov[0].iov_len) {
            skip -= msg.msg_iov[0].iov_len;
            ++msg.msg_iov;
            --msg.msg_iovlen;
        }
        if (msg.msg_iovlen > 0) {
            msg.msg_iov[0].iov_base = static_cast<char*>(msg.msg_iov[0].iov_base) + skip;
            msg.msg_iov[0].iov_len -= skip;
        }
    }
    return true;
}

bool channel::send_ret(std::uint64_t value, std::size_t payload_size) {
    return send(static_cast<std::int32_t>(command::ret), &value,
                payload_size >= sizeof value ? sizeof value : 0);
}

} // namespace znssim::platform::mpqemu
