// `znssim qemu`: serve a stock QEMU's x-pci-proxy-dev from the model (docs/qemu.md).
#include "platform/cli/commands.h"
#include "platform/qemu/launcher.h"

#include <memory>

namespace znssim::cli {

using platform::qemu_irq_mode;
using platform::qemu_options;
using platform::run_qemu;

void register_qemu_command(CLI::App& app) {
    auto opts = std::make_shared<qemu_options>();
    CLI::App* sub = app.add_subcommand(
        "qemu", "Boot a guest under QEMU (x-pci-proxy-dev) with the model as its NVMe device");
    sub->add_option("--config", opts->config, "Device configuration (YAML), e.g. configs/qemu.yaml")
        ->required();
    sub->add_option("--kernel", opts->kernel, "Guest kernel (QEMU -kernel)")->required();
    sub->add_option("--initrd", opts->initrd, "Guest initramfs (QEMU -initrd)");
    sub->add_option("--append", opts->append, "Guest kernel command line")->capture_default_str();
    sub->add_option("--memory", opts->memory, "Guest RAM (-m and the shared memfd backend)")
        ->capture_default_str();
    sub->add_option("--qemu", opts->qemu, "QEMU binary")->capture_default_str();
    sub->add_option("--accel", opts->accel, "auto (KVM if /dev/kvm is usable), kvm or tcg")
        ->capture_default_str();
    auto irq = std::make_shared<std::string>("auto");
    sub->add_option("--irq", *irq,
                    "INTx delivery: auto (irqfd with KVM, plus a shared-line serial port on "
                    "TCG), irqfd, serial")
        ->check(CLI::IsMember({"auto", "irqfd", "serial"}))
        ->capture_default_str();
    sub->add_option("--slot", opts->proxy_slot, "PCI slot of the NVMe function")
        ->capture_default_str();
    sub->add_option("--irq-slot", opts->serial_slot,
                    "PCI slot of the irq serial port (same PIRQ: equal to --slot modulo 4)")
        ->capture_default_str();
    sub->add_option("--irq-gap", opts->irq_gap_us,
                    "Minimum microseconds between two interrupts through the serial port: "
                    "completions within it share one (0: every one at once)")
        ->check(CLI::Range(0u, 100000u))
        ->capture_default_str();
    sub->add_option("--irq-quiet", opts->irq_quiet_us,
                    "A guest that keeps commands queued gets its interrupts in batches that end "
                    "this many microseconds after its last doorbell (0: no batches)")
        ->check(CLI::Range(0u, 100000u))
        ->capture_default_str();
    sub->add_option("qemu_args", opts->extra, "Extra QEMU arguments (after --)");
    sub->callback([opts, irq] {
        opts->irq = *irq == "irqfd"    ? qemu_irq_mode::irqfd
                    : *irq == "serial" ? qemu_irq_mode::serial
                                       : qemu_irq_mode::automatic;
        int status = run_qemu(*opts);
        if (status != 0) throw CLI::RuntimeError(status); // exit with QEMU's status, silently
    });
}

} // namespace znssim::cli
