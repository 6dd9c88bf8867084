#pragma once
// The remote end of QEMU's multi-process link: an AF_UNIX stream socket carrying mpqemu messages
// with fds attached as SCM_RIGHTS. Blocking reads (one receiver thread owns them); replies may be
// sent from another thread, since a stream socket is full duplex.
#include "platform/qemu/mpqemu_protocol.h"

#include <cstdint>
#include <cstring>
#include <mutex>
#include <string>

namespace znssim::platform::mpqemu {

/// One received message. Fixed size, so receiving never allocates.
struct message {
    std::int32_t cmd = -1;
    std::uint64_t size = 0;
    alignas(8) unsigned char payload[max_payload] = {};
    int fds[socket_max_fds];
    std::size_t num_fds = 0;
    bool replied = false; ///< its RET was sent on receipt (a posted BAR write)

    message() { std::memset(fds, -1, sizeof fds); }

    /// The payload as T (zero-filled past `size`, so short payloads read as zeros).
    template <class T> T as() const {
        static_assert(sizeof(T) <= max_payload);
        T v;
        std::memcpy(&v, payload, sizeof v);
        return v;
    }
    /// Takes fd i out of the message (the caller now owns it); -1 if absent.
    int take_fd(std::size_t i) {
        if (i >= num_fds) return -1;
        int fd = fds[i];
        fds[i] = -1;
        return fd;
    }
    /// Closes every fd still owned by the message.
    void close_fds();
};

enum class receive_status : std::uint8_t {
    ok,
    eof,   ///< the peer closed the socket cleanly between messages
    error, ///< I/O or protocol error (see the error text); the link is unusable
};

class channel {
  public:
    /// Takes ownership of a connected AF_UNIX SOCK_STREAM socket.
    explicit channel(int fd);
    ~channel();
    channel(const channel&) = delete;
    channel& operator=(const channel&) = delete;

    /// Blocks for the next message. Fds that arrived are in m.fds; the caller must close (or take)
    /// them. On error, m holds no fds (they were closed) and 'error' says why.
    receive_status receive(message& m, std::string& error);

    /// Sends a RET reply carrying 'value' (payload_size 8, or 0 for an empty reply).
    /// False if the peer is gone (EPIPE/ECONNRESET never raise SIGPIPE). Thread-safe: the
    /// receiver thread acknowledges posted writes while the simulation replies to reads.
    bool send_ret(std::uint64_t value, std::size_t payload_size = 8);

    /// Sends an arbitrary message (used by tests and fake proxies): header + payload + fds.
    bool send(std::int32_t cmd, const void* payload, std::size_t size, const int* fds = nullptr,
              std::size_t num_fds = 0);

    /// Wakes a blocked receive() (it then reports eof) without closing the fd.
    void shutdown();
    int fd() const { return m_fd; }

  private:
    bool read_exact(void* dst, std::size_t len, bool& eof);

    int m_fd;
    std::mutex m_send_mutex; ///< one message at a time on the socket
};

} // namespace znssim::platform::mpqemu
