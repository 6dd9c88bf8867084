add_library(znssim_warnings INTERFACE)
target_compile_options(znssim_warnings INTERFACE -Wall -Wextra -Wno-unused-parameter)

# Collect every .cpp below DIR (no per-file CMake edits when a file is added).
function(znssim_sources out dir)
  file(GLOB_RECURSE srcs CONFIGURE_DEPENDS ${dir}/*.cpp)
  set(${out} ${srcs} PARENT_SCOPE)
endfunction()
