#include "zns/zone_state_machine.h"

#include <stdexcept>

namespace znssim::zns {

namespace nsc = nvme::spec::sc;

namespace {
bool open_state(zone_state s) {
    return s == zone_state::imp_open || s == zone_state::exp_open;
}
bool active_state(zone_state s) {
    return open_state(s) || s == zone_state::closed;
}
} // namespace

const char* zone_state_name(zone_state s) {
    switch (s) {
    case zone_state::empty:
        return "empty";
    case zone_state::imp_open:
        return "implicitly-open";
    case zone_state::exp_open:
        return "explicitly-open";
    case zone_state::closed:
        return "closed";
    case zone_state::read_only:
        return "read-only";
    case zone_state::full:
        return "full";
    case zone_state::offline:
        return "offline";
    }
    return "invalid";
}

zone_state_machine::zone_state_machine(const zone_geometry& g) : m_geo(g) {
    if (g.zone_size == 0 || g.zone_capacity == 0 || g.zone_capacity > g.zone_size ||
        g.zone_count == 0 || g.conventional > g.zone_count)
        throw std::invalid_argument("zone geometry: need 0 < capacity <= size, count > 0, "
                                    "conventional <= count");
    m_zones.resize(g.zone_count);
    for (std::uint32_t i = 0; i < g.zone_count; ++i) {
        zone& z = m_zones[i];
        z.start = static_cast<std::uint64_t>(i) * g.zone_size;
        z.conventional = i < g.conventional;
        // Conventional zones have no write pointer: the whole zone is always writable.
        z.capacity = z.conventional ? g.zone_size : g.zone_capacity;
        z.wp = z.issued = z.start;
    }
}

void zone_state_machine::updated(std::uint32_t i) {
    if (m_listener) m_listener->zone_updated(i);
}

void zone_state_machine::set_state(std::uint32_t i, zone_state to, zone_cause cause) {
    zone& z = m_zones[i];
    const zone_state from = z.state;
    if (from == to) return;
    m_open = m_open - open_state(from) + open_state(to);
    m_active = m_active - active_state(from) + active_state(to);
    z.state = to;
    if (m_listener) m_listener->zone_transition(i, from, to, cause);
}

status zone_state_machine::check_write_state(const zone& z) const {
    switch (z.state) {
    case zone_state::full:
        return nsc::zone_is_full;
    case zone_state::read_only:
        return nsc::zone_is_read_only;
    case zone_state::offline:
        return nsc::zone_is_offline;
    default:
        return nsc::success;
    }
}

std::uint32_t zone_state_machine::auto_close_victim(std::uint32_t except) const {
    // ZNS 1.1 2.1.1.4.1: the controller may close an implicitly opened zone to free an open
    // resource; the least recently opened one is the least likely to be written next.
    std::uint32_t victim = m_geo.zone_count;
    for (std::uint32_t i = 0; i < m_geo.zone_count; ++i) {
        const zone& z = m_zones[i];
        if (i != except && z.state == zone_state::imp_open &&
            (victim == m_geo.zone_count || z.open_seq < m_zones[victim].open_seq))
            victim = i;
    }
    return victim;
}

bool zone_state_machine::auto_close_one(std::uint32_t except) {
    const std::uint32_t victim = auto_close_victim(except);
    if (victim == m_geo.zone_count) return false;
    set_state(victim, zone_state::closed, zone_cause::auto_close);
    updated(victim);
    return true;
}

status zone_state_machine::check_resources(std::uint32_t i) const {
    const zone& z = m_zones[i];
    const bool need_active = z.state == zone_state::empty;
    const bool need_open = !z.is_open();
    if (need_active && m_geo.max_active && m_active >= m_geo.max_active)
        return nsc::too_many_active_zones;
    if (need_open && m_geo.max_open && m_open >= m_geo.max_open &&
        auto_close_victim(i) == m_geo.zone_count)
        return nsc::too_many_open_zones;
    return nsc::success;
}

status zone_state_machine::take_resources(std::uint32_t i, sim_time now, bool* closed) {
    if (status s = check_resources(i); !s.ok()) return s;
    const zone& z = m_zones[i];
    if (!z.is_open() && m_geo.max_open && m_open >= m_geo.max_open) {
        auto_close_one(i);
        if (closed) *closed = true;
    }
    if (z.state == zone_state::empty) m_zones[i].active_since = now;
    return nsc::success;
}

status zone_state_machine::check_read(std::uint64_t slba, std::uint64_t nlb,
                                      bool cross_zone) const {
    const std::uint64_t nsze = size_lbas();
    if (nlb == 0 || slba >= nsze || nlb > nsze - slba) return nsc::lba_out_of_range;
    const std::uint32_t first = zone_of(slba);
    const std::uint32_t last = zone_of(slba + nlb - 1);
    if (first != last && !cross_zone) return nsc::zone_boundary_error;
    for (std::uint32_t i = first; i <= last; ++i)
        if (m_zones[i].state == zone_state::offline) return nsc::zone_is_offline;
    return nsc::success;
}

status zone_state_machine::check_deallocate(std::uint64_t slba, std::uint64_t nlb) const {
    return check_read(slba, nlb, true);
}

status zone_state_machine::begin_write(bool append, std::uint64_t slba, std::uint64_t nlb,
                                       sim_time now, zone_write& out) {
    const std::uint64_t nsze = size_lbas();
    if (nlb == 0 || slba >= nsze || nlb > nsze - slba) return nsc::lba_out_of_range;
    const std::uint32_t i = zone_of(slba);
    zone& z = m_zones[i];
    if (append && slba != z.start) return nsc::invalid_field;
    out = zone_write{};
    out.nlb = nlb;
    if (z.conventional) {
        // No write pointer; a write may not run into the sequential zones behind it.
        if (append) return nsc::invalid_field;
        if (zone_of(slba + nlb - 1) >= m_geo.conventional) return nsc::zone_boundary_error;
        out.lba = slba;
        return nsc::success;
    }
    if (status s = check_write_state(z); !s.ok()) return s;
    const std::uint64_t at = append ? z.issued : slba;
    if (at != z.issued) return nsc::zone_invalid_write;
    // Writes still in flight may already cover the capacity: the zone is Full only once they
    // completed, until then a write at the issue pointer crosses the zone boundary (as QEMU).
    if (nlb > z.end() - at) return nsc::zone_boundary_error;
    if (!z.is_open()) {
        if (status s = take_resources(i, now, &out.auto_closed); !s.ok()) return s;
        z.open_seq = ++m_seq;
        out.opened = true;
        set_state(i, zone_state::imp_open, zone_cause::write);
        updated(i);
    }
    z.issued = at + nlb;
    ++z.inflight;
    out.lba = at;
    out.epoch = z.epoch;
    return nsc::success;
}

bool zone_state_machine::current(const zone_write& w) const {
    if (w.lba >= size_lbas()) return false;
    const zone& z = m_zones[zone_of(w.lba)];
    return z.conventional || z.epoch == w.epoch;
}

lba_range zone_state_machine::end_write(const zone_write& w, bool ok) {
    if (w.lba >= size_lbas()) return {};
    const std::uint32_t i = zone_of(w.lba);
    zone& z = m_zones[i];
    // A reset or offline since it was accepted took everything of it away already.
    if (z.conventional || z.epoch != w.epoch || z.inflight == 0) return {};
    --z.inflight;
    const std::uint64_t slba = w.lba, end = w.lba + w.nlb;
    if (!ok && slba < z.fail_at) z.fail_at = slba;
    const std::uint64_t before = z.wp;
    if (ok && slba == z.wp && z.fail_at > slba)
        z.wp = end; // in-order completion: the durable pointer follows at once
    lba_range discard{};
    if (z.inflight == 0) {
        // Everything issued has completed: the durable pointer covers it all, up to a failure.
        const std::uint64_t covered = z.fail_at < z.issued ? z.fail_at : z.issued;
        if (covered > z.wp) z.wp = covered;
        if (z.fail_at != no_lba) {
            discard = {z.fail_at, z.issued};
            z.fail_at = no_lba;
            if (z.state == zone_state::full)
                z.wp = z.end(); // finished meanwhile: the device filled the rest
            else
                z.issued = z.wp;
        }
    }
    const bool filled = z.wp == z.end() && z.state != zone_state::full;
    if (filled)
        to_full(i, zone_cause::write);
    else if (z.wp != before || !discard.empty())
        updated(i);
    return discard;
}

void zone_state_machine::to_full(std::uint32_t i, zone_cause cause) {
    zone& z = m_zones[i];
    set_state(i, zone_state::full, cause);
    z.attrs &= static_cast<std::uint8_t>(~(spec::za::fzr | spec::za::rzr));
    // A finished zone's write pointer is meaningless; writes still in flight complete below it.
    if (z.inflight == 0)
        z.wp = z.issued = z.end();
    else
        z.issued = z.end();
    updated(i);
}

status zone_state_machine::open(std::uint32_t i, sim_time now) {
    zone& z = m_zones[i];
    switch (z.state) {
    case zone_state::exp_open:
        return nsc::success;
    case zone_state::empty:
    case zone_state::closed:
    case zone_state::imp_open:
        if (status s = take_resources(i, now); !s.ok()) return s;
        set_state(i, zone_state::exp_open, zone_cause::action);
        updated(i);
        return nsc::success;
    default:
        return nsc::zone_invalid_state_transition;
    }
}

status zone_state_machine::close(std::uint32_t i) {
    zone& z = m_zones[i];
    switch (z.state) {
    case zone_state::closed:
        return nsc::success;
    case zone_state::imp_open:
    case zone_state::exp_open:
        set_state(i, zone_state::closed, zone_cause::action);
        updated(i);
        return nsc::success;
    default:
        return nsc::zone_invalid_state_transition;
    }
}

status zone_state_machine::finish(std::uint32_t i, sim_time now) {
    zone& z = m_zones[i];
    switch (z.state) {
    case zone_state::full:
        return nsc::success;
    case zone_state::empty:
        // Empty → Full passes through an active state (ZNS 1.1 Figure 10): needs a resource.
        if (m_geo.max_active && m_active >= m_geo.max_active) return nsc::too_many_active_zones;
        [[fallthrough]];
    case zone_state::imp_open:
    case zone_state::exp_open:
    case zone_state::closed:
        to_full(i, zone_cause::action);
        return nsc::success;
    default:
        return nsc::zone_invalid_state_transition;
    }
}

status zone_state_machine::reset(std::uint32_t i) {
    zone& z = m_zones[i];
    switch (z.state) {
    case zone_state::empty:
        return nsc::success;
    case zone_state::imp_open:
    case zone_state::exp_open:
    case zone_state::closed:
    case zone_state::full:
        z.wp = z.issued = z.start;
        z.fail_at = no_lba;
        z.inflight = 0;
        ++z.epoch;   // writes still in flight find their zone gone when they complete
        z.attrs = 0; // clears ZFC, FZR, RZR and ZDEV (the extension is discarded)
        set_state(i, zone_state::empty, zone_cause::action);
        updated(i);
        return nsc::success;
    default:
        return nsc::zone_invalid_state_transition;
    }
}

status zone_state_machine::offline(std::uint32_t i) {
    zone& z = m_zones[i];
    switch (z.state) {
    case zone_state::offline:
        return nsc::success;
    case zone_state::read_only:
        make_offline(i);
        return nsc::success;
    default:
        return nsc::zone_invalid_state_transition;
    }
}

status zone_state_machine::set_extension(std::uint32_t i, sim_time now) {
    zone& z = m_zones[i];
    if (z.state != zone_state::empty) return nsc::zone_invalid_state_transition;
    if (m_geo.max_active && m_active >= m_geo.max_active) return nsc::too_many_active_zones;
    z.active_since = now;
    z.attrs |= spec::za::zdev;
    set_state(i, zone_state::closed, zone_cause::action);
    updated(i);
    return nsc::success;
}

status zone_state_machine::apply(spec::zsa action, std::uint32_t i, sim_time now) {
    if (i >= m_geo.zone_count) return nsc::lba_out_of_range;
    if (m_zones[i].conventional) return nsc::zone_invalid_state_transition;
    switch (action) {
    case spec::zsa::open:
        return open(i, now);
    case spec::zsa::close:
        return close(i);
    case spec::zsa::finish:
        return finish(i, now);
    case spec::zsa::reset:
        return reset(i);
    case spec::zsa::offline:
        return offline(i);
    case spec::zsa::set_extension:
        return set_extension(i, now);
    }
    return nsc::invalid_field;
}

status zone_state_machine::check(spec::zsa action, std::uint32_t i) const {
    if (i >= m_geo.zone_count) return nsc::lba_out_of_range;
    const zone& z = m_zones[i];
    if (z.conventional) return nsc::zone_invalid_state_transition;
    const zone_state s = z.state;
    switch (action) {
    case spec::zsa::open:
        if (s == zone_state::exp_open) return nsc::success;
        if (s == zone_state::empty || s == zone_state::closed || s == zone_state::imp_open)
            return check_resources(i);
        return nsc::zone_invalid_state_transition;
    case spec::zsa::close:
        return s == zone_state::closed || open_state(s) ? nsc::success
                                                        : nsc::zone_invalid_state_transition;
    case spec::zsa::finish:
        if (s == zone_state::empty && m_geo.max_active && m_active >= m_geo.max_active)
            return nsc::too_many_active_zones;
        return s == zone_state::full || s == zone_state::empty || active_state(s)
                   ? status(nsc::success)
                   : status(nsc::zone_invalid_state_transition);
    case spec::zsa::reset:
        return s == zone_state::empty || s == zone_state::full || active_state(s)
                   ? status(nsc::success)
                   : status(nsc::zone_invalid_state_transition);
    case spec::zsa::offline:
        return s == zone_state::offline || s == zone_state::read_only
                   ? status(nsc::success)
                   : status(nsc::zone_invalid_state_transition);
    case spec::zsa::set_extension:
        if (s != zone_state::empty) return nsc::zone_invalid_state_transition;
        if (m_geo.max_active && m_active >= m_geo.max_active) return nsc::too_many_active_zones;
        return nsc::success;
    }
    return nsc::invalid_field;
}

bool zone_state_machine::selects(spec::zsa action, std::uint32_t i) const {
    const zone& z = m_zones[i];
    if (z.conventional) return false;
    const zone_state s = z.state;
    switch (action) {
    case spec::zsa::open:
        return s == zone_state::closed;
    case spec::zsa::close:
        return open_state(s);
    case spec::zsa::finish:
        return active_state(s);
    case spec::zsa::reset:
        return active_state(s) || s == zone_state::full;
    case spec::zsa::offline:
        return s == zone_state::read_only;
    case spec::zsa::set_extension:
        return false;
    }
    return false;
}

status zone_state_machine::apply_all(spec::zsa action, sim_time now) {
    // Select All acts only on zones in the states each action names; others are skipped, so a
    // Select All never fails with Invalid Zone State Transition.
    if (action == spec::zsa::set_extension) return nsc::invalid_field;
    for (std::uint32_t i = m_geo.conventional; i < m_geo.zone_count; ++i) {
        if (!selects(action, i)) continue;
        if (status st = apply(action, i, now); !st.ok()) return st;
    }
    return nsc::success;
}

void zone_state_machine::make_read_only(std::uint32_t i) {
    zone& z = m_zones[i];
    if (z.conventional || z.state == zone_state::read_only || z.state == zone_state::offline)
        return;
    set_state(i, zone_state::read_only, zone_cause::fault);
    z.attrs &= static_cast<std::uint8_t>(~(spec::za::fzr | spec::za::rzr));
    updated(i);
}

void zone_state_machine::make_offline(std::uint32_t i) {
    zone& z = m_zones[i];
    if (z.conventional || z.state == zone_state::offline) return;
    set_state(i, zone_state::offline, zone_cause::fault);
    z.attrs = 0;
    z.wp = z.issued = z.start;
    z.inflight = 0;
    ++z.epoch;
    updated(i);
}

bool zone_state_machine::raise_attributes(std::uint32_t i, std::uint8_t bits) {
    zone& z = m_zones[i];
    if ((z.attrs & bits) == bits) return false;
    z.attrs |= bits;
    updated(i);
    return true;
}

zone_state zone_state_machine::restore(std::uint32_t i, zone_state s, std::uint64_t wp,
                                       std::uint8_t attrs, sim_time now) {
    zone& z = m_zones[i];
    if (z.conventional) return z.state;
    if (open_state(s))
        s = (wp == z.start && !(attrs & spec::za::zdev)) ? zone_state::empty : zone_state::closed;
    if (s == zone_state::empty) {
        wp = z.start;
        attrs = 0;
    }
    if (s == zone_state::full || s == zone_state::read_only || s == zone_state::offline) {
        if (wp < z.start || wp > z.end()) wp = s == zone_state::full ? z.end() : z.start;
    }
    z.wp = z.issued = wp;
    z.attrs = attrs;
    z.inflight = 0;
    z.fail_at = no_lba;
    z.active_since = now;
    // Restoring bypasses the limits: a persisted image is what it is (counts stay exact).
    set_state(i, s, zone_cause::restore);
    return s;
}

} // namespace znssim::zns
