// Calibration of compare_samples (report/statistics.hpp) over repeated seeds: the KS test's
// false-alarm rate and power and the Welch interval's coverage are what they claim to be.
//
// Designs (R = 20,000 repetitions each; repetition r of design d draws from
// trajectory_stream(kSeed + d, r), normal variates by Boost.Random):
//   null      a ~ N(0, 1), b ~ N(0, 1), n = 64 each
//   unequal   a ~ N(0, 1), n = 64; b ~ N(0.3, 2^2), n = 32 (Welch's case: unequal n and variances)
//   shift 1   a ~ N(0, 1), b ~ N(1, 1), n = 64 each
//   shift 0.5 a ~ N(0, 1), b ~ N(0.5, 1), n = 64 each
//
// Expected values, computed outside this code (Python, formulas and Monte Carlo):
//   - KS size. With n = 64 each the exact p-value is < 0.05 exactly when D >= 16/64, and
//     P(D >= 16/64) = 0.036243 under the null (big-integer lattice-path count; P(D >= 15/64) =
//     0.059). So the fraction of p < 0.05 under the null is 0.0362, not 0.05: the exact test is
//     discrete and conservative. Testing against 0.05 would be testing the wrong number (the
//     difference is 9 binomial SE at R = 20,000).
//   - Power of the same exact test (reject iff D >= 16/64), Monte Carlo with 200,000 repetitions:
//     shift 1 sd: 0.99751 (SE 0.00011); shift 0.5 sd: 0.62884 (SE 0.00108).
//   - Welch 95 % coverage, Monte Carlo with 200,000 repetitions: null 0.95012, unequal 0.95045
//     (SE 0.0005 each): the Satterthwaite approximation costs < 0.002, allowed for below. The
//     pooled-variance interval in the unequal design covers only 0.8895: computed here too, it
//     must fail the coverage check, which shows the check can detect a wrong interval.
//   - Hedges' g with the exact correction J is unbiased for normal data: mean g = 1 at shift 1.
//     (Uncorrected, Cohen's d would average 1.006, 1.2 bounds' worth at this R: the check catches
//     gross errors such as a wrong pooled sd, and a missing correction only sometimes.)
//
// False-alarm budget. The file makes K = 8 checks; a correct implementation fails any of them
// with probability <= alpha = 1e-3 (Bonferroni, each two-sided at alpha / K:
// z = Phi^-1(1 - alpha / (2K)) = 3.84). Each check compares a binomial fraction (or a mean) with
// its expected value to within z standard errors (normal approximation; the smallest expected
// count is 20,000 x 0.0025 = 50 misses at shift 1 sd, where it is adequate). The specified
// power check, >= 95 % at shift 1 sd, is one-sided and cannot fail by chance (1,000 misses where
// 50 are expected); it is counted in K all the same.
#include <doctest/doctest.h>

#include <boost/math/distributions/normal.hpp>
#include <boost/random/normal_distribution.hpp>
#include <cmath>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "engine/run/rng.hpp"
#include "report/statistics.hpp"
#include "tests/support/test_support.hpp"

namespace nkappa {
namespace {

constexpr std::uint64_t kSeed = 19700101;
constexpr int kRepetitions = 20000;  // about 5 s in all
constexpr int kChecks = 8;
constexpr double kFileAlpha = 1e-3;

double z_limit() {
  return boost::math::quantile(boost::math::normal_distribution<double>(),
                               1.0 - kFileAlpha / (2.0 * kChecks));
}

double binomial_se(double p) {
  return std::sqrt(p * (1.0 - p) / kRepetitions);
}

struct Design {
  int index;
  int n_a;
  double sd_a;
  int n_b;
  double mean_b;
  double sd_b;
};

struct Tally {
  int ks_rejections = 0;  // p < 0.05
  int welch_covers = 0;   // the true difference mean_b lies in [ci_low, ci_high]
  int pooled_covers = 0;  // the same for the pooled-variance t interval
  double g_sum = 0.0;
  double g_sum_squares = 0.0;
};

std::vector<double> normal_sample(Rng& rng, int n, double mean, double sd) {
  boost::random::normal_distribution<double> normal(mean, sd);
  std::vector<double> x(static_cast<std::size_t>(n));
  for (double& v : x) v = normal(rng);
  return x;
}

// The classical equal-variance interval, as a wrong answer the coverage check must reject.
bool pooled_interval_covers(const std::vector<double>& a, const std::vector<double>& b,
                            double truth) {
  auto moments = [](const std::vector<double>& x) {
    double mean = 0.0;
    for (const double v : x) mean += v;
    mean /= static_cast<double>(x.size());
    double squares = 0.0;
    for (const double v : x) squares += (v - mean) * (v - mean);
    return std::pair{mean, squares};
  };
  const auto [mean_a, ss_a] = moments(a);
  const auto [mean_b, ss_b] = moments(b);
  const double na = static_cast<double>(a.size());
  const double nb = static_cast<double>(b.size());
  const double df = na + nb - 2.0;
  const double se = std::sqrt((ss_a + ss_b) / df * (1.0 / na + 1.0 / nb));
  return std::abs(mean_b - mean_a - truth) <= student_t_quantile(0.975, df) * se;
}

Tally run(const Design& d) {
  Tally t;
  for (int r = 0; r < kRepetitions; ++r) {
    Rng rng = trajectory_stream(kSeed + static_cast<std::uint64_t>(d.index),
                                static_cast<std::uint64_t>(r));
    const std::vector<double> a = normal_sample(rng, d.n_a, 0.0, d.sd_a);
    const std::vector<double> b = normal_sample(rng, d.n_b, d.mean_b, d.sd_b);
    const SampleComparison c = compare_samples(a, b);
    REQUIRE(c.ks_exact);
    if (c.ks_p_value < 0.05) ++t.ks_rejections;
    if (c.ci_low <= d.mean_b && d.mean_b <= c.ci_high) ++t.welch_covers;
    if (pooled_interval_covers(a, b, d.mean_b)) ++t.pooled_covers;
    t.g_sum += c.effect_size;
    t.g_sum_squares += c.effect_size * c.effect_size;
  }
  return t;
}

double fraction(int count) {
  return static_cast<double>(count) / kRepetitions;
}

}  // namespace

TEST_CASE("statistics calibration: KS size and power, Welch coverage, Hedges' g bias") {
  const double z = z_limit();
  const Tally null = run({0, 64, 1.0, 64, 0.0, 1.0});
  const Tally unequal = run({1, 64, 1.0, 32, 0.3, 2.0});
  const Tally shift1 = run({2, 64, 1.0, 64, 1.0, 1.0});
  const Tally shift_half = run({3, 64, 1.0, 64, 0.5, 1.0});

  std::ostringstream report;
  report << "statistics calibration, " << kRepetitions << " repetitions per design, z = " << z
         << "\n";
  auto line = [&](const std::string& what, double observed, double expected, double bound) {
    report << what << ": observed " << observed << ", expected " << expected << " +- " << bound
           << "\n";
  };

  // 1. KS false alarms at the exact test's true size.
  constexpr double kKsSize = 0.03624313869735272;
  const double size = fraction(null.ks_rejections);
  line("KS p < 0.05, null", size, kKsSize, z * binomial_se(kKsSize));
  CHECK(std::abs(size - kKsSize) <= z * binomial_se(kKsSize));

  // 2, 3. Welch coverage; 0.002 allows for the Satterthwaite approximation (see top).
  constexpr double kWelchBias = 0.002;
  const double bound = z * binomial_se(0.95) + kWelchBias;
  const double cover_null = fraction(null.welch_covers);
  const double cover_unequal = fraction(unequal.welch_covers);
  line("Welch coverage, null", cover_null, 0.95, bound);
  line("Welch coverage, unequal", cover_unequal, 0.95, bound);
  CHECK(std::abs(cover_null - 0.95) <= bound);
  CHECK(std::abs(cover_unequal - 0.95) <= bound);

  // 4. The same check rejects the pooled interval where its assumption fails (expected 0.8895).
  const double cover_pooled = fraction(unequal.pooled_covers);
  line("pooled-variance coverage, unequal (must fail)", cover_pooled, 0.8895,
       z * binomial_se(0.8895));
  CHECK(cover_pooled < 0.95 - bound);

  // 5, 6. Power at 1 sd: >= 95 % as specified, and at its Monte Carlo value 0.99751 (SE 0.00011).
  constexpr double kPowerOne = 0.99751;
  const double power1 = fraction(shift1.ks_rejections);
  const double power1_bound = z * std::hypot(binomial_se(kPowerOne), 0.00011);
  line("KS power, shift 1 sd", power1, kPowerOne, power1_bound);
  CHECK(power1 >= 0.95);
  CHECK(std::abs(power1 - kPowerOne) <= power1_bound);

  // 7. Power at 0.5 sd against its Monte Carlo value (whose own SE enters the bound).
  constexpr double kPowerHalf = 0.62884;
  const double power_half = fraction(shift_half.ks_rejections);
  const double power_bound = z * std::hypot(binomial_se(kPowerHalf), 0.00108);
  line("KS power, shift 0.5 sd", power_half, kPowerHalf, power_bound);
  CHECK(std::abs(power_half - kPowerHalf) <= power_bound);

  // 8. Hedges' g is unbiased: the mean over repetitions is 1 within z SE (SE from the sample sd).
  const double g_mean = shift1.g_sum / kRepetitions;
  const double g_sd =
      std::sqrt((shift1.g_sum_squares - kRepetitions * g_mean * g_mean) / (kRepetitions - 1.0));
  const double g_bound = z * g_sd / std::sqrt(static_cast<double>(kRepetitions));
  line("Hedges g mean, shift 1 sd", g_mean, 1.0, g_bound);
  CHECK(std::abs(g_mean - 1.0) <= g_bound);

  test::write_report("statistics_calibration.txt", report.str());
  MESSAGE(report.str());
}

}  // namespace nkappa
