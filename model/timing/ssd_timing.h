#pragma once
// The structural SSD timing model behind the media_timing seam (platform.timing: timed): a PCIe
// link, firmware processors, a write buffer with early completion that drains to dies through
// channels, and zones striped over dies. Costs come from ssd_params; contention comes from the
// resource calendars and the dies' job queues (docs/timing.md describes the structure).
//
// Writes complete when their data is in the buffer; the buffer drains one program unit per die
// at a time, and a full buffer holds new writes back until a program frees space. Reads sense on
// the die holding their data (or come from the buffer when still there, or cost nothing on the
// media when never written). A zone reset persists the zone's state and then erases the blocks
// that were written; a finish fills the unwritten capacity; both occupy the dies meanwhile.
#include "model/timing/calendar.h"
#include "model/timing/flash_layout.h"
#include "model/timing/media_timing.h"
#include "model/timing/nand_array.h"
#include "model/timing/pcie_link.h"
#include "model/timing/ssd_params.h"
#include "model/timing/write_buffer.h"

#include <memory>
#include <vector>

namespace znssim::timing {

class ssd_timing final : public media_timing {
  public:
    explicit ssd_timing(const ssd_params& p);
    ~ssd_timing() override;

    const ssd_params& params() const { return m_p; }

    // media_timing
    void bind(scheduler& s) override;
    void reset() override;
    sim_time fetch_start(sim_time at) override;
    sim_time sqe_fetched(sim_time at) override;
    sim_time command_processed(const command_cost_info& c, sim_time at) override;
    sim_time data_from_host(sim_time at, std::uint64_t bytes, std::uint64_t list_bytes) override;
    sim_time data_to_host(sim_time at, std::uint64_t bytes) override;
    sim_time completion_posted(sim_time at) override;
    sim_time interrupt_sent(sim_time at) override;
    sim_time complete_at(const media_request& r, sim_time at) override;
    sim_time start(media_op_handle& h, const media_request& r, sim_time at) override;
    void cancel(media_op_handle& h) override;

    // diagnostics (tests, traces)
    std::uint64_t buffer_fill() const override { return m_buffer.fill(); }
    std::uint64_t buffer_capacity() const override { return m_buffer.capacity(); }
    const nand_array& nand() const { return m_nand; }
    const flash_layout& layout() const { return m_layout; }
    std::uint64_t programs_done() const { return m_programs_done; }

  private:
    /// A write stream: one zone of a zoned namespace, or a whole conventional namespace.
    struct stream {
        std::uint64_t pending = 0;   ///< admitted bytes not yet part of a dispatched unit
        std::uint64_t buffered = 0;  ///< admitted bytes not yet programmed
        std::uint64_t next_unit = 0; ///< program units dispatched so far
        resource_calendar appends;   ///< Zone Append serialisation
        bool zoned = false;
        std::uint32_t zone = 0;
    };
    /// A zone reset or finish under way: its die jobs and who waits for it.
    struct zone_op;
    struct program_job;

    stream& stream_of(const media_request& r);
    sim_time read(const media_request& r, sim_time at);
    sim_time write(media_op_handle* h, const media_request& r, sim_time at);
    sim_time admit(stream& s, std::uint64_t bytes, sim_time at);
    void dispatch_units(stream& s, bool pad);
    void dispatch_one(stream& s, std::uint64_t bytes);
    sim_time zone_action(media_op_handle* h, const media_request& r, sim_time at);
    sim_time flush(media_op_handle* h, sim_time at);
    void on_program_done(program_job& job, sim_time at);
    void admit_waiters(sim_time at);
    void finish_zone_op(zone_op& op, sim_time at);
    zone_op& new_zone_op();
    program_job& new_program_job();
    sim_time processor(sim_time at, sim_time cost) { return m_processors.reserve_end(at, cost); }
    unsigned die_for(bool zoned, std::uint32_t zone, std::uint64_t unit) const;

    ssd_params m_p;
    scheduler* m_sched = nullptr;
    pcie_link m_link;
    server_pool m_processors;
    flash_layout m_layout;
    nand_array m_nand;
    write_buffer m_buffer;
    resource_calendar m_ingest;
    /// streams[nsid][zone] (zone 0 for conventional namespaces), created on first use.
    std::vector<std::vector<stream>> m_streams;
    /// Writes waiting for buffer space, in arrival order (intrusive through handle.next).
    media_op_handle* m_wait_head = nullptr;
    media_op_handle* m_wait_tail = nullptr;
    std::vector<std::unique_ptr<program_job>> m_program_jobs;
    std::vector<program_job*> m_free_program_jobs;
    std::vector<std::unique_ptr<zone_op>> m_zone_ops;
    std::vector<zone_op*> m_free_zone_ops;
    std::uint64_t m_programs_in_flight = 0;
    std::uint64_t m_programs_done = 0;
    /// Flushes waiting for every program dispatched before them (no power-loss protection).
    std::vector<std::pair<media_op_handle*, std::uint64_t>> m_flush_waiters;
    std::uint64_t m_programs_dispatched = 0;
};

} // namespace znssim::timing
