#pragma once
// The names the NVMe Base 2.0 and ZNS 1.1 specifications give to status codes, for messages
// ("Zone Is Full"), as nvme-cli prints them.
#include "nvme/spec/status.h"

namespace znssim::nvme::spec {

/// The status's name; "Unknown Status" for a code neither specification defines.
const char* status_name(status s);

} // namespace znssim::nvme::spec
