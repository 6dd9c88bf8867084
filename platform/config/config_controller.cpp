// The "controller:" section: PCI identity, BAR0 layout, interrupts and NVMe controller limits.
#include "platform/config/config_sections.h"

#include <cctype>
#include <optional>

namespace znssim::platform::detail {
namespace {

constexpr std::uint64_t kib = 1024;
constexpr std::uint64_t gib = 1024 * 1024 * kib;

std::string hex(std::uint64_t v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
    return buf;
}

std::uint64_t align_up(std::uint64_t v, std::uint64_t a) {
    return (v + a - 1) / a * a;
}

/// "0000:00:1f.2" or "00:1f.2" (hex digits), as lspci prints them.
bool is_pci_address(const std::string& s) {
    auto hex_run = [&](std::size_t pos, std::size_t n) {
        if (pos + n > s.size()) return false;
        for (std::size_t i = pos; i < pos + n; ++i)
            if (!std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
        return true;
    };
    std::size_t p = 0;
    if (s.size() == 12) {
        if (!hex_run(0, 4) || s[4] != ':') return false;
        p = 5;
    } else if (s.size() != 7) {
        return false;
    }
    return hex_run(p, 2) && s[p + 2] == ':' && hex_run(p + 3, 2) && s[p + 5] == '.' &&
           s[p + 6] >= '0' && s[p + 6] <= '7';
}

void read_identity(yaml_map& c, system_config& cfg) {
    auto& ctrl = cfg.controller;
    auto& fn = cfg.pcie;
    c.read_string("serial", ctrl.serial, 20, true);
    c.read_string("model", ctrl.model, 40, true);
    c.read_string("firmware", ctrl.firmware, 8, true);
    c.read_string("subnqn", ctrl.subnqn, 223, true);
    if (auto v = c.find("serial"); v && ctrl.serial.empty()) v->fail("must not be empty");
    // 0xFFFF is what an absent function reads as: never a valid vendor.
    if (c.read_uint("vendor_id", fn.vendor_id, 0, 0xfffe)) ctrl.vendor_id = fn.vendor_id;
    c.read_uint("device_id", fn.device_id, 0, 0xffff);
    if (c.read_uint("subsystem_vendor_id", fn.subsystem_vendor_id, 0, 0xffff))
        ctrl.subsystem_vendor_id = fn.subsystem_vendor_id;
    c.read_uint("subsystem_id", fn.subsystem_id, 0, 0xffff);
    c.read_uint("revision", fn.revision, 0, 0xff);
    c.read_uint("cntlid", ctrl.cntlid, 0, 0xffef); // FFF0h..FFFFh are reserved
    if (auto v = c.find("identity_from_host")) {
        std::string addr = v->as_string(12, true);
        if (!addr.empty() && !is_pci_address(addr))
            v->fail("must be a PCI address like 0000:00:1f.2 or 00:1f.2 (got '" + addr + "')");
        cfg.identity_from_host = addr;
    }
}

void read_queues(yaml_map& c, system_config& cfg) {
    auto& ctrl = cfg.controller;
    c.read_uint("max_io_queues", ctrl.max_io_queues, 1, 65535);
    auto mqes = c.find("mqes");
    auto entries = c.find("queue_entries");
    if (mqes && entries) entries->fail("give either mqes (0-based) or queue_entries, not both");
    if (mqes) ctrl.mqes = static_cast<std::uint16_t>(mqes->as_uint(1, 65535));
    if (entries) ctrl.mqes = static_cast<std::uint16_t>(entries->as_uint(2, 65536) - 1);
    c.read_uint("mdts", ctrl.mdts, 0, 15);
    c.read_uint("zasl", ctrl.zasl, 0, ctrl.mdts ? ctrl.mdts : 15); // ZASL may not exceed MDTS
    c.read_uint("doorbell_stride", ctrl.doorbell_stride, 0, 15);
    c.read_uint("aerl", ctrl.aerl, 0, 255);
    c.read_uint("acl", ctrl.acl, 0, 255);
    c.read_uint("max_inflight", ctrl.max_inflight, 1, 1u << 20);
    // The core keeps AERL+1 slots for outstanding AERs and needs at least one more for admin
    // commands and one for I/O: fewer would let a host's AERs hold every slot (Identify would
    // never complete at bring-up).
    if (ctrl.max_inflight < ctrl.aerl + 3u)
        if (auto v = c.find("max_inflight"))
            v->fail("must be at least aerl + 3 (" + std::to_string(ctrl.aerl + 3u) +
                    "): outstanding AERs hold aerl + 1 (" + std::to_string(ctrl.aerl + 1u) +
                    ") command slots, and admin and I/O commands need at least one each");
    c.read_uint("arbitration_burst", ctrl.arbitration_burst, 0, 7);
    c.read_bool("volatile_write_cache", ctrl.volatile_write_cache);
    c.read_bool("sgl", ctrl.sgl);
    c.read_bool("doorbell_buffer", ctrl.doorbell_buffer);
    c.read_uint("cap_timeout", ctrl.cap_timeout, 1, 255);
    c.read_duration("ready_delay", ctrl.ready_delay, 0, from_s(60));
    c.read_duration("shutdown_delay", ctrl.shutdown_delay, 0, from_s(60));
    // A host gives up waiting for CSTS.RDY after CAP.TO × 500 ms.
    if (ctrl.ready_delay >= from_ms(500) * ctrl.cap_timeout)
        if (auto v = c.find("ready_delay"))
            v->fail("must be shorter than cap_timeout × 500 ms (" +
                    std::to_string(ctrl.cap_timeout * 500u) + " ms), or hosts time out");
}

/// BAR0 holds the registers (0..0xfff), the doorbells from 0x1000, then the MSI-X table and PBA.
void read_bar0(yaml_map& c, system_config& cfg) {
    auto& fn = cfg.pcie;
    auto bar = c.sub("bar0");
    auto size = bar.find("size");
    if (auto bits = bar.find("bits")) fn.bar0_64bit = bits->as_choice({"64", "32"}) == 0;
    if (size) fn.bar0_size = size->as_size(16 * kib, 64 * gib);
    bar.finish();
    const yaml_value& sblame = size ? *size : bar.value();
    if ((fn.bar0_size & (fn.bar0_size - 1)) != 0)
        sblame.fail("must be a power of two (got " + format_size(fn.bar0_size) + ")");
    if (!fn.bar0_64bit && fn.bar0_size >= 2 * gib)
        sblame.fail("a 32-bit BAR0 must be smaller than 2 GiB");

    c.read_bool("capabilities", fn.capabilities);
    std::size_t mode = fn.capabilities ? 0 : 1;
    auto irq = c.find("interrupts");
    if (irq) mode = irq->as_choice({"msix", "intx"});
    if (mode == 0 && !fn.capabilities)
        irq->fail("msix needs capabilities: true (MSI-X is a capability)");
    auto vectors = c.find("msix_vectors");
    auto table_at = c.find("msix_table_offset");
    auto pba_at = c.find("msix_pba_offset");
    const auto& ctrl = cfg.controller;
    std::uint64_t doorbell_end =
        0x1000 + (std::uint64_t(ctrl.max_io_queues) + 1) * 2 * (4ull << ctrl.doorbell_stride);
    const yaml_value& blame = size ? *size : c.value(); // the layout as a whole
    if (doorbell_end > fn.bar0_size)
        blame.fail("BAR0 of " + format_size(fn.bar0_size) + " cannot hold the doorbells of " +
                   std::to_string(ctrl.max_io_queues) + " I/O queues (they end at " +
                   hex(doorbell_end) + ")");
    if (mode == 1) {
        for (const auto* v : {&vectors, &table_at, &pba_at})
            if (*v) (*v)->fail("only valid with interrupts: msix");
        fn.msix_vectors = 0;
        return;
    }
    if (vectors) fn.msix_vectors = static_cast<std::uint16_t>(vectors->as_uint(1, 2048));
    const std::uint64_t table_bytes = std::uint64_t(fn.msix_vectors) * 16;
    const std::uint64_t pba_bytes = (std::uint64_t(fn.msix_vectors) + 63) / 64 * 8;
    std::uint64_t table = std::max<std::uint64_t>(0x2000, align_up(doorbell_end, 0x1000));
    if (table_at) table = table_at->as_uint(0x1000, fn.bar0_size - 8);
    std::uint64_t pba = align_up(table + table_bytes, 0x1000);
    if (pba_at) pba = pba_at->as_uint(0x1000, fn.bar0_size - 8);
    // The offset's low three bits hold the BIR, so both structures are QWORD aligned.
    if (table_at && table % 8) table_at->fail("must be a multiple of 8");
    if (pba_at && pba % 8) pba_at->fail("must be a multiple of 8");
    const yaml_value& tblame = table_at ? *table_at : blame;
    const yaml_value& pblame = pba_at ? *pba_at : blame;
    if (table < doorbell_end)
        tblame.fail("the MSI-X table at " + hex(table) + " overlaps the doorbells, which end at " +
                    hex(doorbell_end));
    if (table + table_bytes > fn.bar0_size)
        tblame.fail("the MSI-X table (" + std::to_string(fn.msix_vectors) + " vectors, " +
                    hex(table) + ".." + hex(table + table_bytes) + ") does not fit in BAR0 of " +
                    format_size(fn.bar0_size));
    if (pba < doorbell_end)
        pblame.fail("the MSI-X PBA at " + hex(pba) + " overlaps the doorbells, which end at " +
                    hex(doorbell_end));
    if (pba + pba_bytes > fn.bar0_size)
        pblame.fail("the MSI-X PBA (" + hex(pba) + ".." + hex(pba + pba_bytes) +
                    ") does not fit in BAR0 of " + format_size(fn.bar0_size));
    if (pba < table + table_bytes && table < pba + pba_bytes)
        pblame.fail("the MSI-X PBA (" + hex(pba) + ".." + hex(pba + pba_bytes) +
                    ") overlaps the MSI-X table (" + hex(table) + ".." + hex(table + table_bytes) +
                    ")");
    fn.msix_table_offset = static_cast<std::uint32_t>(table);
    fn.msix_pba_offset = static_cast<std::uint32_t>(pba);
}

} // namespace

void read_controller(yaml_map c, system_config& cfg) {
    c.alias("max_ioqpairs", "max_io_queues"); // QEMU's nvme property name
    read_identity(c, cfg);
    read_queues(c, cfg);
    read_bar0(c, cfg);
    c.finish();
}

} // namespace znssim::platform::detail
