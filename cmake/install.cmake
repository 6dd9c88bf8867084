# `cmake --install <build> --prefix P`: the znssim command, the libraries, the public headers under
# P/include/znssim (never P/include/nvme, which libnvme-dev owns), the shipped configs and docs, a
# CMake package (find_package(znssim)) and pkg-config files. Everything is relative to P, so the
# tree may be moved after installation.
include(CMakePackageConfigHelpers)

set(ZNSSIM_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/znssim)
get_property(znssim_targets GLOBAL PROPERTY ZNSSIM_TARGETS)
set_target_properties(znssim PROPERTIES EXPORT_NAME znssim)
install(TARGETS ${znssim_targets} znssim EXPORT znssimTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# Every header of the libraries (platform/cli/ belongs to the command only).
foreach(layer ${ZNSSIM_LAYERS})
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${layer}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/znssim/${layer}
          FILES_MATCHING PATTERN "*.h" PATTERN "cli" EXCLUDE)
endforeach()
# Only the configs and jobs: images a run created next to them (configs/images/) are state, not
# part of the package.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/configs/ DESTINATION ${CMAKE_INSTALL_DATADIR}/znssim/configs
        FILES_MATCHING PATTERN "*.yaml" PATTERN "images" EXCLUDE)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR})

install(EXPORT znssimTargets NAMESPACE znssim:: DESTINATION ${ZNSSIM_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/znssimConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/znssimConfig.cmake
                              INSTALL_DESTINATION ${ZNSSIM_CMAKE_DIR})
# 0.x: a minor version may break the API.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/znssimConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/znssimConfig.cmake
              ${PROJECT_BINARY_DIR}/znssimConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/znssimSystemC.cmake
        DESTINATION ${ZNSSIM_CMAKE_DIR})

# pkg-config: znssim-core (SystemC-free) and znssim (the device). The prefix is found from the
# .pc file's own location.
set(ZNSSIM_PC_DIR ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
file(RELATIVE_PATH ZNSSIM_PC_TO_PREFIX ${CMAKE_INSTALL_PREFIX}/${ZNSSIM_PC_DIR}
     ${CMAKE_INSTALL_PREFIX})
string(REGEX REPLACE "/$" "" ZNSSIM_PC_TO_PREFIX "${ZNSSIM_PC_TO_PREFIX}")
foreach(pc znssim-core znssim)
  configure_file(${PROJECT_SOURCE_DIR}/cmake/${pc}.pc.in ${PROJECT_BINARY_DIR}/${pc}.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/${pc}.pc DESTINATION ${ZNSSIM_PC_DIR})
endforeach()
