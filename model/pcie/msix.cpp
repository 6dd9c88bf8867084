#include "model/pcie/msix.h"

#include "model/pcie/pci_regs.h"

#include <algorithm>
#include <cstddef>
#include <cstring>

namespace znssim::pcie {

namespace {
constexpr std::uint32_t entry_size = sizeof(msix_entry);
constexpr std::uint32_t vector_control = offsetof(msix_entry, vector_control);
constexpr std::uint8_t mask_bit = 0x1;

// Writable bits of each byte of an entry: address bits 1:0 and vector control bits 31:1 are
// reserved (read as zero).
constexpr std::uint8_t entry_wmask[entry_size] = {0xfc, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                                  0xff, 0xff, 0xff, 0xff, 0x01, 0x00, 0x00, 0x00};

std::uint32_t le32(const std::uint8_t* p) {
    return std::uint32_t(p[0]) | (std::uint32_t(p[1]) << 8) | (std::uint32_t(p[2]) << 16) |
           (std::uint32_t(p[3]) << 24);
}
} // namespace

msix_state::msix_state(unsigned vectors)
    : m_vectors(vectors), m_table(std::size_t(vectors) * entry_size), m_pba((vectors + 63) / 64) {
    reset();
}

void msix_state::reset() {
    std::fill(m_table.begin(), m_table.end(), 0);
    for (unsigned v = 0; v < m_vectors; ++v)
        m_table[v * entry_size + vector_control] = mask_bit;
    std::fill(m_pba.begin(), m_pba.end(), 0);
}

bool msix_state::well_formed(std::uint32_t offset, unsigned len, std::uint32_t region) {
    return (len == 1 || len == 2 || len == 4 || len == 8) && offset % len == 0 && offset < region &&
           len <= region - offset;
}

bool msix_state::table_read(std::uint32_t offset, std::uint8_t* dst, unsigned len) const {
    if (!well_formed(offset, len, table_bytes())) return false;
    std::memcpy(dst, m_table.data() + offset, len);
    return true;
}

bool msix_state::table_write(std::uint32_t offset, const std::uint8_t* src, unsigned len) {
    if (!well_formed(offset, len, table_bytes())) return false;
    for (unsigned i = 0; i < len; ++i) {
        const std::uint8_t wm = entry_wmask[(offset + i) % entry_size];
        std::uint8_t& b = m_table[offset + i];
        b = std::uint8_t((b & ~wm) | (src[i] & wm));
    }
    return true;
}

bool msix_state::pba_read(std::uint32_t offset, std::uint8_t* dst, unsigned len) const {
    if (!well_formed(offset, len, pba_bytes())) return false;
    for (unsigned i = 0; i < len; ++i) {
        const std::uint32_t byte = offset + i;
        dst[i] = std::uint8_t(m_pba[byte / 8] >> (8 * (byte % 8)));
    }
    return true;
}

bool msix_state::pba_write(std::uint32_t offset, unsigned len) const {
    return well_formed(offset, len, pba_bytes());
}

bool msix_state::masked(unsigned vector) const {
    return vector >= m_vectors || (m_table[vector * entry_size + vector_control] & mask_bit);
}

bool msix_state::pending(unsigned vector) const {
    return vector < m_vectors && (m_pba[vector / 64] >> (vector % 64)) & 1;
}

msix_message msix_state::message(unsigned vector) const {
    msix_message m;
    if (vector >= m_vectors) return m;
    const std::uint8_t* e = m_table.data() + vector * entry_size;
    m.address = le32(e) | (std::uint64_t(le32(e + 4)) << 32);
    m.data = le32(e + 8);
    return m;
}

bool msix_state::request(unsigned vector, bool deliverable) {
    if (vector >= m_vectors) return false;
    if (deliverable && !masked(vector)) return true;
    m_pba[vector / 64] |= 1ull << (vector % 64);
    return false;
}

unsigned msix_state::next_deliverable(unsigned from) const {
    for (unsigned v = from; v < m_vectors;) {
        const std::uint64_t word = m_pba[v / 64] >> (v % 64);
        if (word == 0) {
            v = (v / 64 + 1) * 64;
            continue;
        }
        v += unsigned(__builtin_ctzll(word));
        if (v < m_vectors && !masked(v)) return v;
        ++v;
    }
    return m_vectors;
}

void msix_state::clear_pending(unsigned vector) {
    if (vector < m_vectors) m_pba[vector / 64] &= ~(1ull << (vector % 64));
}

} // namespace znssim::pcie
