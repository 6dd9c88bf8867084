// Identify Controller (CNS 01h), the I/O command set specific controller structures (CNS 06h)
// and the I/O Command Set data structure (CNS 1Ch). Field choices follow what Linux 6.1 needs
// (docs: shared reference, section 1.4): no optional admin features it would then exercise.
#include "nvme/admin/identify_builders.h"
#include "nvme/ns/namespace.h"
#include "nvme/spec/registers.h"
#include "nvme/transfer/data_transfer.h"

#include <algorithm>
#include <cstring>
#include <string>

namespace znssim::nvme::identify {

namespace {

/// ASCII field, space padded, truncated to the field size.
void put_ascii(char* field, std::size_t size, const std::string& v) {
    std::memset(field, ' ', size);
    std::memcpy(field, v.data(), std::min(size, v.size()));
}

std::uint32_t to_us_clamped(sim_time t) {
    const std::uint64_t us = t / from_us(1);
    return static_cast<std::uint32_t>(std::min<std::uint64_t>(us, 0xffffffffu));
}

} // namespace

void controller(command_context& ctx, spec::id_ctrl& out) {
    using namespace spec::ctrl_bits;
    const controller_params& p = ctx.params();
    std::memset(&out, 0, sizeof out);
    out.vid = p.vendor_id;
    out.ssvid = p.subsystem_vendor_id;
    put_ascii(out.sn, sizeof out.sn, p.serial);
    put_ascii(out.mn, sizeof out.mn, p.model);
    put_ascii(out.fr, sizeof out.fr, p.firmware);
    out.rab = std::min<std::uint8_t>(p.arbitration_burst, 6);
    out.cmic = 0; // single port, single controller: no multipath head
    out.mdts = p.mdts;
    out.cntlid = p.cntlid;
    out.ver = spec::version_2_0;
    out.rtd3r = to_us_clamped(p.ready_delay);
    out.rtd3e = to_us_clamped(p.shutdown_delay);
    out.oaes = oaes_ns_attribute;
    if (ctx.command_set(spec::csi::zns) != nullptr) out.oaes |= oaes_zone_descriptor_changed;
    out.ctratt = 0;
    out.cntrltype = cntrltype_io;

    out.oacs = p.doorbell_buffer ? oacs_doorbell_buffer_config : 0;
    out.acl = p.acl;
    out.aerl = p.aerl;
    out.frmw = 0x03; // one slot, read only: firmware is part of the model
    out.lpa = lpa_effects | lpa_extended_data;
    out.elpe = static_cast<std::uint8_t>(controller_logs::error_entries - 1);
    out.npss = 0;
    out.wctemp = 358; // 85 °C
    out.cctemp = 373; // 100 °C

    // Total capacity: the sum of the namespaces (a 128-bit value; 64 bits are plenty).
    std::uint64_t total = 0;
    for (std::uint32_t id = 1; id <= ctx.namespace_limit(); ++id)
        if (nvme_namespace* ns = ctx.find_namespace(id))
            total += ns->capacity_lbas() << ns->lba_shift();
    std::memcpy(out.tnvmcap, &total, sizeof total);

    out.sqes = 0x66;
    out.cqes = 0x44;
    out.maxcmd = static_cast<std::uint16_t>(std::min<std::uint32_t>(p.max_inflight, 0xffff));
    out.nn = ctx.namespace_limit();
    out.nwpc = 1; // Namespace Write Protection Config: no protect / write protect
    out.oncs = oncs_compare | oncs_dsm | oncs_write_zeroes | oncs_timestamp | oncs_verify;
    // Bits 2:1 = 11b: Flush with NSID FFFFFFFFh is supported (only meaningful with a cache).
    out.vwc = p.volatile_write_cache ? 0x07 : 0x00;
    if (p.sgl) out.sgls = sgls_supported | sgls_bit_bucket | sgls_larger_than_data;

    std::string nqn = p.subnqn.empty() ? "nqn.2026-11.io.znssim:" + p.serial : p.subnqn;
    std::memcpy(out.subnqn, nqn.data(), std::min(nqn.size(), sizeof out.subnqn - 1));

    // One operational power state: 25 W, no entry/exit latency worth reporting.
    out.psd[0].mp = 2500;
    out.psd[0].enlat = 16;
    out.psd[0].exlat = 4;
}

spec::status csi_controller(command_context& ctx, spec::csi csi, void* out) {
    if (csi == spec::csi::nvm) {
        auto& nvm = *static_cast<spec::id_ctrl_nvm*>(out);
        std::memset(&nvm, 0, sizeof nvm);
        // Write Zeroes and Verify move no data, so their size limits are left at "no limit"
        // (0); DSM accepts the architectural maximum of 256 ranges.
        nvm.dmrl = 0; // not reported: any number up to 256
        return spec::sc::success;
    }
    const io_command_set* set = ctx.command_set(csi);
    if (set == nullptr || set->identify_controller == nullptr) return spec::sc::invalid_field;
    std::memset(out, 0, spec::identify_bytes);
    set->identify_controller(ctx, out);
    return spec::sc::success;
}

void iocs(command_context& ctx, spec::id_iocs& out) {
    std::memset(&out, 0, sizeof out);
    // Combination 0: every registered command set; NVM always, since ZNS is built on it.
    std::uint64_t v = 1ull << static_cast<unsigned>(spec::csi::nvm);
    for (unsigned c = 0; c < 64; ++c)
        if (ctx.command_set(static_cast<spec::csi>(c)) != nullptr) v |= 1ull << c;
    out.vector[0] = v;
}

} // namespace znssim::nvme::identify
