#include "platform/qemu/bridge.h"

#include "model/log/log.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

namespace znssim::platform {
namespace {

log::logger_ptr logger() {
    static log::logger_ptr lg = log::get("platform.qemu");
    return lg;
}

std::int64_t wall_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

void close_fd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
}

} // namespace

qemu_bridge::qemu_bridge(const sc_core::sc_module_name& name, int socket_fd)
    : sc_core::sc_module(name), m_ram("ram", m_memory), cfg_out("cfg_out"), mem_out("mem_out"),
      dma_in(m_ram.dma_in), intx_in("intx_in"), m_channel(socket_fd), m_wakeup("wakeup") {
    m_on_eof = [] { sc_core::sc_stop(); };
    m_poke = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    SC_THREAD(serve);
    SC_METHOD(on_intx);
    sensitive << intx_in;
    dont_initialize();
    SC_METHOD(on_recheck);
    sensitive << m_recheck;
    dont_initialize();
}

qemu_bridge::~qemu_bridge() {
    stop_receiver();
    std::lock_guard<std::mutex> lock(m_irq_mutex);
    close_fd(m_irqfd);
    close_fd(m_resamplefd);
    close_fd(m_chardev);
    close_fd(m_poke);
    for (auto& m : m_queue)
        m.close_fds();
}

void qemu_bridge::set_irq_chardev(int fd) {
    int flags = ::fcntl(fd, F_GETFL);
    ::fcntl(fd, F_SETFL, flags | O_NONBLOCK); // a full UART FIFO must never block the model
    std::lock_guard<std::mutex> lock(m_irq_mutex);
    close_fd(m_chardev);
    m_chardev = fd;
}

void qemu_bridge::set_irq_pacing(const irq_pacing& p) {
    std::lock_guard<std::mutex> lock(m_irq_mutex);
    m_pacer.set(p);
}

void qemu_bridge::note_guest_activity() {
    std::lock_guard<std::mutex> lock(m_irq_mutex);
    if (m_chardev >= 0 && m_pacer.note_activity(wall_ns()))
        send_irq_byte();
    else if (m_pacer.pending())
        wake_receiver(); // the due time moved
}

void qemu_bridge::wake_receiver() {
    const std::uint64_t poke = 1;
    if (m_poke >= 0) (void)::write(m_poke, &poke, sizeof poke);
}

void qemu_bridge::start_of_simulation() {
    m_attached = m_wakeup.attach();
    if (!m_receiver.joinable()) m_receiver = std::thread([this] { receive_loop(); });
}

void qemu_bridge::end_of_simulation() {
    stop_receiver();
}

void qemu_bridge::stop_receiver() {
    {
        std::lock_guard<std::mutex> lock(m_queue_mutex);
        m_stopping = true;
    }
    m_queue_space.notify_all();
    m_channel.shutdown(); // wakes poll/recvmsg; the thread then sees EOF
    if (m_receiver.joinable()) m_receiver.join();
}

// ---- receiver thread -------------------------------------------------------------------------

void qemu_bridge::receive_loop() {
    mpqemu::message msg;
    std::string error;
    char discard[256];
    for (;;) {
        pollfd pfd[4] = {
            {m_channel.fd(), POLLIN, 0}, {-1, POLLIN, 0}, {-1, POLLIN, 0}, {m_poke, POLLIN, 0}};
        bool can_signal;
        std::int64_t wait_ns = -1; // forever
        {
            std::lock_guard<std::mutex> lock(m_irq_mutex);
            pfd[1].fd = m_resamplefd;
            pfd[2].fd = m_chardev;
            can_signal = m_irqfd >= 0 || m_chardev >= 0;
            if (can_signal) wait_ns = m_rekick.count() * 1000000ll;
            if (m_pacer.pending())
                wait_ns = std::max<std::int64_t>(0, std::min(wait_ns, m_pacer.due() - wall_ns()));
        }
        timespec ts{static_cast<time_t>(wait_ns / 1000000000),
                    static_cast<long>(wait_ns % 1000000000)};
        int n = ::ppoll(pfd, 4, wait_ns < 0 ? nullptr : &ts, nullptr);
        if (n < 0 && errno != EINTR) {
            logger()->error("qemu bridge: poll failed: {}", std::strerror(errno));
            break;
        }
        if (pfd[3].revents & POLLIN) {
            std::uint64_t pokes;
            (void)::read(m_poke, &pokes, sizeof pokes);
        }
        send_due_irq_byte();
        if (pfd[1].revents & POLLIN) {
            std::uint64_t count;
            if (::read(pfd[1].fd, &count, sizeof count) > 0 && m_level.load())
                signal_irq(); // EOI while still asserted: re-inject (KVM resample semantics)
        }
        if (pfd[2].revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t got = ::read(pfd[2].fd, discard, sizeof discard); // UART output: not ours
            if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR)) {
                logger()->warn("qemu bridge: irq chardev closed");
                std::lock_guard<std::mutex> lock(m_irq_mutex);
                close_fd(m_chardev);
            }
        }
        if (can_signal && m_level.load() &&
            wall_ns() - m_last_signal_ns.load() >= m_rekick.count() * 1000000ll)
            signal_irq(); // asserted and unanswered: the guest missed it (or was not listening)
        if (!(pfd[0].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        auto status = m_channel.receive(msg, error);
        if (status != mpqemu::receive_status::ok) {
            bool stopping;
            {
                std::lock_guard<std::mutex> lock(m_queue_mutex);
                stopping = m_stopping;
            }
            if (status == mpqemu::receive_status::error && !stopping)
                logger()->error("qemu bridge: link error: {}", error);
            else if (!stopping)
                logger()->info("qemu bridge: QEMU closed the link");
            break;
        }
        if (msg.cmd == static_cast<std::int32_t>(mpqemu::command::set_irqfd)) {
            handle_set_irqfd(msg); // owned by this thread: it polls the resample fd
            continue;
        }
        if (msg.cmd == static_cast<std::int32_t>(mpqemu::command::bar_write)) {
            // A posted write: the vCPU waits for this RET, not for the controller. Acknowledged
            // here, at once; the write itself is queued ahead of anything QEMU sends next, so
            // a later read still sees it.
            msg.replied = true;
            ++m_posted_acks;
            if (!m_channel.send_ret(0))
                ZLOG_DEBUG(logger(), "qemu bridge: posted-write ack not sent (QEMU gone)");
        }
        if (!push(msg)) break;
    }
    {
        std::lock_guard<std::mutex> lock(m_queue_mutex);
        m_receiver_done = true;
    }
    m_wakeup.post();
}

void qemu_bridge::handle_set_irqfd(mpqemu::message& m) {
    if (m.num_fds != 2) {
        logger()->warn("qemu bridge: SET_IRQFD with {} fds (expected 2); ignored", m.num_fds);
        m.close_fds();
        return;
    }
    {
        std::lock_guard<std::mutex> lock(m_irq_mutex);
        close_fd(m_irqfd);
        close_fd(m_resamplefd);
        m_irqfd = m.take_fd(0);
        m_resamplefd = m.take_fd(1);
    }
    m.close_fds();
    ZLOG_DEBUG(logger(), "qemu bridge: irqfd {} resamplefd {}", m_irqfd, m_resamplefd);
    if (m_level.load()) signal_irq();
}

bool qemu_bridge::push(mpqemu::message& m) {
    {
        std::unique_lock<std::mutex> lock(m_queue_mutex);
        m_queue_space.wait(lock, [this] { return m_count < queue_slots || m_stopping; });
        if (m_stopping) {
            m.close_fds();
            return false;
        }
        mpqemu::message& slot = m_queue[(m_head + m_count) % queue_slots];
        slot = m; // the slot now owns the fds
        ++m_count;
    }
    std::memset(m.fds, -1, sizeof m.fds);
    m.num_fds = 0;
    m_wakeup.post();
    return true;
}

// ---- interrupts (either thread) --------------------------------------------------------------

void qemu_bridge::signal_irq() {
    static const std::uint64_t one = 1;
    std::lock_guard<std::mutex> lock(m_irq_mutex);
    const std::int64_t now = wall_ns();
    if (m_irqfd >= 0 && ::write(m_irqfd, &one, sizeof one) < 0 && errno != EAGAIN)
        ZLOG_DEBUG(logger(), "qemu bridge: irqfd write failed: {}", std::strerror(errno));
    if (m_chardev >= 0) {
        if (m_pacer.request(now))
            send_irq_byte();
        else
            wake_receiver(); // its poll must wake by the byte's due time
    }
    m_last_signal_ns.store(now);
    m_irq_signals.fetch_add(1);
}

void qemu_bridge::send_irq_byte() {
    static const char byte = '\n';
    (void)::send(m_chardev, &byte, 1, MSG_NOSIGNAL | MSG_DONTWAIT); // full FIFO: drop it
}

void qemu_bridge::send_due_irq_byte() {
    std::lock_guard<std::mutex> lock(m_irq_mutex);
    const std::int64_t now = wall_ns();
    if (!m_pacer.pending() || now < m_pacer.due()) return;
    if (m_chardev < 0 || !m_level.load()) {
        m_pacer.cancel(); // reaped meanwhile: nothing to signal
        return;
    }
    m_pacer.take_due(now);
    send_irq_byte();
}

} // namespace znssim::platform
