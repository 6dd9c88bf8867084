#pragma once
// A controller_core on a manual clock, a buffer as host memory and a recording interrupt sink:
// the harness for the core's unit tests. The host side here is deliberately raw (hand-built SQEs,
// explicit doorbells) so each test shows exactly what reaches the controller.
#include "model/dma/buffer_dma_port.h"
#include "model/pcie/interrupt_sink.h"
#include "model/sim/scheduler.h"
#include "model/timing/media_timing.h"
#include "nvme/core/controller_core.h"
#include "nvme/spec/registers.h"

#include <doctest/doctest.h>

#include <cstring>
#include <vector>

namespace znssim::test {

struct recording_irq final : pcie::interrupt_sink {
    pcie::interrupt_mode m = pcie::interrupt_mode::msix;
    unsigned vectors = 65;
    std::vector<unsigned> signals;
    bool level = false;
    unsigned level_changes = 0;
    pcie::interrupt_mode mode() const override { return m; }
    unsigned vector_count() const override { return m == pcie::interrupt_mode::msix ? vectors : 1; }
    void signal(unsigned v) override { signals.push_back(v); }
    void set_level(bool a) override {
        level = a;
        ++level_changes;
    }
};

/// An I/O command set whose handlers complete after 'delay' and record the order they ran in.
struct scripted_io_set {
    static inline std::vector<std::uint16_t> order; // CIDs in execution order
    static inline sim_time delay = 0;
    nvme::io_command_set set;
    scripted_io_set() {
        set.csi = nvme::spec::csi::nvm;
        set.add(
            0x01,
            [](nvme::command_context& ctx, nvme::command& c) {
                order.push_back(c.sqe.cid);
                c.done_at = ctx.now() + delay;
                return nvme::disposition::complete;
            },
            nvme::effects::lbcc);
    }
};

/// The smallest namespace the dispatcher needs: an NSID and a command set.
struct stub_namespace : nvme::nvme_namespace {
    std::uint32_t id;
    bool protected_ = false;
    explicit stub_namespace(std::uint32_t nsid) : id(nsid) {}
    bool read_only() const override { return protected_; }
    bool set_write_protected(bool on) override {
        protected_ = on;
        return true;
    }
    std::uint32_t nsid() const override { return id; }
    nvme::spec::csi command_set() const override { return nvme::spec::csi::nvm; }
    std::uint64_t size_lbas() const override { return 1024; }
    std::uint64_t capacity_lbas() const override { return 1024; }
    std::uint64_t used_lbas() const override { return 0; }
    unsigned lba_shift() const override { return 12; }
    backing_image& image() override { throw std::logic_error("stub namespace has no image"); }
    void identify(nvme::spec::id_ns&) const override {}
    bool identify_csi(nvme::spec::csi, void*) const override { return false; }
    nvme::spec::status check_read(std::uint64_t, std::uint64_t) override { return {}; }
    nvme::spec::status begin_write(nvme::write_kind, std::uint64_t, std::uint64_t,
                                   nvme::write_grant&) override {
        return {};
    }
    nvme::spec::status end_write(nvme::write_kind, const nvme::write_grant&, bool) override {
        return {};
    }
    nvme::spec::status check_deallocate(std::uint64_t, std::uint64_t) override { return {}; }
    void shutdown() override {}
};

class core_fixture {
  public:
    static constexpr std::uint64_t asq_base = 0x10000, acq_base = 0x20000;
    static constexpr std::uint32_t admin_entries = 32;

    explicit core_fixture(nvme::controller_params p = make_params(), bool with_namespace = true)
        : params(p), host(0, 8u << 20) {
        std::vector<std::unique_ptr<nvme::nvme_namespace>> ns;
        if (with_namespace) ns.push_back(std::make_unique<stub_namespace>(1));
        core = std::make_unique<nvme::controller_core>(
            params, nvme::controller_core::environment{sched, host, irq, media}, std::move(ns),
            std::vector<const nvme::io_command_set*>{&io.set});
        scripted_io_set::order.clear();
        scripted_io_set::delay = 0;
    }
    /// A core with a real namespace and command set (instead of the stub and scripted set).
    core_fixture(nvme::controller_params p, std::unique_ptr<nvme::nvme_namespace> ns,
                 const nvme::io_command_set& set)
        : params(p), host(0, 8u << 20) {
        std::vector<std::unique_ptr<nvme::nvme_namespace>> list;
        list.push_back(std::move(ns));
        core = std::make_unique<nvme::controller_core>(
            params, nvme::controller_core::environment{sched, host, irq, media}, std::move(list),
            std::vector<const nvme::io_command_set*>{&set});
    }

    static nvme::controller_params make_params() {
        nvme::controller_params p;
        p.max_io_queues = 8;
        p.mqes = 63;
        p.ready_delay = from_us(5);
        p.shutdown_delay = from_us(5);
        p.max_inflight = 64;
        return p;
    }

    std::uint32_t reg(std::uint32_t off) { return core->read_register(off); }
    void write_reg(std::uint32_t off, std::uint32_t v) { core->write_register(off, v); }

    /// Linux's bring-up: CC=0, AQA/ASQ/ACQ, CC with EN=0, then EN=1, wait for RDY.
    void enable(std::uint32_t cc = 0x00460060) {
        namespace r = nvme::spec::reg;
        write_reg(r::cc, 0);
        write_reg(r::aqa, (admin_entries - 1) | (admin_entries - 1) << 16);
        write_reg(r::asq, static_cast<std::uint32_t>(asq_base));
        write_reg(r::asq + 4, 0);
        write_reg(r::acq, static_cast<std::uint32_t>(acq_base));
        write_reg(r::acq + 4, 0);
        write_reg(r::cc, cc);
        write_reg(r::cc, cc | 1);
        sched.advance_by(params.ready_delay);
    }

    struct queue {
        std::uint16_t qid;
        std::uint64_t sq_base, cq_base;
        std::uint32_t entries;
        std::uint32_t sq_tail = 0, cq_head = 0;
        bool phase = true;
    };

    queue admin() { return {0, asq_base, acq_base, admin_entries}; }

    /// Writes an SQE at the queue's tail and rings the doorbell; returns after the controller ran.
    void submit(queue& q, nvme::spec::sqe e, bool ring = true) {
        std::memcpy(host.at(q.sq_base + 64ull * q.sq_tail), &e, sizeof(e));
        q.sq_tail = (q.sq_tail + 1) % q.entries;
        if (ring) ring_sq(q);
    }
    void ring_sq(queue& q) {
        write_reg(nvme::spec::reg::sq_tail_doorbell(q.qid, params.doorbell_stride), q.sq_tail);
        sched.settle();
    }
    /// The next CQE if its phase tag says it is new (does not consume it).
    bool peek(queue& q, nvme::spec::cqe& out) {
        std::memcpy(&out, host.at(q.cq_base + 16ull * q.cq_head), sizeof(out));
        return (out.status & 1) == (q.phase ? 1 : 0);
    }
    /// Consumes one CQE (REQUIREs it is there) and writes the head doorbell if asked.
    nvme::spec::cqe reap(queue& q, bool ring = true) {
        nvme::spec::cqe e{};
        REQUIRE(peek(q, e));
        if (++q.cq_head == q.entries) {
            q.cq_head = 0;
            q.phase = !q.phase;
        }
        if (ring)
            write_reg(nvme::spec::reg::cq_head_doorbell(q.qid, params.doorbell_stride), q.cq_head);
        sched.settle();
        return e;
    }
    static std::uint16_t status_code(const nvme::spec::cqe& e) { return (e.status >> 1) & 0x7ff; }
    static bool dnr(const nvme::spec::cqe& e) { return e.status >> 15; }

    /// Submits one admin command and returns its completion.
    nvme::spec::cqe admin_command(nvme::spec::sqe e) {
        e.cid = next_cid++;
        submit(m_admin, e);
        return reap(m_admin);
    }
    /// Creates I/O CQ+SQ pair qid with 'entries' entries each; returns the host view of it.
    queue create_pair(std::uint16_t qid, std::uint32_t entries = 16, std::uint16_t iv = 1,
                      bool ien = true) {
        queue q{qid, 0x100000ull + 0x10000ull * qid, 0x400000ull + 0x10000ull * qid, entries};
        nvme::spec::sqe c{};
        c.opcode = 0x05;
        c.dptr1 = q.cq_base;
        c.cdw10 = qid | (entries - 1) << 16;
        c.cdw11 = 1u | (ien ? 2u : 0u) | static_cast<std::uint32_t>(iv) << 16;
        REQUIRE(status_code(admin_command(c)) == 0);
        nvme::spec::sqe s{};
        s.opcode = 0x01;
        s.dptr1 = q.sq_base;
        s.cdw10 = qid | (entries - 1) << 16;
        s.cdw11 = 1u | static_cast<std::uint32_t>(qid) << 16;
        REQUIRE(status_code(admin_command(s)) == 0);
        return q;
    }

    nvme::controller_params params;
    manual_scheduler sched;
    buffer_dma_port host;
    recording_irq irq;
    zero_time_media media;
    scripted_io_set io;
    std::unique_ptr<nvme::controller_core> core;
    queue m_admin{0, asq_base, acq_base, admin_entries};
    std::uint16_t next_cid = 0x1000; // Linux-style generation bits in the high part
};

} // namespace znssim::test
