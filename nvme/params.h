#pragma once
// Controller parameters: the "controller:" section of a device config, already validated.
#include "model/sim/time.h"

#include <cstdint>
#include <string>

namespace znssim::nvme {

struct controller_params {
    std::string serial = "ZNSSIM0001";    ///< Identify SN (20 ASCII chars max)
    std::string model = "znssim ZNS SSD"; ///< Identify MN (40 max)
    std::string firmware = "0.1";         ///< Identify FR (8 max)
    std::string subnqn;                   ///< empty: "nqn.2026-11.io.znssim:<serial>"
    std::uint16_t vendor_id = 0x1b36;     ///< Identify VID (PCI vendor)
    std::uint16_t subsystem_vendor_id = 0x1b36;
    std::uint16_t cntlid = 1;

    std::uint16_t max_io_queues = 64; ///< I/O SQ/CQ pairs (NSQA/NCQA upper bound)
    std::uint16_t mqes = 1023;        ///< CAP.MQES, 0-based
    std::uint8_t mdts = 5;            ///< 2^mdts × 4 KiB per command; 0 = no limit
    /// Zone Append Size Limit (Identify Controller, ZNS): 2^zasl × 4 KiB, 0 = MDTS. One value for
    /// the controller, as the spec reports it, for every zoned namespace.
    std::uint8_t zasl = 0;
    std::uint8_t doorbell_stride = 0;      ///< CAP.DSTRD
    std::uint8_t cap_timeout = 15;         ///< CAP.TO in 500 ms units
    sim_time ready_delay = from_us(10);    ///< CC.EN 0→1 to CSTS.RDY=1 (and back)
    sim_time shutdown_delay = from_us(10); ///< CC.SHN to CSTS.SHST=complete
    std::uint8_t aerl = 3;                 ///< 0-based outstanding AER limit
    std::uint8_t acl = 3;                  ///< 0-based outstanding Abort limit
    std::uint32_t max_inflight = 4096;     ///< command slots (commands fetched, not completed)
    std::uint8_t arbitration_burst =
        3;                             ///< log2 of commands fetched per SQ per round (7 = no limit)
    bool volatile_write_cache = false; ///< VWC present (Flush then syncs the images)
    bool sgl = true;                   ///< SGLS: SGLs supported for NVM commands
    /// OACS bit 8: Doorbell Buffer Config (shadow doorbells and EventIdx for the I/O queues).
    bool doorbell_buffer = true;
    /// Names this controller's loggers after its instance ("<log_instance>.ctrl", ".admin",
    /// ".io", and its zoned namespaces' ".zns.ns<N>": nvme/core/device_log.h), so that several
    /// controllers can be told apart. Empty: nvme::pci_nvme and nvme::controller use their
    /// SystemC instance name; a bare controller_core logs under the module names ("nvme.ctrl").
    std::string log_instance;
};

} // namespace znssim::nvme
