// delay(x, d) in math on the deterministic path (engine/ode/cvode_solver.hpp) against the exact
// method-of-steps solution of dx/dt = -k x(t - d) with x = x0 before t = 0:
//   x(t) = x0 * sum over j >= 0 with t >= (j - 1) d of (-k)^j (t - (j - 1) d)^j / j!
// (on [0, d] x0 (1 - k t); on [d, 2d] x0 (1 - k t + k^2 (t - d)^2 / 2); and so on).
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "engine/error.hpp"
#include "engine/model/builder.hpp"
#include "engine/network/compile.hpp"
#include "engine/ode/cvode_solver.hpp"
#include "engine/run/method.hpp"

namespace nkappa {
namespace {

double method_of_steps(double x0, double k, double d, double t) {
  double sum = 0.0;
  double factorial = 1.0;
  for (int j = 0; t >= (j - 1) * d; ++j) {
    if (j > 0) factorial *= j;
    sum += std::pow(-k, j) * std::pow(t - (j - 1) * d, j) / factorial;
  }
  return x0 * sum;
}

ModelDescription delayed_decay(double x0, double k, double d) {
  ModelBuilder b;
  b.species("A", x0).parameter("k", k).parameter("d", d);
  b.reaction("decay", {{"A", 1}}, {},
             Expr::name("k") * Expr::call(ExprOp::Delay, {Expr::name("A"), Expr::name("d")}));
  return b.build();
}

TEST_CASE("ode delay: dx/dt = -k x(t - d) follows the method-of-steps solution on [0, 4d]") {
  const double x0 = 100.0, k = 0.8, d = 1.5;
  const ReactionNetwork net = compile(delayed_decay(x0, k, d));
  REQUIRE(net.delayed.size() == 1);
  CHECK(net.delayed[0].constant_delay == d);
  OdeSpec spec;
  spec.t_end = 4 * d;
  spec.samples = 48;
  const OdeSolution solution = solve_ode(net, spec);
  double worst = 0.0;
  for (const State& sample : solution.samples) {
    const double exact = method_of_steps(x0, k, d, sample.time);
    worst = std::max(worst, std::fabs(sample.counts[0] - exact));
  }
  MESSAGE("delayed decay: largest error " << worst << " over " << solution.statistics.steps
                                          << " steps");
  // The solution goes through zero and turns (x0 = 100): 1e-4 is 1e-6 of the scale, far
  // below the error of any mistake in the history (a history of x(t) instead of x(t - d) is
  // off by tens, a linear instead of a cubic interpolation by about 1e-2 at this step size).
  CHECK(worst <= 1e-4);
  CHECK(solution.samples[12].counts[0] == doctest::Approx(x0 * (1 - k * 1.5)).epsilon(1e-8));
}

TEST_CASE("ode delay: a zero delay is the present value") {
  const double x0 = 10.0, k = 0.5;
  const ReactionNetwork net = compile(delayed_decay(x0, k, 0.0));
  OdeSpec spec;
  spec.t_end = 2.0;
  spec.samples = 4;
  const OdeSolution solution = solve_ode(net, spec);
  CHECK(solution.samples.back().counts[0] ==
        doctest::Approx(x0 * std::exp(-k * 2.0)).epsilon(1e-5));
}

TEST_CASE("ode delay: stochastic methods refuse delay() naming the reaction and the method") {
  const ReactionNetwork net = compile(delayed_decay(10.0, 0.5, 1.0));
  CHECK(net.ode_only.element == "reaction");
  CHECK(net.ode_only.id == "decay");
  CHECK(net.ode_only.problem == "delay() in math");
  try {
    check_capabilities(find_method("direct", net), net);
    FAIL("the direct method accepted delay()");
  } catch (const InputError& e) {
    const std::string message = e.what();
    CHECK(message.find("decay") != std::string::npos);
    CHECK(message.find("delay() in math is not supported by method 'direct'") != std::string::npos);
  }
}

}  // namespace
}  // namespace nkappa

namespace nkappa {
namespace {

// dA/dt = -ceiling(A) from A = 2.5: rate 3 until A = 2 (t = 1/6), 2 until A = 1 (t = 2/3), then
// 1. The integrator restarts where A crosses an integer (a root of sin(pi A)); stepping over the
// jumps instead smears them (SBML Test Suite case 00028 failed by up to 23 times its tolerance).
TEST_CASE(
    "ode: a rate law with ceiling() of a species jumps where the argument crosses an integer") {
  ModelBuilder b;
  b.species("A", 2.5);
  b.reaction("R", {{"A", 1}}, {}, Expr::call(ExprOp::Ceil, {Expr::name("A")}));
  const ReactionNetwork net = compile(b.build());
  OdeSpec spec;
  spec.t_end = 1.5;
  spec.samples = 30;
  const OdeSolution solution = solve_ode(net, spec);
  auto exact = [](double t) {
    if (t <= 1.0 / 6.0) return 2.5 - 3.0 * t;
    if (t <= 2.0 / 3.0) return 2.0 - 2.0 * (t - 1.0 / 6.0);
    return 1.0 - (t - 2.0 / 3.0);
  };
  double worst = 0.0;
  for (const State& s : solution.samples)
    worst = std::max(worst, std::fabs(s.counts[0] - exact(s.time)));
  MESSAGE("ceiling law: largest error " << worst << ", " << solution.statistics.root_returns
                                        << " root returns");
  CHECK(solution.statistics.root_functions == 1);
  CHECK(worst <= 1e-7);
}

TEST_CASE("ode delay: before t0 a variable has its initial assignment in time as history") {
  // A = 2 + time by initial assignment and nothing changes it after t0, so A(t - 1) is 1 + t on
  // [0, 1] and 2 after (SBML Test Suite 00938): B' = A(t - 1) gives B = t + t^2 / 2 on [0, 1],
  // then 1.5 + 2 (t - 1). E decays at rate E (E0 = 10); rateOf(E) is 0 before t0, so D' =
  // -rateOf(E)(t - 1/2) gives D = 0 on [0, 1/2], then 10 (1 - e^-(t - 1/2)) (01400).
  ModelBuilder b;
  b.species("A", 0.0).species("B", 0.0).species("E", 10.0).species("D", 0.0);
  b.reaction("grow", {}, {{"B", 1}},
             Expr::call(ExprOp::Delay, {Expr::name("A"), Expr::constant(1.0)}));
  b.reaction("decay", {{"E", 1}}, {}, Expr::name("E"));
  b.reaction(
      "echo", {}, {{"D", 1}},
      Expr::constant(-1.0) * Expr::call(ExprOp::Delay, {Expr::rate_of("E"), Expr::constant(0.5)}));
  ModelDescription m = b.build();
  m.initial_assignments.push_back(RuleDesc{"A", Expr::constant(2.0) + Expr::time(), {}});
  const ReactionNetwork net = compile(m);
  OdeSpec spec;
  spec.t_end = 2.0;
  spec.samples = 4;
  const OdeSolution solution = solve_ode(net, spec);
  const std::int32_t B = net.species_index("B"), D = net.species_index("D");
  auto at = [&](int i, std::int32_t s) { return solution.samples[i].counts[s]; };
  CHECK(at(1, B) == doctest::Approx(0.625).epsilon(1e-6));
  CHECK(at(2, B) == doctest::Approx(1.5).epsilon(1e-6));
  CHECK(at(4, B) == doctest::Approx(3.5).epsilon(1e-6));
  CHECK(std::fabs(at(1, D)) <= 1e-9);
  CHECK(at(3, D) == doctest::Approx(10.0 * (1.0 - std::exp(-1.0))).epsilon(1e-6));
  CHECK(at(4, D) == doctest::Approx(10.0 * (1.0 - std::exp(-1.5))).epsilon(1e-6));
}

}  // namespace
}  // namespace nkappa
