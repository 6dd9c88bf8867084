#include "model/pcie/function.h"

#include <algorithm>
#include <string>

namespace znssim::pcie {

using tlm::tlm_generic_payload;

namespace {
std::uint32_t load_le(const unsigned char* p, unsigned len) {
    std::uint32_t v = 0;
    for (unsigned i = 0; i < len; ++i)
        v |= std::uint32_t(p[i]) << (8 * i);
    return v;
}
void store_le(unsigned char* p, unsigned len, std::uint32_t v) {
    for (unsigned i = 0; i < len; ++i)
        p[i] = static_cast<unsigned char>(v >> (8 * i));
}
} // namespace

function::function(const sc_core::sc_module_name& name, const function_params& params)
    : sc_core::sc_module(name), cfg_in("cfg_in"), mem_in("mem_in"), bar0_out("bar0_out"),
      dma_in("dma_in"), dma_out("dma_out"), irq_in("irq_in"), intx_out("intx_out"),
      m_config(params), m_msix(m_config.msix_vectors()),
      m_log(log::get("pcie." + std::string(this->name()))) {
    cfg_in.register_b_transport(this, &function::cfg_b_transport);
    cfg_in.register_transport_dbg(this, &function::cfg_transport_dbg);
    mem_in.register_b_transport(this, &function::mem_b_transport);
    mem_in.register_transport_dbg(this, &function::mem_transport_dbg);
    dma_in.register_b_transport(this, &function::dma_b_transport);
    dma_in.register_transport_dbg(this, &function::dma_transport_dbg);
    dma_in.register_get_direct_mem_ptr(this, &function::dma_get_direct_mem_ptr);
    dma_out.register_invalidate_direct_mem_ptr(this, &function::dma_invalidate);
    irq_in.bind(*this);
    intx_out.initialize(false);
    // INTA# is driven by this one process: set_level() is called from whichever process posts
    // completions or writes doorbells, and a signal must have a single writer per delta.
    SC_METHOD(drive_intx);
    sensitive << m_intx_changed;
    dont_initialize();
}

void function::drive_intx() {
    intx_out.write(m_pin);
}

void function::start_of_simulation() {
    m_started = true;
    update_intx();
}

void function::reset() {
    m_config.reset();
    m_msix.reset();
    m_level = false;
    update_intx();
    invalidate_dma_dmi();
}

void function::function_level_reset() {
    ZLOG_INFO(m_log, "function level reset");
    reset();
    if (m_flr_handler) m_flr_handler();
}

// ---- config space -------------------------------------------------------------------------

void function::cfg_b_transport(tlm_generic_payload& tx, sc_core::sc_time& delay) {
    const std::uint64_t addr = tx.get_address();
    const unsigned len = tx.get_data_length();
    if (tx.get_byte_enable_ptr() != nullptr) {
        tx.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
        return;
    }
    if (tx.get_streaming_width() < len) {
        tx.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
        return;
    }
    if (addr >= config_space_size) {
        tx.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    const auto off = static_cast<std::uint32_t>(addr);
    if (tx.is_read()) {
        std::uint32_t v = 0;
        if (!m_config.read(off, len, v)) {
            tx.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
            return;
        }
        store_le(tx.get_data_ptr(), len, v);
    } else if (tx.is_write()) {
        const std::uint32_t v = (len <= 4) ? load_le(tx.get_data_ptr(), len) : 0;
        const bool bme_before = m_config.bus_master_enabled();
        if (!m_config.write(off, len, v)) {
            tx.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
            return;
        }
        ZLOG_DEBUG(m_log, "config write [{:#05x}] len {} = {:#x}", off, len, v);
        after_config_write(bme_before, true);
    } else {
        tx.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
        return;
    }
    tx.set_response_status(tlm::TLM_OK_RESPONSE);
}

unsigned function::cfg_transport_dbg(tlm_generic_payload& tx) {
    const std::uint64_t addr = tx.get_address();
    const unsigned len = tx.get_data_length();
    if (addr >= config_space_size) return 0;
    const auto off = static_cast<std::uint32_t>(addr);
    const unsigned n = static_cast<unsigned>(std::min<std::uint64_t>(len, config_space_size - off));
    if (tx.is_read()) {
        m_config.peek(off, tx.get_data_ptr(), n);
    } else if (tx.is_write()) {
        const bool bme_before = m_config.bus_master_enabled();
        m_config.poke(off, tx.get_data_ptr(), n);
        ZLOG_DEBUG(m_log, "config debug write [{:#05x}] len {}", off, n);
        after_config_write(bme_before, false);
    } else {
        return 0;
    }
    return n;
}

void function::after_config_write(bool bme_before, bool allow_messages) {
    if (m_config.take_flr_request()) {
        function_level_reset();
        return;
    }
    if (bme_before && !m_config.bus_master_enabled()) invalidate_dma_dmi();
    // Function unmask, MSI-X enable, BME set or return to D0 may release pending messages.
    if (allow_messages && deliverable()) deliver_pending();
    update_intx();
}

// ---- memory space -------------------------------------------------------------------------

function::region function::decode(std::uint64_t addr, std::uint64_t len,
                                  std::uint32_t& offset) const {
    if (!m_config.memory_enabled() || len == 0) return region::none;
    const std::uint64_t base = m_config.bar0_base();
    const std::uint64_t size = m_config.bar0_size();
    if (addr < base || addr - base >= size || len > size - (addr - base)) return region::none;
    offset = static_cast<std::uint32_t>(addr - base);
    if (!m_config.has_msix()) return region::other;
    const auto classify = [&](std::uint64_t start, std::uint64_t bytes, region r) {
        const std::uint64_t end = start + bytes;
        if (offset >= start && offset + len <= end) return r;
        if (offset < end && offset + len > start) return region::straddle;
        return region::other;
    };
    const function_params& p = m_config.params();
    const region t = classify(p.msix_table_offset, m_msix.table_bytes(), region::msix_table);
    if (t != region::other) return t;
    return classify(p.msix_pba_offset, m_msix.pba_bytes(), region::msix_pba);
}

tlm::tlm_response_status function::msix_access(tlm_generic_payload& tx, region r,
                                               std::uint32_t off) {
    if (tx.get_byte_enable_ptr() != nullptr) return tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE;
    const unsigned len = tx.get_data_length();
    if (tx.get_streaming_width() < len) return tlm::TLM_BURST_ERROR_RESPONSE;
    const function_params& p = m_config.params();
    unsigned char* data = tx.get_data_ptr();
    bool ok = false;
    if (r == region::msix_table) {
        const std::uint32_t rel = off - p.msix_table_offset;
        if (tx.is_read()) {
            ok = m_msix.table_read(rel, data, len);
        } else if (tx.is_write()) {
            ok = m_msix.table_write(rel, data, len);
            // Clearing a vector's Mask bit releases its pending message.
            if (ok && deliverable()) deliver_pending();
        }
    } else if (r == region::msix_pba) {
        const std::uint32_t rel = off - p.msix_pba_offset;
        ok = tx.is_read() ? m_msix.pba_read(rel, data, len)
                          : tx.is_write() && m_msix.pba_write(rel, len);
    }
    if (!tx.is_read() && !tx.is_write()) return tlm::TLM_COMMAND_ERROR_RESPONSE;
    return ok ? tlm::TLM_OK_RESPONSE : tlm::TLM_GENERIC_ERROR_RESPONSE;
}

void function::mem_b_transport(tlm_generic_payload& tx, sc_core::sc_time& delay) {
    const std::uint64_t addr = tx.get_address();
    std::uint32_t off = 0;
    const region r = decode(addr, tx.get_data_length(), off);
    switch (r) {
    case region::none:
        tx.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    case region::straddle:
        tx.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
        return;
    case region::msix_table:
    case region::msix_pba:
        tx.set_response_status(msix_access(tx, r, off));
        return;
    case region::other:
        tx.set_address(off);
        bar0_out->b_transport(tx, delay);
        tx.set_address(addr);
        return;
    }
}

unsigned function::mem_transport_dbg(tlm_generic_payload& tx) {
    const std::uint64_t addr = tx.get_address();
    std::uint32_t off = 0;
    const unsigned len = tx.get_data_length();
    const region r = decode(addr, len, off);
    if (r == region::other) {
        tx.set_address(off);
        const unsigned n = bar0_out->transport_dbg(tx);
        tx.set_address(addr);
        return n;
    }
    if (r != region::msix_table && r != region::msix_pba) return 0;
    // Byte-wise so any range inside the region works; no message is sent from a debug access.
    const function_params& p = m_config.params();
    unsigned char* data = tx.get_data_ptr();
    for (unsigned i = 0; i < len; ++i) {
        if (r == region::msix_table) {
            const std::uint32_t rel = off + i - p.msix_table_offset;
            if (tx.is_read())
                m_msix.table_read(rel, data + i, 1);
            else if (tx.is_write())
                m_msix.table_write(rel, data + i, 1);
        } else if (tx.is_read()) {
            m_msix.pba_read(off + i - p.msix_pba_offset, data + i, 1);
        }
    }
    return len;
}

// ---- DMA ----------------------------------------------------------------------------------

void function::dma_b_transport(tlm_generic_payload& tx, sc_core::sc_time& delay) {
    if (!m_config.bus_master_enabled()) {
        ZLOG_DEBUG(m_log, "DMA to {:#x} refused: bus mastering disabled", tx.get_address());
        tx.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
        return;
    }
    dma_out->b_transport(tx, delay);
    // An Unsupported Request completion to a read is a received master abort (PCIe 7.5.1.1.4).
    if (tx.is_read() && tx.get_response_status() == tlm::TLM_ADDRESS_ERROR_RESPONSE)
        m_config.set_status_errors(status_bits::received_master_abort);
}

unsigned function::dma_transport_dbg(tlm_generic_payload& tx) {
    if (!m_config.bus_master_enabled()) return 0;
    return dma_out->transport_dbg(tx);
}

bool function::dma_get_direct_mem_ptr(tlm_generic_payload& tx, tlm::tlm_dmi& dmi) {
    if (!m_config.bus_master_enabled()) return false;
    return dma_out->get_direct_mem_ptr(tx, dmi);
}

void function::dma_invalidate(sc_dt::uint64 start, sc_dt::uint64 end) {
    dma_in->invalidate_direct_mem_ptr(start, end);
}

void function::invalidate_dma_dmi() {
    // Before simulation the backward path may not be bound yet, and no DMI pointer exists.
    if (m_started) dma_in->invalidate_direct_mem_ptr(0, ~sc_dt::uint64(0));
}

// ---- interrupts ---------------------------------------------------------------------------

unsigned function::vector_count() const {
    return mode() == interrupt_mode::msix ? m_msix.vectors() : 1;
}

bool function::deliverable() const {
    return m_config.msix_enabled() && !m_config.msix_function_masked() &&
           m_config.bus_master_enabled();
}

void function::signal(unsigned vector) {
    if (!m_config.msix_enabled()) return;
    if (vector >= m_msix.vectors()) {
        ZLOG_WARN(m_log, "signal of MSI-X vector {} ignored: table has {} entries", vector,
                  m_msix.vectors());
        return;
    }
    if (m_msix.request(vector, deliverable()))
        send_message(vector);
    else
        ZLOG_TRACE(m_log, "MSI-X vector {} pending", vector);
}

void function::deliver_pending() {
    for (unsigned v = m_msix.next_deliverable(0); v < m_msix.vectors();
         v = m_msix.next_deliverable(v + 1)) {
        // Clear first: the message write may re-enter the function (e.g. a handler masking).
        m_msix.clear_pending(v);
        send_message(v);
        if (!deliverable()) return;
    }
}

void function::send_message(unsigned vector) {
    const msix_message msg = m_msix.message(vector);
    store_le(m_msg_data, 4, msg.data);
    m_msg.set_command(tlm::TLM_WRITE_COMMAND);
    m_msg.set_address(msg.address);
    m_msg.set_data_ptr(m_msg_data);
    m_msg.set_data_length(4);
    m_msg.set_streaming_width(4);
    m_msg.set_byte_enable_ptr(nullptr);
    m_msg.set_dmi_allowed(false);
    m_msg.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    ZLOG_TRACE(m_log, "MSI-X vector {}: write {:#x} to {:#x}", vector, msg.data, msg.address);
    dma_out->b_transport(m_msg, delay);
    // The message reaches the host only after the time the target annotated: hold this thread
    // (the device's scheduler) until then, so nothing the device does next overtakes it.
    if (delay != sc_core::SC_ZERO_TIME) sc_core::wait(delay);
    if (m_msg.is_response_error())
        ZLOG_WARN(m_log, "MSI-X vector {} message to {:#x} failed: {}", vector, msg.address,
                  m_msg.get_response_string());
}

void function::set_level(bool asserted) {
    m_level = asserted;
    m_config.set_interrupt_status(asserted);
    update_intx();
}

void function::update_intx() {
    const bool pin = m_config.intx_pin(m_level);
    if (pin == m_pin && m_started) return;
    m_pin = pin;
    if (m_started)
        m_intx_changed.notify(sc_core::SC_ZERO_TIME);
    else
        intx_out.initialize(pin);
}

} // namespace znssim::pcie
