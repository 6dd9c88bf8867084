#include "platform/cli/signal_watch.h"

#include "platform/workload/stop_request.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>

#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

namespace znssim::cli {
namespace {

/// SIGINT and SIGTERM, except one the process inherited as ignored: a shell starts background
/// commands with SIGINT ignored, and nohup-like wrappers ignore signals on purpose; a program
/// that handles them anyway would break that convention.
sigset_t watched_signals() {
    sigset_t set;
    sigemptyset(&set);
    for (int sig : {SIGINT, SIGTERM}) {
        struct sigaction old {};
        if (::sigaction(sig, nullptr, &old) == 0 && old.sa_handler == SIG_IGN) continue;
        sigaddset(&set, sig);
    }
    return set;
}

/// One line on stderr with write(2): the main thread may be inside iostream output meanwhile.
void say(const std::string& line) {
    const std::string text = line + "\n";
    const ssize_t n = ::write(STDERR_FILENO, text.data(), text.size());
    (void)n; // nothing to do if stderr is gone
}

} // namespace

signal_watch::signal_watch(std::function<void(int)> on_first) : m_on_first(std::move(on_first)) {
    const sigset_t set = watched_signals();
    if (int e = pthread_sigmask(SIG_BLOCK, &set, &m_old_mask); e != 0)
        throw std::runtime_error(std::string("cannot block SIGINT/SIGTERM: ") + std::strerror(e));
    m_signal_fd = ::signalfd(-1, &set, SFD_CLOEXEC);
    m_wake_fd = ::eventfd(0, EFD_CLOEXEC);
    if (m_signal_fd < 0 || m_wake_fd < 0) {
        const int e = errno;
        if (m_signal_fd >= 0) ::close(m_signal_fd);
        if (m_wake_fd >= 0) ::close(m_wake_fd);
        pthread_sigmask(SIG_SETMASK, &m_old_mask, nullptr);
        throw std::runtime_error(std::string("cannot watch for signals: ") + std::strerror(e));
    }
    m_thread = std::thread([this] { watch(); });
}

signal_watch::~signal_watch() {
    const std::uint64_t one = 1;
    if (::write(m_wake_fd, &one, sizeof one) == sizeof one)
        m_thread.join();
    else
        m_thread.detach(); // cannot happen with an eventfd; never block exit on it
    ::close(m_signal_fd);
    ::close(m_wake_fd);
    pthread_sigmask(SIG_SETMASK, &m_old_mask, nullptr);
}

void signal_watch::watch() {
    pollfd fds[2] = {{m_signal_fd, POLLIN, 0}, {m_wake_fd, POLLIN, 0}};
    for (;;) {
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            return;
        }
        if (fds[1].revents) return;
        signalfd_siginfo info{};
        if (::read(m_signal_fd, &info, sizeof info) != sizeof info) continue;
        const int sig = static_cast<int>(info.ssi_signo);
        int none = 0;
        if (m_first.compare_exchange_strong(none, sig)) {
            say(std::string("znssim: ") + platform::stop_reason_text(sig) +
                ": stopping the job, shutting the controller down (a second signal exits at "
                "once)");
            m_on_first(sig);
            continue;
        }
        // The images need nothing from us to stay consistent (see the header): leave now.
        say(std::string("znssim: ") + platform::stop_reason_text(sig) + " again: exiting at once");
        ::_exit(128 + sig);
    }
}

} // namespace znssim::cli
