// Controller bring-up and shutdown, in the order of Linux 6.1 nvme_pci_enable /
// nvme_pci_configure_admin_queue / nvme_init_ctrl_finish / nvme_setup_io_queues /
// nvme_start_ctrl, and the register access the whole driver uses.
#include "platform/driver/queue_pair.h"
#include "platform/driver/transfer_limit.h"

#include "nvme/spec/registers.h"

#include <algorithm>
#include <cstring>

namespace znssim::platform {

namespace spec = nvme::spec;

host_driver::host_driver(const sc_core::sc_module_name& name, host_memory& memory,
                         interrupt_controller& irq, const driver_params& params)
    : sc_module(name), cpu_out("cpu_out"), m_log(log::get(this->name(), "platform.driver")),
      m_memory(memory), m_irq(irq), m_params(params), m_id_ctrl(std::make_unique<spec::id_ctrl>()) {
    std::memset(m_id_ctrl.get(), 0, sizeof(spec::id_ctrl));
    if (m_params.io_queue_depth < 2) m_params.io_queue_depth = 2;
    if (m_params.doorbell_batch == 0) m_params.doorbell_batch = 1;
    SC_METHOD(watchdog);
    sensitive << m_watchdog_tick;
    dont_initialize();
    if (m_params.auto_start) SC_THREAD(boot_thread);
}

host_driver::~host_driver() = default;

void host_driver::boot_thread() {
    start();
}

bool host_driver::wait_ready() {
    // The state is ready during the namespace scan already (it issues I/O): wait for its end.
    while (m_state == driver_state::idle || m_state == driver_state::starting ||
           (m_state == driver_state::ready && !m_bringup_done))
        sc_core::wait(m_ready_event);
    return m_state == driver_state::ready;
}

bool host_driver::fail(const std::string& why) {
    m_failure = why;
    m_state = driver_state::failed;
    m_bringup_done = true;
    ZLOG_ERROR(driver_log(), "bring-up failed: {}", why);
    m_ready_event.notify();
    return false;
}

// ---- bus access ----------------------------------------------------------------------------

tlm::tlm_response_status host_driver::bus_read(std::uint64_t addr, void* data, unsigned len) {
    tlm::tlm_generic_payload gp;
    // A read synchronises: the CPU waits for its answer.
    sc_core::sc_time delay = host_now() - sc_core::sc_time_stamp();
    gp.set_command(tlm::TLM_READ_COMMAND);
    gp.set_address(addr);
    gp.set_data_ptr(static_cast<unsigned char*>(data));
    gp.set_data_length(len);
    gp.set_streaming_width(len);
    gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    cpu_out->b_transport(gp, delay);
    if (delay != sc_core::SC_ZERO_TIME) sc_core::wait(delay);
    return gp.get_response_status();
}

sc_core::sc_time host_driver::host_now() {
    const sc_core::sc_time now = sc_core::sc_time_stamp();
    if (m_host_clock < now) m_host_clock = now;
    return m_host_clock;
}

void host_driver::host_spend(const sc_core::sc_time& d) {
    m_host_clock = host_now() + d;
    const sc_core::sc_time ahead = m_host_clock - sc_core::sc_time_stamp();
    if (ahead > m_params.quantum) sc_core::wait(ahead);
}

tlm::tlm_response_status host_driver::bus_write(std::uint64_t addr, const void* data,
                                                unsigned len) {
    // Posted: the write takes effect at the host's local time; the driver does not wait.
    tlm::tlm_generic_payload& gp = m_write_gp;
    sc_core::sc_time delay = host_now() - sc_core::sc_time_stamp();
    const sc_core::sc_time offset = delay;
    gp.set_command(tlm::TLM_WRITE_COMMAND);
    gp.set_address(addr);
    gp.set_data_ptr(static_cast<unsigned char*>(const_cast<void*>(data)));
    gp.set_data_length(len);
    gp.set_streaming_width(len);
    gp.set_byte_enable_ptr(nullptr);
    gp.set_dmi_allowed(false);
    gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    cpu_out->b_transport(gp, delay);
    // Time a target annotated beyond our own offset is the write's cost to the CPU.
    if (delay > offset) host_spend(delay - offset);
    return gp.get_response_status();
}

std::uint32_t host_driver::reg_read(std::uint32_t offset) {
    std::uint32_t v = 0xffffffff;
    m_last_response = bus_read(m_bar0 + offset, &v, 4);
    if (m_last_response != tlm::TLM_OK_RESPONSE)
        v = 0xffffffff; // what a CPU sees for an unclaimed read
    return v;
}

void host_driver::reg_write(std::uint32_t offset, std::uint32_t value) {
    m_last_response = bus_write(m_bar0 + offset, &value, 4);
}

std::uint64_t host_driver::reg_read64(std::uint32_t offset) {
    std::uint64_t lo = reg_read(offset);
    return lo | std::uint64_t{reg_read(offset + 4)} << 32;
}

void host_driver::reg_write64(std::uint32_t offset, std::uint64_t value) {
    reg_write(offset, static_cast<std::uint32_t>(value));
    reg_write(offset + 4, static_cast<std::uint32_t>(value >> 32));
}

void host_driver::write_sq_doorbell(std::uint16_t qid, std::uint32_t value) {
    reg_write(spec::reg::sq_tail_doorbell(qid, m_dstrd), value);
}

void host_driver::write_cq_doorbell(std::uint16_t qid, std::uint32_t value) {
    reg_write(spec::reg::cq_head_doorbell(qid, m_dstrd), value);
}

// ---- bring-up ------------------------------------------------------------------------------

bool host_driver::start() {
    m_state = driver_state::starting;
    m_bringup_done = false;
    m_failure.clear();
    ZLOG_INFO(driver_log(), "probing 00:00.0");
    if (!enumerate() || !enable_controller() || !init_admin_commands() || !create_io_queues())
        return false;
    setup_doorbell_buffer();
    setup_async_events();
    m_state = driver_state::ready; // the scan issues I/O commands like any user would
    if (m_params.scan_namespaces && !scan_namespaces()) {
        m_state = driver_state::starting;
        return fail(m_failure.empty() ? "namespace scan failed" : m_failure);
    }
    ZLOG_INFO(driver_log(), "controller ready: {} I/O queue(s), {} namespace(s)", m_io_qids.size(),
              m_namespaces.size());
    m_bringup_done = true;
    m_ready_event.notify();
    return true;
}

bool host_driver::wait_csts(std::uint32_t mask, std::uint32_t value, const char* what) {
    // CAP.TO in 500 ms units bounds both the enable and the disable transition.
    const unsigned to = static_cast<unsigned>((m_cap >> spec::cap::to_shift) & 0xff);
    const sc_core::sc_time deadline =
        sc_core::sc_time_stamp() + sc_core::sc_time(500.0 * (to + 1), sc_core::SC_MS);
    for (;;) {
        std::uint32_t csts = reg_read(spec::reg::csts);
        if (csts == 0xffffffff)
            return fail(std::string("CSTS reads FFFFFFFFh while waiting for ") + what);
        if ((csts & mask) == value) return true;
        if ((csts & spec::csts::cfs) && value != 0)
            return fail(std::string("CSTS.CFS set while waiting for ") + what);
        if (sc_core::sc_time_stamp() >= deadline)
            return fail(std::string("Device not ready; timeout waiting for ") + what);
        sc_core::wait(m_params.ready_poll);
    }
}

bool host_driver::enable_controller() {
    std::uint32_t csts = reg_read(spec::reg::csts);
    if (csts == 0xffffffff) return fail("CSTS reads FFFFFFFFh: controller not responding");
    m_cap = reg_read64(spec::reg::cap);
    m_vs = reg_read(spec::reg::vs);
    m_dstrd = static_cast<unsigned>((m_cap >> spec::cap::dstrd_shift) & 0xf);
    ZLOG_INFO(driver_log(), "CAP {:#018x} (MQES {}, TO {}, DSTRD {}, CSS {:#x}), VS {}.{}.{}",
              m_cap, spec::cap::mqes(m_cap) + 1, (m_cap >> spec::cap::to_shift) & 0xff, m_dstrd,
              (m_cap >> spec::cap::css_shift) & 0xff, m_vs >> 16, (m_vs >> 8) & 0xff, m_vs & 0xff);
    if (((m_cap >> spec::cap::mpsmin_shift) & 0xf) != 0)
        return fail("Minimum device page size is larger than 4 KiB (CAP.MPSMIN != 0)");
    reg_write(spec::reg::cc, 0);
    if (!wait_csts(spec::csts::rdy, 0, "CSTS.RDY=0")) return false;
    // The driver forgets whatever queues a previous bring-up had.
    m_queues.clear();
    m_io_qids.clear();
    m_aer_outstanding = false;
    m_dbbuf = false; // a controller reset forgets the buffers
    queue_pair& admin = add_queue(0, 32, 0);
    reg_write(spec::reg::aqa, 0x001f001f);
    reg_write64(spec::reg::asq, admin.sq_mem.bus());
    reg_write64(spec::reg::acq, admin.cq_mem.bus());
    ZLOG_INFO(driver_log(), "admin queues: AQA 0x001f001f, ASQ {:#x}, ACQ {:#x}",
              admin.sq_mem.bus(), admin.cq_mem.bus());
    m_cc = (6u << spec::cc::iosqes_shift) | (4u << spec::cc::iocqes_shift);
    if (m_cap & spec::cap::css_iocs) m_cc |= spec::cc::css_all_iocs << spec::cc::css_shift;
    reg_write(spec::reg::cc, m_cc);
    m_cc |= spec::cc::en;
    reg_write(spec::reg::cc, m_cc);
    ZLOG_INFO(driver_log(), "CC = {:#010x}, waiting for CSTS.RDY", m_cc);
    return wait_csts(spec::csts::rdy, spec::csts::rdy, "CSTS.RDY=1");
}

bool host_driver::init_admin_commands() {
    dma_buffer buf = alloc(4096);
    completion c = identify(0x01, 0, spec::csi::nvm, buf);
    if (!c.ok())
        return fail(fmt::format("Identify Controller failed (status {:#x}{})", c.status.code(),
                                c.timed_out ? ", timeout" : ""));
    std::memcpy(m_id_ctrl.get(), buf.data(), sizeof(spec::id_ctrl));
    const auto& id = *m_id_ctrl;
    ZLOG_INFO(
        driver_log(),
        "Identify Controller: VID {:#06x} MDTS {} CNTLID {} OAES {:#x} NN {} ONCS {:#x} SGLS {:#x}",
        id.vid, id.mdts, id.cntlid, id.oaes, id.nn, id.oncs, id.sgls);
    if (id.lpa & 0x2) {
        buf.fill(0);
        c = get_log_page(0x05, 0, buf, 4096, spec::csi::nvm);
        ZLOG_INFO(driver_log(), "Get Log Page 05h (effects, CSI 0): status {:#x}", c.status.code());
    }
    if (id.oncs & (1u << 6)) {
        dma_buffer ts = alloc(8);
        std::uint64_t ms = static_cast<std::uint64_t>(sc_core::sc_time_stamp().to_seconds() * 1000);
        std::memcpy(ts.data(), &ms, 6);
        c = set_features(0x0e, 0, 0, &ts);
        ZLOG_INFO(driver_log(), "Set Features Timestamp: status {:#x}", c.status.code());
    }
    return true;
}

bool host_driver::create_io_queues() {
    unsigned want = m_msix ? (m_vectors > 1 ? m_vectors - 1 : 1) : 1;
    if (m_params.io_queues < want) want = m_params.io_queues;
    if (want == 0) return true;
    const unsigned ask = std::min(65535u, std::max(want, m_params.request_queues));
    const std::uint32_t n = ask - 1;
    completion c = set_features(0x07, n | n << 16);
    if (!c.ok()) {
        ZLOG_WARN(driver_log(), "Could not set queue count ({:#x}): admin-only", c.status.code());
        return true;
    }
    const unsigned nsqa = (c.dw0 & 0xffff) + 1u, ncqa = (c.dw0 >> 16) + 1u;
    m_queues_granted = std::min(nsqa, ncqa);
    unsigned count = want < nsqa ? want : nsqa;
    count = count < ncqa ? count : ncqa;
    std::uint32_t depth = m_params.io_queue_depth;
    if (depth > spec::cap::mqes(m_cap) + 1)
        depth = static_cast<std::uint32_t>(spec::cap::mqes(m_cap) + 1);
    ZLOG_INFO(driver_log(),
              "Number of Queues: asked {}, granted {} SQ / {} CQ; creating {} x {} entries", want,
              nsqa, ncqa, count, depth);
    for (unsigned qid = 1; qid <= count; ++qid) {
        const std::uint16_t vector = m_msix && m_vectors > 1 ? static_cast<std::uint16_t>(qid) : 0;
        c = create_queue_pair(static_cast<std::uint16_t>(qid), static_cast<std::uint16_t>(depth),
                              vector);
        if (!c.ok()) {
            ZLOG_WARN(driver_log(), "I/O queue {} not created (status {:#x})", qid,
                      c.status.code());
            break;
        }
    }
    if (m_io_qids.empty()) ZLOG_WARN(driver_log(), "IO queues not created");
    return true;
}

void host_driver::setup_async_events() {
    const std::uint32_t mask = (1u << 8) | (1u << 9) | (1u << 11) | (1u << 31);
    const std::uint32_t aen = m_id_ctrl->oaes & mask;
    if (!aen || !m_params.enable_aer) // Linux 6.1 sends no AER at all when OAES has none of these
        return;
    completion c = set_features(0x0b, aen);
    ZLOG_INFO(driver_log(), "Set Features Async Event Config {:#x}: status {:#x}", aen,
              c.status.code());
    m_aer_enabled = true;
    submit_aer();
}

std::uint16_t host_driver::vector_for(unsigned index) const {
    if (!m_msix || m_vectors <= 1) return 0;
    return static_cast<std::uint16_t>(1 + index % (m_vectors - 1));
}

std::uint32_t host_driver::max_queue_entries() const {
    return static_cast<std::uint32_t>(spec::cap::mqes(m_cap) + 1);
}

completion host_driver::create_queue_pair(std::uint16_t qid, std::uint16_t entries,
                                          std::uint16_t vector) {
    completion bad;
    bad.submitted = false;
    if (qid == 0 || entries < 2 || queue(qid)) return bad;
    queue_pair& q = add_queue(qid, entries, vector);
    spec::sqe s = make_sqe(spec::admin_opcode::create_io_cq);
    s.dptr1 = q.cq_mem.bus();
    s.cdw10 = std::uint32_t{entries - 1u} << 16 | qid;
    s.cdw11 = std::uint32_t{m_msix ? vector : 0u} << 16 | 0x3; // IEN | PC
    completion c = submit_admin(s);
    if (!c.ok()) {
        drop_queue(qid);
        return c;
    }
    s = make_sqe(spec::admin_opcode::create_io_sq);
    s.dptr1 = q.sq_mem.bus();
    s.cdw10 = std::uint32_t{entries - 1u} << 16 | qid;
    s.cdw11 = std::uint32_t{qid} << 16 | 0x1; // CQID | PC, priority ignored (round robin)
    c = submit_admin(s);
    if (!c.ok()) {
        spec::sqe d = make_sqe(spec::admin_opcode::delete_io_cq);
        d.cdw10 = qid;
        submit_admin(d);
        drop_queue(qid);
        return c;
    }
    m_io_qids.push_back(qid);
    if (m_dbbuf) attach_shadow(q); // as nvme_init_queue: a queue made later uses them too
    ZLOG_INFO(driver_log(), "I/O queue pair {}: {} entries, vector {}, SQ {:#x} CQ {:#x}", qid,
              entries, q.vector, q.sq_mem.bus(), q.cq_mem.bus());
    return c;
}

completion host_driver::delete_queue_pair(std::uint16_t qid) {
    completion bad;
    bad.submitted = false;
    if (qid == 0 || !queue(qid)) return bad;
    spec::sqe s = make_sqe(spec::admin_opcode::delete_io_sq);
    s.cdw10 = qid;
    completion c = submit_admin(s);
    s = make_sqe(spec::admin_opcode::delete_io_cq);
    s.cdw10 = qid;
    completion c2 = submit_admin(s);
    drop_queue(qid);
    return c.ok() ? c2 : c;
}

bool host_driver::shutdown() {
    if (m_state != driver_state::ready) {
        ZLOG_WARN(driver_log(), "shutdown: controller not ready");
        return false;
    }
    m_state = driver_state::shut_down; // no more AER re-arming
    for (std::uint16_t qid : std::vector<std::uint16_t>(m_io_qids)) {
        spec::sqe s = make_sqe(spec::admin_opcode::delete_io_sq);
        s.cdw10 = qid;
        submit_admin(s);
    }
    for (std::uint16_t qid : std::vector<std::uint16_t>(m_io_qids)) {
        spec::sqe s = make_sqe(spec::admin_opcode::delete_io_cq);
        s.cdw10 = qid;
        submit_admin(s);
        drop_queue(qid);
    }
    m_cc = (m_cc & ~(3u << spec::cc::shn_shift)) | (1u << spec::cc::shn_shift);
    reg_write(spec::reg::cc, m_cc);
    ZLOG_INFO(driver_log(), "CC.SHN=01b (CC {:#010x}), waiting for SHST=10b", m_cc);
    const sc_core::sc_time deadline =
        sc_core::sc_time_stamp() + sc_core::sc_time(5, sc_core::SC_SEC);
    for (;;) {
        std::uint32_t csts = reg_read(spec::reg::csts);
        if ((csts & (3u << spec::csts::shst_shift)) == spec::csts::shst_complete) {
            ZLOG_INFO(driver_log(), "shutdown complete");
            return true;
        }
        if (sc_core::sc_time_stamp() >= deadline) {
            ZLOG_ERROR(driver_log(), "shutdown did not complete (CSTS {:#x})", csts);
            return false;
        }
        sc_core::wait(m_params.ready_poll);
    }
}

bool host_driver::disable_controller() {
    m_state = driver_state::idle;
    reg_write(spec::reg::cc, 0);
    m_cc = 0;
    bool ok = wait_csts(spec::csts::rdy, 0, "CSTS.RDY=0");
    m_dbbuf = false;
    m_queues.clear();
    m_io_qids.clear();
    m_namespaces.clear();
    m_aer_outstanding = false;
    m_aer_enabled = false;
    if (ok) m_state = driver_state::idle;
    return ok;
}

std::uint32_t host_driver::max_transfer_bytes() const {
    return mdts_transfer_bytes(m_id_ctrl->mdts);
}

const namespace_info* host_driver::find_namespace(std::uint32_t nsid) const {
    for (const auto& ns : m_namespaces)
        if (ns.nsid == nsid) return &ns;
    return nullptr;
}

spec::sqe host_driver::make_sqe(std::uint8_t opcode, std::uint32_t nsid) {
    spec::sqe s;
    std::memset(&s, 0, sizeof s);
    s.opcode = opcode;
    s.nsid = nsid;
    return s;
}

} // namespace znssim::platform
