#include "platform/workload/job_check.h"

#include "platform/config/yaml_reader.h"
#include "platform/driver/transfer_limit.h"

#include <stdexcept>
#include <string>

namespace znssim::platform {

namespace {

const nvme::namespace_params* find(const system_config& cfg, std::uint32_t nsid) {
    for (const auto& ns : cfg.namespaces)
        if (ns.nsid == nsid) return &ns;
    return nullptr;
}

std::string configured(const system_config& cfg) {
    std::string list;
    for (const auto& ns : cfg.namespaces)
        list += (list.empty() ? "" : ", ") + std::to_string(ns.nsid);
    return list;
}

struct checker {
    const system_config& cfg;
    std::uint64_t limit;

    [[noreturn]] void fail(const std::string& where, const std::string& what,
                           const std::string& why) const {
        throw std::invalid_argument(where + ": " + what + ": " + why);
    }

    const nvme::namespace_params& ns(const std::string& where, const std::string& what,
                                     std::uint32_t nsid) const {
        const nvme::namespace_params* p = find(cfg, nsid);
        if (!p)
            fail(where, what,
                 "namespace " + std::to_string(nsid) + " is not in the configuration " +
                     cfg.source + " (namespaces: " + configured(cfg) + ")");
        return *p;
    }

    void zoned(const std::string& where, const std::string& what,
               const nvme::namespace_params& p) const {
        if (!p.zoned) fail(where, what, "namespace " + std::to_string(p.nsid) + " is not zoned");
    }

    void block(const std::string& where, const std::string& what, const nvme::namespace_params& p,
               std::uint64_t bytes) const {
        if (bytes == 0 || bytes % p.lba_size)
            fail(where, what,
                 "block " + format_size(bytes) + " is not a whole number of namespace " +
                     std::to_string(p.nsid) + "'s " + std::to_string(p.lba_size) + "-byte LBAs");
        if (bytes > limit)
            fail(where, what,
                 "block " + format_size(bytes) + " exceeds the transfer limit " +
                     format_size(limit) + " (controller.mdts " +
                     std::to_string(cfg.controller.mdts) + ")");
    }

    void stores_data(const std::string& where, const std::string& what,
                     const nvme::namespace_params& p) const {
        if (!p.store_data)
            fail(where, what,
                 "namespace " + std::to_string(p.nsid) +
                     " keeps no data (data: none): there is nothing to verify");
    }

    void step(const job_step& s) const {
        const std::string what = step_name(s.kind);
        if (s.kind == step_kind::run) {
            for (const stream_spec& sp : s.streams) {
                const std::string stream = "stream " + sp.name;
                const nvme::namespace_params& p = ns(sp.where, stream, sp.nsid);
                if (sp.by_zone || is_zone_mgmt(sp.op)) zoned(sp.where, stream, p);
                if (!is_zone_mgmt(sp.op)) block(sp.where, stream, p, sp.block_bytes);
                if (sp.verify) stores_data(sp.where, stream, p);
            }
            return;
        }
        if (s.kind == step_kind::prepare) {
            const nvme::namespace_params& p = ns(s.where, what, s.prepare.nsid);
            zoned(s.where, what, p);
            block(s.where, what, p, s.prepare.block_bytes);
            return;
        }
        const nvme::namespace_params& p = ns(s.where, what, s.nsid);
        switch (s.kind) {
        case step_kind::open:
        case step_kind::close:
        case step_kind::finish:
        case step_kind::reset:
        case step_kind::report:
            zoned(s.where, what, p);
            return;
        case step_kind::append:
            zoned(s.where, what, p);
            block(s.where, what, p, s.block_bytes);
            if (s.verify_after) stores_data(s.where, what, p);
            return;
        case step_kind::write:
        case step_kind::read:
        case step_kind::verify:
        case step_kind::random:
            if (s.by_zone) zoned(s.where, what, p);
            block(s.where, what, p, s.block_bytes);
            if (s.kind == step_kind::verify || s.verify_after) stores_data(s.where, what, p);
            return;
        default:
            return;
        }
    }
};

} // namespace

std::uint64_t transfer_limit_bytes(const system_config& cfg) {
    return mdts_transfer_bytes(cfg.controller.mdts); // what the reference driver will allow
}

void check_job(const job& j, const system_config& cfg) {
    const checker c{cfg, transfer_limit_bytes(cfg)};
    for (const job_step& s : j.steps)
        c.step(s);
}

} // namespace znssim::platform
