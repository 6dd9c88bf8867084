#pragma once
// Value types of the reference host driver's API: parameters, completions, tickets and what the
// namespace scan found.
#include "model/sim/time.h"
#include "nvme/spec/commands.h"
#include "nvme/spec/status.h"

#include <systemc>

#include <cstdint>
#include <string>
#include <vector>

namespace znssim::platform {

struct driver_params {
    bool auto_start = true; ///< bring the controller up from the driver's own SC_THREAD
    bool use_msix = true;   ///< false: INTx even when the function has MSI-X
    unsigned io_queues = 4; ///< I/O queue pairs created (Linux: possible CPUs)
    /// I/O queue pairs asked for in Number of Queues (at least io_queues): workloads create the
    /// ones beyond io_queues on demand.
    unsigned request_queues = 4;
    unsigned io_queue_depth = 1024; ///< entries per I/O queue, capped at CAP.MQES+1
    bool enable_aer = true;         ///< Async Event Config + one AER when OAES allows (as Linux)
    bool scan_namespaces = true;
    sc_core::sc_time admin_timeout = sc_core::sc_time(60, sc_core::SC_SEC);
    sc_core::sc_time io_timeout = sc_core::sc_time(30, sc_core::SC_SEC);
    sc_core::sc_time ready_poll = sc_core::sc_time(1, sc_core::SC_MS); ///< CSTS polling period
    unsigned doorbell_batch = 32; ///< async submissions before the SQ doorbell is forced
    /// Doorbell Buffer Config when Identify OACS has it, as Linux does: the I/O queues' doorbells
    /// go to the shadow buffer, MMIO only when the controller's EventIdx asks for it.
    bool shadow_doorbells = false;

    // Host CPU cost model (zero: the host costs nothing, as in untimed runs). The driver keeps
    // a local time ahead of SystemC's by what it spent (TLM-2.0 temporal decoupling): doorbell
    // writes carry that offset as their annotated delay, and it waits only once the offset
    // exceeds 'quantum'.
    bool polled = true; ///< polled completions (as SPDK) or interrupt-driven
    sc_core::sc_time submit_cost = sc_core::SC_ZERO_TIME;       ///< per command submitted
    sc_core::sc_time complete_cost = sc_core::SC_ZERO_TIME;     ///< per completion handled
    sc_core::sc_time interrupt_latency = sc_core::SC_ZERO_TIME; ///< interrupt mode: to handler
    sc_core::sc_time quantum = sc_core::sc_time(10, sc_core::SC_US);
};

/// A command's completion as the driver saw it.
struct completion {
    nvme::spec::status status;
    std::uint32_t dw0 = 0;
    std::uint32_t dw1 = 0;
    std::uint16_t sqhd = 0;
    std::uint16_t sqid = 0;
    std::uint16_t cid = 0;
    bool timed_out = false; ///< no CQE within the timeout (the driver logged an error)
    /// Host times (the driver's local time, simulated): when the command was submitted (its
    /// entry written) and when its completion was handled. Their difference is the latency a
    /// host measures.
    sim_time submitted_at = 0;
    sim_time completed_at = 0;
    bool submitted = true; ///< false: the driver could not submit (no such queue, queue full)

    bool ok() const { return submitted && !timed_out && status.ok(); }
    /// DW1:DW0, e.g. the LBA a Zone Append was written at.
    std::uint64_t result64() const { return std::uint64_t{dw1} << 32 | dw0; }
};

/// An outstanding asynchronous command.
struct ticket {
    std::uint16_t qid = 0xffff;
    std::uint16_t cid = 0;
    bool valid() const { return qid != 0xffff; }
};

struct zone_descriptor {
    std::uint8_t type = 0;  ///< ZT bits 3:0 (2 = sequential write required)
    std::uint8_t state = 0; ///< ZS bits 7:4 (1 empty, 2 imp open, 3 exp open, 4 closed, 0xd RO, 0xe
                            ///< full, 0xf offline)
    std::uint8_t attributes = 0;
    std::uint64_t capacity = 0;
    std::uint64_t start = 0;
    std::uint64_t write_pointer = 0;
};

/// One active namespace, as the scan left it.
struct namespace_info {
    std::uint32_t nsid = 0;
    nvme::spec::csi csi = nvme::spec::csi::nvm;
    unsigned lba_shift = 0;
    std::uint32_t lba_bytes = 0;
    std::uint64_t nsze = 0;
    std::uint64_t ncap = 0;
    std::uint64_t nuse = 0;
    bool read_only = false;
    bool zoned = false;
    // Zoned namespaces only:
    std::uint16_t zoc = 0;
    std::uint64_t zone_size = 0;     ///< ZSZE in LBAs
    std::uint64_t zone_capacity = 0; ///< ZCAP of the first zone in the report
    std::uint64_t zone_count = 0;    ///< zones the report returned
    std::uint32_t mor = 0;           ///< 0-based, FFFFFFFFh = no limit
    std::uint32_t mar = 0;
    std::uint64_t zone_append_max_bytes = 0; ///< from ZASL (or MDTS when ZASL is 0)
    std::vector<zone_descriptor> zones;      ///< the report at scan time
};

enum class driver_state : std::uint8_t { idle, starting, ready, failed, shut_down };

} // namespace znssim::platform
