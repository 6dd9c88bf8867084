#pragma once
// MSI-X table and Pending Bit Array state (PCIe Base 4.0 6.1.4, 7.7.2), without SystemC. The
// table is kept as its little-endian byte image so that any naturally aligned 1/2/4/8-byte host
// access works; the shell (pcie::function) decides when a message may leave the function
// (MSI-X enabled, function not masked, bus mastering on) and sends it.
#include <cstdint>
#include <vector>

namespace znssim::pcie {

struct msix_message {
    std::uint64_t address = 0;
    std::uint32_t data = 0;
};

class msix_state {
  public:
    /// vectors: table size (0..2048). Storage is allocated here, never on the signal path.
    explicit msix_state(unsigned vectors);

    /// Power-on state: every entry zero with its Mask bit set, no pending bits.
    void reset();

    unsigned vectors() const { return m_vectors; }
    std::uint32_t table_bytes() const { return m_vectors * 16; }
    std::uint32_t pba_bytes() const { return static_cast<std::uint32_t>(m_pba.size() * 8); }

    /// Host accesses relative to the start of the table / PBA: len 1, 2, 4 or 8, naturally
    /// aligned, entirely inside the region; anything else returns false and changes nothing.
    bool table_read(std::uint32_t offset, std::uint8_t* dst, unsigned len) const;
    /// Reserved bits (address bits 1:0, vector control bits 31:1) stay zero.
    bool table_write(std::uint32_t offset, const std::uint8_t* src, unsigned len);
    bool pba_read(std::uint32_t offset, std::uint8_t* dst, unsigned len) const;
    /// The PBA is read-only: a well-formed write is accepted and ignored.
    bool pba_write(std::uint32_t offset, unsigned len) const;

    bool masked(unsigned vector) const;
    bool pending(unsigned vector) const;
    msix_message message(unsigned vector) const;

    /// The core asks for 'vector'. Returns true if the message must be sent now (deliverable:
    /// enabled, function unmasked, bus master on; and the vector itself unmasked); otherwise sets
    /// the pending bit and returns false. Out-of-range vectors return false and change nothing.
    bool request(unsigned vector, bool deliverable);
    /// The lowest vector >= from that is pending and unmasked, or vectors() if none.
    unsigned next_deliverable(unsigned from) const;
    void clear_pending(unsigned vector);

  private:
    static bool well_formed(std::uint32_t offset, unsigned len, std::uint32_t region);

    unsigned m_vectors;
    std::vector<std::uint8_t> m_table;
    std::vector<std::uint64_t> m_pba;
};

} // namespace znssim::pcie
