#pragma once
// The status a real drive returns when its media fails, for the errno the backing image gave.
#include "nvme/core/logs.h"
#include "nvme/spec/status.h"

#include <cerrno>

namespace znssim::nvme {

/// ENOSPC/EDQUOT: the filesystem holding the (sparse) image is full, as a thin-provisioned
/// namespace out of backing capacity: Capacity Exceeded (81h, NVM command set generic status),
/// with DNR since retrying cannot help until the host frees space (zone resets and deallocation
/// punch holes). Linux reports it as ENOSPC (BLK_STS_NOSPC). Namespace Not Ready (82h) would
/// invite retries of a condition that does not pass by itself.
/// Anything else (EIO, a failed sync) is a media error as a drive whose flash failed reports it:
/// Write Fault (SCT 2h, 80h) for writes and state changes that could not be stored, Unrecovered
/// Read Error (SCT 2h, 81h) for reads; with DNR, as the device has already given up on it.
inline spec::status media_status(int err, bool write) {
    if (err == ENOSPC || err == EDQUOT) return spec::sc::capacity_exceeded;
    return write ? spec::sc::write_fault.with_dnr() : spec::sc::unrecovered_read_error.with_dnr();
}

/// Media errors count in SMART / Health Information (Media and Data Integrity Errors); running
/// out of capacity is not a media error.
inline void count_media_error(controller_logs& logs, spec::status st) {
    if (st.sct() == spec::status_type::media) ++logs.health.media_errors;
}

} // namespace znssim::nvme
