#pragma once
// Submission and completion queue rings as the controller sees them: base address, size, head,
// tail and phase. Pure bookkeeping; the controller core moves the entries through a dma_port.
#include <cstdint>

namespace znssim::nvme {

struct submission_queue {
    bool valid = false;
    std::uint16_t id = 0;
    std::uint16_t cqid = 0;
    std::uint64_t base = 0;     ///< bus address of entry 0 (physically contiguous)
    std::uint32_t size = 0;     ///< entries (1-based)
    std::uint32_t head = 0;     ///< next entry the controller fetches
    std::uint32_t tail = 0;     ///< last tail doorbell value written by the host
    std::uint8_t priority = 0;  ///< QPRIO (weighted round robin; unused with plain RR)
    std::uint32_t inflight = 0; ///< fetched, not yet completed
    /// Doorbell Buffer Config: the host's shadow tail and the EventIdx the controller writes
    /// (bus addresses; 'shadowed' false: the MMIO doorbell alone counts).
    bool shadowed = false;
    std::uint64_t shadow_addr = 0;
    std::uint64_t eventidx_addr = 0;
    std::uint32_t eventidx = ~0u; ///< last EventIdx written (~0: none yet)

    std::uint32_t pending() const { return (tail + size - head) % size; }
    bool empty() const { return head == tail; }
    std::uint64_t entry_address(std::uint32_t index) const { return base + 64ull * index; }
    /// Entries between the head and 'value' as a tail (how far a tail of 'value' reaches).
    std::uint32_t reach(std::uint32_t value) const { return (value + size - head) % size; }
    /// Would a tail doorbell of 'value' be valid? (< size, and not overrunning the head)
    bool tail_valid(std::uint32_t value) const {
        if (value >= size) return false;
        const std::uint32_t added = (value + size - tail) % size;
        const std::uint32_t free_slots = size - 1 - (tail + size - head) % size;
        return added <= free_slots;
    }
};

struct completion_queue {
    bool valid = false;
    std::uint16_t id = 0;
    std::uint64_t base = 0;
    std::uint32_t size = 0;
    std::uint32_t head = 0;    ///< last head doorbell value written by the host
    std::uint32_t tail = 0;    ///< next entry the controller writes
    bool phase = true;         ///< phase tag written with the entry at 'tail'
    bool interrupts = false;   ///< IEN
    std::uint16_t vector = 0;  ///< IV
    std::uint16_t sq_refs = 0; ///< SQs completing into this CQ
    /// Doorbell Buffer Config: the host's shadow head and the EventIdx the controller writes.
    bool shadowed = false;
    std::uint64_t shadow_addr = 0;
    std::uint64_t eventidx_addr = 0;
    std::uint32_t eventidx = ~0u; ///< last EventIdx written (~0: none yet)

    bool full() const { return (tail + 1) % size == head; }
    /// Entries posted and not yet consumed by the host.
    std::uint32_t unconsumed() const { return (tail + size - head) % size; }
    std::uint64_t entry_address(std::uint32_t index) const { return base + 16ull * index; }
    /// Would a head doorbell of 'value' be valid? (< size, and not consuming unposted entries)
    bool head_valid(std::uint32_t value) const {
        if (value >= size) return false;
        return (value + size - head) % size <= unconsumed();
    }
    void advance_tail() {
        if (++tail == size) {
            tail = 0;
            phase = !phase;
        }
    }
};

} // namespace znssim::nvme
