#include "nvme/core/controller_core.h"

#include "nvme/admin/admin_handlers.h"

#include "nvme/spec/registers.h"

#include <algorithm>

namespace znssim::nvme {

using namespace spec;

command_slot::command_slot(controller_core* core, std::size_t transfer_segments)
    : owner(core), phase_timer(
                       [](void* p) {
                           auto* s = static_cast<command_slot*>(p);
                           s->owner->on_phase_timer(*s);
                       },
                       this),
      xfer(transfer_segments) {
    cmd.xfer = &xfer;
    media.context = this;
}

namespace {

/// Admin commands keep a reserve of their own so that I/O (or a host that never reaps an I/O
/// queue) cannot stop the admin queue.
constexpr std::uint32_t admin_reserve_max = 16;

} // namespace

controller_core::controller_core(const controller_params& params, environment env,
                                 std::vector<std::unique_ptr<nvme_namespace>> namespaces,
                                 std::vector<const io_command_set*> command_sets)
    : m_params(params), m_env(env), m_counting_dma(env.dma), m_timed(env.timing.timed()),
      m_loggers(params.log_instance), m_log(m_loggers.get("nvme.ctrl")),
      m_ready_timer(timer::member<controller_core, &controller_core::on_ready_timer>(this)),
      m_shutdown_timer(timer::member<controller_core, &controller_core::on_shutdown_timer>(this)),
      m_features(m_params), m_sqs(params.max_io_queues + 1u), m_cqs(params.max_io_queues + 1u),
      m_cq_committed(params.max_io_queues + 1u, 0),
      m_cq_waiting_head(params.max_io_queues + 1u, nullptr),
      m_cq_waiting_tail(params.max_io_queues + 1u, nullptr),
      m_interrupts(env.sched, env.irq, m_features, m_cqs), m_events(params.aerl + 1u),
      m_arbitrate_timer(timer::member<controller_core, &controller_core::on_arbitrate>(this)) {
    m_doorbell_stride = 4u << m_params.doorbell_stride;
    m_admin_effects = admin_command_set().effects;
    if (!m_params.doorbell_buffer) m_admin_effects[admin_opcode::doorbell_buffer_config] = 0;
    m_sq_pending.assign((params.max_io_queues + 64u) / 64u + 1u, 0);
    m_cap = cap::mqes(m_params.mqes) | cap::cqr |
            (static_cast<std::uint64_t>(m_params.cap_timeout) << cap::to_shift) |
            (static_cast<std::uint64_t>(m_params.doorbell_stride & 0xf) << cap::dstrd_shift) |
            cap::css_nvm | cap::css_iocs | (4ull << cap::mpsmax_shift);

    for (auto& ns : namespaces) {
        if (!ns) continue;
        const std::uint32_t nsid = ns->nsid();
        if (nsid == 0) continue;
        if (m_namespaces.size() < nsid) m_namespaces.resize(nsid);
        if (!m_params.log_instance.empty()) ns->set_log_instance(m_params.log_instance);
        m_namespaces[nsid - 1] = std::move(ns);
    }
    m_namespace_limit = static_cast<std::uint32_t>(m_namespaces.size());
    for (const io_command_set* set : command_sets)
        if (set && static_cast<unsigned>(set->csi) < m_sets.size())
            m_sets[static_cast<unsigned>(set->csi)] = set;

    // Slots: AERL+1 for AERs, a small admin reserve, the rest for I/O (the config loader makes
    // sure at least one of each is left). Each has its own transfer scratch sized for MDTS, so a
    // command's resolved data pointer outlives its handler.
    const std::uint32_t total = std::max<std::uint32_t>(m_params.max_inflight, m_params.aerl + 3u);
    m_pool_size[static_cast<unsigned>(slot_pool::aer)] = m_params.aerl + 1u;
    const std::uint32_t rest = total - (m_params.aerl + 1u);
    m_pool_size[static_cast<unsigned>(slot_pool::admin)] =
        std::min(admin_reserve_max, std::max<std::uint32_t>(1, rest / 4));
    m_pool_size[static_cast<unsigned>(slot_pool::io)] =
        rest - m_pool_size[static_cast<unsigned>(slot_pool::admin)];
    const std::size_t segments =
        data_transfer::segments_for(data_transfer::max_transfer_bytes(m_params));
    m_slots.reserve(total);
    std::uint32_t index = 0;
    for (slot_pool pool : {slot_pool::io, slot_pool::admin, slot_pool::aer}) {
        auto& free = m_free[static_cast<unsigned>(pool)];
        free.reserve(m_pool_size[static_cast<unsigned>(pool)]);
        for (std::uint32_t i = 0; i < m_pool_size[static_cast<unsigned>(pool)]; ++i) {
            auto slot = std::make_unique<command_slot>(this, segments);
            slot->index = index++;
            slot->pool = pool;
            slot->media.done = &controller_core::on_media_done;
            free.push_back(slot.get());
            m_slots.push_back(std::move(slot));
        }
        std::reverse(free.begin(), free.end());
    }
    m_env.timing.bind(m_env.sched);
    reset();
}

controller_core::~controller_core() {
    for (auto& s : m_slots)
        m_env.sched.cancel(s->phase_timer);
    m_env.sched.cancel(m_ready_timer);
    m_env.sched.cancel(m_shutdown_timer);
    m_env.sched.cancel(m_arbitrate_timer);
}

nvme_namespace* controller_core::find_namespace(std::uint32_t nsid) {
    if (nsid == 0 || nsid > m_namespaces.size()) return nullptr;
    return m_namespaces[nsid - 1].get();
}

const io_command_set* controller_core::command_set(csi c) const {
    const unsigned i = static_cast<unsigned>(c);
    return i < m_sets.size() ? m_sets[i] : nullptr;
}

const submission_queue* controller_core::sq(std::uint16_t qid) const {
    return qid < m_sqs.size() && m_sqs[qid].valid ? &m_sqs[qid] : nullptr;
}

const completion_queue* controller_core::cq(std::uint16_t qid) const {
    return qid < m_cqs.size() && m_cqs[qid].valid ? &m_cqs[qid] : nullptr;
}

std::uint32_t controller_core::pool_size(slot_pool p) const {
    return m_pool_size[static_cast<unsigned>(p)];
}

command_slot* controller_core::allocate_slot(slot_pool pool) {
    auto& free = m_free[static_cast<unsigned>(pool)];
    if (free.empty()) return nullptr;
    command_slot* s = free.back();
    free.pop_back();
    s->phase = slot_phase::arriving;
    s->planned = false;
    s->holds_credit = false;
    s->next_waiting = nullptr;
    ++m_slots_in_use;
    return s;
}

command_slot* controller_core::slot_of(const command& cmd) {
    for (auto& s : m_slots)
        if (&s->cmd == &cmd) return s.get();
    return nullptr;
}

void controller_core::release(command_slot& slot) {
    m_env.sched.cancel(slot.phase_timer);
    if (slot.holds_credit) {
        if (m_cq_committed[slot.credit_cq]) --m_cq_committed[slot.credit_cq];
        slot.holds_credit = false;
    }
    const bool was_exhausted = m_free[static_cast<unsigned>(slot.pool)].empty();
    slot.phase = slot_phase::free;
    slot.planned = false;
    m_free[static_cast<unsigned>(slot.pool)].push_back(&slot);
    --m_slots_in_use;
    if (was_exhausted) kick(); // slots were exhausted: fetching can go on
}

void controller_core::reset() {
    tear_down_queues();
    m_env.sched.cancel(m_ready_timer);
    m_env.sched.cancel(m_shutdown_timer);
    m_enabling = false;
    m_cc = 0;
    m_csts = 0;
    m_aqa = 0;
    m_asq = 0;
    m_acq = 0;
    m_fatal = false;
    m_features.reset();
    m_state = controller_state{};
    m_interrupts.reset();
    m_env.timing.reset();
}

void controller_core::shutdown() {
    for (auto& ns : m_namespaces)
        if (ns) ns->shutdown();
}

void controller_core::fatal(const char* why) {
    if (!m_fatal) ZLOG_ERROR(m_log, "controller fatal status: {}", why);
    m_fatal = true;
    m_csts |= csts::cfs;
}

void controller_core::log_page_read(std::uint8_t lid, bool retain) {
    if (!retain) m_events.log_read(lid);
    deliver_events();
}

void controller_core::raise_event(const async_event& ev) {
    // SMART and notice events are reported only when enabled (Set Features 0Bh); errors always.
    const std::uint32_t aec = m_features.async_event_config();
    if (ev.type == event_type::smart) {
        // SMART event info → the critical warning bit that enables it in AEC bits 7:0.
        static constexpr std::uint32_t enable_bit[3] = {1u << 2, 1u << 1, 1u << 0};
        if (ev.info > 2 || !(aec & enable_bit[ev.info])) return;
    }
    if (ev.type == event_type::notice) {
        const bool ns_attr = ev.info == 0x00 && !(aec & (1u << 8));
        const bool zone_changed = ev.info == 0xef && !(aec & (1u << 27));
        if (ns_attr || zone_changed) return;
    }
    ZLOG_DEBUG(m_log, "async event type {} info {:#x} log {:#x}", ev.type, ev.info, ev.log_page);
    m_events.post(ev);
    deliver_events();
}

void controller_core::deliver_events() {
    while (command* cmd = m_events.next_completion())
        complete_deferred(*cmd);
}

void controller_core::namespace_attribute_changed(std::uint32_t nsid) {
    auto& changed = m_logs.changed_namespaces;
    if (std::find(changed.begin(), changed.end(), nsid) == changed.end()) {
        if (changed.size() < 1024)
            changed.push_back(nsid);
        else
            changed.assign(1, 0xffffffffu); // more than 1024 changed: the list overflows
    }
    raise_event({event_type::notice, 0x00, 0x04});
}

void controller_core::check_temperature() {
    auto& h = m_logs.health;
    const bool over = h.temperature_kelvin > m_features.over_threshold();
    const bool under =
        m_features.under_threshold() != 0 && h.temperature_kelvin < m_features.under_threshold();
    const bool was = h.critical_warning & 0x02;
    if (over || under) {
        h.critical_warning |= 0x02;
        if (!was) raise_event({event_type::smart, 0x01, 0x02});
    } else {
        h.critical_warning &= ~0x02;
    }
}

} // namespace znssim::nvme
