#pragma once
// `znssim qemu`: builds the device from a config, starts a stock QEMU with the device attached
// through x-pci-proxy-dev (socketpair end inherited as fd=N, shared memfd RAM, one vCPU) and
// serves it until QEMU exits; then the namespaces are shut down cleanly.
#include <string>
#include <vector>

namespace znssim::platform {

enum class qemu_irq_mode : unsigned char {
    automatic, ///< irqfd only with KVM; irqfd + shared serial port without it (TCG)
    irqfd,     ///< KVM irqfd/resamplefd only
    serial,    ///< also the shared-line pci-serial device (works on TCG and KVM)
};

struct qemu_options {
    std::string config;                      ///< device config (YAML)
    std::string kernel, initrd;              ///< -kernel / -initrd (initrd optional)
    std::string append = "console=ttyS0";    ///< -append
    std::string memory = "512M";             ///< guest RAM: -m and the memfd backend size
    std::string qemu = "qemu-system-x86_64"; ///< QEMU binary (PATH lookup)
    std::string accel = "auto";              ///< auto (kvm if /dev/kvm is usable), kvm, tcg
    qemu_irq_mode irq = qemu_irq_mode::automatic;
    unsigned proxy_slot = 4;        ///< PCI slot of the NVMe function
    unsigned serial_slot = 8;       ///< slot of the irq serial port: same PIRQ as proxy
    unsigned irq_gap_us = 150;      ///< minimum spacing of the serial port's interrupts
    unsigned irq_quiet_us = 200;    ///< a batch of a queueing guest ends this long after activity
    std::vector<std::string> extra; ///< appended verbatim
};

/// True if /dev/kvm can be opened read-write.
bool kvm_available();
struct kvm_probe_result {
    bool usable = false;
    std::string why; ///< why not, for the warning
};
/// Starts 'qemu' under KVM with the machine and CPU the launcher uses, stopped, and quits it over
/// QMP: usable only if that works (an openable /dev/kvm is not enough under nested
/// virtualisation). Takes well under a second either way.
kvm_probe_result probe_kvm(const std::string& qemu);
/// The probe itself, without the /dev/kvm check (tests run it with a fake QEMU).
kvm_probe_result run_kvm_probe(const std::string& qemu);
/// The pc machine's PIRQ of INTA for a slot (PIIX: (slot - 1 + pin) & 3 with pin 0 = INTA).
unsigned pc_pirq_of_slot(unsigned slot);
/// Throws std::invalid_argument naming the option for values QEMU or the proxy cannot use.
void validate(const qemu_options& o);
/// QEMU's argv (argv[0] = o.qemu). proxy_fd / serial_fd are the fd numbers QEMU inherits;
/// serial_fd < 0 = no irq serial port.
std::vector<std::string> qemu_command_line(const qemu_options& o, bool kvm, int proxy_fd,
                                           int serial_fd);
/// Runs QEMU against the model; returns QEMU's exit status (128 + signal if it was killed).
/// Throws (config_error, image_error, std::invalid_argument, std::runtime_error) for problems
/// found before QEMU starts.
int run_qemu(const qemu_options& o);

} // namespace znssim::platform
