# Every dependency is a Debian package (see scripts/install-deps.sh).
find_package(Threads REQUIRED)
find_package(spdlog REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(doctest REQUIRED)
find_package(CLI11 REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(PCIACCESS REQUIRED IMPORTED_TARGET pciaccess)

# libsystemc-dev ships no CMake package; locate it by hand.
find_path(SYSTEMC_INCLUDE_DIR systemc.h PATHS /usr/include REQUIRED)
find_library(SYSTEMC_LIBRARY systemc REQUIRED)
add_library(systemc::systemc INTERFACE IMPORTED)
target_include_directories(systemc::systemc SYSTEM INTERFACE ${SYSTEMC_INCLUDE_DIR})
target_link_libraries(systemc::systemc INTERFACE ${SYSTEMC_LIBRARY} Threads::Threads)
target_compile_definitions(systemc::systemc INTERFACE SC_INCLUDE_DYNAMIC_PROCESSES)

include(/usr/lib/cmake/doctest/doctest.cmake)
