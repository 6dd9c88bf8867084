#pragma once
// Turns a SIGBUS inside a mapped backing image into a clear error line (see sigbus_report.cpp).
#include <cstdint>
#include <string>

namespace znssim::detail {

void register_mapping(const void* begin, std::uint64_t bytes, const std::string& path);
void unregister_mapping(const void* begin);

} // namespace znssim::detail
