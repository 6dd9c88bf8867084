#pragma once
// SIGINT and SIGTERM while `znssim run` runs. The first signal asks for a clean shutdown: it is
// handed to a callback on a thread of ours (not in a signal handler, so the callback may take
// locks, as SystemC's async_request_update does). The second exits at once with status
// 128 + signal, flushing and syncing nothing: the image format survives the process dying at
// any point (docs/image-format.md, "Crash safety"), so the images are as consistent as after a
// SIGKILL, and every completion the host saw is already in the page cache (durability: process)
// or on stable storage (durability: host).
#include <atomic>
#include <functional>
#include <thread>

#include <signal.h>

namespace znssim::cli {

class signal_watch {
  public:
    /// Blocks SIGINT and SIGTERM in the calling thread (so also in the threads it starts later)
    /// and watches for them on a thread of its own; on_first runs there, once. A signal the
    /// process inherited as ignored (`cmd &` in a script, nohup) stays ignored.
    explicit signal_watch(std::function<void(int signal)> on_first);
    /// Stops watching and restores the signal mask (a signal still pending then takes its
    /// default action).
    ~signal_watch();
    signal_watch(const signal_watch&) = delete;
    signal_watch& operator=(const signal_watch&) = delete;

    /// The first signal received (SIGINT or SIGTERM), 0 if none.
    int received() const { return m_first.load(); }

  private:
    void watch();
    std::function<void(int)> m_on_first;
    std::atomic<int> m_first{0};
    sigset_t m_old_mask{};
    int m_signal_fd = -1;
    int m_wake_fd = -1; ///< eventfd: tells the watcher to stop
    std::thread m_thread;
};

} // namespace znssim::cli
