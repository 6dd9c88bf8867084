// The short include form: the installed headers include each other as "nvme/...", so
// <prefix>/include/znssim is on the include path as well and <nvme/...> works too. Both
// spellings name the same file (included twice here: #pragma once must hold).
#include <nvme/spec/registers.h>
#include <znssim/nvme/spec/registers.h>

#include <cstdint>

std::uint32_t short_form_csts_offset() {
    return znssim::nvme::spec::reg::csts;
}
