#include "nvme/nvm/nvm_command_set.h"

namespace znssim::nvme {

namespace {

io_command_set make_nvm_set() {
    using namespace spec::io_opcode;
    io_command_set s;
    s.csi = spec::csi::nvm;
    // Effects as Linux 6.1 expects (shared reference section 1.7): anything beyond CSUPP|LBCC
    // on an I/O command triggers its "unusual effects" warning.
    s.add(flush, handle_flush, effects::lbcc);
    s.add(write, handle_write, effects::lbcc);
    s.add(read, handle_read, 0);
    s.add(compare, handle_compare, 0);
    s.add(write_zeroes, handle_write_zeroes, effects::lbcc);
    s.add(dataset_management, handle_dataset_management, effects::lbcc);
    s.add(verify, handle_verify, 0);
    // CNS 06h / CSI 00h is built by the Identify handler itself; no NVM-specific log pages.
    return s;
}

} // namespace

const io_command_set& nvm_command_set() {
    static const io_command_set set = make_nvm_set();
    return set;
}

} // namespace znssim::nvme
