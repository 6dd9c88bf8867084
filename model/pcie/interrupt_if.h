#pragma once
// SystemC interface form of interrupt_sink, for binding a device core's sc_port to the function's
// sc_export.
#include "model/pcie/interrupt_sink.h"

#include <systemc>

namespace znssim::pcie {

class interrupt_if : public virtual sc_core::sc_interface, public interrupt_sink {};

} // namespace znssim::pcie
