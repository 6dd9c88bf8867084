#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

// libsystemc.so refers to sc_main (its own main calls it); this binary has doctest's main and no
// SystemC simulation, but a linker that keeps every listed library (clang's, in the sanitizer
// build) still needs the symbol.
extern "C" int sc_main(int, char**) {
    return 1;
}
