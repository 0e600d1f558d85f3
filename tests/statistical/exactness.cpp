// Exactness of every exact method in the registry (all_methods() with exact == true; a method
// added later is tested here without editing this file) on models whose law is known exactly at
// every output time. Propensities are on molecule counts, as ModelBuilder::mass_action writes
// them: k times the falling factorial of each reactant count (A + A: k A (A - 1), no 1/2).
//
//   decay          A -> 0 (k A), A(0) = 100:               A(t) ~ Binomial(100, e^{-kt})
//   birth-death    0 -> A (lambda), A -> 0 (mu A), A(0) = 0:
//                  A(t) ~ Poisson((lambda / mu) (1 - e^{-mu t}))
//   isomerisation  A -> B (k1 A), B -> A (k2 B), A(0) = 50, B(0) = 0:
//                  A(t) ~ Binomial(50, p(t)), p(t) = (k2 + k1 e^{-(k1 + k2) t}) / (k1 + k2),
//                  B = 50 - A
//   decay + events A -> 0 (k A), A(0) = 100; a model event at t = 1 adds 100 molecules
//                  (A := A + 100), and a second event whose trigger (t >= 0.5 and A < 0) is
//                  never true puts a breakpoint at 0.5 where nothing changes:
//                  A(t) ~ Binomial(100, e^{-kt}) + [t >= 1] Binomial(100, e^{-k(t-1)}),
//                  the two independent. It exercises both paths of the event loop at a
//                  breakpoint: a proposal dropped and redrawn (0.5) and a reset after a model
//                  event changed the state (1), which matter to methods that store firing times.
//   dimerisation   A + A -> B (k1 A (A - 1)), B -> A + A (k2 B), A(0) = 40, B(0) = 0:
//                  21 states (B = 0..20, A = 40 - 2B); the law at each output time is the
//                  chemical master equation solved exactly by uniformisation (error < 1e-13,
//                  checked below against the binomial law of A <-> B).
//
// The statistic. Each model has 10 output intervals. At every (output time, species) point whose
// exact standard deviation sigma is > 0 the test computes, over n trajectories,
//   Z_mean     = (sample mean - mean) / (sigma / sqrt(n))
//   Z_variance = (sample variance - sigma^2) / SE,  SE^2 = (mu4 - sigma^4 (n - 3) / (n - 1)) / n
// (the exact variance of the unbiased sample variance; mu4 = exact fourth central moment:
// Binomial N p q (1 + 3 (N - 2) p q), Poisson m (1 + 3 m), the CME case from its distribution).
// Points with sigma = 0 (t = 0) must match exactly instead.
//
// False-alarm budget. For one method, the probability that a correct simulator fails any point of
// this file at the fixed seed is at most alpha = 1e-3. The file tests M points per method (both
// statistics at every point above; M = 2 x 70 = 140 today, counted by the code from the models),
// each against the two-sided limit z_limit = Phi^{-1}(1 - alpha / (2 M)) = 4.49 for M = 140
// (Bonferroni: valid whatever the correlation between points, e.g. A and B = N - A or successive
// times of the same trajectories). Each exact method has its own budget: with K exact methods the
// file's false-alarm probability is at most K alpha. The Z are normal approximations; with
// n = 20,000 trajectories the skewness of each sample mean or variance is at most 0.03 (the
// variance of birth-death at t = 0.5). To first order (Edgeworth) skewness raises one tail and
// lowers the other by the same amount, so the two-sided rate at z = 4.46 moves only at second
// order, by about 10 %, which the Bonferroni slack covers.
//
// Power. The same test at the same seed and n, simulating with one rate constant 5 % too large
// (k * 1.05) but comparing with the exact answer for k, must fail: the largest |Z| must exceed
// z_limit. This is checked for every rate constant of every model. Before simulating, the test
// computes the expected |Z_mean| of the 5 % error at every point from the exact solution of the
// perturbed model (sqrt(n) |mean' - mean| / sigma) and requires its maximum to be at least
// z_limit + 3, so that a miss has probability below Phi(-3) = 1.3e-3 even with no help from the
// other points. With n = 20,000 the expected maxima are 12.7 (dimerisation, k2) to 55 (decay),
// printed, against z_limit + 3 = 7.5.
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
#include "engine/run/method.hpp"
#include "engine/run/output_grid.hpp"
#include "tests/support/test_support.hpp"

namespace nkappa {
namespace {

constexpr double kFalseAlarmBudget = 1e-3;  // per method, over every point of this file
constexpr std::int64_t kTrajectories = 20000;
constexpr std::uint64_t kSeed = 20240611;
constexpr int kThreads = 2;
constexpr std::int32_t kIntervals = 10;
constexpr double kRateError = 1.05;   // power check: one rate constant 5 % too large
constexpr double kPowerMargin = 3.0;  // expected max |Z| of that error >= z_limit + this
// Below this exact variance a point is deterministic (t = 0) and is compared exactly.
constexpr double kDeterministicVariance = 1e-9;

using Parameters = std::map<std::string, double>;

// The exact law of one species at one output time.
struct ExactMoments {
  double mean = 0.0;
  double variance = 0.0;
  double fourth = 0.0;  // fourth central moment
};
using ExactTable = std::vector<std::vector<ExactMoments>>;  // [time][species tested]

struct AnalyticModel {
  std::string name;
  Parameters parameters;
  double t_end = 1.0;
  std::vector<std::string> species;  // the species tested, in the columns of the ExactTable
  ModelDescription (*build)(const Parameters&) = nullptr;
  ExactTable (*exact)(const Parameters&, const std::vector<double>& times) = nullptr;
};

ExactMoments binomial(double trials, double p) {
  const double pq = p * (1.0 - p);
  return {trials * p, trials * pq, trials * pq * (1.0 + 3.0 * (trials - 2.0) * pq)};
}

ExactMoments poisson(double mean) {
  return {mean, mean, mean * (1.0 + 3.0 * mean)};
}

// Moments of x[i] under the distribution `probability`.
ExactMoments moments_of(const std::vector<double>& probability, const std::vector<double>& x) {
  ExactMoments m;
  for (std::size_t i = 0; i < x.size(); ++i) m.mean += probability[i] * x[i];
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double d = x[i] - m.mean;
    m.variance += probability[i] * d * d;
    m.fourth += probability[i] * d * d * d * d;
  }
  return m;
}

// ---- The chemical master equation of a small model, solved by uniformisation ----------------
// generator[i][j], i != j: the rate of the jump from state i to state j; the diagonal is ignored
// (it is minus the exit rate).
using Generator = std::vector<std::vector<double>>;

// p exp(Q dt) by uniformisation (Jensen 1953; Grassmann 1977, doi:10.1016/0305-0548(77)90007-7):
// with L >= every exit rate, P = I + Q / L is a stochastic matrix and
// exp(Q h) = sum_j e^{-L h} (L h)^j / j! P^j, a sum of non-negative terms (no cancellation).
// dt is cut into steps h with L h <= 1, so the Poisson weights decrease from j = 1 on and the
// series is cut when a weight falls below 1e-18 (the tail is then below 2e-18 per step).
std::vector<double> propagate(const Generator& q, std::vector<double> p, double dt) {
  const std::size_t states = q.size();
  std::vector<double> exit(states, 0.0);
  double uniform_rate = 0.0;
  for (std::size_t i = 0; i < states; ++i) {
    for (std::size_t j = 0; j < states; ++j)
      if (j != i) exit[i] += q[i][j];
    uniform_rate = std::max(uniform_rate, exit[i]);
  }
  if (uniform_rate == 0.0 || dt <= 0.0) return p;
  const double steps = std::ceil(uniform_rate * dt);
  const double lh = uniform_rate * dt / steps;
  std::vector<double> term(states), next(states), sum(states);
  for (double s = 0.0; s < steps; s += 1.0) {
    term = p;  // p P^j
    double weight = std::exp(-lh);
    for (std::size_t i = 0; i < states; ++i) sum[i] = weight * term[i];
    for (int j = 1; weight >= 1e-18 || j <= 1; ++j) {
      for (std::size_t i = 0; i < states; ++i) next[i] = term[i] * (1.0 - exit[i] / uniform_rate);
      for (std::size_t i = 0; i < states; ++i)
        for (std::size_t k = 0; k < states; ++k)
          if (k != i) next[k] += term[i] * q[i][k] / uniform_rate;
      term.swap(next);
      weight *= lh / j;
      for (std::size_t i = 0; i < states; ++i) sum[i] += weight * term[i];
    }
    p = sum;
  }
  return p;
}

// The distribution at each of `times` (increasing), from the point mass on `start` at t = 0.
std::vector<std::vector<double>> solve_master_equation(const Generator& q, std::size_t start,
                                                       const std::vector<double>& times) {
  std::vector<double> p(q.size(), 0.0);
  p[start] = 1.0;
  std::vector<std::vector<double>> out;
  double t = 0.0;
  for (const double time : times) {
    p = propagate(q, p, time - t);
    t = time;
    out.push_back(p);
  }
  return out;
}

// ---- The models --------------------------------------------------------------------------

constexpr double kDecayInitial = 100.0;
constexpr double kIsomerTotal = 50.0;
constexpr int kDimerTotal = 40;  // molecules of A at t = 0; B = 0 .. kDimerTotal / 2

ModelDescription build_decay(const Parameters& p) {
  ModelBuilder b;
  b.species("A", kDecayInitial).parameter("k", p.at("k"));
  b.mass_action("decay", {{"A", 1}}, {}, "k");
  return b.build();
}

ExactTable exact_decay(const Parameters& p, const std::vector<double>& times) {
  ExactTable out;
  for (const double t : times) out.push_back({binomial(kDecayInitial, std::exp(-p.at("k") * t))});
  return out;
}

constexpr double kEventTime = 1.0;
constexpr double kSilentBreakpoint = 0.5;

ModelDescription build_decay_with_events(const Parameters& p) {
  ModelDescription model = build_decay(p);
  EventDesc add;
  add.id = "add";
  add.initial_value = false;
  add.trigger = Expr::call(ExprOp::Geq, {Expr::time(), Expr::constant(kEventTime)});
  add.assignments.push_back(
      EventAssignmentDesc{"A", Expr::name("A") + Expr::constant(kDecayInitial)});
  model.events.push_back(add);
  EventDesc never;
  never.id = "never";
  never.initial_value = false;
  never.trigger = Expr::call(
      ExprOp::And, {Expr::call(ExprOp::Geq, {Expr::time(), Expr::constant(kSilentBreakpoint)}),
                    Expr::call(ExprOp::Lt, {Expr::name("A"), Expr::constant(0)})});
  never.assignments.push_back(EventAssignmentDesc{"A", Expr::constant(0)});
  model.events.push_back(never);
  return model;
}

ExactTable exact_decay_with_events(const Parameters& p, const std::vector<double>& times) {
  ExactTable out;
  for (const double t : times) {
    ExactMoments m = binomial(kDecayInitial, std::exp(-p.at("k") * t));
    if (t >= kEventTime) {
      // Sum of independent variables: means and variances add, and
      // mu4 = mu4_1 + mu4_2 + 6 var_1 var_2.
      const ExactMoments added = binomial(kDecayInitial, std::exp(-p.at("k") * (t - kEventTime)));
      m = {m.mean + added.mean, m.variance + added.variance,
           m.fourth + added.fourth + 6.0 * m.variance * added.variance};
    }
    out.push_back({m});
  }
  return out;
}

ModelDescription build_birth_death(const Parameters& p) {
  ModelBuilder b;
  b.species("A", 0.0).parameter("lambda", p.at("lambda")).parameter("mu", p.at("mu"));
  b.mass_action("birth", {}, {{"A", 1}}, "lambda");
  b.mass_action("death", {{"A", 1}}, {}, "mu");
  return b.build();
}

ExactTable exact_birth_death(const Parameters& p, const std::vector<double>& times) {
  ExactTable out;
  const double lambda = p.at("lambda");
  const double mu = p.at("mu");
  for (const double t : times) out.push_back({poisson(lambda / mu * -std::expm1(-mu * t))});
  return out;
}

ModelDescription build_isomerisation(const Parameters& p) {
  ModelBuilder b;
  b.species("A", kIsomerTotal).species("B", 0.0);
  b.parameter("k1", p.at("k1")).parameter("k2", p.at("k2"));
  b.mass_action("forward", {{"A", 1}}, {{"B", 1}}, "k1");
  b.mass_action("backward", {{"B", 1}}, {{"A", 1}}, "k2");
  return b.build();
}

ExactTable exact_isomerisation(const Parameters& p, const std::vector<double>& times) {
  ExactTable out;
  const double k1 = p.at("k1");
  const double k2 = p.at("k2");
  for (const double t : times) {
    // Written so that p = 1 exactly at t = 0.
    const double a = (k2 + k1 * std::exp(-(k1 + k2) * t)) / (k1 + k2);
    out.push_back({binomial(kIsomerTotal, a), binomial(kIsomerTotal, 1.0 - a)});
  }
  return out;
}

ModelDescription build_dimerisation(const Parameters& p) {
  ModelBuilder b;
  b.species("A", kDimerTotal).species("B", 0.0);
  b.parameter("k1", p.at("k1")).parameter("k2", p.at("k2"));
  b.mass_action("dimerise", {{"A", 2}}, {{"B", 1}}, "k1");  // k1 A (A - 1)
  b.mass_action("dissociate", {{"B", 1}}, {{"A", 2}}, "k2");
  return b.build();
}

ExactTable exact_dimerisation(const Parameters& p, const std::vector<double>& times) {
  // State b = number of B, A = kDimerTotal - 2 b. Written from the law, not from the engine.
  const int states = kDimerTotal / 2 + 1;
  Generator q(states, std::vector<double>(states, 0.0));
  std::vector<double> a_count(states), b_count(states);
  for (int b = 0; b < states; ++b) {
    const double a = kDimerTotal - 2 * b;
    a_count[b] = a;
    b_count[b] = b;
    if (b + 1 < states) q[b][b + 1] = p.at("k1") * a * (a - 1.0);
    if (b > 0) q[b][b - 1] = p.at("k2") * b;
  }
  ExactTable out;
  for (const auto& distribution : solve_master_equation(q, 0, times))
    out.push_back({moments_of(distribution, a_count), moments_of(distribution, b_count)});
  return out;
}

const std::vector<AnalyticModel>& analytic_models() {
  static const std::vector<AnalyticModel> models = {
      {"decay", {{"k", 1.0}}, 2.0, {"A"}, build_decay, exact_decay},
      {"decay-events", {{"k", 1.0}}, 2.0, {"A"}, build_decay_with_events, exact_decay_with_events},
      {"birth-death",
       {{"lambda", 10.0}, {"mu", 0.5}},
       5.0,
       {"A"},
       build_birth_death,
       exact_birth_death},
      {"isomerisation",
       {{"k1", 1.0}, {"k2", 0.5}},
       2.0,
       {"A", "B"},
       build_isomerisation,
       exact_isomerisation},
      {"dimerisation",
       {{"k1", 0.015}, {"k2", 1.0}},
       3.0,
       {"A", "B"},
       build_dimerisation,
       exact_dimerisation},
  };
  return models;
}

const AnalyticModel& model_named(const std::string& name) {
  return test::named(analytic_models(), name);
}

RunSpec run_spec(const AnalyticModel& model) {
  RunSpec spec;
  spec.t_start = 0.0;
  spec.t_end = model.t_end;
  spec.samples = kIntervals;
  spec.trajectories = kTrajectories;
  spec.seed = kSeed;
  spec.threads = kThreads;
  return spec;
}

std::vector<double> output_times(const AnalyticModel& model) {
  const RunSpec spec = run_spec(model);
  return OutputGrid(spec.t_start, spec.t_end, spec.samples).times();
}

// ---- The bound -----------------------------------------------------------------------------

// Points tested per method over the whole file: both statistics at every (time, species) with
// sigma > 0.
std::int64_t points_per_method() {
  std::int64_t points = 0;
  for (const AnalyticModel& model : analytic_models())
    for (const auto& row : model.exact(model.parameters, output_times(model)))
      for (const ExactMoments& m : row)
        if (m.variance > kDeterministicVariance) points += 2;
  return points;
}

double z_limit() {
  static const double limit =
      test::bonferroni_two_sided_z(kFalseAlarmBudget, static_cast<double>(points_per_method()));
  return limit;
}

std::vector<const MethodInfo*> exact_methods() {
  std::vector<const MethodInfo*> out;
  for (const MethodInfo& m : all_methods())
    if (m.exact) out.push_back(&m);
  REQUIRE_MESSAGE(!out.empty(), "the registry lists no exact method");
  return out;
}

struct PointZ {
  double time = 0.0;
  std::string species;
  std::string statistic;  // "mean" or "variance"
  double sample = 0.0;
  double exact = 0.0;
  double z = 0.0;
};

struct Comparison {
  std::vector<PointZ> points;     // points with sigma > 0
  std::vector<PointZ> exact_off;  // deterministic points that did not match exactly
  std::string run_problem;        // non-empty when the ensemble itself went wrong
  double max_abs_z() const {
    double z = 0.0;
    for (const PointZ& p : points) z = std::max(z, std::abs(p.z));
    return z;
  }
  const PointZ* worst() const {
    const PointZ* w = nullptr;
    for (const PointZ& p : points)
      if (w == nullptr || std::abs(p.z) > std::abs(w->z)) w = &p;
    return w;
  }
};

std::string describe(const PointZ& p) {
  std::ostringstream s;
  s << p.statistic << " of " << p.species << " at t = " << p.time << ": sample " << p.sample
    << ", exact " << p.exact << ", Z = " << p.z;
  return s.str();
}

// Simulates `model` with `simulated` parameters and compares with the exact law for the model's
// own parameters.
Comparison simulate_and_compare(const AnalyticModel& model, const Parameters& simulated,
                                const MethodInfo& method) {
  const ReactionNetwork net = compile(model.build(simulated));
  check_capabilities(method, net);
  const RunSpec spec = run_spec(model);
  const test::EnsembleMoments run = test::run_moments(net, method.name, spec);
  const ExactTable exact = model.exact(model.parameters, run.times);
  const auto n = static_cast<double>(spec.trajectories);

  Comparison out;
  const auto& status = run.result.status_counts;
  if (status[static_cast<std::size_t>(TrajectoryStatus::EventLimit)] != 0 ||
      status[static_cast<std::size_t>(TrajectoryStatus::InvalidPropensity)] != 0)
    out.run_problem = "trajectories stopped by the event limit or an invalid propensity";
  for (std::size_t t = 0; t < run.times.size(); ++t) {
    const auto ti = static_cast<std::int32_t>(t);
    if (run.moments.count(ti) != spec.trajectories)
      out.run_problem = "output time " + std::to_string(run.times[t]) + " has " +
                        std::to_string(run.moments.count(ti)) + " samples";
    for (std::size_t k = 0; k < model.species.size(); ++k) {
      const std::int32_t column = net.species_index(model.species[k]);
      REQUIRE(column >= 0);
      const ExactMoments& e = exact[t][k];
      const double mean = run.moments.mean(ti, column);
      const double variance = run.moments.variance(ti, column);
      if (e.variance <= kDeterministicVariance) {
        if (std::abs(mean - e.mean) > 1e-9 || variance > 1e-9) {
          out.exact_off.push_back({run.times[t], model.species[k], "mean", mean, e.mean, 0.0});
          out.exact_off.push_back({run.times[t], model.species[k], "variance", variance, 0.0, 0.0});
        }
        continue;
      }
      const double se_mean = std::sqrt(e.variance / n);
      const double var_of_variance =
          (e.fourth - e.variance * e.variance * (n - 3.0) / (n - 1.0)) / n;
      out.points.push_back(
          {run.times[t], model.species[k], "mean", mean, e.mean, (mean - e.mean) / se_mean});
      out.points.push_back({run.times[t], model.species[k], "variance", variance, e.variance,
                            (variance - e.variance) / std::sqrt(var_of_variance)});
    }
  }
  return out;
}

void check_exactness(const std::string& model_name) {
  const AnalyticModel& model = model_named(model_name);
  const double limit = z_limit();
  for (const MethodInfo* method : exact_methods()) {
    CAPTURE(method->name);
    const Comparison c = simulate_and_compare(model, model.parameters, *method);
    CHECK_MESSAGE(c.run_problem.empty(), c.run_problem);
    for (const PointZ& p : c.exact_off) FAIL_CHECK("deterministic point differs: " << describe(p));
    for (const PointZ& p : c.points)
      CHECK_MESSAGE(std::abs(p.z) <= limit, describe(p) << " exceeds z_limit " << limit);
    CHECK(c.points.size() >= 2 * static_cast<std::size_t>(kIntervals));
    const PointZ* w = c.worst();
    MESSAGE(method->name << " on " << model.name << ": " << c.points.size()
                         << " points, max |Z| = " << c.max_abs_z() << " ("
                         << (w ? describe(*w) : "") << "); z_limit = " << limit
                         << " (alpha = " << kFalseAlarmBudget << " over " << points_per_method()
                         << " points per method), n = " << kTrajectories << ", seed = " << kSeed);
  }
}

// Expected max |Z_mean| of the error: sqrt(n) |mean(perturbed) - mean| / sigma.
double expected_max_z(const AnalyticModel& model, const Parameters& simulated) {
  const std::vector<double> times = output_times(model);
  const ExactTable right = model.exact(model.parameters, times);
  const ExactTable wrong = model.exact(simulated, times);
  double z = 0.0;
  for (std::size_t t = 0; t < times.size(); ++t)
    for (std::size_t k = 0; k < model.species.size(); ++k)
      if (right[t][k].variance > kDeterministicVariance)
        z = std::max(z, std::sqrt(static_cast<double>(kTrajectories)) *
                            std::abs(wrong[t][k].mean - right[t][k].mean) /
                            std::sqrt(right[t][k].variance));
  return z;
}

void check_power(const std::string& model_name) {
  const AnalyticModel& model = model_named(model_name);
  const double limit = z_limit();
  for (const auto& [parameter, value] : model.parameters) {
    Parameters simulated = model.parameters;
    simulated[parameter] = value * kRateError;
    const double expected = expected_max_z(model, simulated);
    CAPTURE(parameter);
    // A design check: with these n and times the error is large enough to be seen.
    REQUIRE_MESSAGE(expected >= limit + kPowerMargin, "n too small to detect a 5 % error in "
                                                          << parameter << ": expected max |Z| "
                                                          << expected);
    for (const MethodInfo* method : exact_methods()) {
      CAPTURE(method->name);
      const Comparison c = simulate_and_compare(model, simulated, *method);
      CHECK_MESSAGE(c.max_abs_z() > limit, "a 5 % error in " << parameter << " went unnoticed");
      const PointZ* w = c.worst();
      MESSAGE(method->name << " on " << model.name << " with " << parameter << " x 1.05: max |Z| = "
                           << c.max_abs_z() << " (expected about " << expected << "; "
                           << (w ? describe(*w) : "") << "); z_limit = " << limit);
    }
  }
}

TEST_CASE("exact reference: the master-equation solver reproduces the binomial law of A <-> B") {
  // The reference of the dimerisation test, checked on a model whose law is known in closed
  // form: state = number of A out of 10, A -> B at k1 A, B -> A at k2 B.
  const int total = 10;
  const double k1 = 1.3;
  const double k2 = 0.4;
  Generator q(total + 1, std::vector<double>(total + 1, 0.0));
  for (int a = 0; a <= total; ++a) {
    if (a > 0) q[a][a - 1] = k1 * a;
    if (a < total) q[a][a + 1] = k2 * (total - a);
  }
  const std::vector<double> times = {0.0, 0.01, 0.3, 1.0, 2.5, 7.0, 30.0};
  const auto solved = solve_master_equation(q, total, times);
  double worst = 0.0;
  for (std::size_t t = 0; t < times.size(); ++t) {
    const double p = (k2 + k1 * std::exp(-(k1 + k2) * times[t])) / (k1 + k2);
    for (int a = 0; a <= total; ++a) {
      const double pmf =
          std::exp(std::lgamma(total + 1.0) - std::lgamma(a + 1.0) - std::lgamma(total - a + 1.0)) *
          std::pow(p, a) * std::pow(1.0 - p, total - a);
      worst = std::max(worst, std::abs(solved[t][static_cast<std::size_t>(a)] - pmf));
    }
  }
  MESSAGE("largest difference from the binomial pmf: " << worst);
  CHECK(worst < 1e-13);
  // And the closed-form fourth moment against the one computed from the distribution.
  std::vector<double> x(total + 1);
  for (int a = 0; a <= total; ++a) x[static_cast<std::size_t>(a)] = a;
  const ExactMoments from_distribution = moments_of(solved[3], x);
  const double p = (k2 + k1 * std::exp(-(k1 + k2))) / (k1 + k2);
  const ExactMoments closed = binomial(total, p);
  CHECK(from_distribution.mean == doctest::Approx(closed.mean).epsilon(1e-12));
  CHECK(from_distribution.variance == doctest::Approx(closed.variance).epsilon(1e-12));
  CHECK(from_distribution.fourth == doctest::Approx(closed.fourth).epsilon(1e-12));
}

TEST_CASE("exactness: decay A -> 0 is binomial") {
  check_exactness("decay");
}
TEST_CASE("exactness: decay with model events (a breakpoint and a state change) is binomial") {
  check_exactness("decay-events");
}
TEST_CASE("exactness: birth-death 0 -> A -> 0 is Poisson") {
  check_exactness("birth-death");
}
TEST_CASE("exactness: isomerisation A <-> B is binomial") {
  check_exactness("isomerisation");
}
TEST_CASE("exactness: dimerisation A + A <-> B matches the master equation") {
  check_exactness("dimerisation");
}

TEST_CASE("power: a 5 % rate error in decay is detected") {
  check_power("decay");
}
TEST_CASE("power: a 5 % rate error in decay with events is detected") {
  check_power("decay-events");
}
TEST_CASE("power: a 5 % rate error in birth-death is detected") {
  check_power("birth-death");
}
TEST_CASE("power: a 5 % rate error in isomerisation is detected") {
  check_power("isomerisation");
}
TEST_CASE("power: a 5 % rate error in dimerisation is detected") {
  check_power("dimerisation");
}

}  // namespace
}  // namespace nkappa
