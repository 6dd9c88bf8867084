# Every dependency is a Debian package (see scripts/install-deps.sh). cmake/znssimConfig.cmake.in
# finds the same ones for consumers of the installed package.
find_package(Threads REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(CLI11 REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(PkgConfig REQUIRED)
if(NOT TARGET PkgConfig::PCIACCESS)
  pkg_check_modules(PCIACCESS REQUIRED IMPORTED_TARGET pciaccess)
endif()

include(${CMAKE_CURRENT_LIST_DIR}/znssimSystemC.cmake)
if(NOT TARGET systemc::systemc)
  message(FATAL_ERROR "SystemC not found: install libsystemc-dev or set SYSTEMC_HOME")
endif()

if(ZNSSIM_BUILD_TESTS)
  find_package(doctest REQUIRED)
  include(/usr/lib/cmake/doctest/doctest.cmake)
endif()
