// For first-order networks the SSA mean equals the mean-field ODE solution exactly: with
// propensities linear in the counts, the means obey the same linear ODE (the chemical master
// equation's first moments close). So the direct method's ensemble mean (through the registry)
// must match the CVODE solution (engine/ode/cvode_solver.hpp) within its standard error.
//
//   decay          A -> 0 (k A), A(0) = 100
//   isomerisation  A -> B (k1 A), B -> A (k2 B), A(0) = 50
//   birth-death    0 -> A (lambda), A -> 0 (mu A), A(0) = 0
//   chain          0 -> A (lambda), A -> B (k1 A), B -> C (k2 B), C -> 0 (k3 C), A(0) = 20
//
// The statistic. At every (output time, species) point the test computes, over n trajectories,
//   Z = (sample mean - ODE value) / (s / sqrt(n)),  s = the sample standard deviation.
// The ODE error (rtol 1e-8) is below 1e-6 of the standard error and is ignored. Points where
// every trajectory has the same value (t = 0; s = 0) must match to 1e-9 instead.
//
// False-alarm budget. The probability that a correct simulator and ODE solver fail any point of
// this file at the fixed seed is at most alpha = 1e-3. The file tests M points (every output time
// after 0 and every species of every model; M = 10 x (1 + 2 + 1 + 3) = 70, counted by the code),
// each against the two-sided limit z_limit = Phi^{-1}(1 - alpha / (2 M)) = 4.34 (Bonferroni:
// valid whatever the correlation between points). With n = 4000 the studentised mean is normal
// to within the slack Bonferroni leaves: its t-distribution with n - 1 degrees of freedom raises
// the tail at 4.34 by about 2 %, and the skewness of a sample mean (about 1/sqrt(m n) = 0.009 for
// a near-Poisson count of mean m = 3.0, C of the chain at t = 1, the smallest mean tested) moves
// a two-sided rate only at second order.
//
// Power. The ODE solved with one rate constant 5 % too large must be told apart from the same
// ensemble: its largest |Z| must exceed z_limit, for every rate constant of every model. Before
// checking, the test computes the expected largest |Z| of that error, sqrt(n) |ODE' - ODE| / s,
// and requires it to be at least z_limit + 3, so that a miss has probability below Phi(-3).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "engine/model/builder.hpp"
#include "engine/network/compile.hpp"
#include "engine/ode/cvode_solver.hpp"
#include "engine/run/method.hpp"
#include "tests/support/test_support.hpp"

namespace nkappa {
namespace {

constexpr double kFalseAlarmBudget = 1e-3;  // over every point of this file
constexpr std::int64_t kTrajectories = 4000;
constexpr std::uint64_t kSeed = 20240917;
constexpr int kThreads = 2;
constexpr std::int32_t kIntervals = 10;
constexpr double kRateError = 1.05;   // power check: one rate constant 5 % too large
constexpr double kPowerMargin = 3.0;  // expected max |Z| of that error >= z_limit + this
constexpr const char* kMethod = "direct";

using Parameters = std::map<std::string, double>;

struct FirstOrderModel {
  std::string name;
  Parameters parameters;
  double t_end = 1.0;
  std::int32_t species = 1;
  ModelDescription (*build)(const Parameters&) = nullptr;
};

ModelDescription build_decay(const Parameters& p) {
  ModelBuilder b;
  b.species("A", 100.0).parameter("k", p.at("k"));
  b.mass_action("decay", {{"A", 1}}, {}, "k");
  return b.build();
}

ModelDescription build_isomerisation(const Parameters& p) {
  ModelBuilder b;
  b.species("A", 50.0).species("B", 0.0).parameter("k1", p.at("k1")).parameter("k2", p.at("k2"));
  b.mass_action("forward", {{"A", 1}}, {{"B", 1}}, "k1");
  b.mass_action("backward", {{"B", 1}}, {{"A", 1}}, "k2");
  return b.build();
}

ModelDescription build_birth_death(const Parameters& p) {
  ModelBuilder b;
  b.species("A", 0.0).parameter("lambda", p.at("lambda")).parameter("mu", p.at("mu"));
  b.mass_action("birth", {}, {{"A", 1}}, "lambda");
  b.mass_action("death", {{"A", 1}}, {}, "mu");
  return b.build();
}

ModelDescription build_chain(const Parameters& p) {
  ModelBuilder b;
  b.species("A", 20.0).species("B", 0.0).species("C", 0.0);
  for (const auto& [id, value] : p) b.parameter(id, value);
  b.mass_action("inflow", {}, {{"A", 1}}, "lambda");
  b.mass_action("a_to_b", {{"A", 1}}, {{"B", 1}}, "k1");
  b.mass_action("b_to_c", {{"B", 1}}, {{"C", 1}}, "k2");
  b.mass_action("outflow", {{"C", 1}}, {}, "k3");
  return b.build();
}

const std::vector<FirstOrderModel>& models() {
  static const std::vector<FirstOrderModel> list = {
      {"decay", {{"k", 1.0}}, 3.0, 1, build_decay},
      {"isomerisation", {{"k1", 1.0}, {"k2", 0.5}}, 3.0, 2, build_isomerisation},
      {"birth-death", {{"lambda", 10.0}, {"mu", 0.5}}, 6.0, 1, build_birth_death},
      {"chain", {{"lambda", 4.0}, {"k1", 1.0}, {"k2", 0.5}, {"k3", 0.25}}, 10.0, 3, build_chain},
  };
  return list;
}

const FirstOrderModel& model_named(const std::string& name) {
  return test::named(models(), name);
}

std::int64_t points_in_file() {
  std::int64_t points = 0;
  for (const FirstOrderModel& m : models()) points += kIntervals * m.species;
  return points;
}

double z_limit() {
  static const double limit =
      test::bonferroni_two_sided_z(kFalseAlarmBudget, static_cast<double>(points_in_file()));
  return limit;
}

struct Ensemble {
  std::vector<double> times;
  std::vector<std::vector<double>> mean;  // [time][species]
  std::vector<std::vector<double>> sd;
};

Ensemble simulate(const FirstOrderModel& model) {
  const ReactionNetwork net = compile(model.build(model.parameters));
  RunSpec spec;
  spec.t_end = model.t_end;
  spec.samples = kIntervals;
  spec.trajectories = kTrajectories;
  spec.seed = kSeed;
  spec.threads = kThreads;
  const test::EnsembleMoments run = test::run_moments(net, kMethod, spec);
  const auto& status = run.result.status_counts;
  REQUIRE(status[static_cast<std::size_t>(TrajectoryStatus::EventLimit)] == 0);
  REQUIRE(status[static_cast<std::size_t>(TrajectoryStatus::InvalidPropensity)] == 0);
  Ensemble out{run.times, {}, {}};
  for (std::size_t t = 0; t < run.times.size(); ++t) {
    const auto ti = static_cast<std::int32_t>(t);
    REQUIRE(run.moments.count(ti) == kTrajectories);
    out.mean.emplace_back();
    out.sd.emplace_back();
    for (std::int32_t s = 0; s < model.species; ++s) {
      out.mean.back().push_back(run.moments.mean(ti, s));
      out.sd.back().push_back(std::sqrt(run.moments.variance(ti, s)));
    }
  }
  return out;
}

std::vector<std::vector<double>> solve(const FirstOrderModel& model, const Parameters& p) {
  OdeSpec spec;
  spec.t_end = model.t_end;
  spec.samples = kIntervals;
  const OdeSolution solution = solve_ode(compile(model.build(p)), spec);
  std::vector<std::vector<double>> out;
  for (const State& s : solution.samples) out.push_back(s.counts);
  return out;
}

struct PointZ {
  double time = 0.0;
  std::int32_t species = 0;
  double mean = 0.0;
  double ode = 0.0;
  double z = 0.0;
};

std::string describe(const PointZ& p) {
  std::ostringstream s;
  s << "species " << p.species << " at t = " << p.time << ": SSA mean " << p.mean << ", ODE "
    << p.ode << ", Z = " << p.z;
  return s.str();
}

// Z at every point with spread; deterministic points that differ go to `off`.
std::vector<PointZ> compare(const Ensemble& ssa, const std::vector<std::vector<double>>& ode,
                            std::vector<PointZ>* off) {
  REQUIRE(ode.size() == ssa.times.size());
  std::vector<PointZ> points;
  const double root_n = std::sqrt(static_cast<double>(kTrajectories));
  for (std::size_t t = 0; t < ssa.times.size(); ++t) {
    for (std::size_t s = 0; s < ssa.mean[t].size(); ++s) {
      const PointZ p{ssa.times[t], static_cast<std::int32_t>(s), ssa.mean[t][s], ode[t][s], 0.0};
      if (ssa.sd[t][s] == 0.0) {
        if (std::fabs(p.mean - p.ode) > 1e-9 && off != nullptr) off->push_back(p);
        continue;
      }
      points.push_back(p);
      points.back().z = (p.mean - p.ode) / (ssa.sd[t][s] / root_n);
    }
  }
  return points;
}

const PointZ* worst(const std::vector<PointZ>& points) {
  const PointZ* w = nullptr;
  for (const PointZ& p : points)
    if (w == nullptr || std::fabs(p.z) > std::fabs(w->z)) w = &p;
  return w;
}

void check_model(const std::string& name) {
  const FirstOrderModel& model = model_named(name);
  const double limit = z_limit();
  const Ensemble ssa = simulate(model);
  std::vector<PointZ> off;
  const std::vector<PointZ> points = compare(ssa, solve(model, model.parameters), &off);
  for (const PointZ& p : off) FAIL_CHECK("deterministic point differs: " << describe(p));
  CHECK(points.size() == static_cast<std::size_t>(kIntervals * model.species));
  for (const PointZ& p : points)
    CHECK_MESSAGE(std::fabs(p.z) <= limit, describe(p) << " exceeds z_limit " << limit);
  const PointZ* w = worst(points);
  MESSAGE(name << ": " << points.size() << " points, max |Z| = " << (w ? std::fabs(w->z) : 0.0)
               << " (" << (w ? describe(*w) : "") << "); z_limit = " << limit
               << " (alpha = " << kFalseAlarmBudget << " over " << points_in_file()
               << " points), n = " << kTrajectories << ", seed = " << kSeed);

  // Power: each rate constant 5 % too large in the ODE, against the same ensemble.
  for (const auto& [parameter, value] : model.parameters) {
    Parameters wrong = model.parameters;
    wrong[parameter] = value * kRateError;
    const std::vector<std::vector<double>> shifted = solve(model, wrong);
    const std::vector<std::vector<double>> right = solve(model, model.parameters);
    double expected = 0.0;
    const double root_n = std::sqrt(static_cast<double>(kTrajectories));
    for (std::size_t t = 0; t < ssa.times.size(); ++t)
      for (std::size_t s = 0; s < ssa.sd[t].size(); ++s)
        if (ssa.sd[t][s] > 0.0)
          expected =
              std::max(expected, root_n * std::fabs(shifted[t][s] - right[t][s]) / ssa.sd[t][s]);
    CAPTURE(parameter);
    REQUIRE_MESSAGE(expected >= limit + kPowerMargin, "n too small to detect a 5 % error in "
                                                          << parameter << ": expected max |Z| "
                                                          << expected);
    const std::vector<PointZ> against = compare(ssa, shifted, nullptr);
    const PointZ* wa = worst(against);
    REQUIRE(wa != nullptr);
    CHECK_MESSAGE(std::fabs(wa->z) > limit, "a 5 % error in " << parameter << " went unnoticed");
    MESSAGE(name << " with " << parameter << " x 1.05 in the ODE: max |Z| = " << std::fabs(wa->z)
                 << " (expected about " << expected << ")");
  }
}

TEST_CASE("ssa vs ode: decay: the mean of the direct method is the ODE solution") {
  check_model("decay");
}
TEST_CASE("ssa vs ode: isomerisation: the mean of the direct method is the ODE solution") {
  check_model("isomerisation");
}
TEST_CASE("ssa vs ode: birth-death: the mean of the direct method is the ODE solution") {
  check_model("birth-death");
}
TEST_CASE("ssa vs ode: linear chain: the mean of the direct method is the ODE solution") {
  check_model("chain");
}

}  // namespace
}  // namespace nkappa
