#pragma once
// Builders behind the Identify handler, one per CNS family, each filling a zeroed 4096-byte
// buffer or returning the status the command ends with.
#include "nvme/core/context.h"
#include "nvme/spec/identify.h"

#include <cstdint>

namespace znssim::nvme::identify {

/// CNS 01h.
void controller(command_context& ctx, spec::id_ctrl& out);
/// CNS 06h: NVM (CSI 00h) or the registered command set's structure.
spec::status csi_controller(command_context& ctx, spec::csi csi, void* out);
/// CNS 1Ch.
void iocs(command_context& ctx, spec::id_iocs& out);

/// CNS 00h.
spec::status ns(command_context& ctx, std::uint32_t nsid, void* out);
/// CNS 02h (any_csi) and 07h (only namespaces of 'csi').
spec::status active_ns_list(command_context& ctx, std::uint32_t nsid, bool any_csi, spec::csi csi,
                            spec::ns_list& out);
/// CNS 03h.
spec::status ns_descriptors(command_context& ctx, std::uint32_t nsid, void* out);
/// CNS 05h.
spec::status csi_ns(command_context& ctx, std::uint32_t nsid, spec::csi csi, void* out);
/// CNS 08h.
spec::status independent_ns(command_context& ctx, std::uint32_t nsid, spec::id_ns_indep& out);

} // namespace znssim::nvme::identify
