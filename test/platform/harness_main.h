#pragma once
// Include FIRST in a harness-based platform test file (exactly once per binary): provides the
// doctest implementation and sc_main, which hands over to the harness.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include "test/platform/harness.h"

int sc_main(int argc, char* argv[]) {
    return znssim::test::run_platform_tests(argc, argv, &znssim::test::setup);
}
