#pragma once
// A request to end a job early: `znssim run` posts one when it gets SIGINT or SIGTERM. The job
// then issues nothing more, waits for the commands in flight, prints its summary (marked
// interrupted) and shuts the controller down as at the end of any job.
//
// The request comes from outside the simulation (a signal watcher thread), so it is a primitive
// channel: post() is thread-safe through async_request_update, which also wakes a kernel with
// nothing else to do; the update phase then notifies event() for processes that sleep (rate
// limits, start delays). Loops that issue commands poll requested() before each command, so
// nothing spins waiting for it.
#include <systemc>

#include <atomic>
#include <string>

namespace znssim::platform {

class stop_request : public sc_core::sc_prim_channel {
  public:
    explicit stop_request(const char* name = sc_core::sc_gen_unique_name("stop_request"));

    /// From any thread (not from a signal handler: it takes the kernel's mutex). 'reason' is
    /// the signal number, or any non-zero value; the first request wins.
    void post(int reason);
    /// From SystemC processes: has a stop been asked for?
    bool requested() const { return m_reason.load(std::memory_order_acquire) != 0; }
    int reason() const { return m_reason.load(std::memory_order_acquire); }
    /// Notified (in the delta cycle after the request reached the kernel).
    const sc_core::sc_event& event() const { return m_event; }

  private:
    void update() override;
    std::atomic<int> m_reason{0};
    sc_core::sc_event m_event;
};

/// "SIGINT", "SIGTERM", "signal N" or "a stop request", for the job's summary.
std::string stop_reason_text(int reason);

/// For loops that may be given no stop_request.
inline bool stop_requested(const stop_request* s) {
    return s && s->requested();
}

} // namespace znssim::platform
