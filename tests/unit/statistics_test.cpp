// Statistics of `nkappa compare` (report/statistics.hpp) against values computed independently:
// published tables, hand calculation, and a Python reference (python3 + mpmath, formulas only,
// no statistics library) whose numbers are quoted where they are used:
//   - t quantiles: root of the regularised incomplete beta CDF, 30 digits;
//   - Welch / Hedges: the textbook formulas, J(v) from Gamma functions;
//   - Kolmogorov Q(lambda): the alternating series summed by mpmath.nsum;
//   - KS p-values: brute-force enumeration of every relabelling of the pooled sample (exact
//     fractions), and for 64 x 64 and 1000 x 1000 lattice-path counts in big integers.
#include <doctest/doctest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <tuple>
#include <utility>
#include <vector>

#include "engine/run/rng.hpp"
#include "report/statistics.hpp"

namespace nkappa {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<double> minute_grid(double first, double last) {
  std::vector<double> times;
  for (double t = first; t <= last; t += 1.0) times.push_back(t);
  return times;
}

// Piecewise-linear trace through (time, value) corners, sampled on `times`; flat outside.
std::vector<double> piecewise_linear(const std::vector<double>& times,
                                     const std::vector<std::pair<double, double>>& corners) {
  std::vector<double> values;
  for (const double t : times) {
    if (t <= corners.front().first) {
      values.push_back(corners.front().second);
      continue;
    }
    if (t >= corners.back().first) {
      values.push_back(corners.back().second);
      continue;
    }
    for (std::size_t k = 1; k < corners.size(); ++k)
      if (t <= corners[k].first) {
        const auto [t0, v0] = corners[k - 1];
        const auto [t1, v1] = corners[k];
        values.push_back(v0 + (v1 - v0) * (t - t0) / (t1 - t0));
        break;
      }
  }
  return values;
}

}  // namespace

TEST_CASE("statistics: Student t quantiles match table values") {
  // Tables (e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2) and mpmath: t(0.975, 10) = 2.228138852,
  // t(0.975, 1) = 12.70620474, t(0.975, 2.5) = 3.574654842, t(0.975, 1e6) = 1.959966357.
  CHECK(student_t_quantile(0.975, 10.0) == doctest::Approx(2.22813885198627).epsilon(1e-12));
  CHECK(student_t_quantile(0.975, 1.0) == doctest::Approx(12.7062047361747).epsilon(1e-12));
  CHECK(student_t_quantile(0.975, 2.5) == doctest::Approx(3.57465484200368).epsilon(1e-12));
  CHECK(student_t_quantile(0.975, 1e6) == doctest::Approx(1.95996635681411).epsilon(1e-12));
  CHECK(student_t_quantile(0.975, 1e20) == doctest::Approx(1.959963984540054).epsilon(1e-15));
  CHECK(student_t_quantile(0.025, 10.0) == doctest::Approx(-2.22813885198627).epsilon(1e-12));
  CHECK(std::isnan(student_t_quantile(0.975, 0.0)));
  CHECK(std::isnan(student_t_quantile(1.5, 10.0)));
}

TEST_CASE("statistics: Welch interval and Hedges' g on a worked example") {
  const std::vector<double> a{4.1, 5.3, 3.8, 6.0, 4.7, 5.5};
  const std::vector<double> b{6.2, 7.1, 5.9, 8.4, 6.6, 7.8, 7.0, 6.1};
  // By hand (Python): s_a^2 = 0.7, s_b^2 = 0.7726786, se^2 = 0.2132515, Welch df = 11.0755467,
  // t(0.975, df) = 2.19915487, so 1.9875 -/+ 1.02165577; pooled sd 0.86355612, Cohen's d
  // 2.30152964, J(12) = 0.93594182 (approximation 1 - 3 / (4 v - 1) = 0.93617021), g = 2.15409785.
  const SampleComparison c = compare_samples(a, b);
  CHECK(c.n_a == 6);
  CHECK(c.n_b == 8);
  CHECK(c.mean_a == doctest::Approx(4.9).epsilon(1e-14));
  CHECK(c.mean_b == doctest::Approx(6.8875).epsilon(1e-14));
  CHECK(c.difference == doctest::Approx(1.9875).epsilon(1e-14));
  CHECK(c.ci_low == doctest::Approx(0.965844228628065).epsilon(1e-11));
  CHECK(c.ci_high == doctest::Approx(3.00915577137194).epsilon(1e-11));
  CHECK(c.effect_size == doctest::Approx(2.1540978485153).epsilon(1e-11));

  SUBCASE("NaN entries (non-responders) are ignored") {
    std::vector<double> a_nan = a;
    std::vector<double> b_nan = b;
    a_nan.insert(a_nan.begin() + 2, kNaN);
    b_nan.push_back(kNaN);
    b_nan.push_back(kNaN);
    const SampleComparison d = compare_samples(a_nan, b_nan);
    CHECK(d.n_a == 6);
    CHECK(d.n_b == 8);
    CHECK(d.ci_low == c.ci_low);
    CHECK(d.ci_high == c.ci_high);
    CHECK(d.effect_size == c.effect_size);
    CHECK(d.ks_p_value == c.ks_p_value);
  }
  SUBCASE("swapping the samples negates the difference, the interval and g") {
    const SampleComparison d = compare_samples(b, a);
    CHECK(d.difference == doctest::Approx(-c.difference).epsilon(1e-14));
    CHECK(d.ci_low == doctest::Approx(-c.ci_high).epsilon(1e-12));
    CHECK(d.ci_high == doctest::Approx(-c.ci_low).epsilon(1e-12));
    CHECK(d.effect_size == doctest::Approx(-c.effect_size).epsilon(1e-12));
    CHECK(d.ks_statistic == c.ks_statistic);
    CHECK(d.ks_p_value == doctest::Approx(c.ks_p_value).epsilon(1e-12));
  }
}

TEST_CASE("statistics: degenerate samples give defined or NaN results, never garbage") {
  SUBCASE("no spread: the interval is the known difference, g is undefined") {
    const std::vector<double> a{1.0, 1.0, 1.0};
    const std::vector<double> b{2.0, 2.0, 2.0};
    const SampleComparison c = compare_samples(a, b);
    CHECK(c.difference == 1.0);
    CHECK(c.ci_low == 1.0);
    CHECK(c.ci_high == 1.0);
    CHECK(std::isnan(c.effect_size));
    CHECK(c.ks_statistic == 1.0);
    CHECK(c.ks_p_value == doctest::Approx(0.1).epsilon(1e-14));  // 2 / C(6, 3)
  }
  SUBCASE("one sample with no spread: Welch df is that of the other, n_b - 1") {
    const std::vector<double> a{3.0, 3.0, 3.0, 3.0};
    const std::vector<double> b{1.0, 2.0, 3.0, 4.0, 5.0};  // s^2 = 2.5, se^2 = 0.5
    const SampleComparison c = compare_samples(a, b);
    const double half = student_t_quantile(0.975, 4.0) * std::sqrt(0.5);
    CHECK(c.ci_low == doctest::Approx(0.0 - half).epsilon(1e-13));
    CHECK(c.ci_high == doctest::Approx(0.0 + half).epsilon(1e-13));
  }
  SUBCASE("a single value: means only") {
    const std::vector<double> a{2.0};
    const std::vector<double> b{1.0, 5.0};
    const SampleComparison c = compare_samples(a, b);
    CHECK(c.difference == 1.0);
    CHECK(std::isnan(c.ci_low));
    CHECK(std::isnan(c.ci_high));
    CHECK(std::isnan(c.effect_size));
    CHECK(c.ks_statistic == 0.5);
  }
  SUBCASE("all NaN: nothing") {
    const std::vector<double> a{kNaN, kNaN};
    const std::vector<double> b{1.0, 2.0};
    const SampleComparison c = compare_samples(a, b);
    CHECK(c.n_a == 0);
    CHECK(std::isnan(c.mean_a));
    CHECK(std::isnan(c.difference));
    CHECK(std::isnan(c.ci_low));
    CHECK(std::isnan(c.ks_statistic));
    CHECK(std::isnan(c.ks_p_value));
  }
}

TEST_CASE("statistics: Kolmogorov survival function") {
  // mpmath.nsum of 2 sum (-1)^(k-1) exp(-2 k^2 lambda^2); Q(1.36) = 0.0495 is the familiar 5 %
  // critical value, Q(1.63) = 0.0098 the 1 % one.
  CHECK(kolmogorov_survival(1.36) == doctest::Approx(0.0494858767553779).epsilon(1e-13));
  CHECK(kolmogorov_survival(1.0) == doctest::Approx(0.269999671677355).epsilon(1e-13));
  CHECK(kolmogorov_survival(1.63) == doctest::Approx(0.00984636488848653).epsilon(1e-12));
  CHECK(kolmogorov_survival(0.5) == doctest::Approx(0.963945243664875).epsilon(1e-13));
  CHECK(kolmogorov_survival(2.0) == doctest::Approx(0.000670925255779695).epsilon(1e-12));
  CHECK(kolmogorov_survival(3.0) == doctest::Approx(3.04599594894253e-8).epsilon(1e-11));
  CHECK(1.0 - kolmogorov_survival(0.3) == doctest::Approx(1.0 - 0.999990694198665).epsilon(1e-9));
  CHECK(kolmogorov_survival(0.0) == 1.0);
  CHECK(kolmogorov_survival(-1.0) == 1.0);
  CHECK(kolmogorov_survival(0.01) == 1.0);
  CHECK(kolmogorov_survival(40.0) == 0.0);
  // The two series meet at lambda = 1 without a step.
  CHECK(kolmogorov_survival(std::nextafter(1.0, 0.0)) ==
        doctest::Approx(kolmogorov_survival(1.0)).epsilon(1e-14));
  // Decreasing.
  double previous = 1.0;
  for (double lambda = 0.05; lambda < 4.0; lambda += 0.05) {
    const double q = kolmogorov_survival(lambda);
    CHECK(q <= previous);
    previous = q;
  }
}

TEST_CASE("statistics: two-sample KS statistic and exact p-value against enumeration") {
  struct Case {
    std::vector<double> a, b;
    double statistic, p_value;
  };
  // p = (relabellings with D >= observed D) / C(m + n, m), enumerated in Python.
  const std::vector<Case> cases{
      {{1.2, 3.4, 0.5, 2.2, 5.1}, {2.8, 4.4, 6.3, 3.9, 7.7, 5.6}, 19.0 / 30.0, 41.0 / 231.0},
      // ties within and between samples
      {{1, 2, 2, 3, 5}, {2, 3, 3, 4, 6, 6}, 13.0 / 30.0, 36.0 / 77.0},
      {{0.61, 0.29, 0.06, 0.59, -1.73, -0.74, 0.51},
       {-0.14, -0.85, 0.92, 2.24, 2.00, 1.53, 1.12, 1.01},
       0.75,
       28.0 / 2145.0},
      // two values only: the no-ties formula would give a very different answer
      {{0, 0, 0, 1, 1}, {0, 1, 1, 1, 1, 1, 1}, 16.0 / 35.0, 2.0 / 9.0},
  };
  for (const Case& c : cases) {
    const KolmogorovSmirnov ks = ks_two_sample(c.a, c.b);
    CHECK(ks.exact);
    CHECK(ks.statistic == doctest::Approx(c.statistic).epsilon(1e-15));
    CHECK(ks.p_value == doctest::Approx(c.p_value).epsilon(1e-13));
  }

  SUBCASE("identical samples: D = 0, p = 1 (exact and asymptotic)") {
    const std::vector<double> a{0.3, 1.5, 2.5, 2.5, 7.0};
    CHECK(ks_two_sample(a, a).statistic == 0.0);
    CHECK(ks_two_sample(a, a).p_value == 1.0);
    CHECK(ks_two_sample(a, a, KsPValue::Asymptotic).p_value == 1.0);
  }
  SUBCASE("disjoint samples: D = 1, p = 2 / C(m + n, m)") {
    const std::vector<double> a{1, 2, 3, 4, 5};
    const std::vector<double> b{10, 11, 12, 13, 14, 15};
    const KolmogorovSmirnov ks = ks_two_sample(a, b);
    CHECK(ks.statistic == 1.0);
    CHECK(ks.p_value == doctest::Approx(2.0 / 462.0).epsilon(1e-14));
    CHECK(ks_two_sample(b, a).p_value == doctest::Approx(2.0 / 462.0).epsilon(1e-14));
  }
  SUBCASE("64 x 64: the exact null tail at the 5 % critical value") {
    // a = 0..63, b = s + 0.5 .. s + 63.5: D = (s + 1) / 64. Big-integer path counts:
    // P(D >= 15/64) = 0.05917166976306817, P(D >= 16/64) = 0.03624313869735272, so the exact
    // test rejects at p < 0.05 from D = 16/64 and its size is 0.0362 (used by the calibration).
    for (const auto& [s, expected] :
         {std::pair{14, 0.05917166976306817}, std::pair{15, 0.03624313869735272}}) {
      std::vector<double> a, b;
      for (int k = 0; k < 64; ++k) {
        a.push_back(k);
        b.push_back(s + 0.5 + k);
      }
      const KolmogorovSmirnov ks = ks_two_sample(a, b);
      CHECK(ks.statistic == (s + 1) / 64.0);
      CHECK(ks.p_value == doctest::Approx(expected).epsilon(1e-12));
    }
  }
}

TEST_CASE("statistics: KS asymptotic p-value with Stephens' correction, and the exact limit") {
  // 1000 x 1000 with D = 61/1000 and 80/1000: exact (big integers) 0.0483971507918 and
  // 0.00331105696318; Stephens' formula, lambda = (sqrt(ne) + 0.12 + 0.11 / sqrt(ne)) D with
  // ne = 500, gives 0.0464417390752 and 0.00309316458869 (4 % and 7 % low: the asymptotic tail is
  // a little lighter than the lattice's).
  for (const auto& [s, exact, asymptotic] : {std::tuple{60, 0.0483971507918, 0.0464417390752},
                                             std::tuple{79, 0.00331105696318, 0.00309316458869}}) {
    std::vector<double> a, b;
    for (int k = 0; k < 1000; ++k) {
      a.push_back(k);
      b.push_back(s + 0.5 + k);
    }
    const KolmogorovSmirnov automatic = ks_two_sample(a, b);  // m n = 1e6: still exact
    CHECK(automatic.exact);
    CHECK(automatic.p_value == doctest::Approx(exact).epsilon(1e-10));
    const KolmogorovSmirnov limit = ks_two_sample(a, b, KsPValue::Asymptotic);
    CHECK_FALSE(limit.exact);
    CHECK(limit.statistic == automatic.statistic);
    CHECK(limit.p_value == doctest::Approx(asymptotic).epsilon(1e-10));
  }
  std::vector<double> a(1001), b(1000);
  for (std::size_t k = 0; k < a.size(); ++k) a[k] = static_cast<double>(k);
  for (std::size_t k = 0; k < b.size(); ++k) b[k] = static_cast<double>(k) + 30.5;
  CHECK_FALSE(ks_two_sample(a, b).exact);  // m n > kKsExactLimit
  CHECK(ks_two_sample(a, b, KsPValue::Exact).exact);
  CHECK(ks_two_sample(a, b).p_value ==
        doctest::Approx(ks_two_sample(a, b, KsPValue::Exact).p_value).epsilon(0.1));
}

TEST_CASE("statistics: Newcombe hybrid score interval reproduces Newcombe (1998) Table II") {
  // Newcombe RG, Statist. Med. 1998;17:873-890, Table II, method 10, (a)-(h) except (c), as
  // p1 - p2: here b is group 1, a is group 2. Published to 4 decimals. (The brief quoted
  // "56/70 vs 48/80 -> 0.1833, 0.0380 to 0.3190"; 56/70 - 48/80 is 0.2000 and the published
  // method-10 interval is 0.0524 to 0.3339, which the Wilson-based formula reproduces.)
  struct Case {
    std::int64_t k1, n1, k2, n2;
    double low, high;
  };
  const std::vector<Case> cases{
      {56, 70, 48, 80, 0.0524, 0.3339}, {9, 10, 3, 10, 0.1705, 0.8090},
      {5, 56, 0, 29, -0.0381, 0.1926},  {0, 10, 0, 20, -0.1611, 0.2775},
      {0, 10, 0, 10, -0.2775, 0.2775},  {10, 10, 0, 20, 0.6791, 1.0000},
      {10, 10, 0, 10, 0.6075, 1.0000},
  };
  for (const Case& c : cases) {
    CAPTURE(c.k1);
    CAPTURE(c.n1);
    CAPTURE(c.k2);
    CAPTURE(c.n2);
    const ProportionComparison p = compare_proportions(c.k2, c.n2, c.k1, c.n1);
    CHECK(p.difference == doctest::Approx(static_cast<double>(c.k1) / static_cast<double>(c.n1) -
                                          static_cast<double>(c.k2) / static_cast<double>(c.n2)));
    CHECK(std::abs(p.ci_low - c.low) <= 0.5e-4);
    CHECK(std::abs(p.ci_high - c.high) <= 0.5e-4);
  }
  // Full precision from the Python formula, including Table II's (c) 6/7 - 2/7.
  const ProportionComparison a = compare_proportions(48, 80, 56, 70);
  CHECK(a.p_a == 0.6);
  CHECK(a.p_b == 0.8);
  CHECK(a.ci_low == doctest::Approx(0.052431472402364815).epsilon(1e-12));
  CHECK(a.ci_high == doctest::Approx(0.3338726540369059).epsilon(1e-12));
  const ProportionComparison c = compare_proportions(2, 7, 6, 7);
  CHECK(c.ci_low == doctest::Approx(0.058227927482312314).epsilon(1e-12));
  CHECK(c.ci_high == doctest::Approx(0.8062496375242277).epsilon(1e-12));
  // Reversing the groups mirrors the interval.
  const ProportionComparison r = compare_proportions(56, 70, 48, 80);
  CHECK(r.ci_low == doctest::Approx(-a.ci_high).epsilon(1e-14));
  CHECK(r.ci_high == doctest::Approx(-a.ci_low).epsilon(1e-14));

  const ProportionComparison empty = compare_proportions(0, 0, 3, 10);
  CHECK(std::isnan(empty.p_a));
  CHECK(empty.p_b == 0.3);
  CHECK(std::isnan(empty.difference));
  CHECK(std::isnan(empty.ci_low));
  CHECK_THROWS_AS(compare_proportions(5, 4, 1, 2), std::invalid_argument);
  CHECK_THROWS_AS(compare_proportions(-1, 4, 1, 2), std::invalid_argument);
}

TEST_CASE("statistics: Holm adjustment by hand") {
  // Sorted: 0.005 x 4 = 0.02; 0.01 x 3 = 0.03; 0.03 x 2 = 0.06; 0.04 x 1 = 0.04 -> max 0.06.
  const std::vector<double> p{0.01, 0.04, 0.03, 0.005};
  const std::vector<double> adjusted = holm_adjust(p);
  REQUIRE(adjusted.size() == 4);
  CHECK(adjusted[0] == doctest::Approx(0.03).epsilon(1e-15));
  CHECK(adjusted[1] == doctest::Approx(0.06).epsilon(1e-15));
  CHECK(adjusted[2] == doctest::Approx(0.06).epsilon(1e-15));
  CHECK(adjusted[3] == doctest::Approx(0.02).epsilon(1e-15));

  // Capped at 1 and still monotone; a tie adjusts both values alike.
  const std::vector<double> capped = holm_adjust(std::vector<double>{0.6, 0.5, 0.5});
  CHECK(capped[0] == 1.0);
  CHECK(capped[1] == 1.0);
  CHECK(capped[2] == 1.0);
  const std::vector<double> tied = holm_adjust(std::vector<double>{0.02, 0.01, 0.01});
  CHECK(tied[1] == doctest::Approx(0.03));
  CHECK(tied[2] == doctest::Approx(0.03));
  CHECK(tied[0] == doctest::Approx(0.03));  // max(0.03, 0.02 x 1)

  // NaN stays NaN and is not counted: the others are adjusted as two tests.
  const std::vector<double> with_nan = holm_adjust(std::vector<double>{0.01, kNaN, 0.04});
  CHECK(with_nan[0] == doctest::Approx(0.02));
  CHECK(std::isnan(with_nan[1]));
  CHECK(with_nan[2] == doctest::Approx(0.04));
  CHECK(holm_adjust(std::vector<double>{}).empty());
  CHECK_THROWS_AS(holm_adjust(std::vector<double>{1.5}), std::invalid_argument);
}

TEST_CASE("statistics: type-7 quantiles by hand") {
  // Sorted {1, 2, 3, 4, 10}; h = 4 p: p = 0.1 -> 1 + 0.4 = 1.4; 0.9 -> 4 + 0.6 x 6 = 7.6
  // (R: quantile(c(1, 2, 3, 4, 10), c(0.1, 0.25, 0.5, 0.75, 0.9)) = 1.4 2 3 4 7.6).
  const std::vector<double> v{10, 1, 4, 3, 2};
  CHECK(quantile_type7(v, 0.1) == doctest::Approx(1.4).epsilon(1e-15));
  CHECK(quantile_type7(v, 0.25) == 2.0);
  CHECK(quantile_type7(v, 0.5) == 3.0);
  CHECK(quantile_type7(v, 0.75) == 4.0);
  CHECK(quantile_type7(v, 0.9) == doctest::Approx(7.6).epsilon(1e-15));
  CHECK(quantile_type7(v, 0.0) == 1.0);
  CHECK(quantile_type7(v, 1.0) == 10.0);
  CHECK(quantile_type7({kNaN, 10, 1, kNaN, 4, 3, 2}, 0.9) == doctest::Approx(7.6).epsilon(1e-15));
  CHECK(quantile_type7({5.0}, 0.3) == 5.0);
  CHECK(std::isnan(quantile_type7({}, 0.5)));
  CHECK(std::isnan(quantile_type7({kNaN}, 0.5)));
  CHECK(std::isnan(quantile_type7(v, 1.1)));
  CHECK(std::isnan(quantile_type7(v, kNaN)));
}

TEST_CASE("statistics: quantile sketch stays within its error bound and merges exactly") {
  Rng rng = trajectory_stream(2024, 0);
  std::vector<std::vector<double>> data_sets;
  std::vector<double> uniform, exponential, counts, with_outlier;
  for (int k = 0; k < 20000; ++k) {
    uniform.push_back(uniform_closed_open(rng));
    exponential.push_back(-50.0 * std::log(uniform_open_closed(rng)));
    counts.push_back(
        std::floor(30.0 * uniform_closed_open(rng) * uniform_closed_open(rng)));  // ties
    // fractions with a value 1e6 halfway through: width doubles from ~1e-3 to ~1e3 mid-stream
    with_outlier.push_back(k == 10000 ? 1e6 : uniform_closed_open(rng));
  }
  data_sets = {uniform, exponential, counts, with_outlier, {0.0}, {0.0, 0.0, 3.0}};

  for (const int bins : {16, 2048}) {
    for (std::size_t d = 0; d < data_sets.size(); ++d) {
      CAPTURE(bins);
      CAPTURE(d);
      const std::vector<double>& data = data_sets[d];
      QuantileSketch whole(bins);
      for (const double x : data) whole.add(x);
      CHECK(whole.count() == static_cast<std::int64_t>(data.size()));
      CHECK(whole.rejected() == 0);

      // Blocks of random size (some empty), merged in order, in reverse, and pairwise as a tree.
      std::vector<QuantileSketch> blocks;
      std::size_t first = 0;
      while (first < data.size()) {
        const std::size_t size = static_cast<std::size_t>(rng() % 3000);
        QuantileSketch block(bins);
        for (std::size_t i = first; i < std::min(data.size(), first + size); ++i)
          block.add(data[i]);
        blocks.push_back(block);
        first += size;
      }
      QuantileSketch forward(bins), backward(bins);
      for (const QuantileSketch& b : blocks) forward.merge(b);
      for (auto it = blocks.rbegin(); it != blocks.rend(); ++it) backward.merge(*it);
      std::vector<QuantileSketch> level = blocks;
      while (level.size() > 1) {
        std::vector<QuantileSketch> next;
        for (std::size_t i = 0; i < level.size(); i += 2) {
          next.push_back(level[i]);
          if (i + 1 < level.size()) next.back().merge(level[i + 1]);
        }
        level = next;
      }
      CHECK(forward == whole);
      CHECK(backward == whole);
      CHECK(level.front() == whole);

      // The width is the smallest the data allow, up to the factor 2 of doubling.
      const double largest = *std::max_element(data.begin(), data.end());
      CHECK(whole.error_bound() <= std::max(0x1p-30, 2.0 * largest / bins));

      std::vector<double> sorted = data;  // quantile_type7 sorts again, fast on sorted input
      std::sort(sorted.begin(), sorted.end());
      for (int k = 0; k <= 400; ++k) {
        const double p = k / 400.0;
        const double exact = quantile_type7(sorted, p);
        const double estimate = forward.quantile(p);
        CAPTURE(p);
        CHECK(std::abs(estimate - exact) <= forward.error_bound());
        CHECK(std::bit_cast<std::uint64_t>(estimate) ==
              std::bit_cast<std::uint64_t>(whole.quantile(p)));
      }
      CHECK(whole.quantile(0.0) == *std::min_element(data.begin(), data.end()));
      CHECK(whole.quantile(1.0) == largest);
    }
  }
}

TEST_CASE("statistics: quantile sketch bound, rejected values and misuse") {
  // A bound that means something: 2048 bins on U(0, 1) are accurate to 1/2048.
  Rng rng = trajectory_stream(2024, 1);
  QuantileSketch s;
  for (int k = 0; k < 1000; ++k) s.add(uniform_closed_open(rng));
  CHECK(s.error_bound() == 1.0 / 2048.0);

  QuantileSketch r(8);
  r.add(-1.0);
  r.add(kNaN);
  r.add(std::numeric_limits<double>::infinity());
  r.add(2.0);
  CHECK(r.count() == 1);
  CHECK(r.rejected() == 3);
  CHECK(r.quantile(0.5) == 2.0);
  QuantileSketch t(8);
  t.merge(r);
  CHECK(t.rejected() == 3);

  CHECK(std::isnan(QuantileSketch().quantile(0.5)));
  QuantileSketch u(4);
  u.add(1.0);
  CHECK(std::isnan(u.quantile(-0.1)));
  CHECK_THROWS_AS(QuantileSketch(7), std::invalid_argument);
  CHECK_THROWS_AS(QuantileSketch(0), std::invalid_argument);
  QuantileSketch v(8);
  CHECK_THROWS_AS(v.merge(u), std::invalid_argument);
}

TEST_CASE("statistics: smoothing by hand") {
  // tau = -2..6; f(tau > 0) is the mean of the raw samples in [tau - 2, tau + 2] that exist.
  const std::vector<double> times{-2, -1, 0, 1, 2, 3, 4, 5, 6};
  const std::vector<double> raw{0.10, 0.20, 0.05, 0.30, 0.60, 0.90, 0.80, 0.40, 0.20};
  const std::vector<double> f = smoothed_trace(times, raw, 5);
  REQUIRE(f.size() == raw.size());
  CHECK(f[0] == 0.10);  // before stimulation: raw
  CHECK(f[1] == 0.20);
  CHECK(f[2] == 0.05);  // tau = 0: raw, although a window would give 0.25
  CHECK(f[3] == doctest::Approx((0.20 + 0.05 + 0.30 + 0.60 + 0.90) / 5).epsilon(1e-15));  // 0.41
  CHECK(f[4] == doctest::Approx((0.05 + 0.30 + 0.60 + 0.90 + 0.80) / 5).epsilon(1e-15));  // 0.53
  CHECK(f[5] == doctest::Approx(0.60).epsilon(1e-15));
  CHECK(f[6] == doctest::Approx(0.58).epsilon(1e-15));
  CHECK(f[7] == doctest::Approx((0.90 + 0.80 + 0.40 + 0.20) / 4).epsilon(1e-15));  // truncated
  CHECK(f[8] == doctest::Approx((0.80 + 0.40 + 0.20) / 3).epsilon(1e-15));
  CHECK(smoothed_trace(times, raw, 1) == raw);

  // The statistics on it: f0 = 0.05 (raw), max 0.60 at tau = 3, rise 0.55; f(3) >= f(2) = 0.53,
  // > f(4) = 0.58, and f(6) = 0.4667 is 0.133 >= 0.2 x 0.55 below it: one peak.
  const CellSummary s = summarise_cell(times, raw, CellStatsSettings{});
  CHECK(s.f0 == 0.05);
  CHECK(s.rise == doctest::Approx(0.55).epsilon(1e-14));
  CHECK(s.responder);
  CHECK(s.peaks == 1);
  CHECK(s.first_peak_time == 3.0);
  CHECK(s.amplitude == doctest::Approx(0.55).epsilon(1e-14));
  CHECK(std::isnan(s.period));
  // Unsmoothed (ODE): the raw maximum 0.9 at tau = 3.
  const CellSummary ode = summarise_cell(times, raw, CellStatsSettings{.smoothing_points = 1});
  CHECK(ode.amplitude == doctest::Approx(0.85).epsilon(1e-14));
  CHECK(ode.first_peak_time == 3.0);
}

TEST_CASE("statistics: damped cosine with known peak times") {
  // f = f0 + A exp(-tau / T) (1 + cos(2 pi (tau - 50) / P)) / 2 has its maxima where
  // tan(phi / 2) = -1 / (omega T), phi = omega (tau - 50): tau_k = 50 + k P - (P / pi)
  // arctan(P / (2 pi T)). With P = 100 and T = P / (2 pi tan(2 pi / 100)) = 252.97 the shift is
  // exactly 2 min: peaks at 48, 148, 248, 348, 448 (grid points), each followed by a trough at f0.
  const double f0 = 0.003;
  const double amplitude = 0.9;
  const double period = 100.0;
  const double decay =
      period / (2.0 * std::numbers::pi * std::tan(2.0 * std::numbers::pi / period));
  auto f = [&](double tau) {
    if (tau <= 0.0) return f0;
    return f0 + amplitude * std::exp(-tau / decay) *
                    (1.0 + std::cos(2.0 * std::numbers::pi * (tau - 50.0) / period)) / 2.0;
  };
  const std::vector<double> times = minute_grid(-2.0, 480.0);
  std::vector<double> values;
  for (const double t : times) values.push_back(f(t));

  const CellSummary ode = summarise_cell(times, values, CellStatsSettings{.smoothing_points = 1});
  CHECK(ode.f0 == f0);
  CHECK(ode.responder);
  CHECK(ode.peaks == 5);
  CHECK(ode.first_peak_time == 48.0);
  CHECK(ode.period == doctest::Approx(100.0).epsilon(1e-14));
  CHECK(ode.amplitude == doctest::Approx(f(48.0) - f0).epsilon(1e-14));  // 0.741517
  CHECK(ode.rise == ode.amplitude);

  // Smoothed (SSA settings): same peak samples, amplitude the 5-point mean around tau = 48.
  const CellSummary ssa = summarise_cell(times, values, CellStatsSettings{});
  CHECK(ssa.peaks == 5);
  CHECK(ssa.first_peak_time == 48.0);
  CHECK(ssa.period == doctest::Approx(100.0).epsilon(1e-14));
  const double smoothed_peak = (f(46.0) + f(47.0) + f(48.0) + f(49.0) + f(50.0)) / 5.0;
  CHECK(ssa.amplitude == doctest::Approx(smoothed_peak - f0).epsilon(1e-14));  // 0.740049

  // Same trace in seconds, with the rounding of (t - t_stim) / 60 style arithmetic: times scale.
  std::vector<double> seconds;
  for (const double t : times) seconds.push_back(t * 60.0 + 1e-9);
  const CellSummary in_seconds = summarise_cell(seconds, values, CellStatsSettings{});
  CHECK(in_seconds.peaks == 5);
  CHECK(in_seconds.first_peak_time == doctest::Approx(48.0 * 60.0));
  CHECK(in_seconds.period == doctest::Approx(100.0 * 60.0));
}

TEST_CASE("statistics: flat trace is a non-responder") {
  const std::vector<double> times = minute_grid(-2.0, 480.0);
  const std::vector<double> values(times.size(), 0.003);
  const CellSummary s = summarise_cell(times, values, CellStatsSettings{});
  CHECK(s.f0 == 0.003);
  CHECK(std::abs(s.rise) < 1e-15);  // the 5-point mean of 0.003 rounds to within an ulp
  CHECK_FALSE(s.responder);
  CHECK(s.peaks == 0);
  CHECK(std::isnan(s.first_peak_time));
  CHECK(s.amplitude == 0.0);
  CHECK(std::isnan(s.period));
}

TEST_CASE("statistics: the 20 % fall rule") {
  const std::vector<double> times = minute_grid(-2.0, 480.0);
  const CellStatsSettings ode{.smoothing_points = 1};

  SUBCASE("a maximum exceeded before falling by 20 % is not a peak") {
    // 0.6 at 30, down to 0.5 (a fall of 0.1 < 0.2 x 0.6 = 0.12), up to 0.7 at 60, down to 0.05.
    const auto v =
        piecewise_linear(times, {{0, 0.0}, {30, 0.6}, {40, 0.5}, {60, 0.7}, {100, 0.05}});
    const CellSummary s = summarise_cell(times, v, ode);
    CHECK(s.peaks == 1);
    CHECK(s.first_peak_time == 60.0);
    CHECK(s.amplitude == doctest::Approx(0.7));
  }
  SUBCASE("a lower bump during the fall is not a second peak; the search resumes after the fall") {
    // 0.6 at 30, 0.55 at 35, 0.58 at 40 (not above 0.6), then down to 0 by 80.
    const auto v =
        piecewise_linear(times, {{0, 0.0}, {30, 0.6}, {35, 0.55}, {40, 0.58}, {80, 0.0}});
    const CellSummary s = summarise_cell(times, v, ode);
    CHECK(s.peaks == 1);
    CHECK(s.first_peak_time == 30.0);
  }
  SUBCASE("a second maximum that never falls by 20 % before the end is not a peak") {
    // Peak 1 at 30 (0.8, falls to 0.1); maximum 0.4 at 200 only falls to 0.35 (needs 0.08).
    const auto v =
        piecewise_linear(times, {{0, 0.0}, {30, 0.8}, {90, 0.1}, {200, 0.4}, {260, 0.35}});
    const CellSummary s = summarise_cell(times, v, ode);
    CHECK(s.peaks == 1);
    CHECK(s.first_peak_time == 30.0);
    CHECK(std::isnan(s.period));
    // ... but falling a little further (to 0.31, a fall of 0.09) makes it one.
    const auto w =
        piecewise_linear(times, {{0, 0.0}, {30, 0.8}, {90, 0.1}, {200, 0.4}, {260, 0.31}});
    const CellSummary t = summarise_cell(times, w, ode);
    CHECK(t.peaks == 2);
    CHECK(t.period == 170.0);
  }
  SUBCASE("rise and stay up (A20 knockout): responder without a peak") {
    const auto v =
        piecewise_linear(times, {{0, 0.003}, {40, 0.9}, {60, 0.85}, {100, 0.95}, {480, 0.9}});
    const CellSummary s = summarise_cell(times, v, ode);
    CHECK(s.responder);
    CHECK(s.rise == doctest::Approx(0.947));
    CHECK(s.peaks == 0);
    CHECK(std::isnan(s.first_peak_time));
    CHECK(s.amplitude == 0.0);
  }
  SUBCASE("a plateau peaks at its last sample") {
    const auto v = piecewise_linear(times, {{0, 0.0}, {20, 0.5}, {25, 0.5}, {60, 0.0}});
    const CellSummary s = summarise_cell(times, v, ode);
    CHECK(s.peaks == 1);
    CHECK(s.first_peak_time == 25.0);
  }
  SUBCASE("threshold: 0.09 above f0 is nothing, 0.11 is a responder with a peak") {
    const auto low = piecewise_linear(times, {{0, 0.01}, {30, 0.10}, {90, 0.01}});
    const CellSummary s = summarise_cell(times, low, ode);
    CHECK_FALSE(s.responder);
    CHECK(s.peaks == 0);
    CHECK(std::isnan(s.first_peak_time));
    CHECK(s.amplitude == 0.0);
    const auto high = piecewise_linear(times, {{0, 0.01}, {30, 0.12}, {90, 0.01}});
    const CellSummary t = summarise_cell(times, high, ode);
    CHECK(t.responder);
    CHECK(t.peaks == 1);
    CHECK(t.amplitude == doctest::Approx(0.11));
  }
}

TEST_CASE("statistics: period from three peaks") {
  // Triangular pulses peaking at 20, 110 and 190 min, back to f0 between them: period (190 - 20)
  // / 2.
  const std::vector<double> times = minute_grid(-2.0, 480.0);
  // Symmetric pulses, so that smoothing does not move their maxima.
  const auto v = piecewise_linear(times, {{0, 0.01},
                                          {20, 0.8},
                                          {40, 0.01},
                                          {70, 0.01},
                                          {110, 0.5},
                                          {150, 0.01},
                                          {190, 0.3},
                                          {230, 0.01}});
  for (const int points : {1, 5}) {
    CAPTURE(points);
    const CellSummary s = summarise_cell(times, v, CellStatsSettings{.smoothing_points = points});
    CHECK(s.peaks == 3);
    CHECK(s.first_peak_time == 20.0);
    CHECK(s.period == 85.0);
  }
}

TEST_CASE("statistics: summarise_cell input checks") {
  const std::vector<double> times{-1, 0, 1, 2};
  const std::vector<double> values{0, 0, 1, 0};
  CHECK_THROWS_AS(summarise_cell(times, std::vector<double>{0, 0, 1}, CellStatsSettings{}),
                  std::invalid_argument);
  CHECK_THROWS_AS(
      summarise_cell(std::vector<double>{-0.5, 0.5, 1.5, 2.5}, values, CellStatsSettings{}),
      std::invalid_argument);
  CHECK_THROWS_AS(summarise_cell(std::vector<double>{-1, 0, 0, 2}, values, CellStatsSettings{}),
                  std::invalid_argument);
  CHECK_THROWS_AS(summarise_cell(times, values, CellStatsSettings{.smoothing_points = 4}),
                  std::invalid_argument);
  // A NaN sample inside the window: no statistic rather than a wrong one.
  const CellSummary s =
      summarise_cell(times, std::vector<double>{0, 0, kNaN, 0}, CellStatsSettings{});
  CHECK(s.f0 == 0.0);
  CHECK(std::isnan(s.rise));
  CHECK_FALSE(s.responder);
  CHECK(s.peaks == 0);
}

}  // namespace nkappa
