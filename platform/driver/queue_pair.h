#pragma once
// Internal to the reference driver: one submission/completion queue pair and its command slots.
#include "model/log/log.h"
#include "model/sim/sc_scheduler.h"
#include "platform/driver/host_driver.h"

#include <cstdint>
#include <vector>

namespace znssim::platform {

/// Admin CID of the one outstanding Asynchronous Event Request: tag 31, outside the admin
/// command tags (0..29), as Linux reserves NVME_AQ_BLK_MQ_DEPTH for it.
constexpr std::uint16_t aer_cid = 31;
constexpr unsigned cid_tag_bits = 12; ///< low bits: tag; high 4 bits: generation (like Linux)

struct host_driver::queue_pair {
    struct slot {
        bool busy = false;
        bool done = false;
        bool async = false;
        bool abandoned = false; ///< timed out; its late CQE only frees the slot
        std::uint8_t generation = 0;
        std::uint16_t cid = 0;
        sim_time submitted_at = 0; ///< host time of submission
        completion result;
        std::vector<dma_buffer> prp_lists; ///< grown on demand, reused across commands
    };

    std::uint16_t qid = 0;
    std::uint16_t entries = 0;
    std::uint16_t vector = 0;
    dma_buffer sq_mem;
    dma_buffer cq_mem;
    nvme::spec::sqe* sq = nullptr;
    const std::uint8_t* cq = nullptr;
    std::uint16_t sq_tail = 0;
    std::uint16_t cq_head = 0;
    std::uint16_t phase = 1;
    std::uint32_t sq_doorbell = 0; ///< BAR0 offsets
    std::uint32_t cq_doorbell = 0;
    // Doorbell Buffer Config (I/O queues only, as Linux): shadow doorbells and EventIdx entries.
    std::uint32_t* sq_shadow = nullptr;
    const std::uint32_t* sq_eventidx = nullptr;
    std::uint32_t* cq_shadow = nullptr;
    const std::uint32_t* cq_eventidx = nullptr;
    unsigned unrung = 0;
    unsigned outstanding = 0;
    sc_core::sc_time timeout;

    std::vector<slot> slots;
    std::vector<std::uint16_t> free_tags;
    // Async tags in completion order, waiting for wait_any() (a ring of capacity slots.size()).
    std::vector<std::uint16_t> done_ring;
    std::size_t done_head = 0;
    std::size_t done_count = 0;

    void push_done(std::uint16_t tag) {
        done_ring[(done_head + done_count) % done_ring.size()] = tag;
        ++done_count;
    }
    std::uint16_t pop_done() {
        std::uint16_t tag = done_ring[done_head];
        done_head = (done_head + 1) % done_ring.size();
        --done_count;
        return tag;
    }
    /// Removes tag from the done ring (it was collected by wait(ticket)).
    void remove_done(std::uint16_t tag) {
        for (std::size_t i = 0; i < done_count; ++i) {
            std::size_t at = (done_head + i) % done_ring.size();
            if (done_ring[at] != tag) continue;
            for (std::size_t j = i; j + 1 < done_count; ++j)
                done_ring[(done_head + j) % done_ring.size()] =
                    done_ring[(done_head + j + 1) % done_ring.size()];
            --done_count;
            return;
        }
    }
};

} // namespace znssim::platform
