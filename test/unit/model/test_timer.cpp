#include "model/sim/scheduler.h"

#include <doctest/doctest.h>

#include <vector>

using namespace znssim;

namespace {
struct recorder {
    std::vector<int>* log;
    int id;
    void fire() { log->push_back(id); }
};
} // namespace

TEST_CASE("timer_queue fires in deadline then arming order") {
    std::vector<int> log;
    recorder a{&log, 1}, b{&log, 2}, c{&log, 3};
    timer ta = timer::member<recorder, &recorder::fire>(&a);
    timer tb = timer::member<recorder, &recorder::fire>(&b);
    timer tc = timer::member<recorder, &recorder::fire>(&c);
    manual_scheduler s;
    s.schedule(tb, from_us(2));
    s.schedule(ta, from_us(1));
    s.schedule(tc, from_us(2));
    CHECK(ta.pending());
    s.advance_to(from_us(1));
    CHECK(log == std::vector<int>{1});
    CHECK_FALSE(ta.pending());
    s.advance_to(from_us(5));
    CHECK(log == std::vector<int>{1, 2, 3});
    CHECK(s.now() == from_us(5));
}

TEST_CASE("timer_queue re-arming moves a timer and cancel removes it") {
    std::vector<int> log;
    recorder a{&log, 1}, b{&log, 2};
    timer ta = timer::member<recorder, &recorder::fire>(&a);
    timer tb = timer::member<recorder, &recorder::fire>(&b);
    manual_scheduler s;
    s.schedule(ta, from_us(1));
    s.schedule(tb, from_us(2));
    s.schedule(ta, from_us(3)); // moved after b
    s.advance_to(from_us(10));
    CHECK(log == std::vector<int>{2, 1});
    s.schedule(ta, from_us(20));
    s.cancel(ta);
    s.advance_to(from_us(30));
    CHECK(log.size() == 2);
    CHECK(s.idle());
}

TEST_CASE("timers armed for now by a handler fire in a later delta") {
    manual_scheduler s;
    int fired = 0;
    timer_queue q;
    struct ctx {
        timer_queue* q;
        int* fired;
        timer* self;
    } c{&q, &fired, nullptr};
    timer t(
        [](void* p) {
            auto* cc = static_cast<ctx*>(p);
            if (++*cc->fired < 3) cc->q->schedule(*cc->self, 0);
        },
        &c);
    c.self = &t;
    q.schedule(t, 0);
    CHECK(q.fire_due(0) == 1); // the re-armed timer waits for the next call
    CHECK(q.fire_due(0) == 1);
    CHECK(q.fire_due(0) == 1);
    CHECK(q.fire_due(0) == 0);
    CHECK(fired == 3);
}
