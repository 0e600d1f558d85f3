// The direct method on laws that read `time` (engine/ssa/direct.cpp, integration of the
// propensity), against models whose law is known exactly at every output time:
//
//   timed birth   0 -> A with rate k t, A(0) = 0: A(t) ~ Poisson(k t^2 / 2)
//                 (an inhomogeneous Poisson process with integrated intensity k t^2 / 2)
//   timed decay   A -> 0 with rate k (1 + sin(w t)) A, A(0) = 100: each molecule survives to t
//                 independently with probability p(t) = exp(-k (t + (1 - cos(w t)) / w)), so
//                 A(t) ~ Binomial(100, p(t))
//
//   timed birth + event   the timed birth, and a model event at t = 1.25 (between output
//                 times) that adds 10 molecules: A(t) ~ 10 [t >= 1.25] + Poisson(k t^2 / 2)
//                 (the birth law does not read A); it takes the event loop's breakpoint path
//                 (an integration stopped at a breakpoint that is not an output time).
//
// w = 3 is chosen so that the output times (0, 0.5, ..., 2) do not fall on a period.
//
// The statistic, as in exactness.cpp: at every output time with sigma > 0,
//   Z_mean     = (sample mean - mean) / (sigma / sqrt(n))
//   Z_variance = (sample variance - sigma^2) / SE,  SE^2 = (mu4 - sigma^4 (n - 3) / (n - 1)) / n
// (mu4: Poisson m (1 + 3 m), Binomial N p q (1 + 3 (N - 2) p q)); sigma = 0 (t = 0) must match
// exactly.
//
// False-alarm budget: the probability that a correct simulator fails any of the M = 24 points of
// the three accuracy cases (2 statistics x 4 times x 3 models) at the fixed seed is at most
// alpha = 1e-3: each |Z| is held to z_limit = Phi^{-1}(1 - alpha / (2 M)) = 4.10 (Bonferroni,
// valid whatever the correlation between the times of the same trajectories). n = 10,000.
//
// Power: the same runs with k 5 % too large must fail (largest |Z| > z_limit). The expected
// |Z_mean| of that error is 0.05 sqrt(n m) = 32 for the birth at t = 2 (m = 40) and
// sqrt(n) 100 p (1 - e^{-0.05 k c}) / sqrt(100 p q) = 39 for the decay at t = 1
// (c = 1 + (1 - cos 3) / 3, p = e^{-k c}), far above z_limit + 3.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/model/builder.hpp"
#include "engine/network/compile.hpp"
#include "engine/run/method.hpp"
#include "tests/support/test_support.hpp"

namespace nkappa {
namespace {

constexpr double kFalseAlarmBudget = 1e-3;
constexpr double kPoints = 24.0;
constexpr std::int64_t kTrajectories = 10000;
constexpr double kEnd = 2.0;
constexpr std::int32_t kIntervals = 4;
constexpr double kOmega = 3.0;
constexpr double kEventTime = 1.25;

struct Exact {
  double mean = 0.0;
  double variance = 0.0;
  double mu4 = 0.0;  // fourth central moment
};

Exact poisson(double m) {
  return {m, m, m * (1.0 + 3.0 * m)};
}

Exact binomial(double n, double p) {
  const double pq = p * (1.0 - p);
  return {n * p, n * pq, n * pq * (1.0 + 3.0 * (n - 2.0) * pq)};
}

ReactionNetwork timed_birth(double k) {
  ModelBuilder b;
  b.species("A", 0).parameter("k", k);
  b.reaction("birth", {}, {{"A", 1}}, Expr::name("k") * Expr::time());
  return compile(b.build());
}

ReactionNetwork timed_birth_with_event(double k) {
  ModelBuilder b;
  b.species("A", 0).parameter("k", k);
  b.reaction("birth", {}, {{"A", 1}}, Expr::name("k") * Expr::time());
  ModelDescription model = b.build();
  EventDesc e;
  e.id = "add";
  e.trigger = Expr::call(ExprOp::Geq, {Expr::time(), Expr::constant(kEventTime)});
  e.initial_value = false;
  e.persistent = true;
  e.assignments.push_back(EventAssignmentDesc{"A", Expr::name("A") + Expr::constant(10.0)});
  model.events.push_back(e);
  return compile(model);
}

ReactionNetwork timed_decay(double k) {
  ModelBuilder b;
  b.species("A", 100).parameter("k", k).parameter("w", kOmega);
  const Expr wave = Expr::call(ExprOp::Sin, {Expr::name("w") * Expr::time()});
  b.reaction("decay", {{"A", 1}}, {},
             Expr::name("k") * (Expr::constant(1.0) + wave) * Expr::name("A"));
  return compile(b.build());
}

double birth_k() {
  return 20.0;
}
double decay_k() {
  return 1.0;
}

Exact birth_law(double t) {
  return poisson(birth_k() * t * t / 2.0);
}
Exact birth_event_law(double t) {
  Exact e = birth_law(t);
  if (t >= kEventTime) e.mean += 10.0;
  return e;
}
Exact decay_law(double t) {
  return binomial(100.0, std::exp(-decay_k() * (t + (1.0 - std::cos(kOmega * t)) / kOmega)));
}

// The largest |Z| over the output times (sigma = 0 points must match exactly).
double largest_z(const ReactionNetwork& net, Exact (*law)(double), std::uint64_t seed) {
  RunSpec spec;
  spec.t_end = kEnd;
  spec.samples = kIntervals;
  spec.trajectories = kTrajectories;
  spec.seed = seed;
  spec.threads = 2;
  const auto run = test::run_moments(net, "auto", spec);
  const auto n = static_cast<double>(kTrajectories);
  double worst = 0.0;
  for (std::int32_t i = 0; i < static_cast<std::int32_t>(run.times.size()); ++i) {
    const Exact e = law(run.times[i]);
    const double mean = run.moments.mean(i, 0);
    const double variance = run.moments.variance(i, 0);
    if (e.variance == 0.0) {
      CHECK(mean == e.mean);
      CHECK(variance == 0.0);
      continue;
    }
    const double z_mean = (mean - e.mean) / std::sqrt(e.variance / n);
    const double se_var = std::sqrt((e.mu4 - e.variance * e.variance * (n - 3.0) / (n - 1.0)) / n);
    const double z_var = (variance - e.variance) / se_var;
    MESSAGE("t = " << run.times[i] << ": mean " << mean << " (exact " << e.mean << ", Z " << z_mean
                   << "), variance " << variance << " (exact " << e.variance << ", Z " << z_var
                   << ")");
    worst = std::max({worst, std::abs(z_mean), std::abs(z_var)});
  }
  return worst;
}

TEST_CASE("time-dependent rates: the direct method integrates the propensity exactly") {
  const double limit = test::bonferroni_two_sided_z(kFalseAlarmBudget, kPoints);
  // auto must choose the direct method for laws that read time.
  CHECK(find_method("auto", timed_birth(birth_k())).name == "direct");
  SUBCASE("birth with rate k t: Poisson(k t^2 / 2)") {
    const double z = largest_z(timed_birth(birth_k()), birth_law, 101);
    CHECK_MESSAGE(z <= limit, "largest |Z| " << z << " > z_limit " << limit);
    const double z_wrong = largest_z(timed_birth(1.05 * birth_k()), birth_law, 101);
    CHECK_MESSAGE(z_wrong > limit, "k 5 % too large passed: largest |Z| " << z_wrong);
  }
  SUBCASE("birth with rate k t and a model event between output times") {
    const double z = largest_z(timed_birth_with_event(birth_k()), birth_event_law, 303);
    CHECK_MESSAGE(z <= limit, "largest |Z| " << z << " > z_limit " << limit);
  }
  SUBCASE("decay with rate k (1 + sin w t) A: Binomial(100, p(t))") {
    const double z = largest_z(timed_decay(decay_k()), decay_law, 202);
    CHECK_MESSAGE(z <= limit, "largest |Z| " << z << " > z_limit " << limit);
    const double z_wrong = largest_z(timed_decay(1.05 * decay_k()), decay_law, 202);
    CHECK_MESSAGE(z_wrong > limit, "k 5 % too large passed: largest |Z| " << z_wrong);
  }
}

TEST_CASE("time-dependent rates: only methods that say so accept laws that read time") {
  const ReactionNetwork net = timed_birth(birth_k());
  int accepting = 0;
  for (const MethodInfo& method : all_methods()) {
    CAPTURE(method.name);
    std::string message;
    try {
      check_capabilities(method, net);
    } catch (const std::exception& e) {
      message = e.what();
    }
    if (method.capabilities.time_dependent_rates) {
      ++accepting;
      CHECK(message.empty());
      CHECK(describe_capabilities(method).find(", time-dependent rates") != std::string::npos);
    } else {
      CHECK(message.find("reads time") != std::string::npos);
    }
  }
  CHECK(find_method("direct", net).capabilities.time_dependent_rates);
  CHECK(accepting >= 1);
}

}  // namespace
}  // namespace nkappa
