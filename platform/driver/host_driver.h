#pragma once
// The reference host driver: brings an NVMe controller up the way Linux 6.1 does (PCI
// enumeration, BAR sizing, MSI-X or INTx, controller enable, admin and I/O queues, namespace
// scan) and offers blocking and asynchronous command submission for tests and workloads. Its
// log narrates each step, under the driver's instance name ("system.driver", "ssd0.driver");
// levels set for the module "platform.driver" apply to every driver. Files: enumerate.cpp (config
// space, BAR, interrupts), controller_init.cpp (registers, bring-up, shutdown), queues.cpp (queue
// pairs, submission, completion), namespace_scan.cpp, admin_commands.cpp, io_commands.cpp.
//
// Every blocking call (everything that waits for a completion or polls a register over time)
// must be made from an SC_THREAD.
#include "model/log/log.h"
#include "nvme/spec/identify.h"
#include "platform/driver/data_pointer.h"
#include "platform/driver/driver_types.h"
#include "platform/host/host_memory.h"
#include "platform/host/interrupt_controller.h"

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace znssim::platform {

class host_driver : public sc_core::sc_module {
  public:
    tlm_utils::simple_initiator_socket<host_driver> cpu_out; ///< → root_complex.cpu_in

    SC_HAS_PROCESS(host_driver);
    host_driver(const sc_core::sc_module_name& name, host_memory& memory, interrupt_controller& irq,
                const driver_params& params = {});
    ~host_driver() override;

    // ---- bring-up and shutdown (controller_init.cpp) ----
    /// The whole Linux-like bring-up; true on success. Called by the driver's own thread when
    /// params.auto_start, else by the user.
    bool start();
    /// Waits until an automatic start finished; true if the controller is ready.
    bool wait_ready();
    /// Deletes the I/O queues, CC.SHN=01b, polls SHST=10b. True when shutdown completed.
    bool shutdown();
    /// CC.EN=0 and wait RDY=0 (controller reset, all queues gone on the device side); the
    /// driver forgets its queues. start() may then be called again.
    bool disable_controller();
    driver_state state() const { return m_state; }
    const std::string& failure() const { return m_failure; }

    // ---- what bring-up found ----
    std::uint64_t cap() const { return m_cap; }
    std::uint32_t version() const { return m_vs; }
    const nvme::spec::id_ctrl& id_controller() const { return *m_id_ctrl; }
    std::uint64_t bar0() const { return m_bar0; }
    std::uint64_t bar0_size() const { return m_bar0_size; }
    bool bar0_64bit() const { return m_bar0_64; }
    bool msix_enabled() const { return m_msix; }
    unsigned msix_table_size() const { return m_msix_table_size; }
    unsigned vectors_used() const { return m_vectors; }
    std::uint16_t msix_cap_offset() const { return m_msix_cap; }
    /// MSI-X table entry 'vector' in BAR0 (offset from BAR0).
    std::uint32_t msix_entry_offset(unsigned vector) const;
    unsigned io_queue_count() const { return static_cast<unsigned>(m_io_qids.size()); }
    /// I/O queue pairs the controller granted (Number of Queues): queue IDs up to this may be
    /// created with create_queue_pair().
    unsigned io_queues_granted() const { return m_queues_granted; }
    /// The interrupt vector a new queue pair should use for a given index (MSI-X table size
    /// permitting; 0 with INTx).
    std::uint16_t vector_for(unsigned index) const;
    /// Entries an I/O queue may have (CAP.MQES + 1).
    std::uint32_t max_queue_entries() const;
    const std::vector<std::uint16_t>& io_queue_ids() const { return m_io_qids; }
    std::uint32_t max_transfer_bytes() const; ///< from MDTS (Linux caps 0 at 4 MiB)
    const std::vector<namespace_info>& namespaces() const { return m_namespaces; }
    /// The scanned namespace 'nsid', or nullptr.
    const namespace_info* find_namespace(std::uint32_t nsid) const;

    // ---- raw access (bad-input tests) ----
    std::uint32_t cfg_read(std::uint16_t offset, unsigned size = 4);
    void cfg_write(std::uint16_t offset, std::uint32_t value, unsigned size = 4);
    std::uint32_t reg_read(std::uint32_t offset);
    void reg_write(std::uint32_t offset, std::uint32_t value);
    /// 64-bit register as two 32-bit reads, low dword first (Linux lo_hi_readq).
    std::uint64_t reg_read64(std::uint32_t offset);
    void reg_write64(std::uint32_t offset, std::uint64_t value); ///< low then high
    /// Any bus access from the CPU side; returns the TLM response. Writes carry the host's
    /// local time offset as their annotated delay (posted); reads synchronise first.
    tlm::tlm_response_status bus_read(std::uint64_t addr, void* data, unsigned len);
    tlm::tlm_response_status bus_write(std::uint64_t addr, const void* data, unsigned len);

    /// The host CPU's local time: SystemC time plus what the driver spent and has not waited
    /// for yet (see driver_params' cost model).
    sc_core::sc_time host_now();
    /// Response of the most recent cfg/reg access.
    tlm::tlm_response_status last_response() const { return m_last_response; }
    void write_sq_doorbell(std::uint16_t qid, std::uint32_t value);
    void write_cq_doorbell(std::uint16_t qid, std::uint32_t value);
    host_memory& memory() { return m_memory; }
    interrupt_controller& irq() { return m_irq; }
    dma_buffer alloc(std::size_t bytes) { return m_memory.allocator().allocate(bytes); }

    // ---- command submission (queues.cpp) ----
    /// Fills the CID, rings the doorbell, waits for the CQE (or the timeout).
    completion submit_admin(const nvme::spec::sqe& sqe);
    completion submit_io(std::uint16_t qid, const nvme::spec::sqe& sqe);
    /// Queues sqe on any existing SQ (0 = admin); the SQ doorbell is rung when 'doorbell_batch'
    /// submissions are pending, or by wait()/wait_any()/ring(). Invalid ticket if the queue does
    /// not exist or all its command slots are in use.
    ticket submit_async(std::uint16_t qid, const nvme::spec::sqe& sqe);
    /// As submit_async, with the data pointer built from [bus, bus+len) (PRPs, lists from the
    /// slot's own list pages).
    ticket submit_async(std::uint16_t qid, const nvme::spec::sqe& sqe, std::uint64_t bus,
                        std::uint64_t len);
    completion wait(const ticket& t);
    /// The next completed asynchronous command of queue qid, in completion order.
    completion wait_any(std::uint16_t qid);
    /// The next completed asynchronous command of any of 'qids' (which should share one
    /// interrupt vector: the wait sleeps on the first one's).
    completion wait_any_of(const std::vector<std::uint16_t>& qids);
    /// Rings the SQ doorbell of qid if submissions are pending.
    void ring(std::uint16_t qid);
    /// Commands submitted on qid and not yet collected.
    unsigned outstanding(std::uint16_t qid) const;

    /// Creates an I/O CQ+SQ pair the driver then uses (memory allocated here). vector is the CQ's
    /// interrupt vector. Returns the first failing completion, or the SQ's on success.
    completion create_queue_pair(std::uint16_t qid, std::uint16_t entries, std::uint16_t vector);
    /// Deletes the SQ then the CQ of a pair created by the driver; forgets it.
    completion delete_queue_pair(std::uint16_t qid);

    /// Asynchronous event completions received (AER, CID from the reserved range).
    const std::vector<completion>& async_events() const { return m_events; }
    void clear_async_events() { m_events.clear(); }
    bool aer_outstanding() const { return m_aer_outstanding; }
    /// Sends one more AER (the driver re-arms automatically after each event).
    bool submit_aer();
    /// CQEs whose CID matched no outstanding command.
    std::uint64_t unexpected_completions() const { return m_unexpected; }
    std::uint64_t timeouts() const { return m_timeouts; }
    /// MMIO SQ tail / CQ head doorbell writes of the I/O and admin queues (ring() and reaping).
    std::uint64_t sq_doorbell_writes() const { return m_sq_doorbell_writes; }
    std::uint64_t cq_doorbell_writes() const { return m_cq_doorbell_writes; }
    /// Doorbell Buffer Config succeeded at bring-up (driver_params::shadow_doorbells).
    bool shadow_doorbells() const { return m_dbbuf; }
    /// Doorbell Buffer Config with these buffers as PRP1/PRP2 (raw: the bad-input tests).
    completion doorbell_buffer_config(std::uint64_t shadow, std::uint64_t eventidx);

    // ---- admin wrappers (admin_commands.cpp) ----
    completion identify(std::uint8_t cns, std::uint32_t nsid, nvme::spec::csi csi, dma_buffer& out,
                        std::uint16_t cntid = 0);
    completion get_log_page(std::uint8_t lid, std::uint32_t nsid, dma_buffer& out,
                            std::uint32_t bytes, nvme::spec::csi csi = nvme::spec::csi::nvm,
                            std::uint64_t offset = 0, bool rae = false, std::uint16_t lsi = 0);
    completion get_features(std::uint8_t fid, std::uint32_t nsid = 0, std::uint32_t cdw11 = 0,
                            dma_buffer* data = nullptr, std::uint8_t sel = 0);
    completion set_features(std::uint8_t fid, std::uint32_t cdw11, std::uint32_t nsid = 0,
                            dma_buffer* data = nullptr, bool save = false);

    // ---- I/O wrappers (io_commands.cpp); data via PRPs over buf[offset, offset+len) ----
    completion read(std::uint32_t nsid, std::uint64_t slba, std::uint32_t nlb, dma_buffer& buf,
                    std::size_t offset = 0, std::uint16_t qid = 1);
    completion write(std::uint32_t nsid, std::uint64_t slba, std::uint32_t nlb,
                     const dma_buffer& buf, std::size_t offset = 0, std::uint16_t qid = 1);
    completion compare(std::uint32_t nsid, std::uint64_t slba, std::uint32_t nlb,
                       const dma_buffer& buf, std::uint16_t qid = 1);
    completion verify(std::uint32_t nsid, std::uint64_t slba, std::uint32_t nlb,
                      std::uint16_t qid = 1);
    completion flush(std::uint32_t nsid, std::uint16_t qid = 1);
    completion write_zeroes(std::uint32_t nsid, std::uint64_t slba, std::uint32_t nlb,
                            bool deallocate = false, std::uint16_t qid = 1);
    /// Dataset Management deallocate of 'count' ranges {slba, nlb} (1-based nlb).
    completion deallocate(std::uint32_t nsid,
                          const std::vector<std::pair<std::uint64_t, std::uint32_t>>& ranges,
                          std::uint16_t qid = 1);
    /// Zone Management Send: zsa 1 close, 2 finish, 3 open, 4 reset, 5 offline, 10h set desc.
    completion zone_mgmt_send(std::uint32_t nsid, std::uint64_t slba, std::uint8_t zsa,
                              bool select_all = false, dma_buffer* data = nullptr,
                              std::uint16_t qid = 1);
    /// Zone Management Receive into buf (bytes = buf.size() unless given).
    completion zone_mgmt_recv(std::uint32_t nsid, std::uint64_t slba, dma_buffer& buf,
                              std::uint8_t zra = 0, std::uint8_t zrasf = 0, bool partial = true,
                              std::uint32_t bytes = 0, std::uint16_t qid = 1);
    /// Zone Append at zone start zslba; completion.result64() is the assigned LBA.
    completion zone_append(std::uint32_t nsid, std::uint64_t zslba, std::uint32_t nlb,
                           const dma_buffer& buf, std::uint16_t qid = 1);
    /// Parses a zone report buffer (header + descriptors); at most 'max' descriptors.
    static std::uint64_t parse_zone_report(const dma_buffer& buf, std::size_t bytes,
                                           std::vector<zone_descriptor>& out,
                                           std::uint64_t max = ~0ull);
    /// Whole-namespace zone report (partial, chunked by the transfer limit).
    completion report_zones(std::uint32_t nsid, std::vector<zone_descriptor>& out,
                            std::uint16_t qid = 1);

    /// Builds an SQE for opcode with nsid (all else zero).
    static nvme::spec::sqe make_sqe(std::uint8_t opcode, std::uint32_t nsid = 0);
    /// An SQE with SLBA in CDW10/11 and the 1-based nlb as NLB (0-based) in CDW12[15:0]: Read,
    /// Write, Compare, Verify, Write Zeroes, Zone Append (SLBA = ZSLBA).
    static nvme::spec::sqe make_rw(std::uint8_t opcode, std::uint32_t nsid, std::uint64_t slba,
                                   std::uint32_t nlb);
    /// PRPs for [bus, bus+len) using a list page allocated here (kept alive by the driver until
    /// the next call): for tests building commands by hand.
    prp_pair map_prps(std::uint64_t bus, std::uint64_t len);

  private:
    struct queue_pair;

    const log::logger_ptr& driver_log() const { return m_log; }
    void boot_thread();
    void watchdog();
    bool fail(const std::string& why);
    /// Spends host CPU time; syncs with SystemC once the local offset exceeds the quantum.
    void host_spend(const sc_core::sc_time& d);

    // enumerate.cpp
    bool enumerate();
    bool size_and_assign_bar0();
    bool setup_interrupts();
    std::uint16_t find_capability(std::uint8_t id);
    void program_msix(unsigned vectors);

    // controller_init.cpp
    bool wait_csts(std::uint32_t mask, std::uint32_t value, const char* what);
    bool enable_controller();
    bool init_admin_commands();
    bool create_io_queues();
    void setup_async_events();
    void setup_doorbell_buffer();
    void attach_shadow(queue_pair& q);

    // namespace_scan.cpp
    bool scan_namespaces();
    bool scan_one(std::uint32_t nsid);

    // queues.cpp
    queue_pair* queue(std::uint16_t qid) const;
    queue_pair& add_queue(std::uint16_t qid, std::uint16_t entries, std::uint16_t vector);
    void drop_queue(std::uint16_t qid);
    int take_slot(queue_pair& q);
    ticket push(queue_pair& q, int tag, const nvme::spec::sqe& sqe);
    void reap_vector(std::uint16_t vector);
    bool reap(queue_pair& q);
    completion wait_slot(queue_pair& q, int tag, std::uint16_t cid, bool async);
    void block(queue_pair& q, bool& timed_out, const sc_core::sc_time& deadline,
               const sc_core::sc_time& timeout);
    completion collect(queue_pair& q, int tag);
    prp_pair slot_prps(queue_pair& q, int tag, std::uint64_t bus, std::uint64_t len);
    completion sync_command(std::uint16_t qid, const nvme::spec::sqe& sqe, const dma_buffer* buf,
                            std::size_t offset, std::uint64_t len);

    log::logger_ptr m_log;
    host_memory& m_memory;
    interrupt_controller& m_irq;
    driver_params m_params;

    driver_state m_state = driver_state::idle;
    bool m_bringup_done = false; ///< start() finished (the scan included), well or not
    unsigned m_queues_granted = 0;
    sc_core::sc_time m_host_clock = sc_core::SC_ZERO_TIME; ///< local time (temporal decoupling)
    tlm::tlm_generic_payload m_write_gp; ///< reused by bus_write: no allocation per doorbell
    std::string m_failure;
    sc_core::sc_event m_ready_event;
    tlm::tlm_response_status m_last_response = tlm::TLM_OK_RESPONSE;

    // what enumeration and bring-up found
    std::uint64_t m_bar0 = 0;
    std::uint64_t m_bar0_size = 0;
    bool m_bar0_64 = false;
    bool m_msix = false;
    std::uint16_t m_msix_cap = 0;
    unsigned m_msix_table_size = 0;
    std::uint32_t m_msix_table_offset = 0;
    unsigned m_vectors = 1;
    std::uint64_t m_cap = 0;
    std::uint32_t m_vs = 0;
    std::uint32_t m_cc = 0;
    unsigned m_dstrd = 0;
    std::unique_ptr<nvme::spec::id_ctrl> m_id_ctrl;
    std::vector<namespace_info> m_namespaces;
    bool m_zns_controller_identified = false;
    std::uint8_t m_zasl = 0;

    // queues: index = qid
    std::vector<std::unique_ptr<queue_pair>> m_queues;
    std::vector<std::uint16_t> m_io_qids;
    std::vector<std::unique_ptr<sc_core::sc_event_or_list>>
        m_wait_lists; ///< per vector: irq | reaped | watchdog
    sc_core::sc_event m_reaped;
    sc_core::sc_event m_watchdog_tick;
    sc_core::sc_event m_watchdog_check;
    bool m_watchdog_armed = false;
    unsigned m_waiters = 0;
    unsigned m_intx_spins = 0;

    std::vector<completion> m_events;
    bool m_aer_outstanding = false;
    bool m_aer_enabled = false;
    std::uint64_t m_unexpected = 0;
    std::uint64_t m_timeouts = 0;
    std::uint64_t m_sq_doorbell_writes = 0;
    std::uint64_t m_cq_doorbell_writes = 0;
    // Doorbell Buffer Config: one entry per doorbell at the MMIO doorbells' stride.
    dma_buffer m_dbbuf_dbs;
    dma_buffer m_dbbuf_eis;
    bool m_dbbuf = false;
    std::vector<dma_buffer> m_scratch_lists; ///< list pages for map_prps
};

} // namespace znssim::platform
