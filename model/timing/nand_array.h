#pragma once
// The flash dies and channels. A die does one array operation at a time and is busy for its
// duration, so concurrent commands contend for dies and channels and queue behind each other.
//
// Reads are foreground: a read senses as soon as the die has finished its current operation and
// then moves its data over the die's channel; its end is known at once. Programs, erases and
// metadata programs are background jobs queued per die and run one operation at a time, each
// started only when the die is free, so reads slip in between them (no program or erase is
// suspended, so a read may wait for one, which is the long read tail a reset or finish causes).
// Erases and metadata programs go before programs still to start: a reset's erase waits for
// the operation under way, not for every program a finish or a write burst has queued on the
// die. Background jobs finish on the scheduler's timers and report through a callback.
#include "model/sim/scheduler.h"
#include "model/timing/calendar.h"
#include "model/timing/ssd_params.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace znssim::timing {

/// A unit of background work on one die: 'count' operations of the same kind, one after the
/// other, with reads allowed between them. Owned by the caller until done (or reset).
struct die_job {
    enum class kind : std::uint8_t {
        program, ///< channel transfer of 'bytes', then program_time
        erase,   ///< erase_time
        fixed,   ///< 'duration' (a metadata program)
    };
    kind what = kind::program;
    std::uint32_t count = 1;
    std::uint64_t bytes = 0;
    sim_time duration = 0;
    using done_fn = void (*)(void* context, die_job& job, sim_time at);
    done_fn done = nullptr; ///< after the last operation
    void* context = nullptr;
    std::uint64_t tag = 0; ///< the caller's (e.g. which stream it drains)
    // The array's own: the job's place in its die's queue and its operations still to start.
    die_job* next = nullptr;
    std::uint32_t left = 0;
};

class nand_array {
  public:
    explicit nand_array(const nand_params& p);
    ~nand_array();
    void bind(scheduler& s);

    const nand_params& params() const { return m_p; }
    unsigned dies() const { return static_cast<unsigned>(m_dies.size()); }
    unsigned channel_of(unsigned die) const { return die % m_p.channels; }

    /// A read of 'bytes' of a page of 'page_type' on 'die' issued at 'at': when its data has
    /// reached the controller.
    sim_time read(unsigned die, unsigned page_type, std::uint64_t bytes, sim_time at);
    /// Queues background work on a die: behind the die's jobs of its class (erases and fixed
    /// operations; programs), erases and fixed operations before programs.
    void queue(unsigned die, die_job& job);
    /// Background operations queued or running on a die (for tests and flushes).
    std::size_t pending_jobs(unsigned die) const;
    /// When the die finishes what it is doing now and every read reserved on it.
    sim_time busy_until(unsigned die) const { return m_dies[die]->busy_until; }
    /// Forgets every job (their callbacks are not called) and makes everything idle.
    void reset();

  private:
    struct job_list {
        die_job* head = nullptr;
        die_job* tail = nullptr;
        void push(die_job& j);
        void pop();
    };
    struct die_state {
        nand_array* owner = nullptr;
        unsigned index = 0;
        sim_time busy_until = 0;
        job_list urgent;            ///< erases and fixed operations
        job_list bulk;              ///< programs
        die_job* current = nullptr; ///< whose operation is under way (when 'running')
        bool running = false;       ///< an operation of 'current' is under way until op_end
        sim_time op_end = 0;
        timer wake;
        explicit die_state(nand_array* o, unsigned i);
        bool has_work() const { return urgent.head || bulk.head; }
    };
    void on_wake(die_state& d);
    void start_next(die_state& d);
    void arm(die_state& d);

    nand_params m_p;
    scheduler* m_sched = nullptr;
    std::vector<std::unique_ptr<die_state>> m_dies;
    sim_time now() const { return m_sched ? m_sched->now() : 0; }
    std::vector<gap_calendar> m_channels;
};

} // namespace znssim::timing
