// BAR0 register semantics (NVMe Base 2.0 §3.1): CAP/VS read-only, CC with enable/shutdown
// transitions, CSTS, AQA/ASQ/ACQ, INTMS/INTMC. Linux uses only 32-bit accesses and writes 64-bit
// registers low dword first, so every register is decoded per dword.
#include "nvme/spec/registers.h"
#include "model/storage/backing_image.h"
#include "nvme/core/controller_core.h"

namespace znssim::nvme {

using namespace spec;

std::uint32_t controller_core::register_space_size() const {
    return reg::doorbell_base + 2u * (m_params.max_io_queues + 1u) * m_doorbell_stride;
}

std::uint32_t controller_core::read_register(std::uint32_t offset) {
    switch (offset) {
    case reg::cap:
        return static_cast<std::uint32_t>(m_cap);
    case reg::cap + 4:
        return static_cast<std::uint32_t>(m_cap >> 32);
    case reg::vs:
        return version_2_0;
    case reg::intms:
    case reg::intmc:
        return m_interrupts.mask();
    case reg::cc:
        return m_cc;
    case reg::csts:
        return m_csts;
    case reg::aqa:
        return m_aqa;
    case reg::asq:
        return static_cast<std::uint32_t>(m_asq);
    case reg::asq + 4:
        return static_cast<std::uint32_t>(m_asq >> 32);
    case reg::acq:
        return static_cast<std::uint32_t>(m_acq);
    case reg::acq + 4:
        return static_cast<std::uint32_t>(m_acq >> 32);
    default:
        return 0; // reserved, CMB/PMR/boot partitions (not supported), doorbells (write-only)
    }
}

void controller_core::write_register(std::uint32_t offset, std::uint32_t value) {
    if (offset >= reg::doorbell_base) {
        write_doorbell(offset, value);
        return;
    }
    // Admin queue registers may only change while the controller is disabled.
    const bool disabled = !(m_cc & cc::en);
    switch (offset) {
    case reg::intms:
        if (m_interrupts.mode() != pcie::interrupt_mode::msix) m_interrupts.set_mask(value);
        break;
    case reg::intmc:
        if (m_interrupts.mode() != pcie::interrupt_mode::msix) m_interrupts.clear_mask(value);
        break;
    case reg::cc:
        write_cc(value);
        break;
    case reg::aqa:
        if (disabled) m_aqa = value & 0x0fff0fff;
        break;
    case reg::asq:
        if (disabled) m_asq = (m_asq & ~0xffffffffull) | (value & ~0xfffu);
        break;
    case reg::asq + 4:
        if (disabled) m_asq = (m_asq & 0xffffffffull) | (static_cast<std::uint64_t>(value) << 32);
        break;
    case reg::acq:
        if (disabled) m_acq = (m_acq & ~0xffffffffull) | (value & ~0xfffu);
        break;
    case reg::acq + 4:
        if (disabled) m_acq = (m_acq & 0xffffffffull) | (static_cast<std::uint64_t>(value) << 32);
        break;
    default:
        break; // read-only or reserved: writes are ignored
    }
}

void controller_core::write_cc(std::uint32_t value) {
    // Reserved bits read back as 0; CRIME is not supported (CAP.CRMS = 0).
    constexpr std::uint32_t writable = 0x00fffff1;
    const std::uint32_t old = m_cc;
    m_cc = value & writable;
    m_state.cc = m_cc;
    const bool was_enabled = old & cc::en;
    const bool now_enabled = m_cc & cc::en;

    if (was_enabled && !now_enabled) {
        disable();
        return;
    }
    if (!was_enabled && now_enabled) {
        enable();
        return;
    }
    if (now_enabled && cc::shn(m_cc) != 0 && cc::shn(old) == 0) begin_shutdown();
    if (now_enabled && cc::shn(m_cc) == 0 && cc::shn(old) != 0 &&
        (m_csts & (3u << csts::shst_shift)) == csts::shst_complete) {
        // Leaving shutdown without a reset: the spec requires a reset before new commands.
        m_csts &= ~(3u << csts::shst_shift);
    }
}

void controller_core::enable() {
    const unsigned css = cc::css(m_cc);
    const bool css_ok = css == cc::css_nvm || css == cc::css_all_iocs;
    const bool mps_ok = cc::mps(m_cc) <= ((m_cap >> cap::mpsmax_shift) & 0xf);
    const bool ams_ok = cc::ams(m_cc) == 0;
    const unsigned asqs = (m_aqa & 0xfff) + 1u, acqs = ((m_aqa >> 16) & 0xfff) + 1u;
    if (!css_ok || !mps_ok || !ams_ok || asqs < 2 || acqs < 2 || m_asq == 0 || m_acq == 0) {
        ZLOG_WARN(m_log,
                  "CC.EN=1 with invalid configuration (CC={:#x} AQA={:#x} ASQ={:#x} "
                  "ACQ={:#x}): controller fatal",
                  m_cc, m_aqa, m_asq, m_acq);
        fatal("invalid controller configuration at enable");
        return;
    }
    m_state.page_shift = 12 + cc::mps(m_cc);
    m_csts &= ~(3u << csts::shst_shift);
    m_enabling = true;
    m_env.sched.schedule_in(m_ready_timer, m_params.ready_delay);
    ZLOG_DEBUG(m_log, "enable: CC={:#x} CSS={} MPS={} admin SQ {:#x}/{} CQ {:#x}/{}", m_cc, css,
               cc::mps(m_cc), m_asq, asqs, m_acq, acqs);
}

void controller_core::on_ready_timer() {
    if (m_enabling) {
        m_enabling = false;
        if (m_fatal) return;
        // Admin queues come alive with the configuration latched at enable time.
        submission_queue& asq = m_sqs[0];
        asq = submission_queue{};
        asq.valid = true;
        asq.base = m_asq;
        asq.size = (m_aqa & 0xfff) + 1u;
        completion_queue& acq = m_cqs[0];
        acq = completion_queue{};
        acq.valid = true;
        acq.base = m_acq;
        acq.size = ((m_aqa >> 16) & 0xfff) + 1u;
        acq.interrupts = true;
        acq.sq_refs = 1;
        m_csts |= csts::rdy;
        ZLOG_INFO(m_log, "controller ready");
    } else {
        m_csts &= ~csts::rdy;
        ZLOG_INFO(m_log, "controller disabled");
    }
}

void controller_core::disable() {
    // CC.EN 1→0 is a controller reset: queues deleted, outstanding commands dropped, features
    // back to defaults; CSTS.RDY follows after the configured delay.
    tear_down_queues();
    m_features.reset();
    m_state = controller_state{};
    m_state.cc = m_cc;
    m_interrupts.reset();
    m_enabling = false;
    m_fatal = false;
    m_csts &= ~(csts::cfs | (3u << csts::shst_shift));
    m_env.sched.cancel(m_shutdown_timer);
    if (m_csts & csts::rdy)
        m_env.sched.schedule_in(m_ready_timer, m_params.ready_delay);
    else
        m_env.sched.cancel(m_ready_timer);
}

void controller_core::begin_shutdown() {
    m_csts = (m_csts & ~(3u << csts::shst_shift)) | csts::shst_occurring;
    m_env.sched.schedule_in(m_shutdown_timer, m_params.shutdown_delay);
}

void controller_core::on_shutdown_timer() {
    try {
        shutdown();
    } catch (const image_error& e) {
        // The images could not be made durable: the host must not take this for a clean
        // shutdown. Model exit syncs again and reports it as the run's error.
        ZLOG_ERROR(m_log, "shutdown: {}", e.what());
        fatal("namespace images could not be made durable");
    }
    m_csts = (m_csts & ~(3u << csts::shst_shift)) | csts::shst_complete;
    ZLOG_INFO(m_log, "shutdown complete");
}

} // namespace znssim::nvme
