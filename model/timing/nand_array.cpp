#include "model/timing/nand_array.h"

#include <algorithm>
#include <stdexcept>

namespace znssim::timing {

nand_array::die_state::die_state(nand_array* o, unsigned i)
    : owner(o), index(i), wake(
                              [](void* c) {
                                  auto* d = static_cast<die_state*>(c);
                                  d->owner->on_wake(*d);
                              },
                              this) {}

nand_array::nand_array(const nand_params& p) : m_p(p), m_channels(std::max(1u, p.channels)) {
    if (p.channels == 0 || p.dies_per_channel == 0)
        throw std::invalid_argument("nand: need at least one channel and one die per channel");
    for (unsigned i = 0; i < p.dies(); ++i)
        m_dies.push_back(std::make_unique<die_state>(this, i));
}

nand_array::~nand_array() {
    if (m_sched)
        for (auto& d : m_dies)
            m_sched->cancel(d->wake);
}

void nand_array::bind(scheduler& s) {
    m_sched = &s;
}

sim_time nand_array::read(unsigned die, unsigned page_type, std::uint64_t bytes, sim_time at) {
    die_state& d = *m_dies[die % m_dies.size()];
    const unsigned type = page_type % std::max(1u, std::min(m_p.cell_bits, 4u));
    const sim_time sensed = std::max(at, d.busy_until) + m_p.read_time[type];
    const sim_time out = m_channels[channel_of(d.index)].reserve_end(
        sensed, transfer_time(bytes, m_p.channel_bytes_per_second), now());
    // The die holds the data until it is out; background work resumes after that. A running
    // operation still ends (and reports) when it ends: the wake stays where it is.
    d.busy_until = out;
    if (d.has_work() && !d.running) arm(d);
    return out;
}

void nand_array::job_list::push(die_job& j) {
    j.next = nullptr;
    if (tail)
        tail->next = &j;
    else
        head = &j;
    tail = &j;
}

void nand_array::job_list::pop() {
    die_job* j = head;
    head = j->next;
    if (!head) tail = nullptr;
    j->next = nullptr;
}

void nand_array::queue(unsigned die, die_job& job) {
    die_state& d = *m_dies[die % m_dies.size()];
    if (job.count == 0) job.count = 1;
    job.left = job.count;
    (job.what == die_job::kind::program ? d.bulk : d.urgent).push(job);
    if (d.running) return;
    if (m_sched && d.busy_until > m_sched->now())
        arm(d);
    else
        start_next(d);
}

std::size_t nand_array::pending_jobs(unsigned die) const {
    const die_state& d = *m_dies[die % m_dies.size()];
    std::size_t n = 0;
    for (const die_job* j = d.urgent.head; j; j = j->next)
        ++n;
    for (const die_job* j = d.bulk.head; j; j = j->next)
        ++n;
    return n;
}

void nand_array::arm(die_state& d) {
    if (m_sched) m_sched->schedule(d.wake, d.busy_until);
}

void nand_array::start_next(die_state& d) {
    // An urgent job goes first, even between two operations of a program job.
    die_job* j = d.urgent.head ? d.urgent.head : d.bulk.head;
    if (!j || !m_sched) return;
    const sim_time now = std::max(m_sched->now(), d.busy_until);
    sim_time end = now;
    switch (j->what) {
    case die_job::kind::program: {
        const sim_time moved = m_channels[channel_of(d.index)].reserve_end(
            now, transfer_time(j->bytes, m_p.channel_bytes_per_second), m_sched->now());
        end = moved + m_p.program_time;
        break;
    }
    case die_job::kind::erase:
        end = now + m_p.erase_time;
        break;
    case die_job::kind::fixed:
        end = now + j->duration;
        break;
    }
    --j->left;
    d.current = j;
    d.running = true;
    d.busy_until = end;
    d.op_end = end;
    if (m_sched) m_sched->schedule(d.wake, end);
}

void nand_array::on_wake(die_state& d) {
    if (d.running) {
        d.running = false;
        die_job* done = d.current;
        d.current = nullptr;
        if (done && done->left == 0) {
            (done->what == die_job::kind::program ? d.bulk : d.urgent).pop();
            if (done->done) done->done(done->context, *done, d.op_end);
        }
    }
    if (d.running) return; // the callback queued work that already started
    if (d.has_work()) {
        if (d.busy_until > m_sched->now())
            arm(d);
        else
            start_next(d);
    }
}

void nand_array::reset() {
    for (auto& d : m_dies) {
        if (m_sched) m_sched->cancel(d->wake);
        for (job_list* l : {&d->urgent, &d->bulk}) {
            for (die_job* j = l->head; j;) {
                die_job* n = j->next;
                j->next = nullptr;
                j = n;
            }
            l->head = l->tail = nullptr;
        }
        d->current = nullptr;
        d->running = false;
        d->busy_until = 0;
    }
    for (auto& c : m_channels)
        c.reset();
}

} // namespace znssim::timing
