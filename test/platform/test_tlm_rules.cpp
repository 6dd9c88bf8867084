// TLM-2.0 rules towards an integrator's platform: host memory that grants no DMI and either
// annotates a delay on every access (a loosely-timed target) or wait()s inside b_transport (a
// target synchronising itself, as VCML or QBox memories may). The device must call b_transport
// only from thread context, add the annotated time to the command's time, and keep working.
#include "test/platform/harness_main.h"

#include "nvme/ns/nvm_namespace.h"
#include "nvme/nvm/nvm_command_set.h"
#include "nvme/pci_nvme.h"
#include "nvme/spec/registers.h"

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <cstring>
#include <vector>

using namespace sc_core;
namespace nvme = znssim::nvme;
namespace spec = znssim::nvme::spec;

namespace {

constexpr std::uint64_t ram_size = 1 << 20;
constexpr std::uint64_t bar0_addr = 0x4000'0000;
constexpr std::uint64_t msi_addr = 0xFEE0'0000;
constexpr std::uint64_t asq = 0x10000, acq = 0x11000, idbuf = 0x20000;

enum class memory_kind { annotating, waiting };

/// pci_nvme behind plain sockets with host memory of the given kind: every access costs
/// 'access_time', annotated or waited for.
struct slow_memory_top : sc_module {
    tlm_utils::simple_initiator_socket<slow_memory_top> cfg_out{"cfg_out"};
    tlm_utils::simple_initiator_socket<slow_memory_top> mem_out{"mem_out"};
    tlm_utils::simple_target_socket<slow_memory_top> dma_in{"dma_in"};
    sc_signal<bool> intx{"intx"}; // INTA#: the function drives it from one process
    znssim::zero_time_media timing;
    nvme::pci_nvme dev;
    std::vector<std::uint8_t> ram = std::vector<std::uint8_t>(ram_size, 0);
    memory_kind kind;
    sc_time access_time;
    unsigned accesses = 0;
    sc_time msi_at = SC_ZERO_TIME; ///< when INTA# last rose (no MSI-X is enabled here)
    SC_HAS_PROCESS(slow_memory_top);
    void on_intx() {
        if (intx.read()) msi_at = sc_time_stamp();
    }
    unsigned from_method = 0; ///< b_transport calls made from an SC_METHOD (must stay 0)

    static std::vector<std::unique_ptr<nvme::nvme_namespace>> namespaces(const char* tag) {
        nvme::namespace_params p;
        p.nsid = 1;
        p.image = znssim::test::temp_dir() + "/" + tag + ".img";
        p.capacity_lbas = 256;
        std::vector<std::unique_ptr<nvme::nvme_namespace>> v;
        v.push_back(std::make_unique<nvme::nvm_namespace>(p, tag));
        return v;
    }

    slow_memory_top(sc_module_name n, memory_kind k, sc_time t)
        : sc_module(n), dev("nvme", znssim::pcie::function_params{}, nvme::controller_params{},
                            namespaces(name()), {&nvme::nvm_command_set()}, timing),
          kind(k), access_time(t) {
        cfg_out.bind(dev.cfg_in);
        mem_out.bind(dev.mem_in);
        dev.dma_out.bind(dma_in);
        dev.intx_out.bind(intx);
        dma_in.register_b_transport(this, &slow_memory_top::dma);
        SC_METHOD(on_intx);
        sensitive << intx;
        dont_initialize();
    }

    void dma(tlm::tlm_generic_payload& gp, sc_time& delay) {
        const sc_process_handle h = sc_get_current_process_handle();
        if (h.proc_kind() != SC_THREAD_PROC_) ++from_method;
        const std::uint64_t a = gp.get_address();
        const unsigned len = gp.get_data_length();
        gp.set_response_status(tlm::TLM_OK_RESPONSE);
        if (a >= msi_addr && a < msi_addr + 0x100000) return;
        if (a >= ram_size || len > ram_size - a) {
            gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
            return;
        }
        ++accesses;
        if (gp.is_read())
            std::memcpy(gp.get_data_ptr(), &ram[a], len);
        else
            std::memcpy(&ram[a], gp.get_data_ptr(), len);
        if (kind == memory_kind::annotating)
            delay += access_time;
        else
            wait(access_time);
    }

    void access(tlm_utils::simple_initiator_socket<slow_memory_top>& s, tlm::tlm_command cmd,
                std::uint64_t a, void* d, unsigned len) {
        tlm::tlm_generic_payload gp;
        sc_time delay = SC_ZERO_TIME;
        gp.set_command(cmd);
        gp.set_address(a);
        gp.set_data_ptr(static_cast<unsigned char*>(d));
        gp.set_data_length(len);
        gp.set_streaming_width(len);
        s->b_transport(gp, delay);
        if (delay != SC_ZERO_TIME) wait(delay);
    }
    void reg_write(std::uint32_t off, std::uint32_t v) {
        access(mem_out, tlm::TLM_WRITE_COMMAND, bar0_addr + off, &v, 4);
    }
    std::uint32_t reg_read(std::uint32_t off) {
        std::uint32_t v = 0;
        access(mem_out, tlm::TLM_READ_COMMAND, bar0_addr + off, &v, 4);
        return v;
    }

    struct timings {
        sc_time entry;     ///< doorbell to the completion entry visible in memory
        sc_time interrupt; ///< doorbell to the MSI-X message
    };
    /// Enables the controller and runs one Identify (memory polled every 10 ns).
    timings identify_time() {
        std::uint32_t v = static_cast<std::uint32_t>(bar0_addr);
        access(cfg_out, tlm::TLM_WRITE_COMMAND, 0x10, &v, 4);
        v = 0;
        access(cfg_out, tlm::TLM_WRITE_COMMAND, 0x14, &v, 4);
        v = 0x0006;
        access(cfg_out, tlm::TLM_WRITE_COMMAND, 0x04, &v, 2);
        reg_write(spec::reg::aqa, 0x000f000f);
        reg_write(spec::reg::asq, static_cast<std::uint32_t>(asq));
        reg_write(spec::reg::asq + 4, 0);
        reg_write(spec::reg::acq, static_cast<std::uint32_t>(acq));
        reg_write(spec::reg::acq + 4, 0);
        reg_write(spec::reg::cc, 0x00460001);
        for (int i = 0; i < 1000 && !(reg_read(spec::reg::csts) & 1u); ++i)
            wait(10, SC_US);
        REQUIRE((reg_read(spec::reg::csts) & 1u) == 1u);
        spec::sqe s;
        std::memset(&s, 0, sizeof s);
        s.opcode = spec::admin_opcode::identify;
        s.dptr1 = idbuf;
        s.cdw10 = 1;
        s.cid = 7;
        std::memcpy(&ram[asq], &s, 64);
        const sc_time t0 = sc_time_stamp();
        reg_write(spec::reg::sq_tail_doorbell(0, 0), 1);
        for (int i = 0; i < 1000000; ++i) {
            if (ram[acq + 14] & 1u) break; // phase tag of the first entry
            wait(10, SC_NS);
        }
        REQUIRE((ram[acq + 14] & 1u) == 1u);
        const sc_time entry = sc_time_stamp() - t0;
        wait(10, SC_US);
        CHECK(std::memcmp(&ram[idbuf + 24], "znssim", 6) == 0);
        return {entry, msi_at > t0 ? msi_at - t0 : SC_ZERO_TIME};
    }
};

slow_memory_top* g_annotating = nullptr;
slow_memory_top* g_waiting = nullptr;

} // namespace

void znssim::test::setup(harness& h) {
    g_annotating = &h.own(std::make_unique<slow_memory_top>("annotating", memory_kind::annotating,
                                                            sc_time(1, SC_US)));
    g_waiting = &h.own(
        std::make_unique<slow_memory_top>("waiting", memory_kind::waiting, sc_time(1, SC_US)));
}

TEST_CASE("tlm_rules: time host memory annotates is added to the command's time") {
    const auto t = g_annotating->identify_time();
    // The entry fetch and the 4 KiB of data cost 1 us each before the completion entry is
    // written (a loosely-timed write's data is in memory at once); the interrupt waits for the
    // entry's own microsecond too.
    CHECK(g_annotating->accesses >= 3);
    CHECK(t.entry >= sc_time(2, SC_US));
    CHECK(t.entry < sc_time(3, SC_US));
    CHECK(t.interrupt >= sc_time(3, SC_US));
    CHECK(t.interrupt < sc_time(4, SC_US));
    CHECK(g_annotating->from_method == 0);
}

TEST_CASE("tlm_rules: host memory that wait()s in b_transport is called from a thread and works") {
    const auto t = g_waiting->identify_time();
    CHECK(g_waiting->accesses >= 3);
    CHECK(t.entry >= sc_time(2, SC_US));
    CHECK(t.interrupt >= sc_time(3, SC_US));
    CHECK(g_waiting->from_method == 0);
}
