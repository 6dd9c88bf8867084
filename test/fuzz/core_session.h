#pragma once
// One fuzz input against the real controller core, without SystemC: a manual_scheduler, host
// memory behind guarded_host, a recording interrupt sink, and a zoned plus a conventional
// namespace on fresh images of a small geometry the input chooses. The rest of the input is a
// sequence of host actions (register writes, controller enable/reset/shutdown, queue creation
// and deletion, admin and I/O commands with arbitrary fields and data pointers, zone management,
// doorbells, reaping completions, time passing so timers fire). After every action the
// invariants are checked (check_invariants); at the end the host reaps everything and the admin
// queue must still answer, every command fetched must have completed, and the images must read
// back as the zones were (finish).
#include "model/pcie/interrupt_sink.h"
#include "model/sim/scheduler.h"
#include "model/timing/media_timing.h"
#include "nvme/core/controller_core.h"
#include "nvme/ns/namespace_params.h"
#include "nvme/spec/commands.h"
#include "test/fuzz/guarded_host.h"
#include "zns/trace/run_recorder.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace znssim::zns {
class zoned_namespace;
}

namespace znssim::fuzz {

/// Interrupts as the core raises them; a vector beyond the function's table is a finding.
struct recording_irq final : pcie::interrupt_sink {
    pcie::interrupt_mode m = pcie::interrupt_mode::msix;
    unsigned vectors = 8;
    std::uint64_t messages = 0;
    bool level = false;
    pcie::interrupt_mode mode() const override { return m; }
    unsigned vector_count() const override { return m == pcie::interrupt_mode::msix ? vectors : 1; }
    void signal(unsigned v) override;
    void set_level(bool a) override { level = a; }
};

/// Command records as the core builds them for a recorder (znssim run --out): each one's times
/// in order and not in the future, its zone one of the namespace's; passed on to a
/// zns::run_recorder (summary only, no files), whose zone timeline sees every zone event.
struct checking_command_sink final : nvme::command_record_sink {
    nvme::controller_core* core = nullptr;
    zns::run_recorder* next = nullptr;
    std::uint64_t records = 0;
    void command_done(const nvme::command_record& r) override;
};

class core_session {
  public:
    // Host memory layout: the admin queues, 16 slots for I/O queues, then data buffers.
    static constexpr std::uint64_t memory_base = 0;
    static constexpr std::size_t memory_size = 1u << 20;
    static constexpr std::uint64_t asq_base = 0x1000, acq_base = 0x2000;
    static constexpr std::uint32_t admin_entries = 16;
    static constexpr std::uint64_t queue_slots = 0x10000, queue_slot_bytes = 0x2000;
    static constexpr unsigned queue_slot_count = 16;
    static constexpr std::uint64_t data_base = 0x40000;
    static constexpr unsigned max_queues = 4; ///< I/O queue pairs at most (max_io_queues)

    explicit core_session(FuzzedDataProvider& in);
    ~core_session();
    void run();

  private:
    // --- setup (core_session.cpp) ---
    void build();
    // --- host side (core_host.cpp) ---
    struct host_sq {
        bool live = false;
        std::uint64_t base = 0;
        std::uint32_t entries = 0;
        std::uint32_t tail = 0;
        std::uint16_t cqid = 0;
    };
    struct host_cq {
        bool live = false;
        std::uint64_t base = 0;
        std::uint32_t entries = 0;
        std::uint32_t head = 0;
        bool phase = true;
    };
    void write_reg(std::uint32_t off, std::uint32_t v);
    std::uint32_t sq_doorbell(unsigned q) const;
    std::uint32_t cq_doorbell(unsigned q) const;
    void enable();
    void disable();
    void forget_host_queues();
    void submit(unsigned qid, const nvme::spec::sqe& e, bool ring);
    /// Consumes up to 'max' new entries of CQ q (its head doorbell written when asked).
    unsigned reap(unsigned q, unsigned max, bool ring);
    void reap_all();
    void settle();
    void advance(sim_time d);
    /// Fetches and completions the host memory saw: tracked and checked here.
    void take_events();
    void completed(const guarded_host::completion& c);

    // --- actions (core_actions.cpp) ---
    void step();
    void add_queue_pair(unsigned q);
    nvme::spec::sqe admin_command();
    nvme::spec::sqe io_command(unsigned qid);
    void data_pointer(nvme::spec::sqe& e, std::uint64_t bytes, bool sgl_allowed);
    std::uint64_t address(std::uint64_t bytes);
    std::uint64_t queue_slot();
    std::uint16_t pick_qid();
    std::uint64_t pick_lba(std::uint32_t nsid);
    std::uint16_t cid_for(unsigned qid);

    // --- invariants (core_checks.cpp) ---
    void check_invariants();
    void check_zones(const zns::zoned_namespace& ns) const;
    void finish();
    bool admin_answers();

    FuzzedDataProvider& m_in;
    std::string m_dir;
    nvme::controller_params m_params;
    std::vector<nvme::namespace_params> m_ns_params;
    bool m_timed = false;
    manual_scheduler m_sched;
    guarded_host m_host{memory_base, memory_size};
    recording_irq m_irq;
    std::unique_ptr<media_timing> m_timing;
    std::unique_ptr<nvme::controller_core> m_core;
    std::vector<zns::zoned_namespace*> m_zoned;
    std::unique_ptr<zns::run_recorder> m_recorder;
    checking_command_sink m_records;

    std::array<host_sq, max_queues + 1> m_sqs{};
    std::array<host_cq, max_queues + 1> m_cqs{};
    /// The host's queue state matches the controller's only while it drove them as a driver
    /// does; raw admin register writes, raw doorbell values or duplicate admin CIDs end that,
    /// and the final check then resets the controller before it asks the admin queue.
    bool m_view_trusted = true;
    bool m_enabled_by_host = false;
    std::uint16_t m_next_cid = 0;

    struct inflight {
        nvme::spec::sqe entry;
        std::uint16_t cqid;
    };
    /// Commands fetched and not completed, by (SQ, CID).
    std::map<std::uint32_t, std::deque<inflight>> m_inflight;
    std::uint64_t m_fetched = 0, m_completions = 0;
    int m_probe_cid = -1;    ///< the final Identify (admin_answers)
    int m_probe_status = -1; ///< its status once completed
};

} // namespace znssim::fuzz
