#include "platform/qemu/launcher.h"

#include "model/log/log.h"

#include <cctype>
#include <stdexcept>
#include <unistd.h>

namespace znssim::platform {

unsigned pc_pirq_of_slot(unsigned slot) {
    return (slot + 3) & 3;
} // (slot - 1 + 0) mod 4

void validate(const qemu_options& o) {
    if (o.config.empty())
        throw std::invalid_argument("--config: a device configuration file is required");
    if (o.kernel.empty()) throw std::invalid_argument("--kernel: a guest kernel is required");
    if (o.accel != "auto" && o.accel != "kvm" && o.accel != "tcg")
        throw std::invalid_argument("--accel: '" + o.accel + "' is not auto, kvm or tcg");
    // Same syntax as QEMU's -m: a number with an optional K/M/G/T suffix (default MiB).
    std::size_t i = 0;
    while (i < o.memory.size() && std::isdigit(static_cast<unsigned char>(o.memory[i])))
        ++i;
    bool ok = i > 0 && (i == o.memory.size() ||
                        (i + 1 == o.memory.size() &&
                         std::string("KkMmGgTt").find(o.memory[i]) != std::string::npos));
    if (!ok)
        throw std::invalid_argument("--memory: '" + o.memory + "' is not a size like 512M or 2G");
    for (unsigned slot : {o.proxy_slot, o.serial_slot})
        if (slot < 3 || slot > 31)
            throw std::invalid_argument("PCI slot " + std::to_string(slot) +
                                        " must be 3..31 (0-2 are the host bridge, PIIX and VGA)");
    if (o.proxy_slot == o.serial_slot)
        throw std::invalid_argument("the irq serial port needs its own slot");
    if (pc_pirq_of_slot(o.proxy_slot) != pc_pirq_of_slot(o.serial_slot))
        throw std::invalid_argument("slots " + std::to_string(o.proxy_slot) + " and " +
                                    std::to_string(o.serial_slot) +
                                    " do not share a PIRQ (they must be equal modulo 4)");
}

std::vector<std::string> qemu_command_line(const qemu_options& o, bool kvm, int proxy_fd,
                                           int serial_fd) {
    std::vector<std::string> a = {o.qemu};
    auto add = [&](std::initializer_list<std::string> items) { a.insert(a.end(), items); };
    add({"-machine", std::string("pc,accel=") + (kvm ? "kvm" : "tcg") + ",memory-backend=ram0"});
    if (kvm) add({"-cpu", "host"});
    // The proxy needs fd-backed shared RAM (its SYNC_SYSMEM passes the memfd) and one vCPU
    // (two vCPUs deadlock or drop accesses in 7.2's proxy).
    add({"-object", "memory-backend-memfd,id=ram0,size=" + o.memory + ",share=on", "-m", o.memory,
         "-smp", "1", "-nographic", "-no-reboot", "-nic", "none"});
    add({"-device", "x-pci-proxy-dev,id=nvme0,fd=" + std::to_string(proxy_fd) +
                        ",addr=" + std::to_string(o.proxy_slot)});
    if (serial_fd >= 0)
        add({"-chardev", "socket,id=znsirq,fd=" + std::to_string(serial_fd), "-device",
             "pci-serial,chardev=znsirq,addr=" + std::to_string(o.serial_slot)});
    add({"-kernel", o.kernel});
    if (!o.initrd.empty()) add({"-initrd", o.initrd});
    add({"-append", o.append});
    a.insert(a.end(), o.extra.begin(), o.extra.end());
    return a;
}

} // namespace znssim::platform
