// run_qemu: elaborate pci_nvme + qemu_bridge, fork/exec QEMU, serve it, shut down cleanly.
#include "model/log/log.h"
#include "model/sim/sc_scheduler.h"
#include "model/timing/media_timing.h"
#include "nvme/nvm/nvm_command_set.h"
#include "nvme/pci_nvme.h"
#include "platform/config/load_config.h"
#include "platform/namespace_factory.h"
#include "platform/qemu/bridge.h"
#include "platform/qemu/launcher.h"
#include "zns/commands/zns_commands.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace znssim::platform {
namespace {

volatile sig_atomic_t g_child = 0;

void forward_signal(int sig) {
    if (g_child > 0)
        ::kill(g_child, sig); // QEMU exits, the socket closes, and we shut down cleanly
}

/// The device and the bridge, wired: pci_nvme.cfg_in/mem_in/dma_out/intx_out ↔ qemu_bridge.
struct qemu_top : sc_core::sc_module {
    zero_time_media timing;
    nvme::pci_nvme device;
    qemu_bridge bridge;
    /// INTA#: driven by one process of the PCIe function, whichever process (the device's
    /// scheduler or the bridge) changed the interrupt state.
    sc_core::sc_signal<bool> intx{"intx"};

    qemu_top(const sc_core::sc_module_name& name, const system_config& cfg, int socket_fd,
             std::vector<std::unique_ptr<nvme::nvme_namespace>> namespaces,
             sc_scheduler& device_timers)
        : sc_module(name), device("nvme", cfg.pcie, cfg.controller, std::move(namespaces),
                                  all_command_sets(), timing, &device_timers),
          bridge("qemu", socket_fd) {
        bridge.cfg_out.bind(device.cfg_in);
        bridge.mem_out.bind(device.mem_in);
        device.dma_out.bind(bridge.dma_in);
        device.intx_out.bind(intx);
        bridge.intx_in.bind(intx);
        bridge.set_reset_handler([this] { device.reset(); });
    }
};

/// What x-pci-proxy-dev can carry: INTx only, no capabilities, a 32-bit BAR0 below 2 GiB.
system_config proxy_compatible(system_config cfg, const log::logger_ptr& lg) {
    if (cfg.pcie.capabilities || cfg.pcie.bar0_64bit)
        lg->warn("{}: x-pci-proxy-dev cannot deliver MSI-X or map a 64-bit BAR: using "
                 "capabilities: false and a 32-bit BAR0 (see configs/qemu.yaml)",
                 cfg.source);
    cfg.pcie.capabilities = false;
    cfg.pcie.bar0_64bit = false;
    cfg.pcie.interrupt_pin = 1;
    if (cfg.pcie.bar0_size >= (2ull << 30))
        throw std::invalid_argument(cfg.source + ": controller BAR0 size must be below 2 GiB for "
                                                 "x-pci-proxy-dev");
    return cfg;
}

} // namespace

int run_qemu(const qemu_options& o) {
    validate(o);
    auto lg = log::get("platform.qemu");
    system_config cfg = proxy_compatible(load_config(o.config), lg);
    log::configure(cfg.logging);
    log::set_clock(&sc_now);
    bool kvm = o.accel == "kvm";
    if (o.accel == "auto" && kvm_available()) {
        const kvm_probe_result probe = probe_kvm(o.qemu);
        kvm = probe.usable;
        if (!kvm) lg->warn("/dev/kvm is present but QEMU cannot use it ({}): using TCG", probe.why);
    }
    bool serial = o.irq == qemu_irq_mode::serial || (o.irq == qemu_irq_mode::automatic && !kvm);

    sc_scheduler device_timers("device_timers", cfg.controller.max_inflight + 64);
    std::vector<std::unique_ptr<nvme::nvme_namespace>> namespaces;
    for (const auto& p : cfg.namespaces) {
        std::filesystem::path dir = std::filesystem::path(p.image).parent_path();
        std::error_code ec;
        if (!dir.empty())
            std::filesystem::create_directories(dir, ec); // images are created on first use
        if (ec)
            throw std::runtime_error("cannot create the image directory " + dir.string() + ": " +
                                     ec.message());
        namespaces.push_back(make_namespace(p, cfg.controller, device_timers));
    }

    int link[2], irq[2] = {-1, -1};
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, link) != 0 ||
        (serial && ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, irq) != 0))
        throw std::runtime_error(std::string("socketpair: ") + std::strerror(errno));

    // Elaborate before QEMU starts: config and image errors surface without a guest, and the
    // bridge owns link[0] from here on.
    qemu_top top("top", cfg, link[0], std::move(namespaces), device_timers);
    connect_namespace_events(top.device.core().core());
    if (serial) {
        top.bridge.set_irq_chardev(irq[0]);
        irq_pacing pacing;
        pacing.gap = std::int64_t(o.irq_gap_us) * 1000;
        pacing.quiet = std::int64_t(o.irq_quiet_us) * 1000;
        top.bridge.set_irq_pacing(pacing);
    }

    auto argv_strings = qemu_command_line(o, kvm, link[1], serial ? irq[1] : -1);
    std::vector<char*> argv;
    for (auto& s : argv_strings)
        argv.push_back(s.data());
    argv.push_back(nullptr);
    std::string shown;
    for (const auto& s : argv_strings)
        shown += (shown.empty() ? "" : " ") + s;
    lg->info("starting {} ({}, interrupts: irqfd{})", o.qemu, kvm ? "KVM" : "TCG",
             serial ? " + shared-line serial" : "");
    ZLOG_DEBUG(lg, "{}", shown);

    pid_t child = ::fork();
    if (child < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    if (child == 0) {
        // Only QEMU's ends cross exec: clear CLOEXEC on them, everything else stays closed.
        ::fcntl(link[1], F_SETFD, 0);
        if (serial) ::fcntl(irq[1], F_SETFD, 0);
        ::execvp(argv[0], argv.data());
        std::fprintf(stderr, "znssim qemu: cannot run %s: %s\n", argv[0], std::strerror(errno));
        ::_exit(127);
    }
    g_child = child;
    ::close(link[1]); // so QEMU's exit is an EOF on our end
    if (serial) ::close(irq[1]);
    struct sigaction sa {};
    sa.sa_handler = forward_signal;
    ::sigaction(SIGTERM, &sa, nullptr);
    ::sigaction(SIGINT, &sa, nullptr);
    ::sigaction(SIGHUP, &sa, nullptr);

    int status = 0;
    try {
        sc_core::sc_start(); // returns when QEMU closes the link (the bridge calls sc_stop)
    } catch (...) {
        // A model error: do not leave a guest behind, hung on a socket nobody serves.
        ::kill(child, SIGTERM);
        while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
        }
        g_child = 0;
        throw;
    }
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    g_child = 0;
    top.device.shutdown();
    const auto& st = top.bridge.stats();
    lg->info("QEMU exited ({}); served {} config reads, {} config writes, {} BAR reads, {} BAR "
             "writes, {} memory syncs, {} resets, {} interrupt signals",
             WIFEXITED(status) ? "status " + std::to_string(WEXITSTATUS(status))
                               : "signal " + std::to_string(WTERMSIG(status)),
             st.config_reads, st.config_writes, st.bar_reads, st.bar_writes, st.syncs, st.resets,
             st.irq_signals);
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

} // namespace znssim::platform
