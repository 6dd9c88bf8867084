// The SystemC side of qemu_bridge: requests become TLM transactions, one RET per request.
#include "platform/qemu/bridge.h"

#include "model/log/log.h"

namespace znssim::platform {
namespace {

log::logger_ptr logger() {
    static log::logger_ptr lg = log::get("platform.qemu");
    return lg;
}

std::uint64_t ones(unsigned bytes) {
    return bytes >= 8 ? ~0ull : (1ull << (8 * bytes)) - 1;
}

} // namespace

void qemu_bridge::serve() {
    for (;;) {
        mpqemu::message* m = nullptr;
        bool done;
        {
            std::lock_guard<std::mutex> lock(m_queue_mutex);
            if (m_count != 0) m = &m_queue[m_head]; // the receiver never writes a queued slot
            done = m_receiver_done;
        }
        if (m == nullptr) {
            if (done) break;
            wait(m_wakeup.event());
            continue;
        }
        dispatch(*m);
        m->close_fds();
        {
            std::lock_guard<std::mutex> lock(m_queue_mutex);
            m_head = (m_head + 1) % queue_slots;
            --m_count;
        }
        m_queue_space.notify_one();
    }
    m_peer_closed = true;
    m_stats.irq_signals = m_irq_signals.load();
    if (m_attached) m_wakeup.detach();
    if (m_on_eof) m_on_eof();
}

void qemu_bridge::dispatch(mpqemu::message& m) {
    using mpqemu::command;
    switch (static_cast<command>(m.cmd)) {
    case command::pci_cfgread:
        on_config(m, false);
        break;
    case command::pci_cfgwrite:
        on_config(m, true);
        break;
    case command::bar_read:
        on_bar(m, false);
        break;
    case command::bar_write:
        on_bar(m, true);
        break;
    case command::sync_sysmem:
        on_sync(m);
        break;
    case command::device_reset:
        on_reset();
        break;
    default:
        // Unknown or remote-only (RET): no reply, or the proxy's request/reply pairing breaks.
        ++m_stats.unknown;
        logger()->warn("qemu bridge: ignoring {} (cmd {}, {} bytes, {} fds)",
                       mpqemu::command_name(m.cmd), m.cmd, m.size, m.num_fds);
        break;
    }
    m_stats.irq_signals = m_irq_signals.load();
    m_stats.posted_acks = m_posted_acks.load();
}

tlm::tlm_response_status qemu_bridge::transact(tlm::tlm_initiator_socket<>& socket,
                                               tlm::tlm_command cmd, std::uint64_t addr, void* data,
                                               unsigned len) {
    tlm::tlm_generic_payload& p = m_payload;
    p.set_command(cmd);
    p.set_address(addr);
    p.set_data_ptr(static_cast<unsigned char*>(data));
    p.set_data_length(len);
    p.set_streaming_width(len);
    p.set_byte_enable_ptr(nullptr);
    p.set_dmi_allowed(false);
    p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    socket->b_transport(p, delay);
    if (delay != sc_core::SC_ZERO_TIME) wait(delay);
    return p.get_response_status();
}

void qemu_bridge::reply(std::uint64_t value) {
    if (!m_channel.send_ret(value)) ZLOG_DEBUG(logger(), "qemu bridge: reply not sent (QEMU gone)");
}

void qemu_bridge::on_config(mpqemu::message& m, bool write) {
    auto d = m.as<mpqemu::pci_conf_data>();
    write ? ++m_stats.config_writes : ++m_stats.config_reads;
    unsigned len = d.len > 0 ? static_cast<unsigned>(d.len) : 0;
    if ((len != 1 && len != 2 && len != 4) || d.addr >= 4096 || d.addr + len > 4096) {
        logger()->warn("qemu bridge: config {} at {:#x} len {} out of range",
                       write ? "write" : "read", d.addr, d.len);
        reply(0); // never all-ones: the proxy would log a failed config operation
        return;
    }
    // The device takes naturally aligned 1/2/4-byte accesses; split anything else into bytes.
    bool aligned = d.addr % len == 0;
    std::uint32_t value = write ? d.val : 0;
    unsigned pieces = aligned ? 1 : len, piece = aligned ? len : 1;
    bool ok = true;
    for (unsigned i = 0; i < pieces; ++i) {
        auto* bytes = reinterpret_cast<unsigned char*>(&value) + i * piece;
        auto s = transact(cfg_out, write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND,
                          d.addr + i * piece, bytes, piece);
        ok = ok && s == tlm::TLM_OK_RESPONSE;
    }
    if (!ok)
        logger()->warn("qemu bridge: config {} at {:#x} len {} failed", write ? "write" : "read",
                       d.addr, len);
    ZLOG_TRACE(logger(), "qemu bridge: cfg {} {:#x}/{} = {:#x}", write ? "wr" : "rd", d.addr, len,
               value);
    reply(write || !ok ? 0 : (value & ones(len)));
}

void qemu_bridge::on_bar(mpqemu::message& m, bool write) {
    auto b = m.as<mpqemu::bar_access>();
    write ? ++m_stats.bar_writes : ++m_stats.bar_reads;
    bool valid = (b.size == 1 || b.size == 2 || b.size == 4 || b.size == 8) && b.memory != 0;
    if (write) {
        // Posted: the receiver thread acknowledged it on arrival (a message pushed by other
        // means, e.g. a test, is acknowledged here); the controller takes it in order.
        if (!m.replied) reply(0);
        if (!valid) {
            ++m_stats.bar_errors;
            logger()->warn("qemu bridge: BAR write at {:#x} size {} {} ignored", b.addr, b.size,
                           b.memory ? "memory" : "I/O");
            return;
        }
        std::uint64_t value = b.val;
        // Completions unreaped when the guest wrote and still afterwards (a CQ-head doorbell
        // that left entries): signal again once the level has settled, so the guest's handler
        // runs once more. A write that found the line low is followed by an edge if needed.
        m_wrote_unreaped = m_wrote_unreaped || m_level.load();
        if (transact(mem_out, tlm::TLM_WRITE_COMMAND, b.addr, &value, b.size) !=
            tlm::TLM_OK_RESPONSE) {
            ++m_stats.bar_errors;
            ZLOG_DEBUG(logger(), "qemu bridge: BAR write at {:#x} size {} not claimed", b.addr,
                       b.size);
        }
        ZLOG_TRACE(logger(), "qemu bridge: bar wr {:#x}/{} = {:#x}", b.addr, b.size, b.val);
        if (m_wrote_unreaped) m_recheck.notify(sc_core::sc_time(1, sc_core::SC_NS));
        return;
    }
    unsigned size = b.size >= 1 && b.size <= 8 ? b.size : 8;
    std::uint64_t value = 0;
    if (!valid ||
        transact(mem_out, tlm::TLM_READ_COMMAND, b.addr, &value, b.size) != tlm::TLM_OK_RESPONSE) {
        ++m_stats.bar_errors;
        ZLOG_DEBUG(logger(), "qemu bridge: BAR read at {:#x} size {} not claimed", b.addr, b.size);
        value = ones(size); // master abort
    }
    ZLOG_TRACE(logger(), "qemu bridge: bar rd {:#x}/{} = {:#x}", b.addr, b.size, value);
    reply(value & ones(size));
}

void qemu_bridge::on_sync(mpqemu::message& m) {
    ++m_stats.syncs;
    std::string problems;
    auto table = m.as<mpqemu::sync_sysmem>();
    bool changed = m_memory.sync(table, m.fds, m.num_fds, problems);
    for (std::size_t i = 0; i < m.num_fds; ++i)
        m.fds[i] = -1; // sync() closed them all
    m.num_fds = 0;
    if (!problems.empty()) logger()->warn("qemu bridge: SYNC_SYSMEM: {}", problems);
    if (changed) {
        m_ram.invalidate_all(); // before any old mapping goes away
        m_memory.release_unused();
        for (const auto& r : m_memory.regions())
            ZLOG_DEBUG(logger(), "qemu bridge: guest RAM [{:#x}, {:#x})", r.gpa, r.gpa + r.size);
    }
}

void qemu_bridge::on_reset() {
    ++m_stats.resets;
    logger()->info("qemu bridge: DEVICE_RESET");
    if (m_reset) m_reset();
    reply(0);
}

void qemu_bridge::on_intx() {
    bool level = intx_in.read();
    bool was = m_level.exchange(level);
    if (level && !was) signal_irq();
}

void qemu_bridge::on_recheck() {
    m_wrote_unreaped = false;
    if (!m_level.load()) return;
    note_guest_activity(); // the guest wrote with completions unreaped: it is not waiting
    signal_irq();
}

} // namespace znssim::platform
