// The timing: section: every parameter of the structural SSD model (model/timing/ssd_params.h),
// with units and ranges; docs/timing.md explains each and how configs/zn540.yaml derives them.
#include "platform/config/config_sections.h"

namespace znssim::platform::detail {
namespace {

constexpr sim_time max_op = from_s(10); // no single flash or firmware operation takes longer

void read_link(yaml_map m, timing::link_params& p) {
    m.read_uint("generation", p.generation, 1, 5);
    if (auto v = m.find("lanes")) {
        p.lanes = static_cast<unsigned>(v->as_uint(1, 16));
        if (p.lanes & (p.lanes - 1)) v->fail("must be 1, 2, 4, 8 or 16");
    }
    if (auto v = m.find("max_payload")) {
        p.max_payload = static_cast<std::uint32_t>(v->as_size(128, 4096));
        if (p.max_payload & (p.max_payload - 1)) v->fail("must be a power of two (128 B..4 KiB)");
    }
    m.read_size("tlp_overhead", p.tlp_overhead, 0, 128);
    m.read_duration("read_latency", p.read_latency, 0, from_ms(1));
    m.finish();
}

void read_frontend(yaml_map m, timing::frontend_params& p) {
    m.read_duration("doorbell_to_fetch", p.doorbell_to_fetch, 0, from_ms(1));
    m.read_uint("processors", p.processors, 1, 64);
    m.read_duration("read_cost", p.read_cost, 0, from_ms(10));
    m.read_duration("write_cost", p.write_cost, 0, from_ms(10));
    m.read_duration("zone_mgmt_cost", p.zone_mgmt_cost, 0, from_ms(10));
    m.read_duration("admin_cost", p.admin_cost, 0, from_ms(10));
    m.read_duration("other_cost", p.other_cost, 0, from_ms(10));
    m.read_duration("completion_cost", p.completion_cost, 0, from_ms(1));
    m.read_duration("program_dispatch_cost", p.program_dispatch_cost, 0, from_ms(10));
    m.finish();
}

void read_flash(yaml_map m, timing::nand_params& p) {
    m.read_uint("channels", p.channels, 1, 64);
    m.read_uint("dies_per_channel", p.dies_per_channel, 1, 64);
    m.read_uint("planes", p.planes, 1, 16);
    if (auto v = m.find("page_size")) {
        p.page_bytes = static_cast<std::uint32_t>(v->as_size(512, 256u << 10));
        if (p.page_bytes % 512) v->fail("must be a multiple of 512 B");
    }
    m.read_uint("cell_bits", p.cell_bits, 1, 4);
    if (auto v = m.find("read_time")) {
        // One sense time for every page type, or a list with one per type (lower, middle, ...).
        if (v->is_sequence()) {
            auto items = v->as_sequence();
            if (items.size() != p.cell_bits)
                v->fail("needs one time per page type: " + std::to_string(p.cell_bits) +
                        " (cell_bits), got " + std::to_string(items.size()));
            for (std::size_t i = 0; i < items.size(); ++i)
                p.read_time[i] = items[i].as_duration(from_ns(1), max_op);
        } else {
            p.read_time.fill(v->as_duration(from_ns(1), max_op));
        }
    }
    m.read_duration("program_time", p.program_time, from_ns(1), max_op);
    m.read_duration("erase_time", p.erase_time, from_ns(1), max_op);
    m.read_size("block_size", p.block_bytes, 4096, 64ull << 30);
    if (auto v = m.find("channel_rate")) p.channel_bytes_per_second = v->as_rate(1e6, 1e12);
    m.finish();
}

void read_buffer(yaml_map m, timing::buffer_params& p) {
    m.read_size("size", p.bytes, 4096, 64ull << 30);
    if (auto v = m.find("ingest_rate")) p.ingest_bytes_per_second = v->as_rate(1e6, 1e12);
    if (auto v = m.find("per_zone")) p.per_zone_bytes = v->as_size(0, p.bytes);
    m.read_bool("power_loss_protected", p.power_loss_protected);
    m.finish();
}

void read_zones(yaml_map m, timing::zone_params& p, unsigned dies) {
    if (auto v = m.find("dies_per_zone")) {
        if (v->is_scalar() && v->scalar() == "all")
            p.dies_per_zone = 0;
        else
            p.dies_per_zone = static_cast<unsigned>(v->as_uint(1, dies));
    }
    m.read_duration("open_cost", p.open_cost, 0, from_ms(100));
    m.read_duration("close_cost", p.close_cost, 0, from_ms(100));
    m.read_duration("implicit_open_cost", p.implicit_open_cost, 0, from_ms(100));
    m.read_duration("auto_close_cost", p.auto_close_cost, 0, from_ms(100));
    m.read_duration("metadata_program", p.metadata_program, 0, max_op);
    m.read_duration("append_serialization", p.append_serialization, 0, from_ms(1));
    m.finish();
}

void read_host(yaml_map m, timing::host_params& p) {
    if (auto v = m.find("completions")) p.polled = v->as_choice({"polled", "interrupt"}) == 0;
    m.read_duration("submit_cost", p.submit_cost, 0, from_ms(1));
    m.read_duration("complete_cost", p.complete_cost, 0, from_ms(1));
    m.read_duration("interrupt_latency", p.interrupt_latency, 0, from_ms(10));
    m.finish();
}

} // namespace

void read_timing(yaml_map t, system_config& cfg) {
    timing::ssd_params& p = cfg.ssd;
    read_link(t.sub("pcie"), p.link);
    read_frontend(t.sub("controller"), p.frontend);
    read_flash(t.sub("flash"), p.nand);
    read_buffer(t.sub("write_buffer"), p.buffer);
    read_zones(t.sub("zones"), p.zones, p.nand.dies());
    read_host(t.sub("host"), p.host);
    t.finish();
}

} // namespace znssim::platform::detail
