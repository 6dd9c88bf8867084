#include "nvme/spec/status_names.h"

namespace znssim::nvme::spec {

namespace {

struct status_entry {
    status_type type;
    std::uint8_t code;
    const char* name;
};

constexpr auto G = status_type::generic;
constexpr auto C = status_type::command_specific;
constexpr auto M = status_type::media;

// clang-format off
constexpr status_entry names[] = {
    {G, 0x00, "Successful Completion"},
    {G, 0x01, "Invalid Command Opcode"},
    {G, 0x02, "Invalid Field in Command"},
    {G, 0x03, "Command ID Conflict"},
    {G, 0x04, "Data Transfer Error"},
    {G, 0x05, "Commands Aborted due to Power Loss Notification"},
    {G, 0x06, "Internal Error"},
    {G, 0x07, "Command Abort Requested"},
    {G, 0x08, "Command Aborted due to SQ Deletion"},
    {G, 0x09, "Command Aborted due to Failed Fused Command"},
    {G, 0x0a, "Command Aborted due to Missing Fused Command"},
    {G, 0x0b, "Invalid Namespace or Format"},
    {G, 0x0c, "Command Sequence Error"},
    {G, 0x0d, "Invalid SGL Segment Descriptor"},
    {G, 0x0e, "Invalid Number of SGL Descriptors"},
    {G, 0x0f, "Data SGL Length Invalid"},
    {G, 0x10, "Metadata SGL Length Invalid"},
    {G, 0x11, "SGL Descriptor Type Invalid"},
    {G, 0x12, "Invalid Use of Controller Memory Buffer"},
    {G, 0x13, "PRP Offset Invalid"},
    {G, 0x16, "SGL Offset Invalid"},
    {G, 0x20, "Namespace is Write Protected"},
    {G, 0x80, "LBA Out of Range"},
    {G, 0x81, "Capacity Exceeded"},
    {G, 0x82, "Namespace Not Ready"},
    {C, 0x00, "Completion Queue Invalid"},
    {C, 0x01, "Invalid Queue Identifier"},
    {C, 0x02, "Invalid Queue Size"},
    {C, 0x03, "Abort Command Limit Exceeded"},
    {C, 0x05, "Asynchronous Event Request Limit Exceeded"},
    {C, 0x08, "Invalid Interrupt Vector"},
    {C, 0x09, "Invalid Log Page"},
    {C, 0x0c, "Invalid Queue Deletion"},
    {C, 0x0d, "Feature Identifier Not Saveable"},
    {C, 0x0e, "Feature Not Changeable"},
    {C, 0x0f, "Feature Not Namespace Specific"},
    {C, 0x80, "Conflicting Attributes"},
    {C, 0x81, "Invalid Protection Information"},
    {C, 0x82, "Attempted Write to Read Only Range"},
    {C, 0xb6, "Invalid Zone Operation Request"},
    {C, 0xb7, "ZRWA Resources Unavailable"},
    {C, 0xb8, "Zone Boundary Error"},
    {C, 0xb9, "Zone Is Full"},
    {C, 0xba, "Zone Is Read Only"},
    {C, 0xbb, "Zone Is Offline"},
    {C, 0xbc, "Zone Invalid Write"},
    {C, 0xbd, "Too Many Active Zones"},
    {C, 0xbe, "Too Many Open Zones"},
    {C, 0xbf, "Invalid Zone State Transition"},
    {M, 0x80, "Write Fault"},
    {M, 0x81, "Unrecovered Read Error"},
    {M, 0x85, "Compare Failure"},
    {M, 0x87, "Deallocated or Unwritten Logical Block"},
};
// clang-format on

} // namespace

const char* status_name(status s) {
    for (const status_entry& e : names)
        if (e.type == s.sct() && e.code == s.sc()) return e.name;
    return "Unknown Status";
}

} // namespace znssim::nvme::spec
