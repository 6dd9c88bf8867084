#pragma once
// What a command handler may use: host memory, time, the media timing model, namespaces, logs and
// controller state. Implemented by the controller core; unit tests implement it with fakes.
#include "model/dma/dma_port.h"
#include "model/log/log.h"
#include "model/sim/time.h"
#include "model/timing/media_timing.h"
#include "nvme/core/command.h"
#include "nvme/core/command_set.h"
#include "nvme/core/logs.h"
#include "nvme/params.h"

#include <cstdint>
#include <string_view>

namespace znssim::nvme {

class nvme_namespace;

/// Controller state handlers read (the core owns and updates it).
struct controller_state {
    std::uint32_t cc = 0;             ///< current CC register
    unsigned page_shift = 12;         ///< memory page size from CC.MPS (12 = 4 KiB)
    std::uint16_t io_sqs_granted = 0; ///< Number of Queues result (1-based), 0 = not set yet
    std::uint16_t io_cqs_granted = 0;
    bool write_cache_enabled = false;     ///< Volatile Write Cache feature (if present)
    std::uint32_t async_event_config = 0; ///< Set Features 0Bh value
    std::uint8_t iocs_profile_index = 0;  ///< I/O Command Set Profile (feature 19h)
};

/// Asynchronous event, as reported in the AER completion DW0.
struct async_event {
    std::uint8_t type; ///< 0 error, 1 SMART/health, 2 notice, 6 I/O command set specific, 7 vendor
    std::uint8_t info; ///< asynchronous event information
    std::uint8_t log_page;
    std::uint32_t nsid = 0; ///< for I/O command set specific events (e.g. zone descriptor changed)
};

namespace event_type {
constexpr std::uint8_t error = 0;
constexpr std::uint8_t smart = 1;
constexpr std::uint8_t notice = 2;
constexpr std::uint8_t io_command_set = 6;
} // namespace event_type

class command_context {
  public:
    virtual ~command_context() = default;

    virtual sim_time now() const = 0;
    virtual dma_port& dma() = 0;
    virtual media_timing& timing() = 0;
    virtual const controller_params& params() const = 0;
    virtual const controller_state& state() const = 0;
    virtual controller_logs& logs() = 0;
    /// This controller's logger of 'module' ("nvme.admin", "nvme.io", "zns.cmd"), named after
    /// the controller instance (nvme/core/device_log.h): handlers keep no loggers of their own.
    virtual const log::logger_ptr& logger(std::string_view module) = 0;

    /// An active namespace, or nullptr.
    virtual nvme_namespace* find_namespace(std::uint32_t nsid) = 0;
    /// NN: the highest NSID the controller supports (valid NSIDs are 1..NN).
    virtual std::uint32_t namespace_limit() const = 0;
    /// The registered I/O command set for csi, or nullptr.
    virtual const io_command_set* command_set(spec::csi csi) const = 0;
    /// The admin command set's supported-command effects (for the effects log).
    virtual const std::array<std::uint32_t, 256>& admin_effects() const = 0;

    /// Completes a command a handler returned as deferred (AER, long-running commands).
    virtual void complete_deferred(command& cmd) = 0;
    /// Get Log Page read log 'lid' with RAE=retain: when !retain, events of the type that log
    /// reports are unmasked again (NVMe Base 2.0, 5.2).
    virtual void log_page_read(std::uint8_t lid, bool retain) = 0;
    /// Queues an asynchronous event (delivered when the host has an AER outstanding and the
    /// event type is enabled).
    virtual void raise_event(const async_event& ev) = 0;
};

} // namespace znssim::nvme
