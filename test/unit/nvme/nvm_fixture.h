#pragma once
// Test helpers: conventional namespaces on temp images, and issuing commands whose data lives in
// a contiguous host buffer.
#include "nvme/ns/nvm_namespace.h"
#include "test/unit/nvme/fake_context.h"
#include "test/unit/storage/temp_dir.h"

#include <memory>
#include <string>

namespace znssim::test {

inline std::unique_ptr<nvme::nvm_namespace>
make_nvm_namespace(const temp_dir& dir, std::uint32_t nsid, std::uint32_t lba_size,
                   std::uint64_t lbas, const std::string& serial = "ZNSSIM0001") {
    nvme::namespace_params p;
    p.nsid = nsid;
    p.image = dir.file("ns" + std::to_string(nsid) + ".img");
    p.lba_size = lba_size;
    p.capacity_lbas = lbas;
    return std::make_unique<nvme::nvm_namespace>(p, serial);
}

/// Fills an admin/I-O command's PRPs for a host buffer and runs the handler.
inline nvme::spec::status run_with_buffer(fake_context& ctx, nvme::command_handler h,
                                          nvme::command& c, std::uint64_t buf, std::uint64_t len) {
    ctx.set_prps(c, buf, len);
    return ctx.run(h, c);
}

} // namespace znssim::test
