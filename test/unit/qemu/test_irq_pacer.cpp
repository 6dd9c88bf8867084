#include "platform/qemu/irq_pacer.h"

#include <doctest/doctest.h>

using znssim::platform::irq_pacer;
using znssim::platform::irq_pacing;

namespace {
constexpr std::int64_t us = 1000;

irq_pacing pacing(std::int64_t gap, std::int64_t quiet, unsigned probe_every, unsigned batch = 8,
                  unsigned idle_batches = 3) {
    irq_pacing p;
    p.gap = gap;
    p.quiet = quiet;
    p.probe_every = probe_every;
    p.batch = batch;
    p.idle_batches = idle_batches;
    return p;
}
} // namespace

TEST_CASE("irq pacer: a signal after a quiet spell goes at once, one within the gap at its end") {
    irq_pacer p(pacing(200 * us, 0, 0));
    CHECK(p.request(1000 * us));
    CHECK_FALSE(p.pending());
    CHECK(p.request(1300 * us)); // 300 us later: past the gap
    CHECK_FALSE(p.request(1350 * us));
    CHECK(p.pending());
    CHECK(p.due() == 1500 * us);
    CHECK_FALSE(p.request(1400 * us)); // folded into the pending one
    CHECK_FALSE(p.take_due(1499 * us));
    CHECK(p.take_due(1500 * us));
    CHECK_FALSE(p.take_due(1600 * us)); // taken once
    CHECK_FALSE(p.request(1550 * us));  // the deferred byte counts for the spacing
    CHECK(p.due() == 1700 * us);
    p.cancel(); // reaped meanwhile
    CHECK_FALSE(p.pending());
    CHECK(p.request(1800 * us));
}

TEST_CASE("irq pacer: without a quiet time it never batches, however the guest behaves") {
    irq_pacer p(pacing(0, 0, 1));
    for (int i = 0; i < 10; ++i) {
        CHECK(p.request(i * us));
        CHECK_FALSE(p.note_activity(i * us));
    }
    CHECK_FALSE(p.streaming());
}

TEST_CASE("irq pacer: a probe that sees the guest wait changes nothing") {
    irq_pacer p(pacing(0, 200 * us, 4));
    CHECK(p.request(0));
    CHECK(p.request(1000 * us));
    CHECK(p.request(2000 * us));
    CHECK_FALSE(p.request(3000 * us)); // the 4th signal: held for the quiet time
    CHECK(p.due() == 3200 * us);
    CHECK(p.take_due(3200 * us));
    CHECK_FALSE(p.streaming());
    CHECK(p.request(4000 * us)); // at once again
}

TEST_CASE("irq pacer: a guest that submits during a probe gets its interrupts in batches") {
    irq_pacer p(pacing(0, 200 * us, 2, 3));
    CHECK(p.request(0));
    CHECK_FALSE(p.request(1000 * us)); // probe
    CHECK_FALSE(p.note_activity(1100 * us));
    CHECK(p.due() == 1300 * us); // quiet counts from the last activity
    CHECK(p.take_due(1300 * us));
    CHECK(p.streaming());
    // Streaming: every signal opens a batch; it ends at the third activity at once.
    CHECK_FALSE(p.request(1400 * us));
    CHECK_FALSE(p.note_activity(1450 * us));
    CHECK_FALSE(p.note_activity(1500 * us));
    CHECK(p.note_activity(1550 * us));
    CHECK_FALSE(p.pending());
    CHECK(p.streaming());
}

TEST_CASE("irq pacer: batches without activity in a row end streaming") {
    irq_pacer p(pacing(0, 100 * us, 1, 8, 2));
    CHECK_FALSE(p.request(0)); // every signal probes
    CHECK_FALSE(p.note_activity(10 * us));
    CHECK(p.take_due(110 * us));
    REQUIRE(p.streaming());
    CHECK_FALSE(p.request(200 * us));
    CHECK(p.take_due(300 * us)); // idle batch 1
    CHECK(p.streaming());
    CHECK_FALSE(p.request(400 * us));
    p.cancel(); // reaped meanwhile, still no activity: idle batch 2
    CHECK_FALSE(p.streaming());
    // An active batch in between resets the count.
    CHECK_FALSE(p.request(500 * us));
    CHECK_FALSE(p.note_activity(510 * us));
    CHECK(p.take_due(610 * us));
    CHECK_FALSE(p.request(700 * us));
    CHECK(p.take_due(800 * us));
    CHECK(p.streaming());
}

TEST_CASE("irq pacer: a re-kick counts as a byte for the spacing") {
    irq_pacer p(pacing(100, 0, 0));
    p.mark_sent(1000);
    CHECK_FALSE(p.request(1050));
    CHECK(p.due() == 1100);
}
