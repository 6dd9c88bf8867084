// The host actions of the core harness, one per step, and the commands they submit: mostly
// well-formed enough to get past the first checks, with any field sometimes arbitrary.
#include "nvme/spec/registers.h"
#include "test/fuzz/core_session.h"
#include "test/fuzz/fuzz_check.h"
#include "zns/spec.h"
#include "zns/zoned_namespace.h"

#include <cstring>

namespace znssim::fuzz {

namespace reg = nvme::spec::reg;
namespace aop = nvme::spec::admin_opcode;
namespace iop = nvme::spec::io_opcode;
using nvme::spec::sqe;

namespace {

template <class T> T pick(FuzzedDataProvider& in, std::initializer_list<T> choices) {
    return *(choices.begin() + in.ConsumeIntegralInRange<std::size_t>(0, choices.size() - 1));
}

constexpr std::uint64_t page = 4096;

} // namespace

std::uint16_t core_session::pick_qid() {
    if (m_in.ConsumeIntegralInRange(0, 15) == 0) return m_in.ConsumeIntegral<std::uint16_t>();
    return m_in.ConsumeIntegralInRange<std::uint16_t>(0, max_queues + 1);
}

std::uint16_t core_session::cid_for(unsigned qid) {
    // Admin CIDs are unique like a driver's (so the host can tell its completions apart); I/O
    // CIDs are the input's, duplicates included.
    if (qid == 0 && m_in.ConsumeIntegralInRange(0, 31) != 0)
        return 0x8000 | (m_next_cid++ & 0x7fff);
    return m_in.ConsumeIntegral<std::uint16_t>();
}

std::uint64_t core_session::queue_slot() {
    const unsigned slot = m_in.ConsumeIntegralInRange<unsigned>(0, queue_slot_count - 1);
    const std::uint64_t base = queue_slots + slot * queue_slot_bytes;
    std::memset(m_host.at(base), 0, queue_slot_bytes); // a new ring starts zeroed
    return base;
}

std::uint64_t core_session::address(std::uint64_t bytes) {
    switch (m_in.ConsumeIntegralInRange(0, 15)) {
    case 0:
        return m_in.ConsumeIntegral<std::uint64_t>(); // anywhere at all
    case 1:
        return memory_size - (bytes % memory_size) + m_in.ConsumeIntegralInRange(0, 64); // the end
    case 2:
        return queue_slots + m_in.ConsumeIntegralInRange<std::uint64_t>(0, 0x3ffff); // queues
    default: {
        const std::uint64_t pages = (memory_size - data_base) / page;
        const std::uint64_t at =
            data_base + page * m_in.ConsumeIntegralInRange<std::uint64_t>(0, pages - 1);
        switch (m_in.ConsumeIntegralInRange(0, 3)) {
        case 0:
            return at + 4 * m_in.ConsumeIntegralInRange<std::uint64_t>(0, 1023); // dword aligned
        case 1:
            return at + m_in.ConsumeIntegralInRange<std::uint64_t>(0, page - 1);
        default:
            return at;
        }
    }
    }
}

void core_session::data_pointer(sqe& e, std::uint64_t bytes, bool sgl_allowed) {
    const int mode = m_in.ConsumeIntegralInRange(0, 7);
    if (mode == 7) { // raw fields, any PSDT
        e.flags = static_cast<std::uint8_t>((e.flags & 0x3f) |
                                            (m_in.ConsumeIntegral<std::uint8_t>() & 0xc0));
        e.dptr1 = m_in.ConsumeIntegral<std::uint64_t>();
        e.dptr2 = m_in.ConsumeIntegral<std::uint64_t>();
        return;
    }
    if (mode >= 5 && sgl_allowed) {
        // SGL: one descriptor in the command, or a (last) segment of descriptors in memory.
        e.flags = static_cast<std::uint8_t>((e.flags & 0x3f) | 0x40);
        auto put = [](std::uint8_t* d, std::uint64_t addr, std::uint32_t len, std::uint8_t type) {
            std::memcpy(d, &addr, 8);
            std::memcpy(d + 8, &len, 4);
            std::memset(d + 12, 0, 3);
            d[15] = type;
        };
        std::uint8_t d[16];
        if (m_in.ConsumeBool()) {
            put(d, address(bytes), static_cast<std::uint32_t>(bytes), 0x00); // data block
        } else {
            const unsigned n = m_in.ConsumeIntegralInRange<unsigned>(1, 8);
            const std::uint64_t list = address(16 * n);
            std::uint64_t left = bytes;
            for (unsigned i = 0; i < n; ++i) {
                std::uint8_t item[16];
                const std::uint32_t len = i + 1 == n ? static_cast<std::uint32_t>(left)
                                                     : m_in.ConsumeIntegralInRange<std::uint32_t>(
                                                           0, static_cast<std::uint32_t>(left));
                left -= len;
                const std::uint8_t type = pick<std::uint8_t>(
                    m_in, {0x00, 0x00, 0x10, 0x20, 0x30, m_in.ConsumeIntegral<std::uint8_t>()});
                put(item, type == 0x20 || type == 0x30 ? address(16) : address(len), len, type);
                if (m_host.contains(list + 16 * i, 16))
                    std::memcpy(m_host.at(list + 16 * i), item, 16);
            }
            put(d, list, 16 * n, m_in.ConsumeBool() ? 0x30 : 0x20); // last segment / segment
        }
        if (m_in.ConsumeIntegralInRange(0, 15) == 0)
            d[m_in.ConsumeIntegralInRange(0, 15)] = m_in.ConsumeIntegral<std::uint8_t>();
        std::memcpy(&e.dptr1, d, 8);
        std::memcpy(&e.dptr2, d + 8, 8);
        return;
    }
    // PRP: PRP1 and, for more than two pages, a list (possibly chained) of the data pages.
    e.dptr1 = address(bytes);
    const std::uint64_t first = page - (e.dptr1 % page);
    if (bytes <= first) {
        e.dptr2 = m_in.ConsumeBool() ? 0 : address(page);
    } else if (bytes <= first + page) {
        e.dptr2 = address(page);
    } else {
        const std::uint64_t entries = (bytes - first + page - 1) / page;
        std::uint64_t at = address(8 * entries);
        e.dptr2 = at;
        auto store = [&](std::uint64_t where, std::uint64_t v) {
            if (m_host.contains(where, 8)) std::memcpy(m_host.at(where), &v, 8);
        };
        for (std::uint64_t i = 0, chained = 0; i < entries && i < 1024;) {
            // The last entry of a list page points to the next list page.
            if ((at + 8) % page == 0 && i + 1 < entries && chained++ < 64) {
                const std::uint64_t next = address(8 * (entries - i));
                store(at, next);
                at = next;
                continue;
            }
            const std::uint64_t data = address(page);
            store(at, m_in.ConsumeIntegralInRange(0, 7) == 0 ? data : data & ~(page - 1));
            at += 8;
            ++i;
        }
    }
}

std::uint64_t core_session::pick_lba(std::uint32_t nsid) {
    nvme::nvme_namespace* ns = m_core->find_namespace(nsid);
    if (!ns || m_in.ConsumeIntegralInRange(0, 15) == 0)
        return m_in.ConsumeIntegral<std::uint64_t>();
    const std::uint64_t size = ns->size_lbas();
    if (auto* z = dynamic_cast<zns::zoned_namespace*>(ns)) {
        const auto& zones = z->zones();
        const std::uint32_t i = m_in.ConsumeIntegralInRange<std::uint32_t>(0, zones.zone_count());
        if (i == zones.zone_count()) return size - m_in.ConsumeIntegralInRange<std::uint64_t>(0, 2);
        const zns::zone& zn = zones.at(i);
        switch (m_in.ConsumeIntegralInRange(0, 4)) {
        case 0:
            return zn.start;
        case 1:
            return zn.issued; // where the next write must go
        case 2:
            return zn.wp;
        case 3:
            return zn.end() - m_in.ConsumeIntegralInRange<std::uint64_t>(0, 2);
        default:
            return zn.start +
                   m_in.ConsumeIntegralInRange<std::uint64_t>(0, zones.geometry().zone_size);
        }
    }
    return m_in.ConsumeIntegralInRange<std::uint64_t>(0, size + 1);
}

sqe core_session::admin_command() {
    sqe e{};
    e.cid = cid_for(0);
    auto data = [&](std::uint64_t bytes) { data_pointer(e, bytes, false); };
    switch (m_in.ConsumeIntegralInRange(0, 13)) {
    case 0: { // Create I/O CQ
        e.opcode = aop::create_io_cq;
        const std::uint32_t entries =
            pick<std::uint32_t>(m_in, {2, 4, 8, m_params.mqes + 1u, m_params.mqes + 2u,
                                       m_in.ConsumeIntegralInRange<std::uint32_t>(1, 65536)});
        e.cdw10 = pick_qid() | (entries - 1) << 16;
        e.cdw11 = (m_in.ConsumeIntegralInRange(0, 7) ? 1u : 0u) | (m_in.ConsumeBool() ? 2u : 0u) |
                  std::uint32_t{m_in.ConsumeIntegralInRange<std::uint16_t>(0, 9)} << 16;
        e.dptr1 = m_in.ConsumeIntegralInRange(0, 7) ? queue_slot() : address(16 * entries);
        break;
    }
    case 1: { // Create I/O SQ
        e.opcode = aop::create_io_sq;
        const std::uint32_t entries =
            pick<std::uint32_t>(m_in, {2, 4, 8, m_params.mqes + 1u, m_params.mqes + 2u,
                                       m_in.ConsumeIntegralInRange<std::uint32_t>(1, 65536)});
        e.cdw10 = pick_qid() | (entries - 1) << 16;
        e.cdw11 = (m_in.ConsumeIntegralInRange(0, 7) ? 1u : 0u) |
                  m_in.ConsumeIntegralInRange(0u, 3u) << 1 | std::uint32_t{pick_qid()} << 16;
        e.dptr1 = m_in.ConsumeIntegralInRange(0, 7) ? queue_slot() : address(64 * entries);
        break;
    }
    case 2:
        e.opcode = aop::delete_io_sq;
        e.cdw10 = pick_qid();
        break;
    case 3:
        e.opcode = aop::delete_io_cq;
        e.cdw10 = pick_qid();
        break;
    case 4: // Identify
        e.opcode = aop::identify;
        e.cdw10 = pick<std::uint32_t>(
                      m_in, {0, 1, 2, 3, 5, 6, 7, 8, 0x1c, m_in.ConsumeIntegral<std::uint8_t>()}) |
                  std::uint32_t{m_in.ConsumeIntegralInRange<std::uint16_t>(0, 2)} << 16;
        e.cdw11 = pick<std::uint32_t>(m_in, {0, 2, 1, m_in.ConsumeIntegral<std::uint8_t>()}) << 24;
        e.nsid = pick<std::uint32_t>(
            m_in, {0, 1, 2, 3, 0xffffffff, m_in.ConsumeIntegral<std::uint32_t>()});
        data(4096);
        break;
    case 5: { // Get Log Page
        e.opcode = aop::get_log_page;
        const std::uint32_t numd = pick<std::uint32_t>(
            m_in, {1, 3, 16, 127, 128, 1023, 1024, m_in.ConsumeIntegral<std::uint32_t>()});
        e.cdw10 = pick<std::uint32_t>(m_in, {1, 2, 3, 4, 5, 0xbf, 0x0d, 0x0c,
                                             m_in.ConsumeIntegral<std::uint8_t>()}) |
                  (m_in.ConsumeBool() ? 1u << 15 : 0u) | ((numd - 1) & 0xffff) << 16;
        e.cdw11 = (numd - 1) >> 16;
        e.cdw12 = m_in.ConsumeBool()
                      ? 0
                      : pick<std::uint32_t>(
                            m_in, {4, 64, 512, 4096, m_in.ConsumeIntegral<std::uint32_t>()});
        e.cdw13 = m_in.ConsumeIntegralInRange(0, 7) ? 0 : m_in.ConsumeIntegral<std::uint32_t>();
        e.cdw14 = pick<std::uint32_t>(m_in, {0, 2}) << 24;
        e.nsid =
            pick<std::uint32_t>(m_in, {0, 1, 2, 0xffffffff, m_in.ConsumeIntegral<std::uint32_t>()});
        data(std::min<std::uint64_t>(std::uint64_t{numd} * 4, 1u << 20));
        break;
    }
    case 6:   // Set Features
    case 7: { // Get Features
        e.opcode = m_in.ConsumeBool() ? aop::set_features : aop::get_features;
        const std::uint32_t fid =
            pick<std::uint32_t>(m_in, {1, 2, 4, 5, 6, 7, 7, 8, 9, 0xa, 0xb, 0xc, 0xe, 0x10,
                                       m_in.ConsumeIntegral<std::uint8_t>()});
        e.cdw10 = fid | (m_in.ConsumeIntegralInRange(0, 7) == 0
                             ? m_in.ConsumeIntegral<std::uint32_t>() & 0x80000700u
                             : 0u);
        if (fid == 7) {
            const std::uint32_t n = m_in.ConsumeIntegralInRange<std::uint32_t>(0, max_queues + 1);
            e.cdw11 = n | n << 16;
        } else {
            e.cdw11 = m_in.ConsumeIntegral<std::uint32_t>();
        }
        e.nsid =
            pick<std::uint32_t>(m_in, {0, 1, 0xffffffff, m_in.ConsumeIntegral<std::uint32_t>()});
        data(pick<std::uint64_t>(m_in, {8, 4096, 16}));
        break;
    }
    case 8:
        e.opcode = aop::async_event_request;
        break;
    case 9: { // Abort a command in flight, or anything
        e.opcode = aop::abort;
        std::uint32_t target = m_in.ConsumeIntegral<std::uint32_t>();
        if (!m_inflight.empty() && m_in.ConsumeBool()) {
            auto it = m_inflight.begin();
            std::advance(it, m_in.ConsumeIntegralInRange<std::size_t>(0, m_inflight.size() - 1));
            target = it->first;
        }
        e.cdw10 = target >> 16 | (target & 0xffff) << 16; // SQID 15:0, CID 31:16
        break;
    }
    case 10:
        e.opcode = pick<std::uint8_t>(m_in, {aop::namespace_management, aop::firmware_commit,
                                             aop::firmware_download, aop::keep_alive,
                                             aop::doorbell_buffer_config, aop::format_nvm, 0x14,
                                             0x7f, 0xc0});
        e.nsid = m_in.ConsumeIntegral<std::uint32_t>();
        e.cdw10 = m_in.ConsumeIntegral<std::uint32_t>();
        data(4096);
        break;
    default: { // arbitrary fields
        const std::uint16_t cid = e.cid;
        std::vector<std::uint8_t> raw = m_in.ConsumeBytes<std::uint8_t>(sizeof e);
        raw.resize(sizeof e);
        std::memcpy(&e, raw.data(), sizeof e);
        e.cid = cid;
        break;
    }
    }
    if (m_in.ConsumeIntegralInRange(0, 31) == 0)
        e.flags ^= m_in.ConsumeIntegral<std::uint8_t>(); // fused, PSDT
    return e;
}

sqe core_session::io_command(unsigned qid) {
    sqe e{};
    e.cid = cid_for(qid);
    e.nsid = pick<std::uint32_t>(m_in, {1, 1, 1, m_ns_params[1].nsid, m_ns_params[1].nsid, 0, 2,
                                        0xffffffff, m_in.ConsumeIntegral<std::uint32_t>()});
    nvme::nvme_namespace* ns = m_core->find_namespace(e.nsid);
    const std::uint64_t lba_bytes = ns ? (1ull << ns->lba_shift()) : 512;
    const std::uint64_t slba = pick_lba(e.nsid);
    e.cdw10 = static_cast<std::uint32_t>(slba);
    e.cdw11 = static_cast<std::uint32_t>(slba >> 32);
    const std::uint32_t nlb = m_in.ConsumeIntegralInRange(0, 7)
                                  ? m_in.ConsumeIntegralInRange<std::uint32_t>(1, 16)
                                  : m_in.ConsumeIntegralInRange<std::uint32_t>(1, 65536);
    e.cdw12 = (nlb - 1) | (m_in.ConsumeIntegralInRange(0, 7) == 0
                               ? m_in.ConsumeIntegral<std::uint32_t>() & 0xffff0000u
                               : 0u);
    const std::uint64_t bytes = std::min<std::uint64_t>(nlb * lba_bytes, 1u << 20);
    switch (m_in.ConsumeIntegralInRange(0, 15)) {
    case 0:
    case 1:
    case 2:
        e.opcode = iop::write;
        data_pointer(e, bytes, true);
        break;
    case 3:
    case 4:
        e.opcode = iop::read;
        data_pointer(e, bytes, true);
        break;
    case 5:
        e.opcode = iop::zone_append;
        data_pointer(e, bytes, true);
        break;
    case 6:
    case 7: { // Zone Management Send
        e.opcode = iop::zone_mgmt_send;
        e.cdw12 = 0;
        const std::uint32_t zsa =
            pick<std::uint32_t>(m_in, {1, 2, 3, 4, 5, 0x10, m_in.ConsumeIntegral<std::uint8_t>()});
        e.cdw13 = zsa | (m_in.ConsumeIntegralInRange(0, 3) == 0 ? zns::spec::zms_select_all : 0u);
        if (zsa == 0x10) data_pointer(e, 64, false);
        break;
    }
    case 8: { // Zone Management Receive
        e.opcode = iop::zone_mgmt_recv;
        const std::uint32_t numd = pick<std::uint32_t>(
            m_in, {16, 32, 64, 128, 1024, 2, m_in.ConsumeIntegral<std::uint32_t>()});
        e.cdw12 = numd - 1;
        e.cdw13 = m_in.ConsumeIntegralInRange(0u, 1u) | m_in.ConsumeIntegralInRange(0u, 7u) << 8 |
                  (m_in.ConsumeBool() ? zns::spec::zmr_partial_report : 0u);
        data_pointer(e, std::min<std::uint64_t>(std::uint64_t{numd} * 4, 1u << 20), false);
        break;
    }
    case 9:
        e.opcode = iop::write_zeroes;
        break;
    case 10:
        e.opcode = iop::compare;
        data_pointer(e, bytes, true);
        break;
    case 11: { // Dataset Management with a range list
        e.opcode = iop::dataset_management;
        const std::uint32_t ranges = m_in.ConsumeIntegralInRange<std::uint32_t>(1, 256);
        e.cdw10 = ranges - 1;
        e.cdw11 = m_in.ConsumeIntegralInRange(0, 3) ? 4u : m_in.ConsumeIntegral<std::uint32_t>();
        data_pointer(e, 16ull * ranges, true);
        if (m_host.contains(e.dptr1, 16ull * ranges) && !(e.flags & 0xc0))
            for (std::uint32_t i = 0; i < ranges && i < 8; ++i) {
                const std::uint32_t attr = 0,
                                    len = m_in.ConsumeIntegralInRange<std::uint32_t>(0, 64);
                const std::uint64_t at = pick_lba(e.nsid);
                std::uint8_t* r = m_host.at(e.dptr1 + 16ull * i);
                std::memcpy(r, &attr, 4);
                std::memcpy(r + 4, &len, 4);
                std::memcpy(r + 8, &at, 8);
            }
        break;
    }
    case 12:
        e.opcode = pick<std::uint8_t>(
            m_in, {iop::flush, iop::verify, iop::write_uncorrectable, iop::copy});
        if (e.opcode == iop::flush) e.cdw10 = e.cdw11 = e.cdw12 = 0;
        break;
    default: { // arbitrary fields
        const std::uint16_t cid = e.cid;
        std::vector<std::uint8_t> raw = m_in.ConsumeBytes<std::uint8_t>(sizeof e);
        raw.resize(sizeof e);
        std::memcpy(&e, raw.data(), sizeof e);
        e.cid = cid;
        break;
    }
    }
    if (m_in.ConsumeIntegralInRange(0, 31) == 0) e.flags ^= m_in.ConsumeIntegral<std::uint8_t>();
    return e;
}

void core_session::add_queue_pair(unsigned q) {
    // Number of Queues, then the CQ and the SQ, as Linux does; the completions are reaped.
    sqe nq{};
    nq.opcode = aop::set_features;
    nq.cid = cid_for(0);
    nq.cdw10 = 7;
    nq.cdw11 = (max_queues - 1) | (max_queues - 1) << 16;
    submit(0, nq, true);
    const std::uint32_t entries = std::min<std::uint32_t>(
        m_params.mqes + 1u, m_in.ConsumeIntegralInRange<std::uint32_t>(2, 64));
    sqe cq{};
    cq.opcode = aop::create_io_cq;
    cq.cid = cid_for(0);
    cq.cdw10 = q | (entries - 1) << 16;
    cq.cdw11 = 3u | std::uint32_t{m_in.ConsumeIntegralInRange<std::uint16_t>(
                        0, static_cast<std::uint16_t>(m_irq.vector_count() - 1))}
                        << 16;
    cq.dptr1 = queue_slot();
    submit(0, cq, true);
    sqe sq{};
    sq.opcode = aop::create_io_sq;
    sq.cid = cid_for(0);
    sq.cdw10 = q | (entries - 1) << 16;
    sq.cdw11 = 1u | q << 16;
    sq.dptr1 = queue_slot();
    submit(0, sq, true);
    reap(0, ~0u, true);
}

void core_session::step() {
    switch (m_in.ConsumeIntegralInRange(0, 21)) {
    case 0: { // a raw register write
        const std::uint32_t off = pick<std::uint32_t>(
            m_in, {reg::cc, reg::cc, reg::aqa, reg::asq, reg::asq + 4, reg::acq, reg::acq + 4,
                   reg::intms, reg::intmc, reg::csts, reg::nssr, reg::cap, reg::vs,
                   4 * m_in.ConsumeIntegralInRange<std::uint32_t>(0, 0x500),
                   m_in.ConsumeIntegral<std::uint32_t>()});
        std::uint32_t v = m_in.ConsumeIntegral<std::uint32_t>();
        if (off == reg::cc && m_in.ConsumeBool()) {
            // Mostly a driver-like value with one thing changed: EN, SHN, CSS, MPS, entry sizes.
            v = (m_core->cc() & ~(0xfu << 7)) ^ (1u << m_in.ConsumeIntegralInRange(0, 23));
        }
        const bool was_enabled = m_core->cc() & nvme::spec::cc::en;
        write_reg(off, v);
        if (off == reg::aqa || off == reg::asq || off == reg::asq + 4 || off == reg::acq ||
            off == reg::acq + 4 || off >= reg::doorbell_base)
            m_view_trusted = false;
        if (!was_enabled && (m_core->cc() & nvme::spec::cc::en)) {
            // Enabled with whatever the admin registers say: the host believes them.
            m_view_trusted = false;
            m_enabled_by_host = false;
            const std::uint32_t aqa = m_core->read_register(reg::aqa);
            const std::uint64_t asq = m_core->read_register(reg::asq) |
                                      std::uint64_t{m_core->read_register(reg::asq + 4)} << 32;
            const std::uint64_t acq = m_core->read_register(reg::acq) |
                                      std::uint64_t{m_core->read_register(reg::acq + 4)} << 32;
            const std::uint32_t sqn = (aqa & 0xfff) + 1, cqn = ((aqa >> 16) & 0xfff) + 1;
            if (m_host.contains(asq, 64ull * sqn)) m_sqs[0] = {true, asq, sqn, 0, 0};
            if (m_host.contains(acq, 16ull * cqn)) m_cqs[0] = {true, acq, cqn, 0, true};
        }
        break;
    }
    case 1:
        enable();
        break;
    case 2:
        disable();
        break;
    case 3: // normal or abrupt shutdown notification
        write_reg(reg::cc, (m_core->cc() & ~(3u << 14)) | m_in.ConsumeIntegralInRange(1u, 3u)
                                                              << 14);
        break;
    case 4:
    case 5:
    case 6:
        submit(0, admin_command(), m_in.ConsumeIntegralInRange(0, 7) != 0);
        break;
    case 7:
    case 8:
    case 9:
    case 10:
    case 18:
    case 19:
    case 20: {
        const unsigned q = m_in.ConsumeIntegralInRange<unsigned>(1, max_queues);
        if (m_sqs[q].live) submit(q, io_command(q), m_in.ConsumeIntegralInRange(0, 7) != 0);
        break;
    }
    case 11: { // a tail doorbell: the host's tail, or any value
        const unsigned q = m_in.ConsumeIntegralInRange<unsigned>(0, max_queues + 1);
        const bool raw = q > max_queues || !m_sqs[q].live || m_in.ConsumeIntegralInRange(0, 3) == 0;
        const std::uint32_t v = raw ? m_in.ConsumeIntegral<std::uint16_t>() : m_sqs[q].tail;
        if (raw) m_view_trusted = false;
        write_reg(sq_doorbell(q), v);
        break;
    }
    case 12: { // a head doorbell with any value
        const unsigned q = m_in.ConsumeIntegralInRange<unsigned>(0, max_queues + 1);
        m_view_trusted = false;
        write_reg(cq_doorbell(q), m_in.ConsumeIntegral<std::uint16_t>());
        break;
    }
    case 13:
    case 14: { // reap some completions (or let them pile up unreaped)
        const unsigned q = m_in.ConsumeIntegralInRange<unsigned>(0, max_queues);
        reap(q, m_in.ConsumeIntegralInRange<unsigned>(1, 64),
             m_in.ConsumeIntegralInRange(0, 7) != 0);
        break;
    }
    case 15: // time passes: command phases, zone timers (faults, RRL/FRL), coalescing
        advance(pick<sim_time>(m_in, {0, from_ns(100), from_us(5), from_us(200), from_ms(2),
                                      from_ms(50), from_s(1), from_s(3)}));
        break;
    case 16: // what a driver does to get an I/O queue pair
        add_queue_pair(m_in.ConsumeIntegralInRange<unsigned>(1, max_queues));
        break;
    default: // a burst of I/O on one queue, rung once
    {
        const unsigned q = m_in.ConsumeIntegralInRange<unsigned>(1, max_queues);
        const unsigned n = m_in.ConsumeIntegralInRange<unsigned>(1, 16);
        for (unsigned i = 0; i < n && m_sqs[q].live && m_in.remaining_bytes() > 0; ++i)
            submit(q, io_command(q), false);
        if (m_sqs[q].live) write_reg(sq_doorbell(q), m_sqs[q].tail);
        break;
    }
    }
}

} // namespace znssim::fuzz
