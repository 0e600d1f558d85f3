// SBML event delays, persistence, useValuesFromTriggerTime and priorities
// (engine/run/model_events.hpp) on small hand-built models whose outcome is exact: the event
// loop is driven as run_trajectory drives it (breakpoints in order, a "reaction" being a change
// of a species followed by after_reaction), plus one ODE run (engine/ode/cvode_solver.hpp) of a
// delayed event against its closed form.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "engine/error.hpp"
#include "engine/model/builder.hpp"
#include "engine/network/compile.hpp"
#include "engine/network/reaction_network.hpp"
#include "engine/ode/cvode_solver.hpp"
#include "engine/run/method.hpp"
#include "engine/run/model_events.hpp"
#include "engine/run/rng.hpp"
#include "engine/run/state.hpp"

namespace nkappa {
namespace {

Expr relation(ExprOp op, Expr lhs, Expr rhs) {
  return Expr::call(op, {std::move(lhs), std::move(rhs)});
}
Expr at_least_time(double t) {
  return relation(ExprOp::Geq, Expr::time(), Expr::constant(t));
}

// `order := order * 10 + digit`: the order of executions, read as the digits of one number.
EventAssignmentDesc record(int digit) {
  return EventAssignmentDesc{"order", Expr::name("order") * Expr::constant(10.0) +
                                          Expr::constant(static_cast<double>(digit))};
}

EventDesc event(std::string id, Expr trigger, std::vector<EventAssignmentDesc> assignments) {
  EventDesc e;
  e.id = std::move(id);
  e.trigger = std::move(trigger);
  e.initial_value = false;
  // Values from the execution time, so that `record` sees the executions before it.
  e.use_values_from_trigger_time = false;
  e.assignments = std::move(assignments);
  return e;
}

EventDesc delayed(EventDesc e, double delay) {
  e.has_delay = true;
  e.delay = Expr::constant(delay);
  return e;
}

EventDesc prioritised(EventDesc e, Expr priority) {
  e.has_priority = true;
  e.priority = std::move(priority);
  return e;
}

// A model with no reactions: parameters `order`, x, y (variable) and species S.
ModelDescription base_model() {
  ModelBuilder b;
  b.species("S", 0.0).parameter("order", 0.0).parameter("x", 3.0).parameter("y", 0.0);
  ModelDescription m = b.build();
  for (const char* p : {"order", "x", "y"}) m.find_parameter(p)->constant = false;
  return m;
}

double parameter(const ReactionNetwork& net, const State& s, const std::string& id) {
  for (std::size_t i = 0; i < net.parameter_ids.size(); ++i)
    if (net.parameter_ids[i] == id) return s.parameters[i];
  FAIL("no parameter " << id);
  return 0.0;
}

// Goes from breakpoint to breakpoint up to t_end, as the event loop does between reactions.
// Returns the times visited.
std::vector<double> run_until(ModelEvents& events, State& s, double t_end, Rng* rng) {
  std::vector<double> visited;
  for (double t = events.next_breakpoint(); t <= t_end; t = events.next_breakpoint()) {
    s.time = t;
    visited.push_back(t);
    events.at_breakpoint(s, rng);
    REQUIRE(!events.failed());
  }
  return visited;
}

}  // namespace

TEST_CASE("event delays: pending executions run in order of execution time, then of triggering") {
  ModelDescription m = base_model();
  m.events.push_back(delayed(event("E1", at_least_time(1.0), {record(1)}), 3.0));   // runs at 4
  m.events.push_back(delayed(event("E2", at_least_time(2.0), {record(2)}), 1.0));   // runs at 3
  m.events.push_back(delayed(event("E3", at_least_time(2.5), {record(3)}), 0.5));   // runs at 3
  m.events.push_back(delayed(event("E4", at_least_time(0.5), {record(4)}), 10.0));  // after end
  const ReactionNetwork net = compile(m);
  ModelEvents events(net);
  State s = State{0.0, net.initial_counts, net.initial_parameters};
  CHECK_FALSE(events.start(s));
  const std::vector<double> visited = run_until(events, s, 5.0, nullptr);
  // Trigger times, then the pending executions, each a breakpoint of its own.
  CHECK(visited == std::vector<double>{0.5, 1.0, 2.0, 2.5, 3.0, 4.0});
  CHECK(parameter(net, s, "order") == 231.0);  // E2 and E3 both at 3: E2 was triggered first
  CHECK(events.fired() == 3);
  CHECK(events.pending() == 1);  // E4, due at 10.5
  CHECK(events.next_breakpoint() == 10.5);
}

TEST_CASE("event delays: a non-persistent event is cancelled when its trigger turns false") {
  for (const bool persistent : {true, false}) {
    CAPTURE(persistent);
    ModelDescription m = base_model();
    EventDesc e = delayed(event("E", relation(ExprOp::Geq, Expr::name("S"), Expr::constant(5.0)),
                                {EventAssignmentDesc{"y", Expr::constant(1.0)}}),
                          2.0);
    e.persistent = persistent;
    m.events.push_back(e);
    const ReactionNetwork net = compile(m);
    ModelEvents events(net);
    State s = State{0.0, net.initial_counts, net.initial_parameters};
    events.start(s);
    // A reaction at t = 1 brings S to 5: triggered, due at 3.
    s.time = 1.0;
    s.counts[0] = 5.0;
    CHECK_FALSE(events.after_reaction(s));
    CHECK(events.pending() == 1);
    CHECK(events.next_breakpoint() == 3.0);
    // A reaction at t = 2 takes S back to 4: the trigger turns false before execution.
    s.time = 2.0;
    s.counts[0] = 4.0;
    CHECK_FALSE(events.after_reaction(s));
    CHECK(events.pending() == (persistent ? 1u : 0u));
    run_until(events, s, 10.0, nullptr);
    CHECK(parameter(net, s, "y") == (persistent ? 1.0 : 0.0));
    CHECK(events.fired() == (persistent ? 1 : 0));
  }
}

TEST_CASE("event delays: useValuesFromTriggerTime computes values when triggered or executed") {
  for (const bool trigger_time_values : {true, false}) {
    CAPTURE(trigger_time_values);
    ModelDescription m = base_model();
    // E triggered at 1 runs at 3 and copies x; F sets x from 3 to 7 at 2, in between.
    EventDesc e =
        delayed(event("E", at_least_time(1.0), {EventAssignmentDesc{"y", Expr::name("x")}}), 2.0);
    e.use_values_from_trigger_time = trigger_time_values;
    m.events.push_back(e);
    m.events.push_back(
        event("F", at_least_time(2.0), {EventAssignmentDesc{"x", Expr::constant(7.0)}}));
    const ReactionNetwork net = compile(m);
    ModelEvents events(net);
    State s = State{0.0, net.initial_counts, net.initial_parameters};
    events.start(s);
    run_until(events, s, 5.0, nullptr);
    CHECK(parameter(net, s, "x") == 7.0);
    CHECK(parameter(net, s, "y") == (trigger_time_values ? 3.0 : 7.0));
  }
}

TEST_CASE("event priorities: the highest first, re-evaluated after each execution") {
  ModelDescription m = base_model();
  // All due at t = 1. Priorities 1, 3 and x (3 at first): P2 first (its priority is a tie with
  // P3 only if x = 3, so x starts at 2.5); P2 sets x to 0, which moves P3 below P1.
  m.find_parameter("x")->value = 2.5;
  m.events.push_back(prioritised(event("P1", at_least_time(1.0), {record(1)}), Expr::constant(1)));
  m.events.push_back(prioritised(
      event("P2", at_least_time(1.0), {record(2), EventAssignmentDesc{"x", Expr::constant(0.0)}}),
      Expr::constant(3)));
  m.events.push_back(prioritised(event("P3", at_least_time(1.0), {record(3)}), Expr::name("x")));
  // Without a priority: after every event with one.
  m.events.push_back(event("N4", at_least_time(1.0), {record(4)}));
  const ReactionNetwork net = compile(m);
  ModelEvents events(net);
  State s = State{0.0, net.initial_counts, net.initial_parameters};
  events.start(s);
  run_until(events, s, 2.0, nullptr);
  CHECK(parameter(net, s, "order") == 2134.0);
  CHECK(events.fired() == 4);
}

TEST_CASE(
    "event priorities: a non-persistent event whose trigger an execution falsifies is "
    "removed; a persistent one still runs; an execution that triggers another cascades") {
  for (const bool persistent : {true, false}) {
    CAPTURE(persistent);
    ModelDescription m = base_model();
    // High (priority 2) sets x = 0, making Low's trigger (x > 1) false at the same instant;
    // High also sets S = 1, which triggers Cascade (S >= 1) at that instant.
    m.find_parameter("x")->value = 0.0;
    m.events.push_back(prioritised(
        event("Arm", at_least_time(1.0), {EventAssignmentDesc{"x", Expr::constant(5.0)}}),
        Expr::constant(10)));
    m.events.push_back(
        prioritised(event("High", relation(ExprOp::Gt, Expr::name("x"), Expr::constant(1.0)),
                          {record(1), EventAssignmentDesc{"x", Expr::constant(0.0)},
                           EventAssignmentDesc{"S", Expr::constant(1.0)}}),
                    Expr::constant(2)));
    EventDesc low = prioritised(
        event("Low", relation(ExprOp::Gt, Expr::name("x"), Expr::constant(1.0)), {record(2)}),
        Expr::constant(1));
    low.persistent = persistent;
    m.events.push_back(low);
    m.events.push_back(prioritised(
        event("Cascade", relation(ExprOp::Geq, Expr::name("S"), Expr::constant(1.0)), {record(3)}),
        Expr::constant(0)));
    const ReactionNetwork net = compile(m);
    ModelEvents events(net);
    State s = State{0.0, net.initial_counts, net.initial_parameters};
    events.start(s);
    run_until(events, s, 2.0, nullptr);
    // Low (priority 1) before Cascade (priority 0) when it survives.
    CHECK(parameter(net, s, "order") == (persistent ? 123.0 : 13.0));
  }
}

TEST_CASE(
    "event priorities: equal priorities execute in random order from the trajectory's "
    "stream, reproducibly") {
  // Two non-persistent events with the same trigger and priority, each disabling the other (the
  // SBML Test Suite's 00952 in miniature): exactly one runs, each with probability 1/2.
  ModelDescription m = base_model();
  for (int k = 1; k <= 2; ++k)
    m.events.push_back(prioritised(
        event("E" + std::to_string(k), relation(ExprOp::Lt, Expr::name("y"), Expr::constant(1.0)),
              {record(k), EventAssignmentDesc{"y", Expr::constant(1.0)}}),
        Expr::constant(1)));
  for (EventDesc& e : m.events) e.persistent = false;
  const ReactionNetwork net = compile(m);
  ModelEvents events(net);
  auto first_wins = [&](Rng* rng) {
    State s = State{0.0, net.initial_counts, net.initial_parameters};
    events.start(s, rng);  // both triggered at t = 0
    REQUIRE(events.fired() == 1);
    const double order = parameter(net, s, "order");
    REQUIRE((order == 1.0 || order == 2.0));
    return order == 1.0;
  };
  CHECK(first_wins(nullptr));  // without a generator: the order of triggering
  // Streams 0 .. n-1 of one seed: the count of first-wins is Binomial(n, 1/2) for a fair choice.
  // Bound: |count - n/2| <= z sqrt(n/4) with z = 4.9 (false alarm 1e-6 for a correct draw);
  // a choice that always took one event would be 500 off.
  constexpr int kTrajectories = 1000;
  int wins = 0;
  for (int i = 0; i < kTrajectories; ++i) {
    Rng rng = trajectory_stream(20261127, static_cast<std::uint64_t>(i));
    wins += first_wins(&rng) ? 1 : 0;
  }
  CHECK(std::fabs(wins - kTrajectories / 2.0) <= 4.9 * std::sqrt(kTrajectories / 4.0));
  // Same stream, same order.
  for (std::uint64_t i = 0; i < 20; ++i) {
    Rng a = trajectory_stream(7, i), b = trajectory_stream(7, i);
    CHECK(first_wins(&a) == first_wins(&b));
  }
}

TEST_CASE("event delays: a negative delay stops the run with a failure naming the event") {
  ModelDescription m = base_model();
  m.events.push_back(delayed(event("Bad", at_least_time(1.0), {record(1)}), -1.0));
  const ReactionNetwork net = compile(m);
  ModelEvents events(net);
  State s = State{0.0, net.initial_counts, net.initial_parameters};
  events.start(s);
  s.time = events.next_breakpoint();
  CHECK(events.at_breakpoint(s));
  REQUIRE(events.failed());
  CHECK(events.failure().kind == EventFailure::Kind::BadDelay);
  CHECK(describe(net, events.failure()) ==
        "event 'Bad' at t = 1: the delay evaluates to -1; it must be a number >= 0");
}

TEST_CASE("event delays: more pending executions than the queue holds stop the run clearly") {
  // S >= 1 toggled by "reactions" 2000 times within a delay of 1e6: a pending execution each.
  ModelDescription m = base_model();
  m.events.push_back(delayed(
      event("Busy", relation(ExprOp::Geq, Expr::name("S"), Expr::constant(1.0)), {record(1)}),
      1e6));
  const ReactionNetwork net = compile(m);
  ModelEvents events(net);
  State s = State{0.0, net.initial_counts, net.initial_parameters};
  events.start(s);
  REQUIRE(events.pending_capacity() == ModelEvents::kMinPendingCapacity);
  bool stopped = false;
  for (int i = 1; i <= 4000 && !stopped; ++i) {
    s.time = i;
    s.counts[0] = i % 2;
    stopped = events.after_reaction(s) && events.failed();
  }
  REQUIRE(stopped);
  CHECK(events.failure().kind == EventFailure::Kind::QueueFull);
  CHECK(events.pending() == ModelEvents::kMinPendingCapacity);
}

TEST_CASE(
    "ode: a delayed event on a decaying species matches the closed form, with values from "
    "the trigger time and from the execution time") {
  // A' = -k A, A(0) = 10. The trigger A <= 5 turns true at t1 = ln 2 / k; the event executes at
  // t2 = t1 + d and sets A := A + 10, with A = 5 (trigger time) or 5 exp(-k d) (execution time).
  const double k = 0.5, d = 1.0, t_end = 4.0;
  const double t1 = std::log(2.0) / k, t2 = t1 + d;
  for (const bool trigger_time_values : {true, false}) {
    CAPTURE(trigger_time_values);
    ModelBuilder b;
    b.species("A", 10.0).parameter("k", k);
    b.mass_action("decay", {{"A", 1}}, {}, "k");
    ModelDescription m = b.build();
    EventDesc e =
        delayed(event("Refill", relation(ExprOp::Leq, Expr::name("A"), Expr::constant(5.0)),
                      {EventAssignmentDesc{"A", Expr::name("A") + Expr::constant(10.0)}}),
                d);
    e.use_values_from_trigger_time = trigger_time_values;
    m.events.push_back(e);
    const ReactionNetwork net = compile(m);
    OdeSpec spec;
    spec.t_end = t_end;
    spec.samples = 40;  // output every 0.1
    const OdeSolution solution = solve_ode(net, spec);
    const double after = (trigger_time_values ? 5.0 : 5.0 * std::exp(-k * d)) + 10.0;
    auto exact = [&](double t) {
      return t < t2 ? 10.0 * std::exp(-k * t) : after * std::exp(-k * (t - t2));
    };
    CHECK(solution.statistics.events_fired == 1);
    for (const State& sample : solution.samples) {
      CAPTURE(sample.time);
      // The root finder locates t1 to about 1e-8 relative; the state follows within 1e-6.
      CHECK(sample.counts[0] == doctest::Approx(exact(sample.time)).epsilon(1e-6));
    }
  }
}

TEST_CASE("ode: a trigger reading time through cosh switches at its root; SSA refuses it") {
  // A' = 1 from A = 0, so A = t; the trigger cosh(time) > 9 (SBML Test Suite 01596) has no
  // breakpoint and turns true at acosh 9, where x := A records the time.
  ModelDescription m = base_model();
  m.reactions.push_back(ReactionDesc{
      "grow", "", {}, {SpeciesRef{"S", 1.0, ""}}, {}, Expr::constant(1.0), {}, false, {}, false});
  m.events.push_back(event(
      "E", relation(ExprOp::Gt, Expr::call(ExprOp::Cosh, {Expr::time()}), Expr::constant(9.0)),
      {EventAssignmentDesc{"x", Expr::name("S")}}));
  const ReactionNetwork net = compile(m);
  CHECK(net.events[0].time_roots);
  CHECK(net.ode_only.id == "E");
  CHECK_THROWS_AS(check_capabilities(find_method("direct", net), net), InputError);
  OdeSpec spec;
  spec.t_end = 4.0;
  spec.samples = 4;
  const OdeSolution solution = solve_ode(net, spec);
  CHECK(solution.statistics.events_fired == 1);
  CHECK(parameter(net, solution.samples.back(), "x") ==
        doctest::Approx(std::acosh(9.0)).epsilon(1e-7));
}

}  // namespace nkappa
