// `znssim qemu` option checks and the QEMU command line it builds.
#include "platform/qemu/launcher.h"
#include "test/unit/storage/temp_dir.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <stdexcept>

using namespace znssim::platform;

namespace {

bool has_pair(const std::vector<std::string>& a, const std::string& opt, const std::string& val) {
    for (std::size_t i = 0; i + 1 < a.size(); ++i)
        if (a[i] == opt && a[i + 1] == val) return true;
    return false;
}

qemu_options sample() {
    qemu_options o;
    o.config = "configs/qemu.yaml";
    o.kernel = "vmlinuz";
    o.initrd = "initrd.cpio";
    o.memory = "512M";
    o.extra = {"-boot", "strict=on"};
    return o;
}

} // namespace

TEST_CASE("qemu launcher builds the proxy command line for TCG with the irq serial port") {
    auto a = qemu_command_line(sample(), false, 7, 9);
    CHECK(a.front() == "qemu-system-x86_64");
    CHECK(has_pair(a, "-machine", "pc,accel=tcg,memory-backend=ram0"));
    CHECK(has_pair(a, "-object", "memory-backend-memfd,id=ram0,size=512M,share=on"));
    CHECK(has_pair(a, "-m", "512M"));
    CHECK(has_pair(a, "-smp", "1"));
    CHECK(has_pair(a, "-device", "x-pci-proxy-dev,id=nvme0,fd=7,addr=4"));
    CHECK(has_pair(a, "-chardev", "socket,id=znsirq,fd=9"));
    CHECK(has_pair(a, "-device", "pci-serial,chardev=znsirq,addr=8"));
    CHECK(has_pair(a, "-kernel", "vmlinuz"));
    CHECK(has_pair(a, "-initrd", "initrd.cpio"));
    CHECK(has_pair(a, "-append", "console=ttyS0"));
    CHECK(std::find(a.begin(), a.end(), "-nographic") != a.end());
    CHECK(std::find(a.begin(), a.end(), "-no-reboot") != a.end());
    CHECK(a[a.size() - 2] == "-boot"); // extra arguments last, verbatim
    CHECK(a.back() == "strict=on");
}

TEST_CASE("qemu launcher uses KVM without the serial port when asked") {
    auto a = qemu_command_line(sample(), true, 3, -1);
    CHECK(has_pair(a, "-machine", "pc,accel=kvm,memory-backend=ram0"));
    CHECK(has_pair(a, "-cpu", "host"));
    CHECK(std::find(a.begin(), a.end(), "-chardev") == a.end());
}

TEST_CASE("qemu launcher slots share a PIRQ only when equal modulo 4") {
    CHECK(pc_pirq_of_slot(4) == pc_pirq_of_slot(8));
    CHECK(pc_pirq_of_slot(4) != pc_pirq_of_slot(5));
    qemu_options o = sample();
    CHECK_NOTHROW(validate(o));
    o.serial_slot = 9;
    CHECK_THROWS_AS(validate(o), std::invalid_argument);
    o = sample();
    o.serial_slot = o.proxy_slot;
    CHECK_THROWS_AS(validate(o), std::invalid_argument);
    o = sample();
    o.proxy_slot = 2;
    CHECK_THROWS_AS(validate(o), std::invalid_argument);
}

TEST_CASE("qemu launcher rejects bad options naming them") {
    qemu_options o = sample();
    o.memory = "lots";
    try {
        validate(o);
        FAIL("accepted --memory lots");
    } catch (const std::invalid_argument& e) {
        CHECK(std::string(e.what()).find("--memory") != std::string::npos);
    }
    o = sample();
    o.memory = "2G";
    CHECK_NOTHROW(validate(o));
    o.accel = "hvf";
    CHECK_THROWS_AS(validate(o), std::invalid_argument);
    o = sample();
    o.kernel.clear();
    CHECK_THROWS_AS(validate(o), std::invalid_argument);
}

namespace {
/// A fake QEMU: a shell script with the given body, made executable in a temporary directory.
std::string fake_qemu(const znssim::test::temp_dir& dir, const std::string& body) {
    const std::string path = dir.file("qemu");
    std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
    std::filesystem::permissions(path, std::filesystem::perms::owner_all);
    return path;
}
} // namespace

TEST_CASE("kvm probe: a QEMU that starts and quits over QMP means KVM is usable") {
    znssim::test::temp_dir dir;
    // Reads the QMP commands like QEMU does, then exits cleanly; must have been asked for KVM.
    const auto q =
        fake_qemu(dir, "case \"$*\" in *accel=kvm*-cpu\\ host*-S*) ;; *) exit 3 ;; esac\n"
                       "cat >/dev/null; exit 0");
    const kvm_probe_result r = run_kvm_probe(q);
    CHECK(r.usable);
    CHECK(r.why.empty());
}

TEST_CASE("kvm probe: a QEMU that aborts under KVM is refused with its own error line") {
    znssim::test::temp_dir dir;
    const auto q =
        fake_qemu(dir, "echo '{\"QMP\": {}}'\n"
                       "echo 'qemu-system-x86_64: error: failed to set MSR 0x10a to 0x69' >&2\n"
                       "kill -ABRT $$");
    const kvm_probe_result r = run_kvm_probe(q);
    CHECK_FALSE(r.usable);
    CHECK(r.why == "qemu-system-x86_64: error: failed to set MSR 0x10a to 0x69");
}

TEST_CASE("kvm probe: a QEMU binary that does not exist is refused") {
    const kvm_probe_result r = run_kvm_probe("/nonexistent/qemu-system-x86_64");
    CHECK_FALSE(r.usable);
    CHECK_FALSE(r.why.empty());
}
