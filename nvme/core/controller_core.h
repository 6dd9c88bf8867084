#pragma once
// The NVMe controller, free of SystemC: registers and doorbells, queue rings, arbitration,
// command dispatch and phases, completion posting and interrupts. It runs on a scheduler
// (timers), reaches host memory through a dma_port and raises interrupts through a
// pcie::interrupt_sink; the SystemC shell (nvme::controller) provides those and forwards register
// accesses. A media_timing model gives every phase of a command its time; the untimed model makes
// every phase happen at once.
#include "model/dma/dma_port.h"
#include "model/log/log.h"
#include "model/pcie/interrupt_sink.h"
#include "model/sim/scheduler.h"
#include "model/timing/media_timing.h"
#include "nvme/core/async_events.h"
#include "nvme/core/command.h"
#include "nvme/core/command_set.h"
#include "nvme/core/command_trace.h"
#include "nvme/core/context.h"
#include "nvme/core/device_log.h"
#include "nvme/core/features.h"
#include "nvme/core/interrupts.h"
#include "nvme/core/logs.h"
#include "nvme/ns/namespace.h"
#include "nvme/params.h"
#include "nvme/queue/queues.h"
#include "nvme/transfer/data_transfer.h"

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

namespace znssim::nvme {

class controller_core;

/// Where a command is in its life (see command.h for the phases of a planned command).
enum class slot_phase : std::uint8_t {
    free,
    arriving,   ///< fetched, not yet decoded (a transient state inside fetch_one)
    data_in,    ///< its data is on the way from host memory
    media,      ///< the timing model has it (completion time not known yet)
    completing, ///< done; its completion is posted when the timer fires
    deferred,   ///< held by a handler (AER) until an event completes it
    waiting_cq, ///< deferred command completed while its CQ was full
    signalling, ///< its entry is written; the interrupt waits for the time host memory annotated
};

/// Which reserve a slot belongs to: AERs and admin commands have their own, so that neither a
/// host's outstanding AERs nor a flood of I/O can starve the admin queue.
enum class slot_pool : std::uint8_t { io, admin, aer };

/// A preallocated command slot: the command, its phase timer, its transfer scratch and its
/// handle in the timing model. Nothing here is allocated per command.
struct command_slot {
    command cmd;
    controller_core* owner = nullptr;
    std::uint32_t index = 0;
    slot_pool pool = slot_pool::io;
    slot_phase phase = slot_phase::free;
    bool planned = false;      ///< the handler returned a plan whose finish step is still owed
    bool holds_credit = false; ///< counts against its CQ's free entries (see fetch_allowed)
    bool data_ok = true;       ///< the data phase (if any) moved everything
    std::uint16_t credit_cq = 0;
    // For tracing: when the entry was made visible, and the media phase.
    sim_time doorbell_at = 0;
    sim_time media_start = 0;
    sim_time media_end = 0;
    command_slot* next_waiting = nullptr; ///< CQ-full wait list (deferred commands)
    timer phase_timer;
    media_op_handle media;
    data_transfer xfer;

    command_slot(controller_core* core, std::size_t transfer_segments);
};

class controller_core final : public command_context {
  public:
    struct environment {
        scheduler& sched;
        dma_port& dma;
        pcie::interrupt_sink& irq;
        media_timing& timing;
    };

    controller_core(const controller_params& params, environment env,
                    std::vector<std::unique_ptr<nvme_namespace>> namespaces,
                    std::vector<const io_command_set*> command_sets);
    ~controller_core() override;

    // --- BAR0 register interface (offsets relative to BAR0) ---
    std::uint32_t read_register(std::uint32_t offset);
    void write_register(std::uint32_t offset, std::uint32_t value);
    /// Bytes of BAR0 the core decodes (registers and doorbells of every possible queue).
    std::uint32_t register_space_size() const;
    /// Runs a fetch the doorbells asked for now, instead of one delta cycle later (for the shell
    /// that applies register writes on the scheduler's own thread).
    void fetch_now();

    /// Conventional reset: registers to power-on values, queues torn down, namespaces kept.
    void reset();
    /// Model exit: namespaces made durable.
    void shutdown();
    /// A namespace's attributes changed: Changed Namespace List entry + notice event.
    void namespace_attribute_changed(std::uint32_t nsid);
    /// The function's interrupt mode may have changed: recompute the INTx level.
    void interrupt_mode_changed() { m_interrupts.refresh(); }

    // --- command_context ---
    sim_time now() const override { return m_env.sched.now(); }
    dma_port& dma() override { return m_counting_dma; }
    media_timing& timing() override { return m_env.timing; }
    const controller_params& params() const override { return m_params; }
    const controller_state& state() const override { return m_state; }
    controller_logs& logs() override { return m_logs; }
    const log::logger_ptr& logger(std::string_view module) override {
        return m_loggers.get(module);
    }
    nvme_namespace* find_namespace(std::uint32_t nsid) override;
    std::uint32_t namespace_limit() const override { return m_namespace_limit; }
    const io_command_set* command_set(spec::csi csi) const override;
    const std::array<std::uint32_t, 256>& admin_effects() const override;
    void complete_deferred(command& cmd) override;
    void log_page_read(std::uint8_t lid, bool retain) override;
    void raise_event(const async_event& ev) override;

    // --- diagnostics (tests, tracing) ---
    std::uint32_t csts() const { return m_csts; }
    std::uint32_t cc() const { return m_cc; }
    const submission_queue* sq(std::uint16_t qid) const;
    const completion_queue* cq(std::uint16_t qid) const;
    std::uint64_t commands_completed() const { return m_completed; }
    const interrupt_manager& interrupts() const { return m_interrupts; }
    std::uint32_t slots_in_use() const { return m_slots_in_use; }
    /// Slots each reserve holds in total.
    std::uint32_t pool_size(slot_pool p) const;

    // --- tracing ---
    /// One record per completed command goes to 'sink' (nullptr: off).
    void set_command_sink(command_record_sink* sink) {
        m_command_sink = sink;
        m_submitted_at.resize(m_sqs.size());
    }
    /// The command whose handler or finish step is running now (nullptr between commands):
    /// what zone tracing names as the cause of a zone change.
    const command* current_command() const { return m_current; }

    // --- admin commands that act on the core itself (nvme/admin/*.cpp) ---
    disposition create_io_cq(command& cmd);
    disposition create_io_sq(command& cmd);
    disposition delete_io_sq(command& cmd);
    disposition delete_io_cq(command& cmd);
    disposition get_features(command& cmd);
    disposition set_features(command& cmd);
    disposition async_event_request(command& cmd);
    disposition abort(command& cmd);
    disposition doorbell_buffer_config(command& cmd);

    /// Doorbell Buffer Config in effect (shadow doorbells and EventIdx for the I/O queues).
    bool shadow_doorbells() const { return m_dbbuf; }

  private:
    friend struct command_slot;

    /// dma_port that counts what handlers move, so a timing model can charge the link for it.
    class counting_dma final : public dma_port {
      public:
        explicit counting_dma(dma_port& inner) : m_inner(inner) {}
        dma_status read(std::uint64_t addr, void* dst, std::size_t len) override {
            m_from_host += len;
            return m_inner.read(addr, dst, len);
        }
        dma_status write(std::uint64_t addr, const void* src, std::size_t len) override {
            m_to_host += len;
            return m_inner.write(addr, src, len);
        }
        sim_time take_delay() override { return m_inner.take_delay(); }
        void start_count() { m_from_host = m_to_host = 0; }
        std::uint64_t from_host() const { return m_from_host; }
        std::uint64_t to_host() const { return m_to_host; }

      private:
        dma_port& m_inner;
        std::uint64_t m_from_host = 0;
        std::uint64_t m_to_host = 0;
    };

    // registers.cpp
    void write_cc(std::uint32_t value);
    void enable();
    void disable();
    void begin_shutdown();
    void on_ready_timer();
    void on_shutdown_timer();
    // doorbells.cpp
    void write_doorbell(std::uint32_t offset, std::uint32_t value);
    void invalid_doorbell(std::uint8_t info);
    /// The host moved cq's head to 'value' (already validated).
    void apply_cq_head(completion_queue& cq, std::uint32_t value);
    // shadow_doorbells.cpp (Doorbell Buffer Config)
    void attach_shadow(submission_queue& sq);
    void attach_shadow(completion_queue& cq);
    bool shadow_read(std::uint64_t addr, std::uint32_t& value);
    void shadow_write(std::uint64_t addr, std::uint32_t value);
    /// A tail for a shadowed SQ, from its shadow or its MMIO doorbell: taken if it reaches
    /// further than the tail known (maximum progress). Returns whether the tail moved.
    bool take_sq_tail(submission_queue& sq, std::uint32_t value);
    /// A head for a shadowed CQ: taken if it consumes posted entries; a shadow value that does
    /// not is invalid, an MMIO value that does not is stale (the shadow was ahead of it).
    bool take_cq_head(completion_queue& cq, std::uint32_t value, bool from_shadow);
    /// The SQ is drained: EventIdx = its tail, then the shadow tail again (new entries the host
    /// wrote before it saw the EventIdx). Returns whether there are new entries.
    bool sync_sq_tail(submission_queue& sq);
    /// EventIdx = the CQ head known, then the shadow head ('settle': until they agree, so that
    /// the host rings at its next head update).
    void sync_cq_head(completion_queue& cq, bool settle);
    // arbiter.cpp
    void kick();
    void on_arbitrate();
    enum class fetch_result : std::uint8_t { fetched, no_slot, failed };
    bool fetch_allowed(submission_queue& sq);
    fetch_result fetch_one(submission_queue& sq);
    // phases.cpp
    void on_phase_timer(command_slot& slot);
    /// Decodes and dispatches a fetched command whose entry arrives at 'arrival' (>= now): the
    /// handler runs now, its phases are timed from the arrival.
    void begin(command_slot& slot, sim_time arrival);
    disposition dispatch_admin(command& cmd);
    disposition dispatch_io(command& cmd);
    void start_plan(command_slot& slot, sim_time processed_at);
    void data_arrived(command_slot& slot);
    void start_media(command_slot& slot, sim_time at);
    void media_done(command_slot& slot, sim_time at);
    void complete_at(command_slot& slot, sim_time at);
    void finish_and_post(command_slot& slot);
    void cancel(command_slot& slot, spec::status why);
    static void on_media_done(void* slot, sim_time at);
    sim_time posted_time(sim_time at);
    // completion.cpp
    void post_completion(command_slot& slot);
    void signal_completion(command_slot& slot);
    bool write_cqe(completion_queue& cq, command_slot& slot);
    void drain_waiting(completion_queue& cq);
    void release(command_slot& slot);
    void fatal(const char* why);
    void deliver_events();
    void tear_down_queues();
    void abort_inflight_of_sq(std::uint16_t sqid);
    void unlink_waiting(command_slot& slot);

    command_slot* allocate_slot(slot_pool pool);
    command_slot* slot_of(const command& cmd);
    void check_temperature();
    bool timed() const { return m_timed; }

    const controller_params m_params;
    environment m_env;
    counting_dma m_counting_dma;
    const bool m_timed;
    device_loggers m_loggers;
    log::logger_ptr m_log;
    /// The admin command set's effects as this controller reports them (configured features).
    std::array<std::uint32_t, 256> m_admin_effects{};

    // registers
    std::uint64_t m_cap = 0;
    std::uint32_t m_cc = 0;
    std::uint32_t m_csts = 0;
    std::uint32_t m_aqa = 0;
    std::uint64_t m_asq = 0;
    std::uint64_t m_acq = 0;
    std::uint32_t m_doorbell_stride = 4;
    timer m_ready_timer;
    timer m_shutdown_timer;
    bool m_enabling = false;

    controller_state m_state;
    controller_logs m_logs;
    feature_store m_features;

    std::vector<submission_queue> m_sqs; // index = qid
    std::vector<completion_queue> m_cqs;
    /// Per CQ: completions of commands in flight that will land there; a queue is fetched from
    /// only while its CQ has room for them all, so completions never wait for CQ space and a
    /// host that stops reaping one queue stalls only that queue.
    std::vector<std::uint32_t> m_cq_committed;
    std::vector<command_slot*> m_cq_waiting_head; // per CQ: deferred completions waiting
    std::vector<command_slot*> m_cq_waiting_tail;
    interrupt_manager m_interrupts;
    async_event_queue m_events;

    std::vector<std::unique_ptr<command_slot>> m_slots;
    std::array<std::vector<command_slot*>, 3> m_free; ///< per slot_pool
    std::array<std::uint32_t, 3> m_pool_size{};
    std::uint32_t m_slots_in_use = 0;
    std::uint16_t m_rr_next = 1; ///< next I/O SQ in round-robin order
    /// I/O SQs holding entries not yet fetched (bit per qid): arbitration visits only these.
    std::vector<std::uint64_t> m_sq_pending;
    void mark_pending(std::uint16_t qid, bool pending) {
        const std::uint64_t bit = 1ull << (qid & 63);
        if (pending)
            m_sq_pending[qid >> 6] |= bit;
        else
            m_sq_pending[qid >> 6] &= ~bit;
    }
    /// The next I/O SQ at or after 'from' with entries, wrapping around; 0 if none.
    std::uint16_t next_pending(std::uint16_t from) const;
    timer m_arbitrate_timer;
    std::vector<std::uint32_t> m_abort_requests;
    // Doorbell Buffer Config (shadow_doorbells.cpp): forgotten at every controller reset.
    bool m_dbbuf = false;
    std::uint64_t m_dbbuf_dbs = 0; ///< Shadow Doorbell buffer
    std::uint64_t m_dbbuf_eis = 0; ///< EventIdx buffer
    /// Time host memory annotated on shadow accesses, added to the next entry fetched.
    sim_time m_fetch_carry = 0;

    std::vector<std::unique_ptr<nvme_namespace>> m_namespaces; // index = nsid - 1 (may hold nulls)
    std::uint32_t m_namespace_limit = 0;
    std::array<const io_command_set*, 3> m_sets{};
    std::uint64_t m_completed = 0;
    command_record_sink* m_command_sink = nullptr;
    /// While tracing: per SQ, when each entry's tail doorbell was written.
    std::vector<std::vector<sim_time>> m_submitted_at;
    void note_submitted(const submission_queue& sq, std::uint32_t new_tail);
    const command* m_current = nullptr;
    void trace_completion(const command_slot& slot);
    bool m_fatal = false;
    std::uint64_t m_timestamp_base_ms = 0; ///< Set Features Timestamp value
    sim_time m_timestamp_set_at = 0;
    bool m_timestamp_set = false;
};

} // namespace znssim::nvme
