add_library(znssim_warnings INTERFACE)
target_compile_options(znssim_warnings INTERFACE -Wall -Wextra -Wno-unused-parameter)

# Collect every .cpp below DIR (no per-file CMake edits when a file is added).
function(znssim_sources out dir)
  file(GLOB_RECURSE srcs CONFIGURE_DEPENDS ${dir}/*.cpp)
  set(${out} ${srcs} PARENT_SCOPE)
endfunction()

# A static library of every .cpp below the calling directory (an INTERFACE library while empty).
function(znssim_library name)
  cmake_parse_arguments(ARG "" "" "PUBLIC;PRIVATE" ${ARGN})
  znssim_sources(srcs ${CMAKE_CURRENT_SOURCE_DIR})
  list(FILTER srcs EXCLUDE REGEX ".*/cli/main\\.cpp$")
  if(srcs)
    add_library(${name} STATIC ${srcs})
    target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
    target_link_libraries(${name} PUBLIC ${ARG_PUBLIC} PRIVATE znssim_warnings ${ARG_PRIVATE})
  else()
    add_library(${name} INTERFACE)
    target_include_directories(${name} INTERFACE ${PROJECT_SOURCE_DIR})
    target_link_libraries(${name} INTERFACE ${ARG_PUBLIC})
  endif()
endfunction()
