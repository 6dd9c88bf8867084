# Sanitizer and fuzzing builds, each in a build directory of its own configured with clang
# (scripts/sanitize.sh, scripts/fuzz.sh). Options apply to every target, libraries included, so a
# finding inside the model is caught where it happens.
option(ZNSSIM_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
option(ZNSSIM_FUZZ "Build the libFuzzer harnesses of test/fuzz (clang; implies ZNSSIM_SANITIZE)"
       OFF)

if(ZNSSIM_FUZZ)
  set(ZNSSIM_SANITIZE ON)
  include(CheckCXXSourceCompiles)
  set(CMAKE_REQUIRED_FLAGS -fsanitize=fuzzer)
  check_cxx_source_compiles(
    "#include <cstddef>
     #include <cstdint>
     extern \"C\" int LLVMFuzzerTestOneInput(const std::uint8_t*, std::size_t) { return 0; }"
    ZNSSIM_HAVE_LIBFUZZER)
  unset(CMAKE_REQUIRED_FLAGS)
  if(NOT ZNSSIM_HAVE_LIBFUZZER)
    message(FATAL_ERROR "ZNSSIM_FUZZ needs a compiler with -fsanitize=fuzzer: configure with "
                        "CXX=clang++ (scripts/install-deps.sh installs clang and libclang-rt-14-dev)")
  endif()
  # Coverage feedback from the whole model, not only from the harnesses; the harnesses link
  # libFuzzer itself (-fsanitize=fuzzer, test/fuzz/CMakeLists.txt). Without libFuzzer (the
  # unit tests) the sanitizer runtime provides the coverage callbacks.
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

if(ZNSSIM_SANITIZE)
  # Recovery off: the first report fails the test or the fuzzing run.
  set(znssim_sanitizers -fsanitize=address,undefined -fno-sanitize-recover=all)
  add_compile_options(${znssim_sanitizers} -fno-omit-frame-pointer)
  add_link_options(${znssim_sanitizers})
endif()
