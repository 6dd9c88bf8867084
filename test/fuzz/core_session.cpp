#include "test/fuzz/core_session.h"

#include "model/timing/ssd_timing.h"
#include "nvme/ns/namespace_params.h"
#include "platform/namespace_factory.h"
#include "test/fuzz/fuzz_check.h"
#include "zns/zoned_namespace.h"

#include <filesystem>

namespace znssim::fuzz {

void recording_irq::signal(unsigned v) {
    FUZZ_CHECK(v < vector_count(), "MSI-X vector {} signalled, the function has {}", v,
               vector_count());
    ++messages;
}

namespace {

template <class T> T pick(FuzzedDataProvider& in, std::initializer_list<T> choices) {
    const std::size_t i = in.ConsumeIntegralInRange<std::size_t>(0, choices.size() - 1);
    return *(choices.begin() + i);
}

} // namespace

void checking_command_sink::command_done(const nvme::command_record& r) {
    ++records;
    const sim_time now = core->now();
    FUZZ_CHECK(r.submitted <= r.fetched && r.fetched <= r.completed && r.completed == now,
               "command record of SQ {} CID {:#06x}: submitted {}, fetched {}, completed {} "
               "(now {})",
               r.sqid, r.cid, r.submitted, r.fetched, r.completed, now);
    FUZZ_CHECK(r.media_start == 0 || (r.fetched <= r.media_start && r.media_start <= r.media_end &&
                                      r.media_end <= now),
               "command record of SQ {} CID {:#06x}: media {}..{}, fetched {}, now {}", r.sqid,
               r.cid, r.media_start, r.media_end, r.fetched, now);
    FUZZ_CHECK(r.admin == (r.sqid == 0), "command record of SQ {} says admin={}", r.sqid, r.admin);
    if (r.zone >= 0) {
        auto* zoned = dynamic_cast<zns::zoned_namespace*>(core->find_namespace(r.nsid));
        FUZZ_CHECK(zoned && static_cast<std::uint64_t>(r.zone) < zoned->zones().zone_count(),
                   "command record of SQ {} CID {:#06x} (opcode {:#04x}): zone {} of nsid {}",
                   r.sqid, r.cid, r.opcode, r.zone, r.nsid);
    }
    next->command_done(r);
}

core_session::core_session(FuzzedDataProvider& in) : m_in(in), m_dir(scratch_dir()) {}

core_session::~core_session() {
    m_recorder.reset(); // detaches from the core
    m_zoned.clear();
    m_core.reset();
    for (const auto& p : m_ns_params) {
        std::error_code ec;
        std::filesystem::remove(p.image, ec);
    }
}

void core_session::build() {
    // The controller: small limits, so that exhaustion, wrap-around and full queues are near.
    nvme::controller_params& c = m_params;
    c.max_io_queues = m_in.ConsumeIntegralInRange<std::uint16_t>(1, max_queues);
    c.mqes = pick<std::uint16_t>(m_in, {1, 3, 7, 15, 63, 127});
    c.mdts = m_in.ConsumeIntegralInRange<std::uint8_t>(1, 5);
    c.zasl = m_in.ConsumeIntegralInRange<std::uint8_t>(0, c.mdts);
    c.doorbell_stride = m_in.ConsumeIntegralInRange<std::uint8_t>(0, 2);
    c.aerl = m_in.ConsumeIntegralInRange<std::uint8_t>(0, 3);
    c.acl = m_in.ConsumeIntegralInRange<std::uint8_t>(0, 3);
    c.max_inflight = c.aerl + 3u + m_in.ConsumeIntegralInRange<std::uint32_t>(0, 29);
    c.arbitration_burst = m_in.ConsumeIntegralInRange<std::uint8_t>(0, 7);
    c.volatile_write_cache = m_in.ConsumeBool();
    c.sgl = m_in.ConsumeBool();
    c.ready_delay = from_us(m_in.ConsumeIntegralInRange<std::uint64_t>(1, 20));
    c.shutdown_delay = from_us(m_in.ConsumeIntegralInRange<std::uint64_t>(1, 20));
    m_irq.m = m_in.ConsumeBool() ? pcie::interrupt_mode::msix : pcie::interrupt_mode::intx;
    m_irq.vectors = m_in.ConsumeIntegralInRange<unsigned>(1, 8);
    m_timed = m_in.ConsumeBool();
    if (m_timed)
        m_timing = std::make_unique<timing::ssd_timing>(timing::ssd_params{});
    else
        m_timing = std::make_unique<zero_time_media>();

    // A zoned namespace of 2..8 small zones, and a conventional one (at nsid 2 or 3).
    const durability modes[] = {durability::process_crash, durability::host_crash};
    nvme::namespace_params z;
    z.nsid = 1;
    z.image = m_dir + "/ns1.img";
    z.lba_size = m_in.ConsumeBool() ? 4096 : 512;
    z.zoned = true;
    nvme::zoned_params& zc = z.zoned_cfg;
    zc.zone_size_lbas = 16ull << m_in.ConsumeIntegralInRange(0, 2);
    zc.zone_capacity_lbas =
        zc.zone_size_lbas - m_in.ConsumeIntegralInRange<std::uint64_t>(0, zc.zone_size_lbas / 2);
    zc.zone_count = m_in.ConsumeIntegralInRange<std::uint32_t>(2, 8);
    zc.conventional_zones = m_in.ConsumeIntegralInRange<std::uint32_t>(0, 1);
    zc.max_active = m_in.ConsumeIntegralInRange<std::uint32_t>(0, 4);
    zc.max_open = m_in.ConsumeIntegralInRange<std::uint32_t>(0, 3);
    if (zc.max_active && (zc.max_open == 0 || zc.max_open > zc.max_active))
        zc.max_open = zc.max_active;
    zc.descriptor_extension_bytes = m_in.ConsumeBool() ? 64 : 0;
    zc.cross_zone_read = m_in.ConsumeBool();
    zc.reset_recommended_after = from_s(m_in.ConsumeIntegralInRange<std::uint64_t>(0, 2));
    zc.finish_recommended_after = from_s(m_in.ConsumeIntegralInRange<std::uint64_t>(0, 2));
    if (m_in.ConsumeBool()) {
        nvme::zone_fault f;
        f.zone =
            m_in.ConsumeIntegralInRange<std::uint32_t>(zc.conventional_zones, zc.zone_count - 1);
        f.offline = m_in.ConsumeBool();
        f.at = from_ms(m_in.ConsumeIntegralInRange<std::uint64_t>(0, 3));
        zc.faults.push_back(f);
    }
    z.mode = modes[m_in.ConsumeIntegralInRange(0, 1)];
    z.store_data = m_in.ConsumeIntegralInRange(0, 7) != 0;

    nvme::namespace_params n;
    n.nsid = m_in.ConsumeBool() ? 2 : 3;
    n.image = m_dir + "/ns2.img";
    n.lba_size = m_in.ConsumeBool() ? 4096 : 512;
    n.capacity_lbas = m_in.ConsumeIntegralInRange<std::uint64_t>(8, 256);
    n.mode = modes[m_in.ConsumeIntegralInRange(0, 1)];
    n.store_data = m_in.ConsumeIntegralInRange(0, 7) != 0;
    m_ns_params = {z, n};

    std::vector<std::unique_ptr<nvme::nvme_namespace>> list;
    for (const auto& p : m_ns_params) {
        std::error_code ec;
        std::filesystem::remove(p.image, ec);
        list.push_back(platform::make_namespace(p, m_params, m_sched));
    }
    m_core = std::make_unique<nvme::controller_core>(
        m_params, nvme::controller_core::environment{m_sched, m_host, m_irq, *m_timing},
        std::move(list), platform::all_command_sets());
    platform::connect_namespace_events(*m_core);
    m_host.attach(m_core.get());
    if (auto* zoned = dynamic_cast<zns::zoned_namespace*>(m_core->find_namespace(1)))
        m_zoned.push_back(zoned);
    FUZZ_CHECK(m_zoned.size() == 1, "no zoned namespace at nsid 1");
    // The zone and command recorder of `znssim run` (summary only): its zone timeline and
    // counters follow every zone event, and every command record is checked on the way.
    m_recorder = std::make_unique<zns::run_recorder>(zns::recorder_options{});
    m_recorder->attach(*m_core, m_timing.get());
    m_records.core = m_core.get();
    m_records.next = m_recorder.get();
    m_core->set_command_sink(&m_records);
}

void core_session::run() {
    build();
    check_invariants();
    // Most inputs want a working controller to talk to; some start from a cold one.
    if (m_in.ConsumeIntegralInRange(0, 7) != 0) {
        enable();
        for (unsigned q = 1, n = m_in.ConsumeIntegralInRange<unsigned>(0, max_queues); q <= n; ++q)
            add_queue_pair(q);
    }
    for (unsigned steps = 0; m_in.remaining_bytes() > 0 && steps < 400; ++steps) {
        step();
        check_invariants();
    }
    finish();
}

} // namespace znssim::fuzz
