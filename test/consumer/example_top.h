#pragma once
// The integrator's example: nvme::pci_nvme in a hand-written top with plain TLM-2.0 simple
// sockets (no znssim root complex, no reference driver). run_example() brings the controller up
// with raw config and register accesses, polls completion queues in the top's own memory, and
// moves one block of data through the device. Everything an integrator needs is in this file,
// and it includes only installed headers, the way a consumer writes them (<znssim/...>). It is
// built three times: test/platform/test_example_top.cpp in the tree, and the consumer project
// in this directory against the installed package and through add_subdirectory.
#include <znssim/model/timing/media_timing.h>
#include <znssim/nvme/ns/nvm_namespace.h>
#include <znssim/nvme/nvm/nvm_command_set.h>
#include <znssim/nvme/pci_nvme.h>
#include <znssim/nvme/spec/registers.h>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace example {

namespace nvme = znssim::nvme;
namespace spec = znssim::nvme::spec;

constexpr std::uint64_t ram_size = 1 << 20;      // RAM at bus address 0
constexpr std::uint64_t bar0_addr = 0x4000'0000; // where we put BAR0
constexpr std::uint64_t msi_addr = 0xFEE0'0000;

/// A minimal interconnect: CPU-side initiators to config and memory space, a DMA target that is
/// RAM plus an MSI message catcher, and a wire for INTA# (driven by one process of the device).
struct example_top : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<example_top> cfg_out{"cfg_out"};
    tlm_utils::simple_initiator_socket<example_top> mem_out{"mem_out"};
    tlm_utils::simple_target_socket<example_top> dma_in{"dma_in"};
    sc_core::sc_signal<bool> intx{"intx"};
    znssim::zero_time_media timing;
    nvme::pci_nvme dev;
    std::vector<std::uint8_t> ram = std::vector<std::uint8_t>(ram_size, 0);
    unsigned msi_count = 0;

    /// One conventional namespace of 1024 4 KiB LBAs in 'image' (a sparse file, created if
    /// missing). The device's loggers are named after its instance: "<top>.nvme.ctrl", ...
    static std::vector<std::unique_ptr<nvme::nvme_namespace>> namespaces(const std::string& image) {
        nvme::namespace_params p;
        p.nsid = 1;
        p.image = image;
        p.capacity_lbas = 1024;
        std::vector<std::unique_ptr<nvme::nvme_namespace>> v;
        v.push_back(std::make_unique<nvme::nvm_namespace>(p, "EXAMPLE1"));
        return v;
    }

    example_top(const sc_core::sc_module_name& n, const std::string& image)
        : sc_core::sc_module(n),
          dev("nvme", znssim::pcie::function_params{}, nvme::controller_params{}, namespaces(image),
              {&nvme::nvm_command_set()}, timing) {
        cfg_out.bind(dev.cfg_in);
        mem_out.bind(dev.mem_in);
        dev.dma_out.bind(dma_in);
        dev.intx_out.bind(intx);
        dma_in.register_b_transport(this, &example_top::dma);
    }

    void dma(tlm::tlm_generic_payload& gp, sc_core::sc_time&) {
        const std::uint64_t a = gp.get_address();
        const unsigned len = gp.get_data_length();
        if (a >= msi_addr && a < msi_addr + 0x100000) {
            ++msi_count;
            gp.set_response_status(tlm::TLM_OK_RESPONSE);
            return;
        }
        if (a >= ram_size || len > ram_size - a) {
            gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
            return;
        }
        if (gp.is_read())
            std::memcpy(gp.get_data_ptr(), &ram[a], len);
        else
            std::memcpy(&ram[a], gp.get_data_ptr(), len);
        gp.set_response_status(tlm::TLM_OK_RESPONSE);
    }

    tlm::tlm_response_status access(tlm_utils::simple_initiator_socket<example_top>& s,
                                    tlm::tlm_command cmd, std::uint64_t a, void* d, unsigned len) {
        tlm::tlm_generic_payload gp;
        sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
        gp.set_command(cmd);
        gp.set_address(a);
        gp.set_data_ptr(static_cast<unsigned char*>(d));
        gp.set_data_length(len);
        gp.set_streaming_width(len);
        s->b_transport(gp, delay);
        return gp.get_response_status();
    }
    std::uint32_t cfg_read(std::uint64_t off, unsigned len = 4) {
        std::uint32_t v = 0;
        access(cfg_out, tlm::TLM_READ_COMMAND, off, &v, len);
        return v;
    }
    void cfg_write(std::uint64_t off, std::uint32_t v, unsigned len = 4) {
        access(cfg_out, tlm::TLM_WRITE_COMMAND, off, &v, len);
    }
    std::uint32_t reg_read(std::uint32_t off) {
        std::uint32_t v = 0;
        access(mem_out, tlm::TLM_READ_COMMAND, bar0_addr + off, &v, 4);
        return v;
    }
    void reg_write(std::uint32_t off, std::uint32_t v) {
        access(mem_out, tlm::TLM_WRITE_COMMAND, bar0_addr + off, &v, 4);
    }
};

/// Throws std::runtime_error("example: <what>") unless ok.
inline void expect(bool ok, const std::string& what) {
    if (!ok) throw std::runtime_error("example: " + what);
}

// Host memory layout inside the top's RAM.
constexpr std::uint64_t asq = 0x10000, acq = 0x11000, iosq = 0x12000, iocq = 0x13000;
constexpr std::uint64_t idbuf = 0x20000, wbuf = 0x21000, rbuf = 0x22000;

/// A tiny polled queue pair: write the SQE, ring, poll the CQ phase bit.
struct polled_queue {
    std::uint16_t qid, entries;
    std::uint64_t sq, cq;
    std::uint16_t tail = 0, head = 0, phase = 1, cid = 0;

    spec::cqe run(example_top& t, spec::sqe s) {
        s.cid = cid++;
        std::memcpy(&t.ram[sq + tail * 64u], &s, 64);
        tail = static_cast<std::uint16_t>((tail + 1) % entries);
        t.reg_write(spec::reg::sq_tail_doorbell(qid, 0), tail);
        spec::cqe e{};
        for (int i = 0; i < 1000; ++i) {
            std::memcpy(&e, &t.ram[cq + head * 16u], 16);
            if ((e.status & 1u) == phase) break;
            sc_core::wait(1, sc_core::SC_US);
        }
        expect((e.status & 1u) == phase, "no completion for opcode " + std::to_string(s.opcode));
        head = static_cast<std::uint16_t>((head + 1) % entries);
        if (head == 0) phase ^= 1u;
        t.reg_write(spec::reg::cq_head_doorbell(qid, 0), head);
        return e;
    }
    /// Runs a command and requires a successful status.
    void ok(example_top& t, const spec::sqe& s, const std::string& what) {
        const spec::cqe e = run(t, s);
        expect((e.status >> 1) == 0, what + " failed with status " + std::to_string(e.status >> 1));
    }
};

inline spec::sqe sqe_of(std::uint8_t opcode, std::uint32_t nsid = 0) {
    spec::sqe s;
    std::memset(&s, 0, sizeof s);
    s.opcode = opcode;
    s.nsid = nsid;
    return s;
}

/// Brings the controller up and writes and reads back one block (from an SC_THREAD: it waits).
/// Throws std::runtime_error naming the step that failed.
inline void run_example(example_top& t) {
    // Config space: an NVMe function; place the 64-bit BAR0 and enable memory + bus master.
    expect((t.cfg_read(0x08) >> 8) == 0x010802u, "class code is not NVMe (010802h)");
    t.cfg_write(0x10, static_cast<std::uint32_t>(bar0_addr));
    t.cfg_write(0x14, 0);
    t.cfg_write(0x04, 0x0006, 2);

    // Enable: CC=0, admin queues, CC with IOSQES/IOCQES, EN=1, wait for RDY.
    t.reg_write(spec::reg::cc, 0);
    t.reg_write(spec::reg::aqa, 0x000f000f);
    t.reg_write(spec::reg::asq, static_cast<std::uint32_t>(asq));
    t.reg_write(spec::reg::asq + 4, 0);
    t.reg_write(spec::reg::acq, static_cast<std::uint32_t>(acq));
    t.reg_write(spec::reg::acq + 4, 0);
    t.reg_write(spec::reg::cc, 0x00460001);
    for (int i = 0; i < 1000 && !(t.reg_read(spec::reg::csts) & 1u); ++i)
        sc_core::wait(10, sc_core::SC_US);
    expect((t.reg_read(spec::reg::csts) & 1u) == 1u, "CSTS.RDY never became 1");

    polled_queue admin{0, 16, asq, acq};
    spec::sqe id = sqe_of(spec::admin_opcode::identify);
    id.dptr1 = idbuf;
    id.cdw10 = 1; // CNS 01h: controller
    admin.ok(t, id, "Identify Controller");
    expect(std::memcmp(&t.ram[idbuf + 24], "znssim", 6) == 0, "unexpected model number");

    spec::sqe cq = sqe_of(spec::admin_opcode::create_io_cq);
    cq.dptr1 = iocq;
    cq.cdw10 = (16u - 1) << 16 | 1;
    cq.cdw11 = 1; // physically contiguous, interrupts off: we poll
    admin.ok(t, cq, "Create I/O CQ");
    spec::sqe sq = sqe_of(spec::admin_opcode::create_io_sq);
    sq.dptr1 = iosq;
    sq.cdw10 = (16u - 1) << 16 | 1;
    sq.cdw11 = 1u << 16 | 1;
    admin.ok(t, sq, "Create I/O SQ");

    polled_queue io{1, 16, iosq, iocq};
    for (unsigned i = 0; i < 4096; ++i)
        t.ram[wbuf + i] = static_cast<std::uint8_t>(i * 7 + 3);
    spec::sqe w = sqe_of(spec::io_opcode::write, 1);
    w.dptr1 = wbuf;
    w.cdw10 = 5; // LBA 5, one block (NLB 0-based = 0)
    io.ok(t, w, "Write");
    spec::sqe r = sqe_of(spec::io_opcode::read, 1);
    r.dptr1 = rbuf;
    r.cdw10 = 5;
    io.ok(t, r, "Read");
    expect(std::memcmp(&t.ram[wbuf], &t.ram[rbuf], 4096) == 0, "read data differs from written");
}

} // namespace example
