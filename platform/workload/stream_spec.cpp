#include "platform/workload/stream_spec.h"

#include <iterator>

namespace znssim::platform {
namespace {

// In stream_op order; job.cpp reads the same words.
const char* const op_names[] = {"write",  "append", "read",  "randread", "randwrite", "readwrite",
                                "randrw", "open",   "close", "finish",   "reset"};
static_assert(std::size(op_names) == static_cast<std::size_t>(stream_op::zone_reset) + 1);

} // namespace

const char* stream_op_name(stream_op op) {
    return op_names[static_cast<std::size_t>(op)];
}

bool is_zone_mgmt(stream_op op) {
    return op == stream_op::zone_open || op == stream_op::zone_close ||
           op == stream_op::zone_finish || op == stream_op::zone_reset;
}

bool writes_data(stream_op op) {
    return op == stream_op::write || op == stream_op::append || op == stream_op::randwrite ||
           op == stream_op::readwrite || op == stream_op::randrw;
}

bool reads_data(stream_op op) {
    return op == stream_op::read || op == stream_op::randread || op == stream_op::readwrite ||
           op == stream_op::randrw;
}

bool is_random(stream_op op) {
    return op == stream_op::randread || op == stream_op::randwrite || op == stream_op::randrw;
}

} // namespace znssim::platform
