# The project's libraries: how sources are grouped into targets, their include paths and the
# znssim:: names they carry in the build tree (add_subdirectory) and in the installed package.

include(GNUInstallDirs)

# Warnings for the project's own code only (never passed on to consumers): the libraries take
# the flags directly, tests and benchmarks link znssim_warnings.
set(ZNSSIM_WARNING_FLAGS -Wall -Wextra -Wno-unused-parameter)
add_library(znssim_warnings INTERFACE)
target_compile_options(znssim_warnings INTERFACE ${ZNSSIM_WARNING_FLAGS})

# Sources include each other relative to the repository root ("nvme/spec/commands.h"), and
# integrators may write the same or, unambiguously, <znssim/nvme/spec/commands.h>. The installed
# headers live in <prefix>/include/znssim/<layer>/...; in the build tree
# <build>/include/znssim/<layer> links to the source directory of each layer, so both spellings
# work there too.
set(ZNSSIM_LAYERS model nvme zns platform)
file(MAKE_DIRECTORY ${PROJECT_BINARY_DIR}/include/znssim)
foreach(layer ${ZNSSIM_LAYERS})
  file(REMOVE ${PROJECT_BINARY_DIR}/include/znssim/${layer}) # the link only (a moved tree)
  file(CREATE_LINK ${PROJECT_SOURCE_DIR}/${layer} ${PROJECT_BINARY_DIR}/include/znssim/${layer}
       SYMBOLIC)
endforeach()

# Every library target, in dependency order (for the install rules and the export set).
set_property(GLOBAL PROPERTY ZNSSIM_TARGETS "")

function(znssim_add_target name export_name)
  add_library(znssim::${export_name} ALIAS ${name})
  set_target_properties(${name} PROPERTIES EXPORT_NAME ${export_name})
  set_property(GLOBAL APPEND PROPERTY ZNSSIM_TARGETS ${name})
endfunction()

# znssim_library(<name> <export name>
#                [GLOB <dir>...]      every .cpp below these directories (of the calling CMakeLists)
#                [EXCLUDE <path>...]  ... except these files or directories
#                [SOURCES <file>...]  and these files
#                [PUBLIC <lib>...] [PRIVATE <lib>...])
# A static library, also known as znssim::<export name>. Globbing keeps "a new .cpp needs no
# CMake edit": a file lands in the library whose GLOB covers it (see docs/design.md, "Build").
function(znssim_library name export_name)
  cmake_parse_arguments(ARG "" "" "GLOB;EXCLUDE;SOURCES;PUBLIC;PRIVATE" ${ARGN})
  set(srcs "")
  foreach(dir ${ARG_GLOB})
    get_filename_component(dir ${dir} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
    file(GLOB_RECURSE found CONFIGURE_DEPENDS ${dir}/*.cpp)
    list(APPEND srcs ${found})
  endforeach()
  foreach(path ${ARG_EXCLUDE})
    get_filename_component(abs ${path} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
    set(kept "")
    foreach(src ${srcs})
      string(FIND "${src}/" "${abs}/" at)
      if(NOT at EQUAL 0 AND NOT src STREQUAL abs)
        list(APPEND kept ${src})
      endif()
    endforeach()
    set(srcs ${kept})
  endforeach()
  foreach(src ${ARG_SOURCES})
    list(APPEND srcs ${CMAKE_CURRENT_SOURCE_DIR}/${src})
  endforeach()
  list(REMOVE_DUPLICATES srcs)
  if(NOT srcs)
    message(FATAL_ERROR "znssim_library(${name}): no sources")
  endif()
  add_library(${name} STATIC ${srcs})
  target_include_directories(
    ${name} PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}>
                   $<BUILD_INTERFACE:${PROJECT_BINARY_DIR}/include>
                   $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/znssim>
                   $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  target_compile_features(${name} PUBLIC cxx_std_17)
  target_compile_options(${name} PRIVATE ${ZNSSIM_WARNING_FLAGS})
  target_link_libraries(${name} PUBLIC ${ARG_PUBLIC} PRIVATE ${ARG_PRIVATE})
  znssim_add_target(${name} ${export_name})
endfunction()

# znssim_interface_library(<name> <export name> <lib>...): a name for a group of libraries.
function(znssim_interface_library name export_name)
  add_library(${name} INTERFACE)
  target_link_libraries(${name} INTERFACE ${ARGN})
  znssim_add_target(${name} ${export_name})
endfunction()
