// SystemC socket tests of pcie::function: a fake host (config + memory initiators), a fake device
// core (BAR0 register target, DMA initiator, interrupt port) and a fake root complex (host memory,
// MSI-X message recorder, DMI). Self-contained: its own sc_main runs doctest in one SC_THREAD.
#define DOCTEST_CONFIG_IMPLEMENT
#include "model/pcie/function.h"

#include <doctest/doctest.h>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <cstring>
#include <utility>
#include <vector>

using namespace znssim::pcie;
using namespace sc_core;

namespace {

constexpr std::uint64_t bar_base = 0xfebf0000ull;
constexpr std::uint64_t ram_base = 0x100000ull;
constexpr std::uint64_t ram_size = 0x10000ull;
constexpr std::uint64_t msi_base = 0xfee00000ull;

struct bench : sc_module {
    tlm_utils::simple_initiator_socket<bench> host_cfg{"host_cfg"};
    tlm_utils::simple_initiator_socket<bench> host_mem{"host_mem"};
    tlm_utils::simple_target_socket<bench> core_regs{"core_regs"};
    tlm_utils::simple_initiator_socket<bench> core_dma{"core_dma"};
    sc_port<interrupt_if> core_irq{"core_irq"};
    tlm_utils::simple_target_socket<bench> rc{"rc"};
    sc_signal<bool> intx{"intx"};
    function fn;

    // What the fake core saw.
    std::uint64_t reg_addr = ~0ull;
    unsigned reg_len = 0;
    bool reg_write = false;
    unsigned core_invalidations = 0;
    // What the fake root complex saw.
    std::vector<std::pair<std::uint64_t, std::uint32_t>> msis;
    std::vector<std::uint8_t> ram = std::vector<std::uint8_t>(ram_size);
    int flr_count = 0;

    SC_HAS_PROCESS(bench);
    explicit bench(sc_module_name n, const function_params& p) : sc_module(n), fn("fn", p) {
        host_cfg.bind(fn.cfg_in);
        host_mem.bind(fn.mem_in);
        fn.bar0_out.bind(core_regs);
        core_dma.bind(fn.dma_in);
        core_irq.bind(fn.irq_in);
        fn.dma_out.bind(rc);
        fn.intx_out.bind(intx);
        core_regs.register_b_transport(this, &bench::regs_b_transport);
        core_dma.register_invalidate_direct_mem_ptr(this, &bench::core_invalidate);
        rc.register_b_transport(this, &bench::rc_b_transport);
        rc.register_get_direct_mem_ptr(this, &bench::rc_get_dmi);
        fn.set_flr_handler([this] { ++flr_count; });
        SC_THREAD(run);
    }

    void regs_b_transport(tlm::tlm_generic_payload& tx, sc_time&) {
        reg_addr = tx.get_address();
        reg_len = tx.get_data_length();
        reg_write = tx.is_write();
        if (tx.is_read())
            for (unsigned i = 0; i < reg_len; ++i)
                tx.get_data_ptr()[i] = static_cast<unsigned char>(0xa0 + i);
        tx.set_response_status(tlm::TLM_OK_RESPONSE);
    }
    void core_invalidate(sc_dt::uint64, sc_dt::uint64) { ++core_invalidations; }
    void rc_b_transport(tlm::tlm_generic_payload& tx, sc_time&) {
        const std::uint64_t a = tx.get_address();
        const unsigned len = tx.get_data_length();
        if (a >= msi_base && a < msi_base + 0x100000 && tx.is_write() && len == 4) {
            std::uint32_t d;
            std::memcpy(&d, tx.get_data_ptr(), 4);
            msis.emplace_back(a, d);
        } else if (a >= ram_base && a + len <= ram_base + ram_size) {
            unsigned char* p = ram.data() + (a - ram_base);
            if (tx.is_read())
                std::memcpy(tx.get_data_ptr(), p, len);
            else
                std::memcpy(p, tx.get_data_ptr(), len);
        } else {
            tx.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
            return;
        }
        tx.set_response_status(tlm::TLM_OK_RESPONSE);
    }
    bool rc_get_dmi(tlm::tlm_generic_payload&, tlm::tlm_dmi& dmi) {
        dmi.set_dmi_ptr(ram.data());
        dmi.set_start_address(ram_base);
        dmi.set_end_address(ram_base + ram_size - 1);
        dmi.allow_read_write();
        return true;
    }

    tlm::tlm_response_status access(tlm_utils::simple_initiator_socket<bench>& s, bool write,
                                    std::uint64_t addr, void* data, unsigned len) {
        tlm::tlm_generic_payload tx;
        tx.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
        tx.set_address(addr);
        tx.set_data_ptr(static_cast<unsigned char*>(data));
        tx.set_data_length(len);
        tx.set_streaming_width(len);
        tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        sc_time d = SC_ZERO_TIME;
        s->b_transport(tx, d);
        CHECK(tx.get_address() == addr);
        return tx.get_response_status();
    }
    std::uint32_t cfg_rd(std::uint32_t off, unsigned len) {
        std::uint32_t v = 0;
        REQUIRE(access(host_cfg, false, off, &v, len) == tlm::TLM_OK_RESPONSE);
        return v;
    }
    void cfg_wr(std::uint32_t off, unsigned len, std::uint32_t v) {
        REQUIRE(access(host_cfg, true, off, &v, len) == tlm::TLM_OK_RESPONSE);
        settle_intx();
    }
    std::uint32_t mem_rd32(std::uint64_t a) {
        std::uint32_t v = 0;
        REQUIRE(access(host_mem, false, a, &v, 4) == tlm::TLM_OK_RESPONSE);
        return v;
    }
    void mem_wr32(std::uint64_t a, std::uint32_t v) {
        REQUIRE(access(host_mem, true, a, &v, 4) == tlm::TLM_OK_RESPONSE);
    }
    /// What a BIOS does: size and assign BAR0, enable MEM and BME.
    void enumerate() {
        fn.reset();
        wait(SC_ZERO_TIME);
        cfg_wr(0x10, 4, std::uint32_t(bar_base));
        cfg_wr(0x14, 4, 0);
        cfg_wr(0x04, 2, 0x0006);
    }
    void set_level(bool l) {
        core_irq->set_level(l);
        settle_intx();
    }
    // INTA# is driven by the function's own process one delta after a change, and the signal
    // shows the new value one delta after that.
    void settle_intx() {
        wait(SC_ZERO_TIME);
        wait(SC_ZERO_TIME);
    }

    void run();
};

bench* tb = nullptr;
int result = 0;
char** g_argv = nullptr;
int g_argc = 0;

void bench::run() {
    doctest::Context ctx(g_argc, g_argv);
    result = ctx.run();
    sc_stop();
}

} // namespace

TEST_CASE("pcie function: config socket accesses and errors") {
    tb->fn.reset();
    CHECK(tb->cfg_rd(0x00, 4) == 0x5a4e1b36u);
    CHECK(tb->cfg_rd(0x0a, 2) == 0x0108);
    std::uint32_t v = 0;
    CHECK(tb->access(tb->host_cfg, false, 0x00, &v, 3) == tlm::TLM_GENERIC_ERROR_RESPONSE);
    CHECK(tb->access(tb->host_cfg, false, 0x02, &v, 4) == tlm::TLM_GENERIC_ERROR_RESPONSE);
    CHECK(tb->access(tb->host_cfg, false, 0x1000, &v, 4) == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    // Debug transport reads any range.
    std::uint8_t img[64] = {};
    tlm::tlm_generic_payload tx;
    tx.set_read();
    tx.set_address(0);
    tx.set_data_ptr(img);
    tx.set_data_length(64);
    tx.set_streaming_width(64);
    CHECK(tb->host_cfg->transport_dbg(tx) == 64);
    CHECK(img[0] == 0x36);
    CHECK(img[0x34] == 0x40);
}

TEST_CASE("pcie function: BAR0 decode forwards BAR-relative accesses") {
    tb->fn.reset();
    std::uint32_t v = 0;
    CHECK(tb->access(tb->host_mem, false, 0x1c, &v, 4) == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    tb->cfg_wr(0x10, 4, std::uint32_t(bar_base));
    CHECK(tb->access(tb->host_mem, false, bar_base + 0x1c, &v, 4) ==
          tlm::TLM_ADDRESS_ERROR_RESPONSE);
    tb->cfg_wr(0x04, 2, 0x0002); // MEM
    CHECK(tb->fn.bar0_base() == bar_base);
    CHECK(tb->mem_rd32(bar_base + 0x1c) == 0xa3a2a1a0u);
    CHECK(tb->reg_addr == 0x1c);
    CHECK_FALSE(tb->reg_write);
    std::uint64_t cap = 0;
    CHECK(tb->access(tb->host_mem, false, bar_base, &cap, 8) == tlm::TLM_OK_RESPONSE);
    CHECK(tb->reg_len == 8);
    tb->mem_wr32(bar_base + 0x1004, 1); // SQ0 tail doorbell
    CHECK(tb->reg_addr == 0x1004);
    CHECK(tb->reg_write);
    CHECK(tb->access(tb->host_mem, false, bar_base + 0x4000, &v, 4) ==
          tlm::TLM_ADDRESS_ERROR_RESPONSE);
    CHECK(tb->access(tb->host_mem, false, bar_base - 4, &v, 4) == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    CHECK(tb->access(tb->host_mem, false, bar_base + 0x3ffc, &cap, 8) ==
          tlm::TLM_ADDRESS_ERROR_RESPONSE);
    tb->cfg_wr(0x04, 2, 0x0000);
    CHECK(tb->access(tb->host_mem, false, bar_base + 0x1c, &v, 4) ==
          tlm::TLM_ADDRESS_ERROR_RESPONSE);
}

TEST_CASE("pcie function: MSI-X masking, pending bits and delivery") {
    tb->enumerate();
    tb->msis.clear();
    const std::uint64_t t1 = bar_base + 0x2000 + 16; // vector 1
    tb->mem_wr32(t1 + 0, std::uint32_t(msi_base) | 0x1000);
    tb->mem_wr32(t1 + 4, 0);
    tb->mem_wr32(t1 + 8, 0x41);
    CHECK(tb->mem_rd32(t1 + 12) == 1); // masked at reset
    CHECK(tb->core_irq->mode() == interrupt_mode::intx);
    CHECK(tb->core_irq->vector_count() == 1);
    tb->core_irq->signal(1); // INTx mode: ignored
    CHECK(tb->fn.msix().pending(1) == false);

    tb->cfg_wr(0x52, 2, 0xc000); // Enable + Function Mask
    CHECK(tb->core_irq->mode() == interrupt_mode::msix);
    CHECK(tb->core_irq->vector_count() == 65);
    tb->core_irq->signal(1);
    CHECK(tb->msis.empty());
    CHECK(tb->mem_rd32(bar_base + 0x3000) == 0x2); // PBA bit 1
    tb->mem_wr32(bar_base + 0x3000, 0);            // PBA is read-only
    CHECK(tb->mem_rd32(bar_base + 0x3000) == 0x2);
    tb->mem_wr32(t1 + 12, 0); // vector unmasked, function still masked
    CHECK(tb->msis.empty());
    tb->cfg_wr(0x52, 2, 0x8000); // function unmask releases the pending message
    REQUIRE(tb->msis.size() == 1);
    CHECK(tb->msis[0].first == (msi_base | 0x1000));
    CHECK(tb->msis[0].second == 0x41);
    CHECK(tb->mem_rd32(bar_base + 0x3000) == 0);
    tb->core_irq->signal(1);
    CHECK(tb->msis.size() == 2);

    tb->mem_wr32(t1 + 12, 1); // per-vector mask
    tb->core_irq->signal(1);
    CHECK(tb->msis.size() == 2);
    CHECK(tb->fn.msix().pending(1));
    tb->mem_wr32(t1 + 12, 0);
    CHECK(tb->msis.size() == 3);
    CHECK_FALSE(tb->fn.msix().pending(1));

    tb->cfg_wr(0x04, 2, 0x0002); // BME off: messages cannot leave the function
    tb->core_irq->signal(1);
    CHECK(tb->msis.size() == 3);
    tb->cfg_wr(0x04, 2, 0x0006);
    CHECK(tb->msis.size() == 4);

    tb->core_irq->signal(99); // out of range: ignored
    CHECK(tb->msis.size() == 4);
    std::uint32_t v = 0;
    CHECK(tb->access(tb->host_mem, false, bar_base + 0x2002, &v, 4) ==
          tlm::TLM_GENERIC_ERROR_RESPONSE);
}

TEST_CASE("pcie function: INTx level, INTx Disable and MSI-X enable") {
    tb->enumerate();
    tb->set_level(true);
    CHECK(tb->intx.read());
    CHECK((tb->cfg_rd(0x06, 2) & 0x8) != 0);
    tb->cfg_wr(0x04, 2, 0x0406); // INTx Disable
    CHECK_FALSE(tb->intx.read());
    CHECK((tb->cfg_rd(0x06, 2) & 0x8) != 0); // Interrupt Status still reflects the level
    tb->cfg_wr(0x04, 2, 0x0006);
    CHECK(tb->intx.read());
    tb->cfg_wr(0x52, 2, 0x8000); // MSI-X on: INTx must not be asserted
    CHECK_FALSE(tb->intx.read());
    tb->cfg_wr(0x52, 2, 0x0000);
    CHECK(tb->intx.read());
    tb->set_level(false);
    CHECK_FALSE(tb->intx.read());
    CHECK((tb->cfg_rd(0x06, 2) & 0x8) == 0);
}

TEST_CASE("pcie function: DMA gated by bus mastering, DMI invalidated") {
    tb->fn.reset();
    wait(SC_ZERO_TIME);
    std::uint32_t v = 0x12345678;
    CHECK(tb->access(tb->core_dma, true, ram_base + 0x100, &v, 4) ==
          tlm::TLM_COMMAND_ERROR_RESPONSE);
    tlm::tlm_generic_payload tx;
    tx.set_read();
    tx.set_address(ram_base);
    tlm::tlm_dmi dmi;
    CHECK_FALSE(tb->core_dma->get_direct_mem_ptr(tx, dmi));
    tb->cfg_wr(0x04, 2, 0x0004);
    CHECK(tb->access(tb->core_dma, true, ram_base + 0x100, &v, 4) == tlm::TLM_OK_RESPONSE);
    CHECK(tb->ram[0x100] == 0x78);
    CHECK(tb->core_dma->get_direct_mem_ptr(tx, dmi));
    CHECK(dmi.get_dmi_ptr() == tb->ram.data());
    const unsigned inv = tb->core_invalidations;
    tb->rc->invalidate_direct_mem_ptr(0, ~0ull); // root complex side: forwarded back
    CHECK(tb->core_invalidations == inv + 1);
    CHECK((tb->cfg_rd(0x06, 2) & 0x2000) == 0);
    CHECK(tb->access(tb->core_dma, false, 0x10, &v, 4) == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    CHECK((tb->cfg_rd(0x06, 2) & 0x2000) != 0); // received master abort
    tb->cfg_wr(0x04, 2, 0x0000);
    CHECK(tb->core_invalidations == inv + 2);
    CHECK_FALSE(tb->core_dma->get_direct_mem_ptr(tx, dmi));
}

TEST_CASE("pcie function: reset and FLR restore power-on state") {
    tb->enumerate();
    tb->cfg_wr(0x52, 2, 0x8000);
    tb->set_level(true);
    const unsigned inv = tb->core_invalidations;
    tb->fn.reset();
    wait(SC_ZERO_TIME);
    CHECK(tb->fn.bar0_base() == 0);
    CHECK(tb->cfg_rd(0x04, 2) == 0);
    CHECK(tb->core_irq->mode() == interrupt_mode::intx);
    CHECK_FALSE(tb->intx.read());
    CHECK(tb->core_invalidations == inv + 1);
    CHECK(tb->fn.msix().masked(1));

    tb->enumerate();
    const int flr = tb->flr_count;
    tb->cfg_wr(0x68, 2, 0x8000 | tb->cfg_rd(0x68, 2));
    CHECK(tb->flr_count == flr + 1);
    CHECK(tb->fn.bar0_base() == 0);
    CHECK(tb->cfg_rd(0x04, 2) == 0);
}

TEST_CASE("pcie function: D3hot stops decode and messages until D0") {
    tb->enumerate();
    tb->msis.clear();
    const std::uint64_t t0 = bar_base + 0x2000; // vector 0
    tb->mem_wr32(t0 + 0, std::uint32_t(msi_base));
    tb->mem_wr32(t0 + 8, 0x30);
    tb->mem_wr32(t0 + 12, 0);
    tb->cfg_wr(0x52, 2, 0x8000);
    tb->cfg_wr(0x44, 2, 0x0003); // D3hot
    std::uint32_t v = 0;
    CHECK(tb->access(tb->host_mem, false, bar_base + 0x1c, &v, 4) ==
          tlm::TLM_ADDRESS_ERROR_RESPONSE);
    tb->core_irq->signal(0);
    CHECK(tb->msis.empty());
    CHECK(tb->fn.msix().pending(0));
    tb->cfg_wr(0x44, 2, 0x0000); // back to D0 (No_Soft_Reset: state kept)
    REQUIRE(tb->msis.size() == 1);
    CHECK(tb->msis[0].second == 0x30);
    CHECK(tb->mem_rd32(bar_base + 0x1c) == 0xa3a2a1a0u);
}

TEST_CASE("pcie function: debug transport on memory space") {
    tb->enumerate();
    tb->mem_wr32(bar_base + 0x2000 + 8, 0x11223344);
    std::uint8_t buf[16] = {};
    tlm::tlm_generic_payload tx;
    tx.set_read();
    tx.set_address(bar_base + 0x2000);
    tx.set_data_ptr(buf);
    tx.set_data_length(16);
    tx.set_streaming_width(16);
    CHECK(tb->host_mem->transport_dbg(tx) == 16); // a whole entry in one debug read
    CHECK(buf[8] == 0x44);
    CHECK(buf[11] == 0x11);
    CHECK(buf[12] == 1); // masked
    tx.set_address(bar_base + 0x8000);
    CHECK(tb->host_mem->transport_dbg(tx) == 0); // outside BAR0
}

int sc_main(int argc, char** argv) {
    g_argc = argc;
    g_argv = argv;
    function_params p;
    bench b("bench", p);
    tb = &b;
    sc_start();
    return result;
}
