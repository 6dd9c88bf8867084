#include "zns/trace/command_names.h"

#include "nvme/spec/commands.h"
#include "zns/spec.h"

namespace znssim::zns {

namespace ao = nvme::spec::admin_opcode;
namespace io = nvme::spec::io_opcode;

namespace {

const char* admin_name(std::uint8_t opcode) {
    switch (opcode) {
    case ao::delete_io_sq:
        return "delete sq";
    case ao::create_io_sq:
        return "create sq";
    case ao::get_log_page:
        return "get log page";
    case ao::delete_io_cq:
        return "delete cq";
    case ao::create_io_cq:
        return "create cq";
    case ao::identify:
        return "identify";
    case ao::abort:
        return "abort";
    case ao::set_features:
        return "set features";
    case ao::get_features:
        return "get features";
    case ao::async_event_request:
        return "async event request";
    case ao::namespace_management:
        return "namespace management";
    case ao::keep_alive:
        return "keep alive";
    case ao::doorbell_buffer_config:
        return "doorbell buffer config";
    case ao::format_nvm:
        return "format";
    default:
        return "admin";
    }
}

const char* zone_send_name(std::uint32_t cdw13) {
    const bool all = (cdw13 >> 8) & 1u; // Select All
    switch (static_cast<spec::zsa>(cdw13 & 0xff)) {
    case spec::zsa::close:
        return all ? "zone close all" : "zone close";
    case spec::zsa::finish:
        return all ? "zone finish all" : "zone finish";
    case spec::zsa::open:
        return all ? "zone open all" : "zone open";
    case spec::zsa::reset:
        return all ? "zone reset all" : "zone reset";
    case spec::zsa::offline:
        return all ? "zone offline all" : "zone offline";
    case spec::zsa::set_extension:
        return "zone set extension";
    }
    return "zone send";
}

} // namespace

bool selects_all(const nvme::command_record& r) {
    return (r.cdw13 >> 8) & 1u;
}

bool is_zone_action(const nvme::command_record& r, std::uint8_t action) {
    return !r.admin && r.opcode == io::zone_mgmt_send && (r.cdw13 & 0xff) == action;
}

const char* command_name(const nvme::command_record& r) {
    if (r.admin) return admin_name(r.opcode);
    switch (r.opcode) {
    case io::flush:
        return "flush";
    case io::write:
        return "write";
    case io::read:
        return "read";
    case io::write_uncorrectable:
        return "write uncorrectable";
    case io::compare:
        return "compare";
    case io::write_zeroes:
        return "write zeroes";
    case io::dataset_management:
        return "dataset management";
    case io::verify:
        return "verify";
    case io::copy:
        return "copy";
    case io::zone_mgmt_send:
        return zone_send_name(r.cdw13);
    case io::zone_mgmt_recv:
        return "zone report";
    case io::zone_append:
        return "append";
    default:
        return "io";
    }
}

} // namespace znssim::zns
