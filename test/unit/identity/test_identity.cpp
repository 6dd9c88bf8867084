#include "model/identity/host_identity.h"
#include "model/identity/lspci.h"
#include "model/identity/pci_names.h"
#include "model/pcie/config_space.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

using namespace znssim;
using namespace znssim::identity;

namespace {
std::string sysfs_value(const std::filesystem::path& dir, const char* file) {
    std::ifstream in(dir / file);
    std::string s;
    in >> s;
    return s;
}
unsigned long hexval(const std::string& s) {
    return std::strtoul(s.c_str(), nullptr, 16);
}
bool contains(const std::string& hay, const std::string& needle) {
    return hay.find(needle) != std::string::npos;
}
} // namespace

TEST_CASE("pcie identity: PCI address parsing") {
    const pci_address a = parse_pci_address("0000:00:1f.2");
    CHECK(a.domain == 0);
    CHECK(a.bus == 0);
    CHECK(a.slot == 0x1f);
    CHECK(a.function == 2);
    const pci_address b = parse_pci_address("3a:00.0");
    CHECK(b.bus == 0x3a);
    CHECK(to_string(b) == "0000:3a:00.0");
    CHECK(to_string(parse_pci_address("0001:0A:1F.7")) == "0001:0a:1f.7");
    for (const char* bad : {"", "00:1f", "0000:00:1f.8", "00:20.0", "zz:00.0", "0000-00:1f.2",
                            "0000:00:1f.2x", "00:1f:2", " 00:1f.2"})
        CHECK_THROWS_WITH_AS(parse_pci_address(bad), doctest::Contains("malformed"),
                             std::runtime_error);
}

TEST_CASE("pcie identity: read_host_identity matches sysfs") {
    const std::filesystem::path root = "/sys/bus/pci/devices";
    std::error_code ec;
    if (!std::filesystem::is_directory(root, ec) ||
        std::filesystem::directory_iterator(root, ec) == std::filesystem::directory_iterator()) {
        MESSAGE("no PCI devices visible in /sys/bus/pci/devices; nothing to compare");
        return;
    }
    std::filesystem::path first;
    for (const auto& e : std::filesystem::directory_iterator(root))
        if (first.empty() || e.path().filename() < first.filename()) first = e.path();
    const std::string addr = first.filename().string();
    const host_identity id = read_host_identity(addr);
    CHECK(id.address == addr);
    CHECK(id.vendor_id == hexval(sysfs_value(first, "vendor")));
    CHECK(id.device_id == hexval(sysfs_value(first, "device")));
    CHECK(id.class_code == hexval(sysfs_value(first, "class")));
    CHECK(id.revision == hexval(sysfs_value(first, "revision")));
    CHECK(id.subsystem_vendor_id == hexval(sysfs_value(first, "subsystem_vendor")));
    CHECK(id.subsystem_id == hexval(sysfs_value(first, "subsystem_device")));
    // The short form names the same device in domain 0.
    if (addr.compare(0, 5, "0000:") == 0)
        CHECK(read_host_identity(addr.substr(5)).device_id == id.device_id);

    pcie::function_params p;
    apply_host_identity(id, p);
    CHECK(p.vendor_id == id.vendor_id);
    CHECK(p.device_id == id.device_id);
    CHECK(p.subsystem_vendor_id == id.subsystem_vendor_id);
    CHECK(p.subsystem_id == id.subsystem_id);
    CHECK(p.revision == id.revision);
    CHECK(p.class_code == (id.class_code == 0x010802 ? id.class_code : 0x010802u));
}

TEST_CASE("pcie identity: absent and malformed host addresses name the address") {
    const char* absent = "0000:fe:1e.6";
    if (std::filesystem::exists(std::string("/sys/bus/pci/devices/") + absent)) {
        MESSAGE("unexpected device at ", absent);
        return;
    }
    CHECK_THROWS_WITH_AS(read_host_identity(absent), doctest::Contains("0000:fe:1e.6"),
                         std::runtime_error);
    CHECK_THROWS_WITH_AS(read_host_identity("00:1f.9"), doctest::Contains("00:1f.9"),
                         std::runtime_error);
}

TEST_CASE("pcie identity: apply_host_identity keeps the class unless it is NVMe") {
    host_identity id;
    id.vendor_id = 0x144d;
    id.device_id = 0xa80a;
    id.subsystem_vendor_id = 0x144d;
    id.subsystem_id = 0xa801;
    id.revision = 0;
    id.class_code = 0x010601; // AHCI
    pcie::function_params p;
    p.class_code = 0x010802;
    apply_host_identity(id, p);
    CHECK(p.vendor_id == 0x144d);
    CHECK(p.device_id == 0xa80a);
    CHECK(p.subsystem_id == 0xa801);
    CHECK(p.revision == 0);
    CHECK(p.class_code == 0x010802);
}

TEST_CASE("pcie identity: pci.ids parser resolves IDs, subsystems and classes") {
    char path[] = "/tmp/znssim_pciids_XXXXXX";
    const int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    close(fd);
    {
        std::ofstream f(path);
        f << "# test database\n"
             "1234  Acme Storage\n"
             "\t5678  Acme ZNS 9000\n"
             "\t\t1234 0001  Acme ZNS 9000 1TB\n"
             "\t\tabcd 0002  OEM ZNS\n"
             "abcd  OEM Corp\n"
             "C 01  Mass storage controller\n"
             "\t08  Non-Volatile memory controller\n"
             "\t\t02  NVM Express\n"
             "C 02  Network controller\n";
    }
    pci_ids_query q{0x1234, 0x5678, 0xabcd, 0x0002, 0x010802};
    pci_names n;
    REQUIRE(lookup_pci_ids_file(path, q, n));
    CHECK(n.vendor == "Acme Storage");
    CHECK(n.device == "Acme ZNS 9000");
    CHECK(n.subsystem_vendor == "OEM Corp");
    CHECK(n.subsystem == "OEM ZNS");
    CHECK(n.base_class == "Mass storage controller");
    CHECK(n.sub_class == "Non-Volatile memory controller");
    CHECK(n.prog_if == "NVM Express");
    pci_names unknown;
    REQUIRE(lookup_pci_ids_file(path, pci_ids_query{0x1234, 0x9999, 0, 0, 0x020000}, unknown));
    CHECK(unknown.vendor == "Acme Storage");
    CHECK(unknown.device.empty());
    CHECK(unknown.base_class == "Network controller");
    CHECK(unknown.sub_class.empty());
    std::remove(path);
    pci_names none;
    CHECK_FALSE(lookup_pci_ids_file(path, q, none));
}

TEST_CASE("pcie identity: lspci dump of the default function") {
    pcie::config_space cs{pcie::function_params{}};
    const std::string d = lspci_dump(cs);
    INFO(d);
    CHECK(d.rfind("00:00.0 Non-Volatile memory controller: ", 0) == 0);
    CHECK(contains(d, "(rev 01) (prog-if 02 [NVM Express])\n"));
    CHECK(contains(d, "Device 5a4e")); // 1b36:5a4e is in no ID database
    CHECK(contains(d, "\tSubsystem: "));
    CHECK(contains(d, "\tControl: I/O- Mem- BusMaster- "));
    CHECK(contains(d, "\tStatus: Cap+ "));
    CHECK(contains(d, "\tInterrupt: pin A routed to IRQ 0\n"));
    CHECK(contains(
        d,
        "\tRegion 0: Memory at <unassigned> (64-bit, non-prefetchable) [disabled] [size=16K]\n"));
    CHECK(contains(d, "\tCapabilities: [40] Power Management version 3\n"));
    CHECK(contains(d, "\t\tStatus: D0 NoSoftRst+ "));
    CHECK(contains(d, "\tCapabilities: [50] MSI-X: Enable- Count=65 Masked-\n"));
    CHECK(contains(d, "\t\tVector table: BAR=0 offset=00002000\n"));
    CHECK(contains(d, "\t\tPBA: BAR=0 offset=00003000\n"));
    CHECK(contains(d, "\tCapabilities: [60] Express (v2) Endpoint, MSI 00\n"));
    CHECK(contains(d, "MaxPayload 256 bytes"));
    CHECK(contains(d, "FLReset+"));
    CHECK(contains(d, "\t\tLnkCap:\tPort #0, Speed 8GT/s, Width x4"));
    CHECK(contains(d, "\t\tLnkCap2: Supported Link Speeds: 2.5-8GT/s"));

    // After enumeration the dump follows the registers.
    cs.write(0x10, 4, 0xfebf0000);
    cs.write(0x14, 4, 0);
    cs.write(0x04, 2, 0x0406);
    cs.write(0x3c, 1, 11);
    cs.write(0x52, 2, 0xc000);
    const std::string e = lspci_dump(cs, "01:00.0");
    INFO(e);
    CHECK(e.rfind("01:00.0 ", 0) == 0);
    CHECK(contains(e, "\tControl: I/O- Mem+ BusMaster+ "));
    CHECK(contains(e, "DisINTx+\n"));
    CHECK(contains(e, "\tLatency: 0\n"));
    CHECK(contains(e, "routed to IRQ 11\n"));
    CHECK(contains(e, "\tRegion 0: Memory at febf0000 (64-bit, non-prefetchable) [size=16K]\n"));
    CHECK(contains(e, "MSI-X: Enable+ Count=65 Masked+\n"));
}

TEST_CASE("pcie identity: lspci dump without capabilities and with a known vendor") {
    pcie::function_params p;
    p.capabilities = false;
    p.bar0_64bit = false;
    p.vendor_id = 0x1b36;
    p.device_id = 0x0010; // QEMU NVM Express Controller in pci.ids
    const std::string d = lspci_dump(pcie::config_space{p});
    INFO(d);
    CHECK(contains(d, "\tStatus: Cap- "));
    CHECK_FALSE(contains(d, "Capabilities:"));
    CHECK(contains(d, "(32-bit, non-prefetchable)"));
    if (std::filesystem::exists("/usr/share/misc/pci.ids"))
        CHECK(contains(d, "Red Hat, Inc. QEMU NVM Express Controller (rev 01)"));
}
