#include "zns/zoned_namespace.h"

#include "nvme/core/device_log.h"
#include "nvme/ns/media_status.h"
#include "nvme/spec/identify.h"
#include "zns/zone_descriptor.h"

#include <algorithm>
#include <cstring>

namespace znssim::zns {

namespace nsc = nvme::spec::sc;

namespace {

unsigned log2_of(std::uint32_t v) {
    unsigned s = 0;
    while ((1u << s) < v)
        ++s;
    return s;
}

zone_geometry sm_geometry(const metadata::geometry& g, const nvme::zoned_params& z) {
    zone_geometry s;
    s.zone_size = g.zone_size;
    s.zone_capacity = g.zone_capacity;
    s.zone_count = g.zone_count;
    s.conventional = g.conventional;
    s.max_open = z.max_open;
    s.max_active = z.max_active;
    return s;
}

/// What a zone's record says (docs/image-format.md, "Zone record"): a Full zone's write pointer
/// is its capacity, and a Closed zone with nothing written and no extension is recorded Empty,
/// which is what it comes back as (like an opened one).
metadata::persisted_zone record_of(const zone& z) {
    metadata::persisted_zone r{true, z.state, z.wp, z.attrs};
    if (z.state == zone_state::full) r.wp = z.end();
    if (z.state == zone_state::closed && z.wp == z.start && !(z.attrs & spec::za::zdev))
        r.state = zone_state::empty;
    if (r.state == zone_state::empty) {
        r.wp = z.start;
        r.attrs = 0;
    }
    if (z.state == zone_state::offline) r.wp = z.start;
    return r;
}

bool same_record(const metadata::persisted_zone& a, const metadata::persisted_zone& b) {
    return a.state == b.state && a.wp == b.wp && a.attrs == b.attrs;
}

std::uint32_t seconds_up(sim_time t) {
    const sim_time s = from_s(1);
    return static_cast<std::uint32_t>((t + s - 1) / s);
}

} // namespace

zoned_namespace::zoned_namespace(const nvme::namespace_params& p, scheduler& sched)
    : m_params(p), m_sched(sched),
      m_log(nvme::device_logger(p.log_instance, "zns.ns" + std::to_string(p.nsid))),
      m_lba_shift(log2_of(p.lba_size)), m_geo(zns::geometry_of(p)),
      m_zones(sm_geometry(m_geo, p.zoned_cfg)),
      m_limit_timer(timer::member<zoned_namespace, &zoned_namespace::check_limits>(this)) {
    const std::uint64_t zsz_bytes = m_geo.zone_size * m_geo.lba_size;
    if ((zsz_bytes & (zsz_bytes - 1)) != 0)
        m_log->warn("namespace {}: zone size {} LBAs is not a power of two; Linux will not use "
                    "this namespace as a zoned block device",
                    p.nsid, m_geo.zone_size);
    if (m_geo.conventional)
        m_log->warn("namespace {}: {} conventional zones are reported with zone type 1, which "
                    "ZNS 1.1 does not define (Linux rejects it)",
                    p.nsid, m_geo.conventional);

    opened_image oi = open_zoned_image(p, m_geo);
    m_image = std::move(oi.image);
    m_io = std::make_unique<metadata::image_metadata_io>(*m_image);
    m_meta = std::make_unique<metadata::zone_metadata>(*m_io, m_geo);
    m_formatted = oi.formatted;
    m_changed.reserve(511);
    m_is_changed.assign(m_geo.zone_count, false);

    std::vector<metadata::persisted_zone> saved;
    if (!m_formatted) {
        try {
            m_meta->verify();
            saved = m_meta->load();
        } catch (const image_io_error&) {
            throw; // the disk failed, the metadata may be fine: never reformat over it
        } catch (const image_error&) {
            if (!p.reformat) throw;
            m_formatted = true;
        }
    }
    if (m_formatted) {
        m_log->info("{}: formatting zone metadata ({} zones of {} LBAs)", p.image, m_geo.zone_count,
                    m_geo.zone_size);
        try {
            m_meta->format();
        } catch (const image_error&) {
            m_image->remove_if_created(); // a half-formatted new image would be refused next time
            throw;
        }
        saved.assign(m_geo.zone_count, metadata::persisted_zone{});
    }
    m_zones.set_listener(this);
    m_restoring = true;
    for (std::uint32_t i = 0; i < m_geo.zone_count; ++i)
        if (saved[i].present)
            m_zones.restore(i, saved[i].state, saved[i].wp, saved[i].attrs, m_sched.now());
    m_restoring = false;
    restore_zones(saved); // discards what lies above each write pointer
    m_dirty_end.resize(m_geo.zone_count);
    for (std::uint32_t i = 0; i < m_geo.zone_count; ++i)
        m_dirty_end[i] = m_zones.at(i).issued;

    for (const nvme::zone_fault& f : p.zoned_cfg.faults) {
        if (f.at == 0) continue;
        auto t = std::make_unique<timer>(
            [](void* c) { static_cast<zoned_namespace*>(c)->apply_faults(); }, this);
        m_sched.schedule(*t, f.at);
        m_fault_timers.push_back(std::move(t));
    }
    apply_faults();
    arm_limit_timer();
}

void zoned_namespace::set_log_instance(const std::string& instance) {
    m_log = nvme::device_logger(instance, "zns.ns" + std::to_string(m_params.nsid));
}

zoned_namespace::~zoned_namespace() {
    for (auto& t : m_fault_timers)
        m_sched.cancel(*t);
    m_sched.cancel(m_limit_timer);
}

void zoned_namespace::restore_zones(const std::vector<metadata::persisted_zone>& saved) {
    // Whatever lies above a durable write pointer was never acknowledged (or belonged to a reset
    // zone): make it read as zeros again, and rewrite records whose state changed on restore.
    // Only what changes is written: ranges that are holes already are not punched again (one
    // SEEK_DATA answers for every zone up to the next data), and unchanged records are kept,
    // so a start costs a few system calls, not several per zone.
    const std::uint64_t zone_bytes = m_geo.zone_size << m_lba_shift;
    std::uint64_t queried_from = 0, data_at = 0; // no data in [queried_from, data_at)
    bool known = false, wrote = false;
    // An image that stores no data (data: none) has no mapping to look at, and nothing in its
    // data area is ever read back: there is nothing to discard.
    const bool keeps_data = m_image->data(0) != nullptr;
    for (std::uint32_t i = m_geo.conventional; i < m_geo.zone_count; ++i) {
        const zone& z = m_zones.at(i);
        const std::uint64_t keep = (z.state == zone_state::offline) ? 0 : z.wp - z.start;
        const std::uint64_t from = (z.start + keep) << m_lba_shift;
        const std::uint64_t zone_end = (z.start << m_lba_shift) + zone_bytes;
        if (keeps_data && from < zone_end) {
            // A write pointer inside a page: the rest of that page is read (it is mapped and
            // holds data anyway), whole pages after it are asked of the filesystem.
            const std::uint64_t head_end = std::min((from + 4095) / 4096 * 4096, zone_end);
            const std::uint8_t* head = m_image->data(from);
            bool dirty =
                std::any_of(head, head + (head_end - from), [](std::uint8_t b) { return b; });
            if (!dirty && head_end < zone_end) {
                if (!known || head_end < queried_from || zone_end > data_at) {
                    queried_from = head_end;
                    data_at = m_image->next_data(head_end);
                    known = true;
                }
                dirty = data_at < zone_end;
            }
            if (dirty) {
                m_image->discard(from, zone_end - from);
                known = false;
            }
        }
        const metadata::persisted_zone was =
            saved[i].present ? saved[i]
                             : metadata::persisted_zone{true, zone_state::empty, z.start, 0};
        if (!same_record(record_of(z), was)) {
            persist(i);
            wrote = true;
        }
    }
    if (wrote) m_meta->sync();
}

void zoned_namespace::persist(std::uint32_t i) {
    const zone& z = m_zones.at(i);
    if (z.conventional) return;
    const metadata::persisted_zone r = record_of(z);
    m_meta->write_zone(i, r.state, r.wp, r.attrs);
    if (m_image->mode() == durability::host_crash) m_meta->sync();
}

void zoned_namespace::zone_transition(std::uint32_t i, zone_state from, zone_state to,
                                      zone_cause c) {
    ZLOG_DEBUG(m_log, "zone {} (slba {:#x}): {} -> {} ({})", i, m_zones.at(i).start,
               zone_state_name(from), zone_state_name(to), static_cast<int>(c));
    if (c == zone_cause::fault) note_changed(i);
    if (to == zone_state::read_only && !m_dirty_end.empty()) discard_stale(i); // now readable
    if (m_trace) trace(i, zone_event_kind::transition, from, to, c);
    const bool was_active =
        from == zone_state::imp_open || from == zone_state::exp_open || from == zone_state::closed;
    if (!was_active && m_zones.at(i).is_active()) arm_limit_timer();
}

void zoned_namespace::zone_updated(std::uint32_t i) {
    if (m_restoring) return;
    // Only the record is written: a reset zone keeps its old data until a read, a finish or
    // the shutdown needs it gone (m_dirty_end). A crash leaves the Empty record with stale data
    // above it, which the next start discards; a record that cannot be written leaves the old
    // one, which still covers data that is there (data reaches the image before its record).
    try {
        persist(i);
    } catch (const image_error& e) {
        io_failed(i, e);
    }
}

void zoned_namespace::discard_stale(std::uint32_t i) {
    const zone& z = m_zones.at(i);
    std::uint64_t& dirty = m_dirty_end[i];
    if (z.conventional || dirty <= z.issued) return;
    const std::uint64_t from = z.issued;
    const std::uint64_t to = dirty;
    dirty = from;
    discard_lbas(from, to);
}

void zoned_namespace::discard_stale_in(std::uint64_t slba, std::uint64_t nlb) {
    const std::uint64_t end = std::min(slba + nlb, size_lbas());
    for (std::uint64_t lba = slba; lba < end;) {
        const std::uint32_t i = m_zones.zone_of(lba);
        const zone& z = m_zones.at(i);
        if (end > z.issued && lba < m_dirty_end[i]) discard_stale(i); // overlaps the stale part
        lba = z.start + m_geo.zone_size;
    }
}

void zoned_namespace::io_failed(std::uint32_t i, const image_error& e) {
    const auto* io = dynamic_cast<const image_io_error*>(&e);
    m_log->error("zone {}: {}; the zone becomes Read Only", i, e.what());
    if (m_io_error == 0) {
        m_io_error = io ? io->error() : EIO;
        m_io_error_zone = i;
    }
}

nvme::spec::status zoned_namespace::take_io_failure() {
    if (m_io_error == 0) return nsc::success;
    const int err = m_io_error;
    const std::uint32_t i = m_io_error_zone;
    m_io_error = 0;
    // What the image holds for this zone is no longer what the device reports. The zone goes
    // back to what its newest record says (what the image holds) and becomes Read Only, as a
    // drive makes a zone whose media failed, which also stops the two from drifting further
    // apart. Storing that may fail too; the old record still covers only data that is there.
    metadata::persisted_zone last;
    try {
        last = m_meta->load_zone(i);
    } catch (const image_error& e) {
        m_log->error("zone {}: {}", i, e.what()); // keep the state it has
        last.present = false;
        last.state = m_zones.at(i).state;
        last.wp = m_zones.at(i).wp;
    }
    if (last.present)
        m_zones.restore(i, last.state, last.wp, last.attrs, m_sched.now());
    else if (last.state == zone_state::empty || m_zones.at(i).state == zone_state::empty)
        m_zones.restore(i, zone_state::empty, m_zones.at(i).start, 0, m_sched.now());
    m_zones.make_read_only(i);
    note_changed(i);
    raise_changed_event();
    m_io_error = 0;
    return nvme::media_status(err, true);
}

void zoned_namespace::discard_lbas(std::uint64_t first, std::uint64_t last) {
    if (first >= last) return;
    try {
        m_image->discard(first << m_lba_shift, (last - first) << m_lba_shift);
    } catch (const image_error& e) {
        io_failed(m_zones.zone_of(first), e);
    }
}

std::uint64_t zoned_namespace::used_lbas() const {
    std::uint64_t n = 0;
    for (std::uint32_t i = 0; i < m_zones.zone_count(); ++i) {
        const zone& z = m_zones.at(i);
        n += z.conventional ? m_geo.zone_size : z.wp - z.start;
    }
    return n;
}

void zoned_namespace::identify(nvme::spec::id_ns& out) const {
    std::memset(&out, 0, sizeof out);
    out.nsze = size_lbas();
    out.ncap = capacity_lbas();
    out.nuse = used_lbas();
    out.nlbaf = 0;
    out.flbas = 0;
    out.lbaf[0].lbads = static_cast<std::uint8_t>(m_lba_shift);
    out.dlfeat = 0x1; // deallocated and unwritten LBAs read as zeros
}

bool zoned_namespace::identify_csi(nvme::spec::csi csi, void* out4096) const {
    std::memset(out4096, 0, 4096);
    if (csi == nvme::spec::csi::nvm)
        return true; // no protection information or storage tags: all zeros
    if (csi != nvme::spec::csi::zns) return false;
    auto& id = *static_cast<spec::id_ns_zns*>(out4096);
    const nvme::zoned_params& z = m_params.zoned_cfg;
    id.zoc = 0;
    id.ozcs = z.cross_zone_read ? 1 : 0;
    id.mar = z.max_active ? z.max_active - 1 : 0xffffffffu;
    id.mor = z.max_open ? z.max_open - 1 : 0xffffffffu;
    id.rrl = seconds_up(z.reset_recommended_after);
    id.frl = seconds_up(z.finish_recommended_after);
    id.lbafe[0].zsze = m_geo.zone_size;
    id.lbafe[0].zdes = static_cast<std::uint8_t>(m_geo.ext_bytes / 64);
    return true;
}

nvme::spec::status zoned_namespace::check_read(std::uint64_t slba, std::uint64_t nlb) {
    const status st = m_zones.check_read(slba, nlb, m_params.zoned_cfg.cross_zone_read);
    if (!st.ok()) return st;
    discard_stale_in(slba, nlb); // what lies above a write pointer reads as zeros
    return take_io_failure();    // a failed discard: a media error, never stale data
}

namespace {
zone_write as_zone_write(const nvme::write_grant& g) {
    zone_write w;
    w.lba = g.lba;
    w.nlb = g.nlb;
    w.epoch = static_cast<std::uint32_t>(g.token);
    return w;
}
} // namespace

nvme::spec::status zoned_namespace::begin_write(nvme::write_kind kind, std::uint64_t slba,
                                                std::uint64_t nlb, nvme::write_grant& grant) {
    zone_write w;
    const status s =
        m_zones.begin_write(kind == nvme::write_kind::append, slba, nlb, m_sched.now(), w);
    if (!s.ok()) {
        ZLOG_DEBUG(m_log, "write slba {:#x} nlb {} rejected: status {:#x}", slba, nlb, s.code());
        return s;
    }
    if (m_io_error != 0) {
        // The implicit open could not be recorded: take the write back before failing it.
        const lba_range d = m_zones.end_write(w, false);
        discard_lbas(d.first, d.last);
        return take_io_failure();
    }
    std::uint64_t& dirty = m_dirty_end[m_zones.zone_of(w.lba)];
    dirty = std::max(dirty, w.lba + w.nlb);
    grant = nvme::write_grant{};
    grant.lba = w.lba;
    grant.nlb = w.nlb;
    grant.token = w.epoch;
    grant.opened = w.opened;
    grant.auto_closed = w.auto_closed;
    return s;
}

bool zoned_namespace::write_current(const nvme::write_grant& grant) const {
    return m_zones.current(as_zone_write(grant));
}

nvme::spec::status zoned_namespace::end_write(nvme::write_kind, const nvme::write_grant& grant,
                                              bool ok) {
    // The data reaches the image before the record that advances the write pointer: data that
    // could not be made durable is a failed write, and the pointer stays below it.
    status st = nsc::success;
    if (ok && m_image->mode() == durability::host_crash && m_zones.current(as_zone_write(grant))) {
        try {
            m_image->sync_data(grant.lba << m_lba_shift, grant.nlb << m_lba_shift);
        } catch (const image_io_error& e) {
            m_log->error("{}", e.what());
            ok = false;
            st = nvme::media_status(e.error(), true);
        }
    }
    const lba_range d = m_zones.end_write(as_zone_write(grant), ok);
    discard_lbas(d.first, d.last);
    const status stored = take_io_failure();
    return st.ok() ? stored : st;
}

void zoned_namespace::describe_access(media_request& r) const {
    // A Flush has no LBA range (its slba 0 is no address): it concerns the namespace, or every
    // namespace with NSID FFFFFFFFh, never a zone.
    if (r.op == media_op::flush || r.slba >= size_lbas()) return;
    const std::uint32_t i = m_zones.zone_of(r.slba);
    const zone& z = m_zones.at(i);
    r.zoned = true;
    r.zone = i;
    r.zone_start = z.start;
    r.zone_size = m_geo.zone_size;
    r.zone_capacity = z.capacity;
    // Data still in flight counts as written: it is in the device (buffer or dies) already.
    r.zone_written = z.state == zone_state::full ? z.capacity : z.issued - z.start;
    if (r.op == media_op::read && !z.conventional)
        r.unwritten = z.state != zone_state::full && r.slba >= z.issued;
}

nvme::spec::status zoned_namespace::check_deallocate(std::uint64_t slba, std::uint64_t nlb) {
    return m_zones.check_deallocate(slba, nlb);
}

void zoned_namespace::shutdown() {
    for (std::uint32_t i = 0; i < m_geo.zone_count; ++i)
        discard_stale(i); // the image keeps nothing above a write pointer
    m_image->sync_all();
}

nvme::spec::status zoned_namespace::zone_action(spec::zsa action, std::uint64_t zslba,
                                                bool select_all, const void* ext) {
    if (select_all) {
        if (action == spec::zsa::set_extension) return nsc::invalid_field;
        if (action == spec::zsa::finish) // a Full zone reads as zeros above its old pointer
            for (std::uint32_t i = 0; i < m_geo.zone_count; ++i)
                discard_stale(i);
        const status st = m_zones.apply_all(action, m_sched.now());
        const status stored = take_io_failure();
        return st.ok() ? stored : st;
    }
    if (zslba >= size_lbas()) return nsc::lba_out_of_range;
    if (zslba % m_geo.zone_size != 0) return nsc::invalid_field;
    const std::uint32_t i = m_zones.zone_of(zslba);
    if (action == spec::zsa::set_extension) {
        if (m_geo.ext_bytes == 0 || ext == nullptr) return nsc::invalid_field;
        // The extension lands before the record that sets ZDEV (crash order).
        if (m_zones.at(i).state == zone_state::empty && !m_zones.at(i).conventional) {
            try {
                m_meta->write_extension(i, ext);
            } catch (const image_io_error& e) {
                m_log->error("zone {}: {}", i, e.what());
                return nvme::media_status(e.error(), true); // nothing changed yet
            }
        }
    }
    if (action == spec::zsa::finish) discard_stale(i);
    const status st = m_zones.apply(action, i, m_sched.now());
    const status stored = take_io_failure();
    return st.ok() ? stored : st;
}

void zoned_namespace::describe(std::uint32_t i, spec::zone_descriptor& d) const {
    const zone& z = m_zones.at(i);
    d = make_zone_descriptor(z.conventional, z.state, z.attrs, z.start, z.capacity, z.wp);
}

nvme::spec::status zoned_namespace::read_extension(std::uint32_t i, void* dst) const {
    std::memset(dst, 0, m_geo.ext_bytes);
    if (!(m_zones.at(i).attrs & spec::za::zdev)) return nsc::success;
    try {
        m_meta->read_extension(i, dst);
    } catch (const image_io_error& e) {
        m_log->error("zone {}: {}", i, e.what());
        return nvme::media_status(e.error(), false);
    }
    return nsc::success;
}

bool zoned_namespace::matches(std::uint32_t i, spec::zrasf f) const {
    const zone& z = m_zones.at(i);
    if (f == spec::zrasf::all) return true;
    if (z.conventional) return false;
    switch (f) {
    case spec::zrasf::empty:
        return z.state == zone_state::empty;
    case spec::zrasf::imp_open:
        return z.state == zone_state::imp_open;
    case spec::zrasf::exp_open:
        return z.state == zone_state::exp_open;
    case spec::zrasf::closed:
        return z.state == zone_state::closed;
    case spec::zrasf::full:
        return z.state == zone_state::full;
    case spec::zrasf::read_only:
        return z.state == zone_state::read_only;
    case spec::zrasf::offline:
        return z.state == zone_state::offline;
    case spec::zrasf::all:
        return true;
    }
    return false;
}

} // namespace znssim::zns
