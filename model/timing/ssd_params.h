#pragma once
// Parameters of the structural SSD timing model (the `timing:` section of a device config). Every
// field is a physical quantity with its unit in the name or the comment; docs/timing.md explains
// each one and how the shipped configurations derive their values.
#include "model/sim/time.h"

#include <array>
#include <cstdint>

namespace znssim::timing {

/// The PCIe link between the device and the host (both directions alike).
struct link_params {
    unsigned generation = 3;         ///< 1..5: 2.5, 5, 8, 16, 32 GT/s per lane
    unsigned lanes = 4;              ///< 1, 2, 4, 8, 16
    std::uint32_t max_payload = 256; ///< bytes per TLP (MPS; read completions alike)
    std::uint32_t tlp_overhead = 24; ///< bytes per TLP besides the payload (header, framing, DLLP)
    /// A memory read the device issues: from the request until its first completion arrives
    /// (the host's memory and root complex), besides the transfer itself.
    sim_time read_latency = from_ns(700);
};

/// Payload bandwidth of a link in bytes per second: raw rate × lanes × encoding efficiency
/// (8b/10b for gen 1-2, 128b/130b for gen 3-5), before TLP overhead.
double link_bytes_per_second(const link_params& p);

/// The controller's front end and firmware.
struct frontend_params {
    sim_time doorbell_to_fetch = from_ns(200); ///< tail doorbell written → SQ fetch starts
    unsigned processors = 1;                   ///< firmware cores handling commands
    sim_time read_cost = from_us(2);           ///< firmware time per Read
    sim_time write_cost = from_us(6);          ///< per Write, Write Zeroes and Zone Append
    sim_time zone_mgmt_cost = from_us(5);      ///< per Zone Management Send and Receive
    sim_time admin_cost = from_us(4);          ///< per admin command
    sim_time other_cost = from_us(1);          ///< every other I/O command (Flush, DSM, ...)
    sim_time completion_cost = from_ns(300);   ///< building a completion entry
    /// Firmware time to hand one program unit from the write buffer to a die (it holds a
    /// processor, delaying a command that arrives meanwhile).
    sim_time program_dispatch_cost = from_ns(5600);
};

/// The flash array.
struct nand_params {
    unsigned channels = 8;
    unsigned dies_per_channel = 2;
    unsigned planes = 4;
    std::uint32_t page_bytes = 16 * 1024;
    unsigned cell_bits = 3; ///< pages programmed together per plane (TLC one-shot: 3)
    /// Sense time per page type (lower, middle, upper, ...: cell_bits entries are used).
    std::array<sim_time, 4> read_time = {from_us(54), from_us(65), from_us(73), from_us(73)};
    sim_time program_time = from_us(2360);   ///< one program unit (all planes, all cell bits)
    sim_time erase_time = from_us(2840);     ///< one erase block (all planes)
    std::uint64_t block_bytes = 16ull << 20; ///< data one erase block of a die holds
    double channel_bytes_per_second = 1.2e9;

    unsigned dies() const { return channels * dies_per_channel; }
    /// Bytes one program writes on one die: pages × planes × cell bits.
    std::uint64_t program_unit_bytes() const {
        return std::uint64_t{page_bytes} * planes * cell_bits;
    }
};

/// The write buffer in front of the flash.
struct buffer_params {
    std::uint64_t bytes = 8ull << 20;        ///< capacity
    double ingest_bytes_per_second = 1.47e9; ///< host data into the buffer (controller DRAM)
    /// Data one zone (or conventional namespace) may hold in the buffer (0 = the whole buffer):
    /// small-zone designs give each open zone a small buffer of its own.
    std::uint64_t per_zone_bytes = 0;
    /// The buffer survives power loss (capacitors): Flush and FUA need not wait for the flash.
    bool power_loss_protected = true;
};

/// How zones sit on the flash and what zone management costs.
struct zone_params {
    /// Dies one zone is striped over (0 = all dies): consecutive program units of a zone go to
    /// consecutive dies of its set; zone z's set starts at die (z × dies_per_zone) mod dies.
    unsigned dies_per_zone = 0;
    sim_time open_cost = from_ns(2600);       ///< explicit open (firmware, metadata in DRAM)
    sim_time close_cost = from_us(4);         ///< close
    sim_time implicit_open_cost = from_us(2); ///< a write opening its zone
    sim_time auto_close_cost = from_us(2);    ///< the controller closing a zone to make room
    /// Reset and finish persist the zone's new state: one metadata program on the zone's first
    /// die. A reset does it before erasing; a finish alongside its fill.
    sim_time metadata_program = from_us(1610);
    sim_time append_serialization = from_ns(200); ///< per append, per zone (assigning the LBA)
};

/// What the reference host driver costs per command (an SPDK-like polled driver by default).
struct host_params {
    bool polled = true;                      ///< polled completions; false: interrupt-driven
    sim_time submit_cost = from_ns(200);     ///< building the entry and ringing the doorbell
    sim_time complete_cost = from_ns(150);   ///< handling one completion entry
    sim_time interrupt_latency = from_us(3); ///< interrupt mode: message to handler running
};

struct ssd_params {
    link_params link;
    frontend_params frontend;
    nand_params nand;
    buffer_params buffer;
    zone_params zones;
    host_params host;
};

} // namespace znssim::timing
