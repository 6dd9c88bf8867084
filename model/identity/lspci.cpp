#include "model/identity/lspci.h"

#include "model/identity/pci_names.h"

#include <fmt/format.h>

#include <iterator>

namespace znssim::identity {

namespace {

using pcie::cfg::bar;

struct image {
    const std::uint8_t* p;
    std::size_t len;
    std::uint32_t u8(std::size_t o) const { return o < len ? p[o] : 0; }
    std::uint32_t u16(std::size_t o) const { return u8(o) | (u8(o + 1) << 8); }
    std::uint32_t u32(std::size_t o) const { return u16(o) | (u16(o + 2) << 16); }
};

char flag(std::uint32_t v, std::uint32_t bit) {
    return (v & bit) ? '+' : '-';
}

std::string size_text(std::uint64_t size) {
    static const char* const units[] = {"", "K", "M", "G", "T", "P", "E"};
    unsigned u = 0;
    while (u + 1 < std::size(units) && size >= 1024 && size % 1024 == 0) {
        size /= 1024;
        ++u;
    }
    return fmt::format("{}{}", size, units[u]);
}

const char* speed_number(std::uint32_t s) {
    static const char* const names[] = {"", "2.5", "5", "8", "16", "32", "64"};
    return s >= 1 && s < std::size(names) ? names[s] : "";
}

std::string link_speed(std::uint32_t s) {
    return *speed_number(s) ? fmt::format("{}GT/s", speed_number(s)) : std::string("unknown");
}

void header_lines(std::string& out, const image& c, const pci_names& n, const lspci_options& o) {
    const std::uint32_t ven = c.u16(0x00), dev = c.u16(0x02), rev = c.u8(0x08), pi = c.u8(0x09);
    const std::uint32_t cls = c.u16(0x0a), sv = c.u16(0x2c), sd = c.u16(0x2e);
    const std::string cls_name = !n.sub_class.empty()    ? n.sub_class
                                 : !n.base_class.empty() ? n.base_class
                                                         : fmt::format("Class {:04x}", cls);
    std::string ids;
    if (n.vendor.empty())
        ids = fmt::format("Device {:04x}:{:04x}", ven, dev);
    else
        ids = n.vendor + " " + (n.device.empty() ? fmt::format("Device {:04x}", dev) : n.device);
    out += fmt::format("{} {}: {}", o.slot, cls_name, ids);
    if (rev != 0) out += fmt::format(" (rev {:02x})", rev);
    if (pi != 0 || !n.prog_if.empty())
        out += n.prog_if.empty() ? fmt::format(" (prog-if {:02x})", pi)
                                 : fmt::format(" (prog-if {:02x} [{}])", pi, n.prog_if);
    out += '\n';
    if (sv != 0 && sv != 0xffff) {
        std::string sub = n.subsystem;
        if (sub.empty() && sv == ven && sd == dev)
            sub = n.device; // lspci names a subsystem equal to the device after the device
        if (n.subsystem_vendor.empty())
            out += fmt::format("\tSubsystem: Device {:04x}:{:04x}\n", sv, sd);
        else
            out += fmt::format("\tSubsystem: {} {}\n", n.subsystem_vendor,
                               sub.empty() ? fmt::format("Device {:04x}", sd) : sub);
    }
    const std::uint32_t cmd = c.u16(0x04), st = c.u16(0x06);
    out += fmt::format(
        "\tControl: I/O{} Mem{} BusMaster{} SpecCycle{} MemWINV{} VGASnoop{} ParErr{} "
        "Stepping{} SERR{} FastB2B{} DisINTx{}\n",
        flag(cmd, 1), flag(cmd, 2), flag(cmd, 4), flag(cmd, 8), flag(cmd, 0x10), flag(cmd, 0x20),
        flag(cmd, 0x40), flag(cmd, 0x80), flag(cmd, 0x100), flag(cmd, 0x200), flag(cmd, 0x400));
    static const char* const devsel[] = {"fast", "medium", "slow", "??"};
    out += fmt::format(
        "\tStatus: Cap{} 66MHz{} UDF{} FastB2B{} ParErr{} DEVSEL={} >TAbort{} <TAbort{} "
        "<MAbort{} >SERR{} <PERR{} INTx{}\n",
        flag(st, 0x10), flag(st, 0x20), flag(st, 0x40), flag(st, 0x80), flag(st, 0x100),
        devsel[(st >> 9) & 3], flag(st, 0x800), flag(st, 0x1000), flag(st, 0x2000),
        flag(st, 0x4000), flag(st, 0x8000), flag(st, 0x8));
    if (cmd & pcie::command_bits::bus_master) {
        out += fmt::format("\tLatency: {}", c.u8(0x0d));
        if (c.u8(0x0c)) out += fmt::format(", Cache Line Size: {} bytes", c.u8(0x0c) * 4);
        out += '\n';
    }
    if (const std::uint32_t pin = c.u8(0x3d); pin >= 1 && pin <= 4)
        out +=
            fmt::format("\tInterrupt: pin {} routed to IRQ {}\n", char('A' + pin - 1), c.u8(0x3c));
}

void region_lines(std::string& out, const image& c, const lspci_options& o) {
    const std::uint32_t cmd = c.u16(0x04);
    for (unsigned i = 0; i < 6; ++i) {
        const std::uint32_t lo = c.u32(bar(i));
        const bool io = lo & 1;
        const bool is64 = !io && ((lo >> 1) & 3) == 2;
        std::uint64_t addr = io ? (lo & ~3u) : (lo & ~0xfu);
        if (is64 && i < 5) addr |= std::uint64_t(c.u32(bar(i + 1))) << 32;
        const std::uint64_t size = o.bar_sizes[i];
        if (lo != 0 || size != 0) {
            out += fmt::format("\tRegion {}: ", i);
            const std::string at = addr ? fmt::format("{:08x}", addr) : std::string("<unassigned>");
            if (io) {
                out += fmt::format("I/O ports at {}", at);
                if (!(cmd & 1)) out += " [disabled]";
            } else {
                out += fmt::format("Memory at {} ({}-bit, {})", at, is64 ? 64 : 32,
                                   (lo & pcie::bar_bits::prefetchable) ? "prefetchable"
                                                                       : "non-prefetchable");
                if (!(cmd & 2)) out += " [disabled]";
            }
            if (size) out += fmt::format(" [size={}]", size_text(size));
            out += '\n';
        }
        if (is64) ++i;
    }
}

void pm_cap(std::string& out, const image& c, std::uint32_t at) {
    const std::uint32_t pmc = c.u16(at + 2), csr = c.u16(at + 4);
    static const unsigned aux_ma[] = {0, 55, 100, 160, 220, 270, 320, 375};
    out += fmt::format("\tCapabilities: [{:02x}] Power Management version {}\n", at, pmc & 7);
    out += fmt::format("\t\tFlags: PMEClk{} DSI{} D1{} D2{} AuxCurrent={}mA "
                       "PME(D0{},D1{},D2{},D3hot{},D3cold{})\n",
                       flag(pmc, 0x8), flag(pmc, 0x20), flag(pmc, 0x200), flag(pmc, 0x400),
                       aux_ma[(pmc >> 6) & 7], flag(pmc, 0x800), flag(pmc, 0x1000),
                       flag(pmc, 0x2000), flag(pmc, 0x4000), flag(pmc, 0x8000));
    out += fmt::format("\t\tStatus: D{} NoSoftRst{} PME-Enable{} DSel={} DScale={} PME{}\n",
                       csr & 3, flag(csr, 0x8), flag(csr, 0x100), (csr >> 9) & 0xf, (csr >> 13) & 3,
                       flag(csr, 0x8000));
}

void msix_cap(std::string& out, const image& c, std::uint32_t at) {
    const std::uint32_t ctl = c.u16(at + 2), table = c.u32(at + 4), pba = c.u32(at + 8);
    out += fmt::format("\tCapabilities: [{:02x}] MSI-X: Enable{} Count={} Masked{}\n", at,
                       flag(ctl, 0x8000), (ctl & 0x7ff) + 1, flag(ctl, 0x4000));
    out += fmt::format("\t\tVector table: BAR={} offset={:08x}\n", table & 7, table & ~7u);
    out += fmt::format("\t\tPBA: BAR={} offset={:08x}\n", pba & 7, pba & ~7u);
}

void msi_cap(std::string& out, const image& c, std::uint32_t at) {
    const std::uint32_t ctl = c.u16(at + 2);
    out += fmt::format("\tCapabilities: [{:02x}] MSI: Enable{} Count={}/{} Maskable{} 64bit{}\n",
                       at, flag(ctl, 1), 1u << ((ctl >> 4) & 7), 1u << ((ctl >> 1) & 7),
                       flag(ctl, 0x100), flag(ctl, 0x80));
}

void express_cap(std::string& out, const image& c, std::uint32_t at) {
    const std::uint32_t caps = c.u16(at + 2);
    static const char* const types[] = {"Endpoint",
                                        "Legacy Endpoint",
                                        "Unknown type",
                                        "Unknown type",
                                        "Root Port (Slot-)",
                                        "Upstream Port",
                                        "Downstream Port (Slot-)",
                                        "PCI-Express to PCI/PCI-X Bridge",
                                        "PCI/PCI-X to PCI-Express Bridge",
                                        "Root Complex Integrated Endpoint",
                                        "Root Complex Event Collector"};
    const std::uint32_t type = (caps >> 4) & 0xf;
    out += fmt::format("\tCapabilities: [{:02x}] Express (v{}) {}, MSI {:02x}\n", at, caps & 0xf,
                       type < std::size(types) ? types[type] : "Unknown type", (caps >> 9) & 0x1f);
    const std::uint32_t dc = c.u32(at + 4), dctl = c.u16(at + 8), dsta = c.u16(at + 0xa);
    static const char* const l0s[] = {"<64ns", "<128ns", "<256ns", "<512ns",
                                      "<1us",  "<2us",   "<4us",   "unlimited"};
    static const char* const l1[] = {"<1us",  "<2us",  "<4us",  "<8us",
                                     "<16us", "<32us", "<64us", "unlimited"};
    static const double scale[] = {1.0, 0.1, 0.01, 0.001};
    out += fmt::format("\t\tDevCap:\tMaxPayload {} bytes, PhantFunc {}, Latency L0s {}, L1 {}\n",
                       128u << (dc & 7), (dc >> 3) & 3, l0s[(dc >> 6) & 7], l1[(dc >> 9) & 7]);
    out += fmt::format(
        "\t\t\tExtTag{} AttnBtn{} AttnInd{} PwrInd{} RBE{} FLReset{} SlotPowerLimit {:.3f}W\n",
        flag(dc, 0x20), flag(dc, 0x1000), flag(dc, 0x2000), flag(dc, 0x4000), flag(dc, 0x8000),
        flag(dc, 1u << 28), ((dc >> 18) & 0xff) * scale[(dc >> 26) & 3]);
    out += fmt::format("\t\tDevCtl:\tCorrErr{} NonFatalErr{} FatalErr{} UnsupReq{}\n",
                       flag(dctl, 1), flag(dctl, 2), flag(dctl, 4), flag(dctl, 8));
    out += fmt::format(
        "\t\t\tRlxdOrd{} ExtTag{} PhantFunc{} AuxPwr{} NoSnoop{}{}\n", flag(dctl, 0x10),
        flag(dctl, 0x100), flag(dctl, 0x200), flag(dctl, 0x400), flag(dctl, 0x800),
        (dc & (1u << 28)) ? fmt::format(" FLReset{}", flag(dctl, 0x8000)) : std::string());
    out += fmt::format("\t\t\tMaxPayload {} bytes, MaxReadReq {} bytes\n",
                       128u << ((dctl >> 5) & 7), 128u << ((dctl >> 12) & 7));
    out += fmt::format(
        "\t\tDevSta:\tCorrErr{} NonFatalErr{} FatalErr{} UnsupReq{} AuxPwr{} TransPend{}\n",
        flag(dsta, 1), flag(dsta, 2), flag(dsta, 4), flag(dsta, 8), flag(dsta, 0x10),
        flag(dsta, 0x20));
    const std::uint32_t lc = c.u32(at + 0xc), lctl = c.u16(at + 0x10), lsta = c.u16(at + 0x12);
    static const char* const aspm[] = {"not supported", "L0s", "L1", "L0s L1"};
    static const char* const aspm_ctl[] = {"Disabled", "L0s Enabled", "L1 Enabled",
                                           "L0s L1 Enabled"};
    out += fmt::format("\t\tLnkCap:\tPort #{}, Speed {}, Width x{}, ASPM {}\n", lc >> 24,
                       link_speed(lc & 0xf), (lc >> 4) & 0x3f, aspm[(lc >> 10) & 3]);
    out += fmt::format("\t\t\tClockPM{} Surprise{} LLActRep{} BwNot{} ASPMOptComp{}\n",
                       flag(lc, 1u << 18), flag(lc, 1u << 19), flag(lc, 1u << 20),
                       flag(lc, 1u << 21), flag(lc, 1u << 22));
    out +=
        fmt::format("\t\tLnkCtl:\tASPM {}; RCB {} bytes, Disabled{} CommClk{}\n",
                    aspm_ctl[lctl & 3], (lctl & 8) ? 128 : 64, flag(lctl, 0x10), flag(lctl, 0x40));
    out +=
        fmt::format("\t\t\tExtSynch{} ClockPM{} AutWidDis{} BWInt{} AutBWInt{}\n", flag(lctl, 0x80),
                    flag(lctl, 0x100), flag(lctl, 0x200), flag(lctl, 0x400), flag(lctl, 0x800));
    out += fmt::format("\t\tLnkSta:\tSpeed {}, Width x{}\n", link_speed(lsta & 0xf),
                       (lsta >> 4) & 0x3f);
    out += fmt::format("\t\t\tTrErr{} Train{} SlotClk{} DLActive{} BWMgmt{} ABWMgmt{}\n",
                       flag(lsta, 0x400), flag(lsta, 0x800), flag(lsta, 0x1000), flag(lsta, 0x2000),
                       flag(lsta, 0x4000), flag(lsta, 0x8000));
    if ((caps & 0xf) < 2) return;
    const std::uint32_t dc2 = c.u32(at + 0x24), dctl2 = c.u16(at + 0x28);
    const std::uint32_t lc2 = c.u32(at + 0x2c), lctl2 = c.u16(at + 0x30);
    out += fmt::format("\t\tDevCap2: Completion Timeout: {}, TimeoutDis{} NROPrPrP{} LTR{}\n",
                       (dc2 & 0xf) ? fmt::format("Range {:x}", dc2 & 0xf)
                                   : std::string("Not Supported"),
                       flag(dc2, 0x10), flag(dc2, 0x400), flag(dc2, 0x800));
    out += fmt::format("\t\tDevCtl2: Completion Timeout: 50us to 50ms, TimeoutDis{} LTR{} "
                       "10BitTagReq{} OBFF Disabled\n",
                       flag(dctl2, 0x10), flag(dctl2, 0x400), flag(dctl2, 0x1000));
    unsigned lo = 0, hi = 0;
    for (unsigned s = 1; s < 7; ++s)
        if (lc2 & (1u << s)) {
            lo = lo ? lo : s;
            hi = s;
        }
    const std::string speeds = lo == 0 ? std::string("Unknown")
                               : lo == hi
                                   ? link_speed(lo)
                                   : fmt::format("{}-{}GT/s", speed_number(lo), speed_number(hi));
    out += fmt::format(
        "\t\tLnkCap2: Supported Link Speeds: {}, Crosslink{} Retimer{} 2Retimers{} DRS{}\n", speeds,
        flag(lc2, 0x100), flag(lc2, 1u << 23), flag(lc2, 1u << 24), flag(lc2, 1u << 31));
    out += fmt::format("\t\tLnkCtl2: Target Link Speed: {}, EnterCompliance{} SpeedDis{}\n",
                       link_speed(lctl2 & 0xf), flag(lctl2, 0x10), flag(lctl2, 0x20));
}

void capability_lines(std::string& out, const image& c) {
    if (!(c.u16(0x06) & pcie::status_bits::capabilities_list)) return;
    std::uint32_t at = c.u8(0x34) & ~3u;
    bool seen[64] = {};
    while (at >= 0x40 && at + 2 <= c.len && at < 0x100 && !seen[at / 4]) {
        seen[at / 4] = true; // a looping list is printed once, not forever
        switch (c.u8(at)) {
        case pcie::cap_id::power_management:
            pm_cap(out, c, at);
            break;
        case pcie::cap_id::msix:
            msix_cap(out, c, at);
            break;
        case pcie::cap_id::msi:
            msi_cap(out, c, at);
            break;
        case pcie::cap_id::pci_express:
            express_cap(out, c, at);
            break;
        case 0x09: // vendor specific: only its length is generic
            out += fmt::format(
                "\tCapabilities: [{:02x}] Vendor Specific Information: Len={:02x} <?>\n", at,
                c.u8(at + 2));
            break;
        default:
            out += fmt::format("\tCapabilities: [{:02x}] #{:02x}\n", at, c.u8(at));
            break;
        }
        at = c.u8(at + 1) & ~3u;
    }
}

} // namespace

std::string lspci_dump(const std::uint8_t* config, std::size_t len, const lspci_options& opts) {
    const image c{config, len};
    pci_ids_query q;
    q.vendor_id = static_cast<std::uint16_t>(c.u16(0x00));
    q.device_id = static_cast<std::uint16_t>(c.u16(0x02));
    q.subsystem_vendor_id = static_cast<std::uint16_t>(c.u16(0x2c));
    q.subsystem_id = static_cast<std::uint16_t>(c.u16(0x2e));
    q.class_code = c.u32(0x08) >> 8;
    const pci_names names = lookup_pci_names(q);
    std::string out;
    header_lines(out, c, names, opts);
    region_lines(out, c, opts);
    capability_lines(out, c);
    return out;
}

std::string lspci_dump(const pcie::config_space& cs, const std::string& slot) {
    lspci_options o;
    o.slot = slot;
    o.bar_sizes[0] = cs.bar0_size();
    return lspci_dump(cs.image(), pcie::config_space_size, o);
}

} // namespace znssim::identity
