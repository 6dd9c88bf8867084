#pragma once
// A command_context for unit tests of command handlers: host memory is a buffer_dma_port with a
// bump allocator, time is a manual_scheduler, media costs nothing, and namespaces, command sets
// and admin effects are whatever the test installs. Events, log reads and deferred completions
// are recorded for inspection. Reused by the NVM and ZNS handler tests.
#include "model/dma/buffer_dma_port.h"
#include "model/sim/scheduler.h"
#include "model/timing/media_timing.h"
#include "nvme/core/command.h"
#include "nvme/core/context.h"
#include "nvme/core/device_log.h"
#include "nvme/core/plan.h"
#include "nvme/ns/namespace.h"
#include "nvme/transfer/data_transfer.h"

#include <array>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <vector>

namespace znssim::test {

class fake_context final : public nvme::command_context {
  public:
    static constexpr std::uint64_t host_base = 0x10'0000'0000ull; // above 4 GiB, like Linux may
    static constexpr std::size_t default_host_bytes = 16u << 20;

    explicit fake_context(nvme::controller_params p = {},
                          std::size_t host_bytes = default_host_bytes)
        : m_params(std::move(p)), m_host(host_base, host_bytes),
          m_xfer(nvme::data_transfer::segments_for(
              nvme::data_transfer::max_transfer_bytes(m_params))) {
        m_admin_effects.fill(0);
    }

    // --- command_context ---
    sim_time now() const override { return sched.now(); }
    dma_port& dma() override { return m_host; }
    media_timing& timing() override { return *media; }
    const nvme::controller_params& params() const override { return m_params; }
    const nvme::controller_state& state() const override { return ctrl_state; }
    nvme::controller_logs& logs() override { return ctrl_logs; }
    const log::logger_ptr& logger(std::string_view module) override {
        return m_loggers.get(module);
    }
    nvme::nvme_namespace* find_namespace(std::uint32_t nsid) override {
        if (nsid == 0 || nsid > m_namespaces.size()) return nullptr;
        return m_namespaces[nsid - 1].get();
    }
    std::uint32_t namespace_limit() const override {
        return nn != 0 ? nn : static_cast<std::uint32_t>(m_namespaces.size());
    }
    const nvme::io_command_set* command_set(nvme::spec::csi c) const override {
        const auto i = static_cast<unsigned>(c);
        return i < m_sets.size() ? m_sets[i] : nullptr;
    }
    const std::array<std::uint32_t, 256>& admin_effects() const override { return m_admin_effects; }
    void complete_deferred(nvme::command& cmd) override { deferred_completions.push_back(&cmd); }
    void log_page_read(std::uint8_t lid, bool retain) override {
        log_reads.push_back({lid, retain});
    }
    void raise_event(const nvme::async_event& ev) override { events.push_back(ev); }

    // --- test setup ---
    nvme::controller_params& mutable_params() { return m_params; }
    void add_namespace(std::unique_ptr<nvme::nvme_namespace> ns) {
        const std::uint32_t id = ns->nsid();
        if (m_namespaces.size() < id) m_namespaces.resize(id);
        m_namespaces[id - 1] = std::move(ns);
    }
    void remove_namespace(std::uint32_t nsid) { m_namespaces.at(nsid - 1).reset(); }
    void set_command_set(const nvme::io_command_set* set) {
        m_sets[static_cast<unsigned>(set->csi)] = set;
    }
    void set_admin_effect(std::uint8_t opcode, std::uint32_t fx) { m_admin_effects[opcode] = fx; }

    // --- host memory ---
    buffer_dma_port& host() { return m_host; }
    /// Allocates host memory (never freed; the buffer is per test).
    std::uint64_t alloc(std::size_t bytes, std::size_t align = 4096) {
        std::uint64_t a = (m_next + align - 1) / align * align;
        if (a - host_base + bytes > m_host.size())
            throw std::runtime_error("fake_context: host memory exhausted");
        m_next = a + bytes;
        return a;
    }
    std::uint8_t* at(std::uint64_t addr) { return m_host.at(addr); }
    void fill(std::uint64_t addr, std::uint8_t v, std::size_t len) {
        std::memset(at(addr), v, len);
    }

    // --- commands ---
    /// A command bound to this context's transfer scratch.
    nvme::command make_command(std::uint8_t opcode, std::uint32_t nsid, bool admin) {
        nvme::command c;
        c.sqe.opcode = opcode;
        c.sqe.nsid = nsid;
        c.sqe.cid = ++m_cid;
        c.sqid = admin ? 0 : 1;
        c.xfer = &m_xfer;
        c.done_at = sched.now();
        return c;
    }
    /// Single-buffer PRPs for a contiguous host buffer at addr (page aligned or not).
    void set_prps(nvme::command& c, std::uint64_t addr, std::uint64_t len);
    /// Runs a handler the way the untimed controller does: a plan's phases all happen at once.
    nvme::spec::status run(nvme::command_handler h, nvme::command& c) {
        if (h(*this, c) == nvme::disposition::planned) nvme::run_plan_now(*this, c);
        return c.status;
    }

    manual_scheduler sched;
    zero_time_media zero_media;
    media_timing* media = &zero_media;
    nvme::controller_state ctrl_state;
    nvme::controller_logs ctrl_logs;
    std::uint32_t nn = 0; ///< NN override (0: highest installed NSID)

    struct log_read {
        std::uint8_t lid;
        bool retain;
    };
    std::vector<log_read> log_reads;
    std::vector<nvme::async_event> events;
    std::vector<nvme::command*> deferred_completions;

  private:
    nvme::controller_params m_params;
    nvme::device_loggers m_loggers{m_params.log_instance};
    buffer_dma_port m_host;
    nvme::data_transfer m_xfer;
    std::uint64_t m_next = host_base;
    std::uint16_t m_cid = 0;
    std::vector<std::unique_ptr<nvme::nvme_namespace>> m_namespaces;
    std::array<const nvme::io_command_set*, 3> m_sets{};
    std::array<std::uint32_t, 256> m_admin_effects{};
};

inline void fake_context::set_prps(nvme::command& c, std::uint64_t addr, std::uint64_t len) {
    const std::uint64_t page = 1ull << ctrl_state.page_shift;
    c.sqe.dptr1 = addr;
    c.sqe.dptr2 = 0;
    const std::uint64_t first = page - (addr & (page - 1));
    if (len <= first) return;
    const std::uint64_t rest = len - first;
    const std::uint64_t second = (addr & ~(page - 1)) + page;
    if (rest <= page) {
        c.sqe.dptr2 = second;
        return;
    }
    // One PRP list page (enough for MDTS up to 2 MiB with 4 KiB pages; chaining is tested apart).
    const std::uint64_t entries = (rest + page - 1) / page;
    if (entries > page / 8)
        throw std::runtime_error("fake_context::set_prps: transfer needs a chained PRP list");
    const std::uint64_t list = alloc(page, page);
    for (std::uint64_t i = 0; i < entries; ++i) {
        const std::uint64_t e = second + i * page;
        std::memcpy(at(list + i * 8), &e, 8);
    }
    c.sqe.dptr2 = list;
}

} // namespace znssim::test
