#include "platform/qemu/irq_pacer.h"

#include <doctest/doctest.h>

using znssim::platform::irq_pacer;

TEST_CASE("irq pacer: a signal after a quiet spell goes at once") {
    irq_pacer p(200'000);
    CHECK(p.request(1'000'000));
    CHECK_FALSE(p.pending());
    CHECK(p.request(1'300'000)); // 300 us later: past the gap
    CHECK_FALSE(p.pending());
}

TEST_CASE("irq pacer: signals within the gap become one deferred signal at its end") {
    irq_pacer p(200'000);
    REQUIRE(p.request(1'000'000));
    CHECK_FALSE(p.request(1'050'000));
    CHECK(p.pending());
    CHECK(p.due() == 1'200'000);
    CHECK_FALSE(p.request(1'100'000)); // folded into the pending one
    CHECK(p.due() == 1'200'000);
    CHECK_FALSE(p.take_due(1'199'999));
    CHECK(p.take_due(1'200'000));
    CHECK_FALSE(p.pending());
    CHECK_FALSE(p.take_due(1'300'000)); // taken once
    // The deferred signal counts for the spacing.
    CHECK_FALSE(p.request(1'250'000));
    CHECK(p.due() == 1'400'000);
}

TEST_CASE("irq pacer: a cancelled deferred signal is not sent, and the spacing still holds") {
    irq_pacer p(200'000);
    REQUIRE(p.request(0));
    CHECK_FALSE(p.request(10'000));
    p.cancel();
    CHECK_FALSE(p.pending());
    CHECK_FALSE(p.take_due(300'000));
    CHECK(p.request(300'000));
}

TEST_CASE("irq pacer: a zero gap never defers; a re-kick counts as a signal") {
    irq_pacer none;
    CHECK(none.request(5));
    CHECK(none.request(5));
    irq_pacer p(100);
    p.mark_sent(1'000);
    CHECK_FALSE(p.request(1'050));
    CHECK(p.due() == 1'100);
}
