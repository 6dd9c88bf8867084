#include "model/timing/media_timing.h"

namespace znssim {

const char* media_op_name(media_op op) {
    switch (op) {
    case media_op::read:
        return "read";
    case media_op::write:
        return "write";
    case media_op::write_zeroes:
        return "write_zeroes";
    case media_op::deallocate:
        return "deallocate";
    case media_op::flush:
        return "flush";
    case media_op::compare:
        return "compare";
    case media_op::verify:
        return "verify";
    case media_op::zone_open:
        return "zone_open";
    case media_op::zone_close:
        return "zone_close";
    case media_op::zone_finish:
        return "zone_finish";
    case media_op::zone_reset:
        return "zone_reset";
    case media_op::zone_append:
        return "zone_append";
    case media_op::zone_offline:
        return "zone_offline";
    }
    return "unknown";
}

} // namespace znssim
