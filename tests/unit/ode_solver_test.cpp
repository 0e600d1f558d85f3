// The deterministic path (engine/ode/cvode_solver.hpp) against closed-form solutions.
//
// Accuracy is measured as CVODE measures it: the weighted RMS norm of the error,
//   WRMS = sqrt(mean over (output time > 0, species) of (e / (rtol |x| + atol))^2),
// with x the exact value and e the difference. CVODE keeps the local error of each step at
// WRMS <= 1; the global error is larger where errors accumulate: in decay a relative error made
// at any step is carried unchanged to the end, so the error at t is about the sum of the local
// errors of all steps before it (measured WRMS 11 - 14 for rtol 1e-4 ... 1e-8 on the decay
// below, 48 - 170 steps). The bound kWrmsBound = 30 is that allowance. It is backed by a
// tolerance-proportionality check (100 times tighter tolerances must give an error at least 20
// times smaller), and an error of the kind these tests guard against (a wrong term, a missed or
// late event, a sample shown before its event) is orders of magnitude larger.
#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "engine/error.hpp"
#include "engine/model/builder.hpp"
#include "engine/network/compile.hpp"
#include "engine/ode/cvode_solver.hpp"
#include "engine/run/output_grid.hpp"

namespace nkappa {
namespace {

constexpr double kWrmsBound = 30.0;

// Exact amounts of every species at time t.
using ExactSolution = std::function<std::vector<double>(double t)>;

double wrms_error(const OdeSolution& solution, const ExactSolution& exact) {
  double sum = 0.0;
  int points = 0;
  for (const State& sample : solution.samples) {
    if (sample.time == 0.0) continue;  // the initial state is given, not computed
    const std::vector<double> x = exact(sample.time);
    REQUIRE(x.size() == sample.counts.size());
    for (std::size_t s = 0; s < x.size(); ++s) {
      const double weight =
          solution.relative_tolerance * std::fabs(x[s]) + solution.absolute_tolerance;
      const double scaled = (sample.counts[s] - x[s]) / weight;
      sum += scaled * scaled;
      ++points;
    }
  }
  REQUIRE(points > 0);
  return std::sqrt(sum / points);
}

OdeSpec spec_for(double t_end, std::int32_t samples) {
  OdeSpec spec;
  spec.t_end = t_end;
  spec.samples = samples;
  return spec;
}

Expr relation(ExprOp op, Expr lhs, Expr rhs) {
  return Expr::call(op, {std::move(lhs), std::move(rhs)});
}

void make_variable(ModelDescription& model, const std::string& parameter) {
  ParameterDesc* p = model.find_parameter(parameter);
  REQUIRE(p != nullptr);
  p->constant = false;
}

EventDesc event(std::string id, Expr trigger, std::vector<EventAssignmentDesc> assignments) {
  EventDesc e;
  e.id = std::move(id);
  e.trigger = std::move(trigger);
  e.initial_value = false;
  e.assignments = std::move(assignments);
  return e;
}

TEST_CASE("ode: decay A -> 0 follows A0 exp(-k t) within the tolerances") {
  ModelBuilder b;
  b.species("A", 100.0).parameter("k", 0.7);
  b.mass_action("decay", {{"A", 1}}, {}, "k");
  const ReactionNetwork net = compile(b.build());
  const OdeSolution solution = solve_ode(net, spec_for(10.0, 50));
  REQUIRE(solution.samples.size() == 51);
  CHECK(solution.relative_tolerance == 1e-8);
  CHECK(solution.absolute_tolerance == doctest::Approx(1e-10));  // 1e-12 x 100
  const double wrms = wrms_error(
      solution, [](double t) { return std::vector<double>{100.0 * std::exp(-0.7 * t)}; });
  MESSAGE("decay: WRMS error " << wrms << " over " << solution.statistics.steps << " steps");
  CHECK(wrms <= kWrmsBound);
  CHECK(solution.statistics.difference_quotient_reactions == 0);

  // Tolerance proportionality: the error at t_end shrinks with the tolerances.
  auto error_at_end = [&](double rtol) {
    OdeSpec spec = spec_for(10.0, 50);
    spec.relative_tolerance = rtol;
    spec.absolute_tolerance = rtol * 1e-2;
    return std::fabs(solve_ode(net, spec).samples.back().counts[0] - 100.0 * std::exp(-7.0));
  };
  const double loose = error_at_end(1e-6);
  const double tight = error_at_end(1e-8);
  MESSAGE("decay: error at t_end " << loose << " (rtol 1e-6), " << tight << " (rtol 1e-8)");
  CHECK(tight * 20.0 <= loose);
}

TEST_CASE("ode: the default absolute tolerance follows the amounts, however small") {
  // A model in µmol per cell has amounts near 1e-13: a tolerance floored at 1e-12 would accept
  // any answer. The default is 1e-12 x the largest initial amount.
  ModelBuilder b;
  b.species("A", 1.7e-13).species("B", 0.0).parameter("k", 0.7);
  b.mass_action("decay", {{"A", 1}}, {{"B", 1}}, "k");
  const OdeSolution solution = solve_ode(compile(b.build()), spec_for(10.0, 50));
  CHECK(solution.absolute_tolerance == doctest::Approx(1.7e-25));
  const double wrms = wrms_error(solution, [](double t) {
    const double a = 1.7e-13 * std::exp(-0.7 * t);
    return std::vector<double>{a, 1.7e-13 - a};
  });
  MESSAGE("decay from 1.7e-13: WRMS error " << wrms);
  CHECK(wrms <= kWrmsBound);
  // Relative accuracy at the end, where A has fallen to 1.6e-16 (a tolerance of 1e-12 gives
  // errors of the order of A itself here).
  const double a_end = 1.7e-13 * std::exp(-7.0);
  CHECK(std::fabs(solution.samples.back().counts[0] - a_end) <= 1e-5 * a_end);
  CHECK(default_absolute_tolerance({0.0, 0.0}) == 1e-12);
}

TEST_CASE("ode: isomerisation A <-> B relaxes to k2/(k1+k2) within the tolerances") {
  const double k1 = 1.0, k2 = 0.5, total = 50.0;
  ModelBuilder b;
  b.species("A", total).species("B", 0.0).parameter("k1", k1).parameter("k2", k2);
  b.mass_action("forward", {{"A", 1}}, {{"B", 1}}, "k1");
  b.mass_action("backward", {{"B", 1}}, {{"A", 1}}, "k2");
  const OdeSolution solution = solve_ode(compile(b.build()), spec_for(8.0, 40));
  const double wrms = wrms_error(solution, [&](double t) {
    const double a = total * (k2 + k1 * std::exp(-(k1 + k2) * t)) / (k1 + k2);
    return std::vector<double>{a, total - a};
  });
  MESSAGE("isomerisation: WRMS error " << wrms);
  CHECK(wrms <= kWrmsBound);
}

TEST_CASE("ode: dimerisation with law k A (A - 1) solves dA/dt = -2 k A (A - 1) exactly") {
  // With c = (A0 - 1) / A0, (A - 1) / A = c e^{-2kt}, so A = 1 / (1 - c e^{-2kt}) and
  // B = (A0 - A) / 2. The fixed point is A = 1, not 0: the law is the stochastic one, kept.
  const double k = 0.01, a0 = 100.0;
  ModelBuilder b;
  b.species("A", a0).species("B", 0.0).parameter("k", k);
  b.mass_action("dimerise", {{"A", 2}}, {{"B", 1}}, "k");
  const ReactionNetwork net = compile(b.build());
  REQUIRE(net.propensity_terms[0].shape == MassActionShape::XX);
  const OdeSolution solution = solve_ode(net, spec_for(20.0, 40));
  const double wrms = wrms_error(solution, [&](double t) {
    const double c = (a0 - 1.0) / a0;
    const double a = 1.0 / (1.0 - c * std::exp(-2.0 * k * t));
    return std::vector<double>{a, (a0 - a) / 2.0};
  });
  MESSAGE("dimerisation: WRMS error " << wrms);
  CHECK(wrms <= kWrmsBound);
  CHECK(solution.samples.back().counts[0] > 1.0);
}

TEST_CASE("ode: a time event switching k at t = 5 gives the piecewise exponential") {
  // A -> 0 with law k A, k a variable parameter (so the law is a program and its Jacobian a
  // difference quotient); `time >= 5` sets k = 0.2 and adds 50 A.
  ModelBuilder b;
  b.species("A", 100.0).parameter("k", 1.0);
  b.reaction("decay", {{"A", 1}}, {}, Expr::name("k") * Expr::name("A"));
  ModelDescription model = b.build();
  make_variable(model, "k");
  model.events.push_back(
      event("switch", relation(ExprOp::Geq, Expr::time(), Expr::constant(5.0)),
            {{"k", Expr::constant(0.2)}, {"A", Expr::name("A") + Expr::constant(50.0)}}));
  const ReactionNetwork net = compile(model);
  REQUIRE(net.rate_kind[0] == RateKind::Program);
  const OdeSolution solution = solve_ode(net, spec_for(10.0, 20));  // samples every 0.5
  auto exact = [](double t) {
    if (t < 5.0) return std::vector<double>{100.0 * std::exp(-t)};
    return std::vector<double>{(100.0 * std::exp(-5.0) + 50.0) * std::exp(-0.2 * (t - 5.0))};
  };
  const double wrms = wrms_error(solution, exact);
  MESSAGE("time event: WRMS error " << wrms);
  CHECK(wrms <= kWrmsBound);
  CHECK(solution.statistics.events_fired == 1);
  CHECK(solution.statistics.restarts == 1);
  CHECK(solution.statistics.difference_quotient_reactions == 1);
  // The sample at the breakpoint shows the state after the event, the one before it the old k.
  const State& at_five = solution.samples[10];
  REQUIRE(at_five.time == 5.0);
  CHECK(at_five.parameters[0] == 0.2);
  CHECK(at_five.counts[0] == doctest::Approx(100.0 * std::exp(-5.0) + 50.0).epsilon(1e-7));
  CHECK(solution.samples[9].parameters[0] == 1.0);
}

TEST_CASE("ode: a state event fires where A crosses its threshold") {
  // A decays at rate 1 from 100; `A < 20` (crossed at t = ln 5) stops the decay (k = 0) and
  // sets B = 1. Afterwards A stays at 20.
  ModelBuilder b;
  b.species("A", 100.0).species("B", 0.0).parameter("k", 1.0);
  b.reaction("decay", {{"A", 1}}, {}, Expr::name("k") * Expr::name("A"));
  ModelDescription model = b.build();
  make_variable(model, "k");
  model.events.push_back(event("threshold",
                               relation(ExprOp::Lt, Expr::name("A"), Expr::constant(20.0)),
                               {{"k", Expr::constant(0.0)}, {"B", Expr::constant(1.0)}}));
  const OdeSolution solution = solve_ode(compile(model), spec_for(4.0, 40));
  const double crossing = std::log(5.0);
  const double wrms = wrms_error(solution, [&](double t) {
    if (t < crossing) return std::vector<double>{100.0 * std::exp(-t), 0.0};
    return std::vector<double>{20.0, 1.0};
  });
  MESSAGE("state event: WRMS error " << wrms << ", " << solution.statistics.root_returns
                                     << " root returns");
  CHECK(wrms <= kWrmsBound);
  CHECK(solution.statistics.root_functions == 1);
  CHECK(solution.statistics.events_fired == 1);
  CHECK(solution.samples.back().parameters[0] == 0.0);
}

TEST_CASE("ode: a strict trigger fires just after a root that lands exactly on its threshold") {
  // SBML Test Suite case 00350: S1 + S2 -> S3 (k1 S1 S2), S3 -> S1 + S2 (k2 S3), and the event
  // `S1 < 0.75` setting S1 = 1, S2 = 1.5. CVODE returns the first root (t = 0.2707) with S1 =
  // 0.75 exactly, where the strict comparison is still false; the event must still fire there,
  // not at the next output time (t = 0.3). Expected values: the case's results.csv.
  ModelBuilder b;
  b.species("S1", 1.0).species("S2", 2.0).species("S3", 1.0);
  b.parameter("k1", 0.75).parameter("k2", 0.25);
  b.mass_action("bind", {{"S1", 1}, {"S2", 1}}, {{"S3", 1}}, "k1");
  b.mass_action("release", {{"S3", 1}}, {{"S1", 1}, {"S2", 1}}, "k2");
  ModelDescription model = b.build();
  model.events.push_back(event("reset",
                               relation(ExprOp::Lt, Expr::name("S1"), Expr::constant(0.75)),
                               {{"S2", Expr::constant(1.5)}, {"S1", Expr::constant(1.0)}}));
  const OdeSolution solution = solve_ode(compile(model), spec_for(1.0, 20));
  // t = 0.3 and t = 0.75 (the second reset happens at t = 0.7795, after it).
  CHECK(solution.samples[6].counts[0] == doctest::Approx(0.9769357746130268).epsilon(1e-6));
  CHECK(solution.samples[6].counts[1] == doctest::Approx(1.476935774613026).epsilon(1e-6));
  CHECK(solution.samples[15].counts[0] == doctest::Approx(0.996702196451774).epsilon(1e-6));
  CHECK(solution.statistics.events_fired == 2);
}

TEST_CASE("ode: a trigger that reads a species outside a comparison is refused by name") {
  ModelBuilder b;
  b.species("A", 10.0).parameter("k", 1.0);
  b.mass_action("decay", {{"A", 1}}, {}, "k");
  ModelDescription model = b.build();
  model.events.push_back(
      event("exact_hit", relation(ExprOp::Eq, Expr::name("A"), Expr::constant(5.0)), {}));
  const ReactionNetwork net = compile(model);
  try {
    solve_ode(net, spec_for(1.0, 1));
    FAIL("no InputError");
  } catch (const InputError& e) {
    CHECK(e.element_id() == "exact_hit");
    CHECK(std::string(e.what()).find("'A'") != std::string::npos);
  }
}

TEST_CASE("ode: an event true at t = 0 fires before the integration starts") {
  ModelBuilder b;
  b.species("A", 10.0).parameter("k", 1.0);
  b.mass_action("decay", {{"A", 1}}, {}, "k");
  ModelDescription model = b.build();
  model.events.push_back(event("start", relation(ExprOp::Geq, Expr::time(), Expr::constant(0.0)),
                               {{"A", Expr::constant(40.0)}}));
  const OdeSolution solution = solve_ode(compile(model), spec_for(1.0, 4));
  CHECK(solution.samples.front().counts[0] == 40.0);
  CHECK(solution.samples.back().counts[0] == doctest::Approx(40.0 * std::exp(-1.0)).epsilon(1e-7));
}

TEST_CASE("ode: a law that jumps in time is integrated piece by piece") {
  // 0 -> A at rate 2 while time < 3, then nothing: A = 2 min(t, 3).
  ModelBuilder b;
  b.species("A", 0.0);
  b.reaction("production", {}, {{"A", 1}},
             Expr::call(ExprOp::Piecewise, {Expr::constant(2.0),
                                            relation(ExprOp::Lt, Expr::time(), Expr::constant(3.0)),
                                            Expr::constant(0.0)}));
  const OdeSolution solution = solve_ode(compile(b.build()), spec_for(5.0, 10));
  const double wrms =
      wrms_error(solution, [](double t) { return std::vector<double>{2.0 * std::min(t, 3.0)}; });
  MESSAGE("time-dependent law: WRMS error " << wrms);
  CHECK(wrms <= kWrmsBound);
  CHECK(solution.statistics.restarts == 1);
}

TEST_CASE("ode: output times follow OutputGrid and start from t = 0 whatever t_start") {
  ModelBuilder b;
  b.species("A", 100.0).parameter("k", 0.5);
  b.mass_action("decay", {{"A", 1}}, {}, "k");
  OdeSpec spec = spec_for(7.0, 7);
  spec.t_start = 3.5;
  const OdeSolution solution = solve_ode(compile(b.build()), spec);
  const std::vector<double> grid = OutputGrid(3.5, 7.0, 7).times();
  REQUIRE(solution.samples.size() == grid.size());
  for (std::size_t k = 0; k < grid.size(); ++k) {
    CHECK(solution.samples[k].time == grid[k]);
    CHECK(solution.samples[k].counts[0] ==
          doctest::Approx(100.0 * std::exp(-0.5 * grid[k])).epsilon(1e-7));
  }
}

TEST_CASE("ode: initialize_state edits the initial state and the default atol follows it") {
  ModelBuilder b;
  b.species("A", 100.0).parameter("k", 0.5);
  b.mass_action("decay", {{"A", 1}}, {}, "k");
  OdeSpec spec = spec_for(2.0, 4);
  spec.initialize_state = [](State& s) { s.counts[0] = 5000.0; };
  const OdeSolution solution = solve_ode(compile(b.build()), spec);
  CHECK(solution.absolute_tolerance == doctest::Approx(5e-9));
  CHECK(solution.samples.front().counts[0] == 5000.0);
  CHECK(solution.samples.back().counts[0] ==
        doctest::Approx(5000.0 * std::exp(-1.0)).epsilon(1e-7));
}

TEST_CASE("ode: a law that becomes NaN fails with the time, the species and the reaction") {
  // A decays from 100 at rate 1 and passes 50 at t = ln 2; B is produced at sqrt(A - 50),
  // which is NaN from then on.
  ModelBuilder b;
  b.species("A", 100.0).species("B", 0.0).parameter("k", 1.0);
  b.mass_action("decay", {{"A", 1}}, {}, "k");
  b.reaction("feed", {}, {{"B", 1}},
             Expr::call(ExprOp::Sqrt, {Expr::name("A") - Expr::constant(50.0)}));
  const ReactionNetwork net = compile(b.build());
  std::string message;
  try {
    solve_ode(net, spec_for(2.0, 4));
  } catch (const RuntimeError& e) {
    message = e.what();
  }
  MESSAGE(message);
  REQUIRE(!message.empty());
  CHECK(message.find("species 'B'") != std::string::npos);
  CHECK(message.find("reaction 'feed'") != std::string::npos);
  CHECK(message.find("t = 0.69") != std::string::npos);  // ln 2 = 0.6931...
  CHECK(message.find("CV_") != std::string::npos);       // CVODE's flag name
}

TEST_CASE("ode: a run that needs more steps than max_steps fails and says so") {
  ModelBuilder b;
  b.species("A", 100.0).parameter("k", 1.0);
  b.mass_action("decay", {{"A", 1}}, {}, "k");
  OdeSpec spec = spec_for(100.0, 1);
  spec.max_steps = 5;
  try {
    solve_ode(compile(b.build()), spec);
    FAIL("no RuntimeError");
  } catch (const RuntimeError& e) {
    CHECK(std::string(e.what()).find("limit of 5 internal steps") != std::string::npos);
  }
}

TEST_CASE("ode: bad tolerances are input errors") {
  ModelBuilder b;
  b.species("A", 1.0).parameter("k", 1.0);
  b.mass_action("decay", {{"A", 1}}, {}, "k");
  const ReactionNetwork net = compile(b.build());
  OdeSpec spec = spec_for(1.0, 1);
  spec.relative_tolerance = 0.0;
  CHECK_THROWS_AS(solve_ode(net, spec), InputError);
  spec.relative_tolerance = 1e-6;
  spec.absolute_tolerance = std::nan("");
  CHECK_THROWS_AS(solve_ode(net, spec), InputError);
}

}  // namespace
}  // namespace nkappa
