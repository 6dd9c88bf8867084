# libsystemc-dev ships no CMake package: locate SystemC by hand as the imported target
# systemc::systemc. The build uses this file, and so does the installed znssimConfig.cmake, so a
# consumer finds SystemC the same way. To use another SystemC, set SYSTEMC_HOME (CMake or
# environment variable) to its installation, or define systemc::systemc before find_package(znssim).
if(NOT TARGET systemc::systemc)
  find_package(Threads QUIET)
  find_path(SYSTEMC_INCLUDE_DIR systemc.h HINTS ${SYSTEMC_HOME} ENV SYSTEMC_HOME
            PATH_SUFFIXES include PATHS /usr/include)
  find_library(SYSTEMC_LIBRARY systemc HINTS ${SYSTEMC_HOME} ENV SYSTEMC_HOME
               PATH_SUFFIXES lib lib64 lib-linux64)
  if(SYSTEMC_INCLUDE_DIR AND SYSTEMC_LIBRARY AND TARGET Threads::Threads)
    add_library(systemc::systemc INTERFACE IMPORTED)
    target_include_directories(systemc::systemc SYSTEM INTERFACE ${SYSTEMC_INCLUDE_DIR})
    target_link_libraries(systemc::systemc INTERFACE ${SYSTEMC_LIBRARY} Threads::Threads)
    target_compile_definitions(systemc::systemc INTERFACE SC_INCLUDE_DYNAMIC_PROCESSES)
  endif()
endif()
