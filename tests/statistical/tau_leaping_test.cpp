// Accuracy and safety of the approximate methods of the registry (exact == false; today the
// adaptive tau-leaping and adaptive explicit-implicit tau-leaping of engine/tau/adaptive_tau.cpp;
// the implicit one is held to means only in the stationary test, and has a stiff-pair test of its
// own at the end of this file).
//
// Bias against an exact stationary law. Each model starts every trajectory from a draw of its
// exact stationary law (RunSpec::initialize_trajectory), so an exact method would show that law
// at every time; an approximate method drifts to its own stationary law, and its bias is read at
// t_end, several relaxation times later, one sample per trajectory (independent samples).
//   birth-death    0 -> A (lambda), A -> 0 (mu A), lambda = 1000, mu = 1: A ~ Poisson(1000).
//                  t_end = 5 (relaxation time 1 / mu = 1).
//   dimerisation   A + A -> B (k1 A (A - 1)), B -> A + A (k2 B), A + 2B = N = 2000,
//                  k1 = 5e-4, k2 = 1: the law of B by detailed balance,
//                  pi(b + 1) / pi(b) = k1 a (a - 1) / (k2 (b + 1)), a = N - 2b (mean 499.9,
//                  computed below). t_end = 2 (relaxation rate 4 k1 a + k2 = 3.0).
// Statistics at t_end over n trajectories, for A (birth-death) and B (dimerisation):
//   mean bias      (sample mean - mean) / sigma,      SE = 1 / sqrt(n)
//   variance bias  (sample variance - sigma^2) / sigma^2,
//                  SE^2 = (mu4 - sigma^4 (n - 3) / (n - 1)) / (n sigma^4)   (mu4 exact)
// The SEs use the exact law; the leaping law's spread differs from it by the bias itself, a few
// per cent at epsilon = 0.01.
//
// What is asserted, for each model:
//  - at epsilon = 0.01: |bias| <= allowance + z SE for both statistics. The allowances come
//    from the leading-order error of a leap, not from these runs: for a linear reaction with
//    rate constant mu the stationary variance of explicit leaping is inflated by
//    1 / (1 - mu tau / 2) (the leap is an Euler-Maruyama step of the linear noise
//    approximation), and the sigma-bound of Cao et al. 2006 gives tau ~ (epsilon x)^2 / (2 mu x)
//    near equilibrium, i.e. a relative variance bias of about epsilon^2 x / 4 = 2.5 % for
//    x = 1000 at epsilon = 0.01 (birth-death). Variance allowance: 5 % (twice that). The mean
//    of a linear network is unbiased by an Euler step at stationarity; the dimerisation's
//    second-order law shifts it by O(tau) of the variance bias over its mean. Mean allowance:
//    0.05 sigma.
//  - the error falls with epsilon: |bias(0.1)| > |bias(0.01)| for the variance (where the
//    leading-order prediction at 0.1 is far above the allowance), and for every statistic and
//    pair epsilon > epsilon', |bias(epsilon')| <= |bias(epsilon)| + z SE_difference (never
//    significantly worse at the smaller epsilon); SE_difference = sqrt(SE^2 + SE'^2), exact for
//    independent ensembles and conservative for these, which share their initial draws.
// False-alarm budget: alpha = 1e-3 per test case over its comparisons made with z (M of them,
// counted in the code), each two-sided at z = Phi^{-1}(1 - alpha / (2 M)) (Bonferroni); three
// test cases make 3e-3 for the file. The strict decrease is a one-sided comparison of the same
// kind, at the same z.
// The printed table is the accuracy table of the method (epsilon x model x statistic).
//
// No negative population: a model built to drive A to zero fast (three consuming reactions, one
// of second order, from 10^4 molecules to none within t_end) at large epsilon; every state is
// checked through the propensities (a negative count makes a propensity negative, which ends the
// trajectory with status invalid_propensity) and every sample on a fine grid.
//
// Leaps stop at output times: pure birth 0 -> A (lambda) has no propensity that reads A, so the
// step control allows any leap and only the output grid limits it. A(t) ~ Poisson(lambda t)
// exactly at every output time only if every leap ends exactly on the output times.
//
// Leaps stop at model-event breakpoints: the same pure birth with an event at t = 1.5 (between
// output times) that adds 1000 to A: A(t) ~ 1000 + Poisson(lambda t) for t >= 1.5, exactly, only
// if the leap that ends on the breakpoint is kept and the event applied after it.
//
// Same seed -> identical bytes, whatever the thread count: tests/statistical/reproducibility.cpp
// runs every method of the registry, but its small populations make tau-leaping take only exact
// steps; here the birth-death model, where it leaps (checked: far fewer steps than the direct
// method's events), is run twice and on 1, 2 and 3 threads.
#include <doctest/doctest.h>

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "engine/model/builder.hpp"
#include "engine/network/compile.hpp"
#include "engine/run/method.hpp"
#include "engine/run/rng.hpp"
#include "report/csv.hpp"
#include "tests/support/test_support.hpp"

namespace nkappa {
namespace {

constexpr double kFalseAlarmBudget = 1e-3;
constexpr std::int64_t kTrajectories = 20000;
constexpr std::uint64_t kSeed = 20061129;
constexpr int kThreads = 2;
constexpr double kMeanAllowance = 0.05;      // in units of sigma, at epsilon = 0.01
constexpr double kVarianceAllowance = 0.05;  // relative, at epsilon = 0.01
const std::vector<double> kEpsilons = {0.1, 0.03, 0.01};

// tau-leaping-implicit damps the fluctuations of the species of the reversible pairs it leaps
// implicitly (engine/tau/adaptive_tau.cpp); both stationary models are such a pair, so its
// variance is not held to the explicit method's allowance (it is printed in the table), and its
// implicit leap has a test of its own below.
bool damps_pair_fluctuations(const MethodInfo& method) {
  return method.name == "tau-leaping-implicit";
}

std::vector<const MethodInfo*> approximate_methods() {
  std::vector<const MethodInfo*> out;
  for (const MethodInfo& m : all_methods())
    if (!m.exact) out.push_back(&m);
  return out;
}

// A discrete law on 0, 1, 2, ...: probabilities and their exact moments.
struct DiscreteLaw {
  std::vector<double> probability;
  double mean = 0.0, variance = 0.0, fourth = 0.0;
  void finish() {
    double total = 0.0;
    for (double p : probability) total += p;
    for (double& p : probability) p /= total;
    for (std::size_t k = 0; k < probability.size(); ++k) mean += probability[k] * double(k);
    for (std::size_t k = 0; k < probability.size(); ++k) {
      const double d = double(k) - mean;
      variance += probability[k] * d * d;
      fourth += probability[k] * d * d * d * d;
    }
  }
  // Inversion of the cumulative law.
  double draw(Rng& rng) const {
    double u = uniform_closed_open(rng), cumulative = 0.0;
    for (std::size_t k = 0; k < probability.size(); ++k) {
      cumulative += probability[k];
      if (u < cumulative) return double(k);
    }
    return double(probability.size() - 1);
  }
};

DiscreteLaw poisson_law(double mean) {
  DiscreteLaw law;
  const auto last = static_cast<std::size_t>(mean + 20.0 * std::sqrt(mean) + 20.0);
  for (std::size_t k = 0; k <= last; ++k)
    law.probability.push_back(
        std::exp(double(k) * std::log(mean) - mean - std::lgamma(double(k) + 1.0)));
  law.finish();
  return law;
}

// Stationary law of B in A + A <-> B with A + 2B = total, by detailed balance.
DiscreteLaw dimer_law(double k1, double k2, int total) {
  DiscreteLaw law;
  std::vector<double> log_p{0.0};
  for (int b = 0; 2 * (b + 1) <= total; ++b) {
    const double a = total - 2.0 * b;
    log_p.push_back(log_p.back() + std::log(k1 * a * (a - 1.0) / (k2 * (b + 1.0))));
  }
  const double top = *std::max_element(log_p.begin(), log_p.end());
  for (double l : log_p) law.probability.push_back(std::exp(l - top));
  law.finish();
  return law;
}

struct StationaryModel {
  std::string name;
  ReactionNetwork net;
  double t_end = 1.0;
  std::string species;  // the species whose law is `law`
  DiscreteLaw law;
  // Sets the initial state from a draw of the law.
  void (*initialise)(State&, double draw) = nullptr;
};

StationaryModel birth_death() {
  ModelBuilder b;
  b.species("A", 1000).parameter("lambda", 1000.0).parameter("mu", 1.0);
  b.mass_action("birth", {}, {{"A", 1}}, "lambda");
  b.mass_action("death", {{"A", 1}}, {}, "mu");
  return {"birth-death", compile(b.build()),  5.0,
          "A",           poisson_law(1000.0), [](State& s, double draw) { s.counts[0] = draw; }};
}

constexpr int kDimerTotal = 2000;

StationaryModel dimerisation() {
  ModelBuilder b;
  b.species("A", kDimerTotal).species("B", 0).parameter("k1", 5e-4).parameter("k2", 1.0);
  b.mass_action("dimerise", {{"A", 2}}, {{"B", 1}}, "k1");
  b.mass_action("split", {{"B", 1}}, {{"A", 2}}, "k2");
  return {"dimerisation",
          compile(b.build()),
          2.0,
          "B",
          dimer_law(5e-4, 1.0, kDimerTotal),
          [](State& s, double draw) {
            s.counts[1] = draw;
            s.counts[0] = kDimerTotal - 2.0 * draw;
          }};
}

struct Bias {
  double mean = 0.0, mean_se = 0.0;          // in units of sigma
  double variance = 0.0, variance_se = 0.0;  // relative to sigma^2
};

Bias measure(const MethodInfo& method, const StationaryModel& model, double epsilon) {
  RunSpec spec;
  spec.t_end = model.t_end;
  spec.samples = 1;
  spec.trajectories = kTrajectories;
  spec.seed = kSeed;
  spec.threads = kThreads;
  spec.epsilon = epsilon;
  const StationaryModel* m = &model;
  spec.initialize_trajectory = [m](State& s, Rng& rng) { m->initialise(s, m->law.draw(rng)); };
  const test::EnsembleMoments run = test::run_moments(model.net, method.name, spec);
  REQUIRE(run.result.status_counts[static_cast<std::size_t>(TrajectoryStatus::ReachedEnd)] ==
          kTrajectories);
  const std::int32_t column = model.net.species_index(model.species);
  const std::int32_t last = run.moments.time_points() - 1;
  const double n = kTrajectories;
  const double sigma2 = model.law.variance;
  Bias b;
  b.mean = (run.moments.mean(last, column) - model.law.mean) / std::sqrt(sigma2);
  b.mean_se = 1.0 / std::sqrt(n);
  b.variance = (run.moments.variance(last, column) - sigma2) / sigma2;
  b.variance_se =
      std::sqrt((model.law.fourth - sigma2 * sigma2 * (n - 3.0) / (n - 1.0)) / n) / sigma2;
  return b;
}

TEST_CASE("tau-leaping: the bias of mean and variance falls with epsilon, within allowance") {
  const std::vector<StationaryModel> models = {birth_death(), dimerisation()};
  for (const StationaryModel& model : models) {
    // Starting law check: the detailed-balance law sums to 1 and is far from its ends.
    REQUIRE(model.law.mean > 10.0 * std::sqrt(model.law.variance));
  }
  const auto methods = approximate_methods();
  REQUIRE(!methods.empty());
  // Per method and model: 2 statistics x (1 allowance + 3 pairs) + 1 strict decrease = 9.
  const int comparisons = 9 * static_cast<int>(models.size());
  const double z =
      boost::math::quantile(boost::math::normal(), 1.0 - kFalseAlarmBudget / (2.0 * comparisons));
  for (const MethodInfo* method : methods) {
    CAPTURE(method->name);
    std::ostringstream table;
    table << method->name << ": bias at t_end, n = " << kTrajectories << ", z = " << z << "\n"
          << "model          epsilon  mean bias / sigma (SE)   variance bias / sigma^2 (SE)\n";
    for (const StationaryModel& model : models) {
      CAPTURE(model.name);
      std::vector<Bias> bias;
      for (const double epsilon : kEpsilons) {
        bias.push_back(measure(*method, model, epsilon));
        const Bias& b = bias.back();
        char line[160];
        std::snprintf(line, sizeof line, "%-14s %-8g %+.4f (%.4f)          %+.4f (%.4f)\n",
                      model.name.c_str(), epsilon, b.mean, b.mean_se, b.variance, b.variance_se);
        table << line;
      }
      const Bias& finest = bias.back();
      const bool variance_held = !damps_pair_fluctuations(*method);
      CHECK(std::abs(finest.mean) <= kMeanAllowance + z * finest.mean_se);
      if (variance_held)
        CHECK(std::abs(finest.variance) <= kVarianceAllowance + z * finest.variance_se);
      for (std::size_t i = 0; i + 1 < bias.size(); ++i)
        for (std::size_t j = i + 1; j < bias.size(); ++j) {
          CAPTURE(kEpsilons[i]);
          CAPTURE(kEpsilons[j]);
          CHECK(std::abs(bias[j].mean) <=
                std::abs(bias[i].mean) + z * std::hypot(bias[i].mean_se, bias[j].mean_se));
          if (variance_held)
            CHECK(std::abs(bias[j].variance) <=
                  std::abs(bias[i].variance) +
                      z * std::hypot(bias[i].variance_se, bias[j].variance_se));
        }
      if (variance_held)
        CHECK(std::abs(bias.front().variance) >
              std::abs(finest.variance) +
                  z * std::hypot(bias.front().variance_se, finest.variance_se));
    }
    MESSAGE(table.str());
    test::write_report("tau_leaping_accuracy_" + method->name + ".txt", table.str());
  }
}

// Checks every sample it is shown for negative counts.
class NonNegativeSink final : public MergeableSink {
 public:
  void on_sample(std::int64_t, std::int32_t, const State& state) override {
    ++samples;
    for (const double c : state.counts)
      if (c < 0.0) ++negative;
  }
  void merge_from(MergeableSink& later) override {
    auto& other = static_cast<NonNegativeSink&>(later);
    samples += other.samples;
    negative += other.negative;
  }
  std::int64_t samples = 0;
  std::int64_t negative = 0;
};

TEST_CASE("tau-leaping: no population ever becomes negative") {
  ModelBuilder b;
  b.species("A", 10000).species("B", 0).species("C", 0);
  b.parameter("k_decay", 4.0).parameter("k_convert", 3.0).parameter("k_pair", 1e-3);
  b.mass_action("decay", {{"A", 1}}, {}, "k_decay");
  b.mass_action("convert", {{"A", 1}}, {{"B", 1}}, "k_convert");
  b.mass_action("pair", {{"A", 2}}, {{"C", 1}}, "k_pair");
  const ReactionNetwork net = compile(b.build());
  for (const MethodInfo* method : approximate_methods()) {
    CAPTURE(method->name);
    for (const double epsilon : {0.03, 0.1, 0.3, 1.0}) {
      CAPTURE(epsilon);
      RunSpec spec;
      spec.t_end = 5.0;  // e^{-7 t_end} of A left by the first-order reactions alone
      spec.samples = 500;
      spec.trajectories = 500;
      spec.seed = kSeed;
      spec.threads = kThreads;
      spec.epsilon = epsilon;
      NonNegativeSink total;
      const EnsembleResult result = run_ensemble(
          net, *method, spec, [] { return std::make_unique<NonNegativeSink>(); }, total);
      CHECK(result.status_counts[static_cast<std::size_t>(TrajectoryStatus::InvalidPropensity)] ==
            0);
      CHECK(result.status_counts[static_cast<std::size_t>(TrajectoryStatus::NothingCanFire)] ==
            spec.trajectories);  // A reached 0 in every trajectory
      CHECK(total.samples == spec.trajectories * (spec.samples + 1));
      CHECK(total.negative == 0);
    }
  }
}

// Pure birth at rate 50 from A = 0: A(t) - A(0) is Poisson(50 t) whatever the step sizes, so a
// leap method is exact on it when its leaps end on the output times.
constexpr double kBirthRate = 50.0;

ModelBuilder pure_birth() {
  ModelBuilder b;
  b.species("A", 0).parameter("lambda", kBirthRate);
  b.mass_action("birth", {}, {{"A", 1}}, "lambda");
  return b;
}

// n trajectories to t = 2 with 10 output times; checks the mean and variance of A at each
// against Poisson(50 t), plus `shift` molecules from t = shift_time on; z covers 10 times x 2
// statistics per method.
test::EnsembleMoments check_pure_birth(const ReactionNetwork& net, const std::string& method,
                                       std::int64_t n, double shift_time, double shift) {
  const double z = boost::math::quantile(boost::math::normal(), 1.0 - kFalseAlarmBudget / 40.0);
  RunSpec spec;
  spec.t_start = 0.0;
  spec.t_end = 2.0;
  spec.samples = 10;
  spec.trajectories = n;
  spec.seed = kSeed;
  spec.threads = kThreads;
  test::EnsembleMoments run = test::run_moments(net, method, spec);
  for (std::int32_t t = 1; t < run.moments.time_points(); ++t) {
    CAPTURE(run.times[t]);
    const double m = kBirthRate * run.times[t];  // Poisson: variance m, fourth central m (1 + 3m)
    const double added = run.times[t] >= shift_time ? shift : 0.0;
    const double mean_se = std::sqrt(m / static_cast<double>(n));
    const double variance_se =
        std::sqrt((m * (1.0 + 3.0 * m) -
                   m * m * (static_cast<double>(n) - 3.0) / (static_cast<double>(n) - 1.0)) /
                  static_cast<double>(n));
    CHECK(std::abs(run.moments.mean(t, 0) - added - m) <= z * mean_se);
    CHECK(std::abs(run.moments.variance(t, 0) - m) <= z * variance_se);
  }
  return run;
}

TEST_CASE("tau-leaping: leaps end on the output times (pure birth is exact)") {
  const ReactionNetwork net = compile(pure_birth().build());
  for (const MethodInfo* method : approximate_methods()) {
    CAPTURE(method->name);
    const test::EnsembleMoments run =
        check_pure_birth(net, method->name, 4000, std::numeric_limits<double>::infinity(), 0.0);
    CHECK(run.moments.mean(0, 0) == 0.0);
    // Power: had a leap stepped over the output time t = 0.2 to the next one, A(0.2) would
    // read A at the previous output time, a mean of 0 instead of 10.
    CHECK(run.moments.mean(1, 0) > 5.0);
  }
}

TEST_CASE("tau-leaping: the same seed gives the same bytes when leaping, on any thread count") {
  const StationaryModel model = birth_death();
  auto bytes = [&](const std::string& method, std::uint64_t seed, int threads) {
    RunSpec spec;
    spec.t_end = 2.0;
    spec.samples = 20;
    spec.trajectories = 500;  // 8 blocks: 2 and 3 threads share them out of order
    spec.seed = seed;
    spec.threads = threads;
    spec.epsilon = 0.03;
    const test::EnsembleMoments run = test::run_moments(model.net, method, spec);
    return std::make_pair(
        moments_csv(run.times, run.moments, MomentStatistic::Mean) +
            moments_csv(run.times, run.moments, MomentStatistic::StandardDeviation),
        run.result.events);
  };
  const auto exact = bytes("direct", kSeed, 2);
  for (const MethodInfo* method : approximate_methods()) {
    CAPTURE(method->name);
    const auto first = bytes(method->name, kSeed, 2);
    CHECK(first.second * 20 < exact.second);  // it leaps: over 20 firings per step on average
    CHECK(bytes(method->name, kSeed, 2) == first);
    CHECK(bytes(method->name, kSeed, 1) == first);
    CHECK(bytes(method->name, kSeed, 3) == first);
    CHECK(bytes(method->name, kSeed + 1, 2).first != first.first);
    MESSAGE(method->name << ": " << first.second << " steps against " << exact.second
                         << " direct-method events; identical bytes on 1, 2, 3 threads");
  }
}

TEST_CASE("tau-leaping: leaps stop at a model event's breakpoint, which then fires") {
  ModelDescription model = pure_birth().build();
  EventDesc event;
  event.id = "add";
  event.initial_value = false;
  event.trigger = Expr::call(ExprOp::Geq, {Expr::time(), Expr::constant(1.5)});
  event.assignments.push_back(
      EventAssignmentDesc{"A", Expr::call(ExprOp::Add, {Expr::name("A"), Expr::constant(1000)})});
  model.events.push_back(event);
  const ReactionNetwork net = compile(model);
  for (const MethodInfo* method : approximate_methods()) {
    CAPTURE(method->name);
    check_pure_birth(net, method->name, 4000, 1.5, 1000.0);
  }
}

// The statistics of A and of the total A + B at the last output time, one sample per trajectory.
class FinalPairSink final : public MergeableSink {
 public:
  explicit FinalPairSink(std::int32_t last) : last_(last) {}
  void on_sample(std::int64_t, std::int32_t t, const State& state) override {
    if (t != last_) return;
    const double a = state.counts[0], total = state.counts[0] + state.counts[1];
    for (const double c : state.counts)
      if (c != std::round(c)) non_integer += 1.0;
    n += 1.0;
    a_sum += a;
    a_square += a * a;
    total_sum += total;
    total_square += total * total;
  }
  void merge_from(MergeableSink& later) override {
    auto& o = static_cast<FinalPairSink&>(later);
    n += o.n;
    non_integer += o.non_integer;
    a_sum += o.a_sum;
    a_square += o.a_square;
    total_sum += o.total_sum;
    total_square += o.total_square;
  }
  static double variance(double n, double sum, double square) {
    return (square - sum * sum / n) / (n - 1.0);
  }
  double n = 0.0, non_integer = 0.0, a_sum = 0.0, a_square = 0.0, total_sum = 0.0,
         total_square = 0.0;

 private:
  std::int32_t last_;
};

// A stiff reversible pair between a slow inflow and outflow:
//   0 -> A (lambda = 1e4), A -> B (k = 1e4 A), B -> A (k = 1e4 B), B -> 0 (mu B, mu = 0.1).
// A monomolecular network started from a product-Poisson law keeps one (Jahnke & Huisinga 2007,
// J Math Biol 54:1): A and B are independent Poisson(1e5) at every time when started so, and
// the total N = A + B is Poisson(2e5). The pair's propensities (1e9 / s) are within 0.05 % of
// each other, so it is in partial equilibrium; explicit tau-leaping is held to
// tau_ex ~ epsilon x / (k sqrt(2 x)) ~ 1e-3 s by the pair's random drift, while tau_im, from the
// inflow and outflow alone, is epsilon x / lambda = 0.1 .. 1 s: over 100 times longer, so
// tau-leaping-implicit leaps implicitly. After an implicit leap, though, A - B is nearly 0, the
// pair's drift is small and tau_ex is set by the variance bound alone, epsilon^2 x / (2 k);
// tau_im / tau_ex = 2 k / (epsilon lambda) is then below N_stiff = 100 for epsilon > 0.02, so
// at epsilon = 0.1 and 0.03 every implicit leap is followed by an explicit one with
// k tau_ex = epsilon^2 x / 2 >> 1, which throws A - B far out (the paper's switch rule at work;
// the table shows what it does to the variances). At epsilon = 0.01 the ratio is 200 in every
// state and every leap is implicit. t_end = 40 s, two relaxation times of the total (rate
// mu / 2).
// What is asserted, for tau-leaping-implicit, at epsilon = 0.1, 0.03, 0.01, n trajectories:
//  - at epsilon = 0.01 the implicit leap is used: fewer than 1/20 of the steps of the explicit
//    method at epsilon = 0.03 (4 trajectories of it; it needs more at 0.01), and the variance
//    of A is damped below 0.75 of the exact one (the method's stated property: the implicit
//    leap nearly freezes the fast mode A - B, leaving Var(A) ~ Var(N) / 4 = 0.5 of the exact
//    variance).
//  - the slow total N, leapt explicitly through the inflow and outflow, keeps its law: at
//    epsilon = 0.01 the bias of its mean and variance is within the allowances of the
//    stationary test above (0.05 sigma, 5 %; the predicted variance inflation of leaping the
//    slow mode, 1 / (1 - (mu / 2) tau / 2) with tau = 0.1, is 0.25 %) + z SE, and never
//    significantly larger at a smaller epsilon (z SE_difference).
//  - the mean of A is within the mean allowance + z SE at every epsilon (SE from the exact
//    sigma: conservative, the damped spread is smaller).
// False-alarm budget 1e-3 over the comparisons made with z (2 + 2 x 3 + 3 = 11), Bonferroni.
TEST_CASE("tau-leaping-implicit: a stiff reversible pair is leapt implicitly, means kept") {
  ModelBuilder b;
  b.species("A", 100000).species("B", 100000);
  b.parameter("lambda", 1e4).parameter("k", 1e4).parameter("mu", 0.1);
  b.mass_action("inflow", {}, {{"A", 1}}, "lambda");
  b.mass_action("forward", {{"A", 1}}, {{"B", 1}}, "k");
  b.mass_action("backward", {{"B", 1}}, {{"A", 1}}, "k");
  b.mass_action("outflow", {{"B", 1}}, {}, "mu");
  const ReactionNetwork net = compile(b.build());
  constexpr double kMean = 1e5;  // of A and of B; both variances too
  constexpr std::int64_t n = 4000;
  const double z = boost::math::quantile(boost::math::normal(), 1.0 - kFalseAlarmBudget / 22.0);
  const MethodInfo& method = find_method("tau-leaping-implicit", net);
  auto run = [&](const MethodInfo& m, double epsilon, std::int64_t trajectories) {
    RunSpec spec;
    spec.t_end = 40.0;
    spec.samples = 1;
    spec.trajectories = trajectories;
    spec.seed = kSeed;
    spec.threads = kThreads;
    spec.epsilon = epsilon;
    spec.initialize_trajectory = [](State& s, Rng& rng) {
      boost::random::poisson_distribution<std::int64_t, double> poisson(kMean);
      s.counts[0] = static_cast<double>(poisson(rng));
      s.counts[1] = static_cast<double>(poisson(rng));
    };
    FinalPairSink total(1);
    const EnsembleResult result = run_ensemble(
        net, m, spec, [] { return std::make_unique<FinalPairSink>(1); }, total);
    REQUIRE(result.status_counts[static_cast<std::size_t>(TrajectoryStatus::ReachedEnd)] ==
            trajectories);
    return std::make_pair(total, result);
  };
  const auto explicit_run = run(find_method("tau-leaping", net), 0.03, 4);  // 0.6 s of CPU
  const double explicit_steps = double(explicit_run.second.events) / 4.0;
  // Poisson(m): variance m, fourth central moment m (1 + 3 m).
  auto variance_se = [&](double m) {
    return std::sqrt((m * (1.0 + 3.0 * m) - m * m * (n - 3.0) / (n - 1.0)) / n) / m;
  };
  std::vector<Bias> total_bias;
  std::ostringstream table;
  table << "tau-leaping-implicit, stiff pair, n = " << n << ", z = " << z
        << ", explicit tau-leaping steps per trajectory at epsilon 0.03: " << explicit_steps
        << "\nepsilon  steps/traj  A mean bias/sigma  A var ratio  N mean bias/sigma (SE)  "
           "N var bias (SE)\n";
  for (const double epsilon : kEpsilons) {
    CAPTURE(epsilon);
    const auto [sink, result] = run(method, epsilon, n);
    const double steps = double(result.events) / double(n);
    const double a_mean = sink.a_sum / sink.n;
    const double a_variance = FinalPairSink::variance(sink.n, sink.a_sum, sink.a_square);
    Bias total;
    total.mean = (sink.total_sum / sink.n - 2.0 * kMean) / std::sqrt(2.0 * kMean);
    total.mean_se = 1.0 / std::sqrt(double(n));
    total.variance =
        FinalPairSink::variance(sink.n, sink.total_sum, sink.total_square) / (2.0 * kMean) - 1.0;
    total.variance_se = variance_se(2.0 * kMean);
    total_bias.push_back(total);
    const double a_bias = (a_mean - kMean) / std::sqrt(kMean);
    char line[200];
    std::snprintf(line, sizeof line,
                  "%-8g %-11.0f %+.4f            %.3f        %+.4f (%.4f)       %+.4f (%.4f)\n",
                  epsilon, steps, a_bias, a_variance / kMean, total.mean, total.mean_se,
                  total.variance, total.variance_se);
    table << line;
    CHECK(sink.non_integer == 0.0);  // the rounded implicit leap keeps counts whole
    CHECK(std::abs(a_bias) <= kMeanAllowance + z / std::sqrt(double(n)));
    if (epsilon == 0.01) {
      CHECK(steps * 20.0 < explicit_steps);
      CHECK(a_variance < 0.75 * kMean);
    }
  }
  const Bias& finest = total_bias.back();
  CHECK(std::abs(finest.mean) <= kMeanAllowance + z * finest.mean_se);
  CHECK(std::abs(finest.variance) <= kVarianceAllowance + z * finest.variance_se);
  for (std::size_t i = 0; i + 1 < total_bias.size(); ++i)
    for (std::size_t j = i + 1; j < total_bias.size(); ++j) {
      CHECK(std::abs(total_bias[j].mean) <=
            std::abs(total_bias[i].mean) +
                z * std::hypot(total_bias[i].mean_se, total_bias[j].mean_se));
      CHECK(std::abs(total_bias[j].variance) <=
            std::abs(total_bias[i].variance) +
                z * std::hypot(total_bias[i].variance_se, total_bias[j].variance_se));
    }
  MESSAGE(table.str());
  test::write_report("tau_leaping_implicit_stiff_pair.txt", table.str());
}

}  // namespace
}  // namespace nkappa
