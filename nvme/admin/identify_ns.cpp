// The namespace-related Identify CNS values: 00h, 02h, 03h, 05h, 07h, 08h. NSID handling follows
// NVMe Base 2.0 section 3.2.1.5: NSID 0, NSIDs above NN and (without namespace management)
// FFFFFFFFh are Invalid Namespace or Format; a valid but inactive NSID returns zeros where the
// structure allows it.
#include "nvme/admin/identify_builders.h"
#include "nvme/ns/namespace.h"
#include "nvme/ns/nvm_namespace.h"

#include <cstring>

namespace znssim::nvme::identify {

namespace {

bool valid_nsid(command_context& ctx, std::uint32_t nsid) {
    return nsid != 0 && nsid <= ctx.namespace_limit();
}

/// Appends one descriptor; returns the new write position.
std::size_t put_desc(std::uint8_t* out, std::size_t pos, std::uint8_t type, std::uint8_t len,
                     const void* value) {
    out[pos] = type;
    out[pos + 1] = len;
    std::memcpy(out + pos + 4, value, len);
    return pos + 4 + len;
}

} // namespace

spec::status ns(command_context& ctx, std::uint32_t nsid, void* out) {
    if (!valid_nsid(ctx, nsid)) return spec::sc::invalid_namespace_or_format;
    std::memset(out, 0, spec::identify_bytes);
    if (nvme_namespace* n = ctx.find_namespace(nsid)) n->identify(*static_cast<spec::id_ns*>(out));
    return spec::sc::success;
}

spec::status active_ns_list(command_context& ctx, std::uint32_t nsid, bool any_csi, spec::csi csi,
                            spec::ns_list& out) {
    std::memset(&out, 0, sizeof out);
    if (nsid >= 0xfffffffeu) return spec::sc::invalid_namespace_or_format;
    if (!any_csi && ctx.command_set(csi) == nullptr && csi != spec::csi::nvm)
        return spec::sc::invalid_field;
    std::size_t n = 0;
    const std::uint32_t limit = ctx.namespace_limit();
    for (std::uint32_t id = nsid + 1; id != 0 && id <= limit && n < 1024; ++id) {
        nvme_namespace* ns = ctx.find_namespace(id);
        if (ns == nullptr || (!any_csi && ns->command_set() != csi)) continue;
        out.nsid[n++] = id;
    }
    return spec::sc::success;
}

spec::status ns_descriptors(command_context& ctx, std::uint32_t nsid, void* out) {
    if (!valid_nsid(ctx, nsid)) return spec::sc::invalid_namespace_or_format;
    nvme_namespace* ns = ctx.find_namespace(nsid);
    if (ns == nullptr)
        return spec::sc::invalid_field; // valid but inactive: no identifiers to report
    auto* b = static_cast<std::uint8_t*>(out);
    std::memset(b, 0, spec::identify_bytes);
    // The identifiers come from Identify Namespace so both always agree, whatever namespace type.
    spec::id_ns id;
    ns->identify(id);
    const ns_identifiers derived = make_ns_identifiers(ctx.params().serial, nsid);
    std::size_t pos = 0;
    pos = put_desc(b, pos, spec::nidt::eui64, spec::nidt::eui64_len, id.eui64);
    pos = put_desc(b, pos, spec::nidt::nguid, spec::nidt::nguid_len, id.nguid);
    pos = put_desc(b, pos, spec::nidt::uuid, spec::nidt::uuid_len, derived.uuid.data());
    const auto csi = static_cast<std::uint8_t>(ns->command_set());
    put_desc(b, pos, spec::nidt::csi, spec::nidt::csi_len, &csi);
    return spec::sc::success;
}

spec::status csi_ns(command_context& ctx, std::uint32_t nsid, spec::csi csi, void* out) {
    if (!valid_nsid(ctx, nsid)) return spec::sc::invalid_namespace_or_format;
    std::memset(out, 0, spec::identify_bytes);
    nvme_namespace* ns = ctx.find_namespace(nsid);
    if (ns == nullptr)
        return ctx.command_set(csi) != nullptr || csi == spec::csi::nvm ? spec::sc::success
                                                                        : spec::sc::invalid_field;
    return ns->identify_csi(csi, out) ? spec::sc::success : spec::sc::invalid_field;
}

spec::status independent_ns(command_context& ctx, std::uint32_t nsid, spec::id_ns_indep& out) {
    std::memset(&out, 0, sizeof out);
    if (!valid_nsid(ctx, nsid)) return spec::sc::invalid_namespace_or_format;
    nvme_namespace* ns = ctx.find_namespace(nsid);
    if (ns == nullptr) return spec::sc::success;
    spec::id_ns id;
    ns->identify(id);
    out.nsfeat = id.nsfeat;
    out.nmic = id.nmic;
    out.rescap = id.rescap;
    out.fpi = id.fpi;
    out.anagrpid = id.anagrpid;
    out.nsattr = id.nsattr;
    out.nvmsetid = id.nvmsetid;
    out.endgid = id.endgid;
    out.nstat = 1; // namespace ready
    return spec::sc::success;
}

} // namespace znssim::nvme::identify
