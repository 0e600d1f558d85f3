// References for the formulas below:
//   Chan TF, Golub GH, LeVeque RJ. Algorithms for computing the sample variance. Am Stat
//     1983;37:242-247.
//   Hedges LV. Distribution theory for Glass's estimator of effect size. J Educ Stat
//   1981;6:107-128. Hodges JL. The significance probability of the Smirnov two-sample test. Ark Mat
//   1958;3:469-486. Holm S. A simple sequentially rejective multiple test procedure. Scand J Stat
//   1979;6:65-70. Hyndman RJ, Fan Y. Sample quantiles in statistical packages. Am Stat
//   1996;50:361-365. Marsaglia G, Tsang WW, Wang J. Evaluating Kolmogorov's distribution. J Stat
//   Softw 2003;8(18). Newcombe RG. Interval estimation for the difference between independent
//   proportions:
//     comparison of eleven methods. Stat Med 1998;17:873-890.
//   Satterthwaite FE. An approximate distribution of estimates of variance components. Biometrics
//     Bull 1946;2:110-114.
//   Schröer G, Trenkler D. Exact and randomization distributions of Kolmogorov-Smirnov tests for
//     two or three samples. Comput Stat Data Anal 1995;20:185-202.
//   Stephens MA. Use of the Kolmogorov-Smirnov, Cramér-von Mises and related statistics without
//     extensive tables. J R Stat Soc B 1970;32:115-122.
//   Welch BL. The generalization of "Student's" problem when several different population
//     variances are involved. Biometrika 1947;34:28-35.
//   Wilson EB. Probable inference, the law of succession, and statistical inference. JASA
//     1927;22:209-212.
#include "report/statistics.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <cstdlib>
#include <numbers>
#include <numeric>
#include <stdexcept>
#include <string>

namespace nkappa {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInfinity = std::numeric_limits<double>::infinity();
constexpr double kZ975 = 1.959963984540054;  // Phi^-1(0.975): two-sided 95 %

std::vector<double> without_nan(std::span<const double> values) {
  std::vector<double> out;
  out.reserve(values.size());
  for (const double v : values)
    if (!std::isnan(v)) out.push_back(v);
  return out;
}

struct MeanVariance {
  double mean = kNaN;
  double variance = kNaN;  // divisor n - 1; NaN for n < 2
};

// Corrected two-pass algorithm (Chan, Golub & LeVeque 1983): the second term removes
// the rounding error of the mean, so nearly constant samples keep their small variance.
MeanVariance mean_variance(const std::vector<double>& x) {
  MeanVariance out;
  if (x.empty()) return out;
  const double n = static_cast<double>(x.size());
  out.mean = std::accumulate(x.begin(), x.end(), 0.0) / n;
  if (x.size() < 2) return out;
  double squares = 0.0;
  double deviations = 0.0;
  for (const double v : x) {
    squares += (v - out.mean) * (v - out.mean);
    deviations += v - out.mean;
  }
  out.variance = std::max(0.0, (squares - deviations * deviations / n) / (n - 1.0));
  return out;
}

// The exact permutation p-value P(D >= d_units / (m n)) of the two-sample KS statistic given the
// pooled values (Hodges 1958 lattice-path counting; ties as in Schröer & Trenkler 1995). Under
// the null hypothesis every assignment of the labels a/b to the sorted pooled values is equally
// likely: a lattice path from (0, 0) to (m, n), a step in i for an `a`, in j for a `b`. After
// position k = i + j the ECDF difference is |i n - j m| / (m n), observable only where the next
// pooled value is larger (k a tie-block end, or k = m + n). Q(i, j), the fraction of the
// C(i + j, i) paths to (i, j) that have reached |i n - j m| >= d_units at such a position, obeys
// Q(i, j) = 1 at a violating point, else Q(i, j) = (i Q(i-1, j) + j Q(i, j-1)) / (i + j), since
// C(i+j-1, i-1) / C(i+j, i) = i / (i + j). All intermediate values are probabilities, so there is
// no overflow, and the p-value is accumulated directly (no 1 - P cancellation for small p).
double ks_exact_p_value(const std::vector<double>& x, const std::vector<double>& y,
                        std::int64_t d_units) {
  const auto m = static_cast<std::int64_t>(x.size());
  const auto n = static_cast<std::int64_t>(y.size());
  std::vector<double> pooled(x.size() + y.size());
  std::merge(x.begin(), x.end(), y.begin(), y.end(), pooled.begin());
  std::vector<char> block_end(pooled.size() + 1, 0);
  for (std::size_t k = 1; k <= pooled.size(); ++k)
    block_end[k] = (k == pooled.size() || pooled[k - 1] < pooled[k]) ? 1 : 0;

  std::vector<double> row(static_cast<std::size_t>(n) + 1, 0.0);  // row[j] = Q(i, j)
  for (std::int64_t i = 0; i <= m; ++i) {
    for (std::int64_t j = 0; j <= n; ++j) {
      const auto sj = static_cast<std::size_t>(j);
      if (i == 0 && j == 0) {
        row[0] = 0.0;
        continue;
      }
      if (block_end[static_cast<std::size_t>(i + j)] != 0 && std::abs(i * n - j * m) >= d_units) {
        row[sj] = 1.0;
        continue;
      }
      const double from_left = j > 0 ? static_cast<double>(j) * row[sj - 1] : 0.0;
      row[sj] = (static_cast<double>(i) * row[sj] + from_left) / static_cast<double>(i + j);
    }
  }
  return row[static_cast<std::size_t>(n)];
}

// Wilson (1927) score interval for k / n at 95 %, the building block of Newcombe's method 10.
struct Interval {
  double low = kNaN;
  double high = kNaN;
};
Interval wilson_interval(std::int64_t k, std::int64_t n) {
  const double kd = static_cast<double>(k);
  const double nd = static_cast<double>(n);
  const double z2 = kZ975 * kZ975;
  const double centre = (kd + z2 / 2.0) / (nd + z2);
  const double half = kZ975 * std::sqrt(kd * (nd - kd) / nd + z2 / 4.0) / (nd + z2);
  // At k = 0 (k = n) the limit is exactly 0 (1); rounding could leave a few ulps.
  return {k == 0 ? 0.0 : std::max(0.0, centre - half), k == n ? 1.0 : std::min(1.0, centre + half)};
}

void check_trace(std::span<const double> times, std::span<const double> values) {
  if (times.size() != values.size())
    throw std::invalid_argument("summarise_cell: " + std::to_string(times.size()) + " times but " +
                                std::to_string(values.size()) + " values");
  if (times.empty()) throw std::invalid_argument("summarise_cell: empty trace");
  for (std::size_t i = 0; i < times.size(); ++i) {
    if (!std::isfinite(times[i]))
      throw std::invalid_argument("summarise_cell: time " + std::to_string(i) + " is not finite");
    if (i > 0 && !(times[i] > times[i - 1]))
      throw std::invalid_argument("summarise_cell: times are not strictly increasing at index " +
                                  std::to_string(i));
  }
}

// Index of the sample at tau = 0. Times computed as (t - t_stim) / 60 may carry rounding, so 0 is
// matched to within 1e-6 of the smallest spacing.
std::size_t stimulation_index(std::span<const double> times) {
  double spacing = kInfinity;
  for (std::size_t i = 1; i < times.size(); ++i)
    spacing = std::min(spacing, times[i] - times[i - 1]);
  const double tolerance = times.size() > 1 ? 1e-6 * spacing : 0.0;
  for (std::size_t i = 0; i < times.size(); ++i)
    if (times[i] >= -tolerance) {
      if (times[i] > tolerance) break;
      return i;
    }
  throw std::invalid_argument("summarise_cell: no sample at tau = 0");
}

}  // namespace

double student_t_quantile(double p, double df) {
  if (!(p >= 0.0 && p <= 1.0) || !(df > 0.0)) return kNaN;
  if (p == 0.0) return -kInfinity;
  if (p == 1.0) return kInfinity;
  // Beyond 1e15 df the t and normal quantiles agree to double precision (difference ~ z^3 / 4df).
  if (df > 1e15) return boost::math::quantile(boost::math::normal_distribution<double>(), p);
  return boost::math::quantile(boost::math::students_t_distribution<double>(df), p);
}

double kolmogorov_survival(double lambda) {
  if (std::isnan(lambda)) return kNaN;
  if (lambda <= 0.0) return 1.0;
  constexpr double kTolerance = 1e-17;
  if (lambda < 1.0) {
    // The alternating series converges slowly for small lambda; use the equivalent Jacobi theta
    // form P(K <= lambda) = sqrt(2 pi) / lambda sum_{k>=1} exp(-(2k - 1)^2 pi^2 / (8 lambda^2))
    // (e.g. Marsaglia, Tsang & Wang 2003), whose terms fall by at least exp(-pi^2) here.
    const double c = -std::numbers::pi * std::numbers::pi / (8.0 * lambda * lambda);
    double sum = 0.0;
    for (int k = 1; k <= 100; ++k) {
      const double odd = 2.0 * k - 1.0;
      const double term = std::exp(c * odd * odd);
      sum += term;
      if (term <= kTolerance * sum) break;
    }
    return std::clamp(1.0 - std::sqrt(2.0 * std::numbers::pi) / lambda * sum, 0.0, 1.0);
  }
  // Here successive terms fall by at least exp(-6).
  double sum = 0.0;
  double sign = 1.0;
  for (int k = 1; k <= 100; ++k) {
    const double term = std::exp(-2.0 * k * k * lambda * lambda);
    sum += sign * term;
    if (term <= kTolerance * sum) break;
    sign = -sign;
  }
  return std::clamp(2.0 * sum, 0.0, 1.0);
}

KolmogorovSmirnov ks_two_sample(std::span<const double> a, std::span<const double> b,
                                KsPValue method) {
  KolmogorovSmirnov out;
  std::vector<double> x = without_nan(a);
  std::vector<double> y = without_nan(b);
  if (x.empty() || y.empty()) return out;
  std::sort(x.begin(), x.end());
  std::sort(y.begin(), y.end());
  const auto m = static_cast<std::int64_t>(x.size());
  const auto n = static_cast<std::int64_t>(y.size());

  // D in units of 1 / (m n), taken after each distinct value (all copies of a tied value are
  // consumed together): an integer, so the exact p-value compares integers, not rounded ratios.
  std::int64_t d_units = 0;
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < x.size() || j < y.size()) {
    const double v = (j == y.size() || (i < x.size() && x[i] <= y[j])) ? x[i] : y[j];
    while (i < x.size() && x[i] == v) ++i;
    while (j < y.size() && y[j] == v) ++j;
    d_units = std::max(
        d_units, std::abs(static_cast<std::int64_t>(i) * n - static_cast<std::int64_t>(j) * m));
  }
  out.statistic = static_cast<double>(d_units) / (static_cast<double>(m) * static_cast<double>(n));

  out.exact =
      method == KsPValue::Exact || (method == KsPValue::Automatic && m * n <= kKsExactLimit);
  if (out.exact) {
    out.p_value = ks_exact_p_value(x, y, d_units);
  } else {
    // Stephens (1970) for the one-sample test, with the two-sample effective size m n / (m + n)
    // (as in Press et al., Numerical Recipes, 3rd ed., §14.3.3). Ignores ties, which makes it
    // conservative for tied data.
    const double effective_n =
        static_cast<double>(m) * static_cast<double>(n) / static_cast<double>(m + n);
    const double root = std::sqrt(effective_n);
    out.p_value = kolmogorov_survival((root + 0.12 + 0.11 / root) * out.statistic);
  }
  return out;
}

SampleComparison compare_samples(std::span<const double> a, std::span<const double> b) {
  SampleComparison out;
  const std::vector<double> x = without_nan(a);
  const std::vector<double> y = without_nan(b);
  out.n_a = static_cast<std::int64_t>(x.size());
  out.n_b = static_cast<std::int64_t>(y.size());
  const MeanVariance sa = mean_variance(x);
  const MeanVariance sb = mean_variance(y);
  out.mean_a = sa.mean;
  out.mean_b = sb.mean;
  out.difference = sb.mean - sa.mean;  // NaN if either is empty

  if (out.n_a >= 2 && out.n_b >= 2) {
    const double na = static_cast<double>(out.n_a);
    const double nb = static_cast<double>(out.n_b);
    // Welch (1947): se^2 = s_a^2 / n_a + s_b^2 / n_b, Satterthwaite (1946) df
    // (w_a + w_b)^2 / (w_a^2 / (n_a - 1) + w_b^2 / (n_b - 1)), computed on w / max(w) so that
    // tiny variances cannot underflow when squared.
    const double wa = sa.variance / na;
    const double wb = sb.variance / nb;
    const double se2 = wa + wb;
    if (se2 == 0.0) {
      // No spread in either sample (e.g. deterministic ODE cells): the difference is known.
      out.ci_low = out.ci_high = out.difference;
    } else {
      const double w = std::max(wa, wb);
      const double ra = wa / w;
      const double rb = wb / w;
      const double df = (ra + rb) * (ra + rb) / (ra * ra / (na - 1.0) + rb * rb / (nb - 1.0));
      const double half = student_t_quantile(0.975, df) * std::sqrt(se2);
      out.ci_low = out.difference - half;
      out.ci_high = out.difference + half;
    }
    // Hedges' g (Hedges 1981): Cohen's d with the pooled sd, times the exact bias correction
    // J(v) = Gamma(v / 2) / (sqrt(v / 2) Gamma((v - 1) / 2)), v = n_a + n_b - 2
    // (≈ 1 - 3 / (4 v - 1)), which makes g unbiased for normal data.
    const double v = na + nb - 2.0;
    const double pooled_sd = std::sqrt(((na - 1.0) * sa.variance + (nb - 1.0) * sb.variance) / v);
    if (pooled_sd > 0.0) {
      const double j = boost::math::tgamma_ratio(v / 2.0, (v - 1.0) / 2.0) / std::sqrt(v / 2.0);
      out.effect_size = j * out.difference / pooled_sd;
    }
  }

  const KolmogorovSmirnov ks = ks_two_sample(x, y);
  out.ks_statistic = ks.statistic;
  out.ks_p_value = ks.p_value;
  out.ks_exact = ks.exact;
  return out;
}

ProportionComparison compare_proportions(std::int64_t k_a, std::int64_t n_a, std::int64_t k_b,
                                         std::int64_t n_b) {
  if (n_a < 0 || n_b < 0 || k_a < 0 || k_b < 0 || k_a > n_a || k_b > n_b)
    throw std::invalid_argument("compare_proportions: need 0 <= k <= n, got " +
                                std::to_string(k_a) + "/" + std::to_string(n_a) + " and " +
                                std::to_string(k_b) + "/" + std::to_string(n_b));
  ProportionComparison out;
  out.k_a = k_a;
  out.n_a = n_a;
  out.k_b = k_b;
  out.n_b = n_b;
  if (n_a > 0) out.p_a = static_cast<double>(k_a) / static_cast<double>(n_a);
  if (n_b > 0) out.p_b = static_cast<double>(k_b) / static_cast<double>(n_b);
  if (n_a == 0 || n_b == 0) return out;
  out.difference = out.p_b - out.p_a;
  // Newcombe (1998), method 10: the Wilson limits of each proportion combined as
  // L = d - sqrt((p_b - l_b)^2 + (u_a - p_a)^2), U = d + sqrt((u_b - p_b)^2 + (p_a - l_a)^2).
  const Interval wa = wilson_interval(k_a, n_a);
  const Interval wb = wilson_interval(k_b, n_b);
  out.ci_low = out.difference - std::hypot(out.p_b - wb.low, wa.high - out.p_a);
  out.ci_high = out.difference + std::hypot(wb.high - out.p_b, out.p_a - wa.low);
  return out;
}

std::vector<double> holm_adjust(std::span<const double> p_values) {
  std::vector<double> out(p_values.size(), kNaN);
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < p_values.size(); ++i) {
    const double p = p_values[i];
    if (std::isnan(p)) continue;
    if (p < 0.0 || p > 1.0)
      throw std::invalid_argument("holm_adjust: p-value " + std::to_string(p) + " outside [0, 1]");
    order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t l, std::size_t r) { return p_values[l] < p_values[r]; });
  // Holm (1979): the r-th smallest of m p-values (r from 0) is multiplied by m - r; the running
  // maximum keeps the adjusted values in the order of the raw ones (step-down).
  const double m = static_cast<double>(order.size());
  double running = 0.0;
  for (std::size_t r = 0; r < order.size(); ++r) {
    const double adjusted = std::min(1.0, (m - static_cast<double>(r)) * p_values[order[r]]);
    running = std::max(running, adjusted);
    out[order[r]] = running;
  }
  return out;
}

double quantile_type7(std::vector<double> values, double p) {
  std::erase_if(values, [](double v) { return std::isnan(v); });
  if (values.empty() || !(p >= 0.0 && p <= 1.0)) return kNaN;
  std::sort(values.begin(), values.end());
  const double h = static_cast<double>(values.size() - 1) * p;
  const double floor_h = std::floor(h);
  const auto lo = static_cast<std::size_t>(floor_h);
  const double fraction = h - floor_h;
  if (fraction == 0.0 || lo + 1 >= values.size()) return values[lo];
  return values[lo] + fraction * (values[lo + 1] - values[lo]);
}

QuantileSketch::QuantileSketch(int bins) {
  if (bins < 2 || bins % 2 != 0)
    throw std::invalid_argument("QuantileSketch: the bin count must be even and >= 2, got " +
                                std::to_string(bins));
  counts_.assign(static_cast<std::size_t>(bins), 0);
}

double QuantileSketch::width() const {
  return std::ldexp(1.0, level_ - 30);
}

void QuantileSketch::coarsen() {
  // Bin k reads bins 2k and 2k + 1 >= k, which no earlier step has overwritten.
  const std::size_t half = counts_.size() / 2;
  for (std::size_t k = 0; k < half; ++k) counts_[k] = counts_[2 * k] + counts_[2 * k + 1];
  std::fill(counts_.begin() + static_cast<std::ptrdiff_t>(half), counts_.end(), 0);
  ++level_;
}

void QuantileSketch::add(double x) {
  if (!(x >= 0.0) || std::isinf(x)) {
    ++rejected_;
    return;
  }
  const double bins = static_cast<double>(counts_.size());
  while (x >= width() * bins) coarsen();
  // x / width is exact (width is a power of two), so a value's bin never depends on the order of
  // additions or merges.
  const auto bin = std::min(static_cast<std::size_t>(x / width()), counts_.size() - 1);
  ++counts_[bin];
  ++count_;
  min_ = std::min(min_, x);
  max_ = std::max(max_, x);
}

void QuantileSketch::merge(const QuantileSketch& later) {
  if (later.counts_.size() != counts_.size())
    throw std::invalid_argument("QuantileSketch::merge: " + std::to_string(later.counts_.size()) +
                                " bins into " + std::to_string(counts_.size()));
  while (level_ < later.level_) coarsen();
  if (later.level_ == level_) {
    for (std::size_t k = 0; k < counts_.size(); ++k) counts_[k] += later.counts_[k];
  } else {
    QuantileSketch coarse = later;
    while (coarse.level_ < level_) coarse.coarsen();
    for (std::size_t k = 0; k < counts_.size(); ++k) counts_[k] += coarse.counts_[k];
  }
  count_ += later.count_;
  rejected_ += later.rejected_;
  min_ = std::min(min_, later.min_);
  max_ = std::max(max_, later.max_);
}

double QuantileSketch::order_statistic(std::int64_t rank) const {
  if (rank <= 0) return min_;
  if (rank >= count_ - 1) return max_;
  std::int64_t before = 0;
  for (std::size_t b = 0; b < counts_.size(); ++b) {
    const std::int64_t c = counts_[b];
    if (rank < before + c) {
      // The c values of the bin are taken as evenly spread at the centres of c equal slices.
      const double position = static_cast<double>(b) +
                              (static_cast<double>(rank - before) + 0.5) / static_cast<double>(c);
      return std::clamp(position * width(), min_, max_);
    }
    before += c;
  }
  return max_;
}

double QuantileSketch::quantile(double p) const {
  if (count_ == 0 || !(p >= 0.0 && p <= 1.0)) return kNaN;
  const double h = static_cast<double>(count_ - 1) * p;
  const double floor_h = std::floor(h);
  const auto lo = static_cast<std::int64_t>(floor_h);
  const double fraction = h - floor_h;
  const double x_lo = order_statistic(lo);
  if (fraction == 0.0) return x_lo;
  return x_lo + fraction * (order_statistic(lo + 1) - x_lo);
}

std::vector<double> smoothed_trace(std::span<const double> times, std::span<const double> values,
                                   int smoothing_points) {
  if (smoothing_points < 1 || smoothing_points % 2 == 0)
    throw std::invalid_argument("smoothing window must be an odd number of points >= 1, got " +
                                std::to_string(smoothing_points));
  check_trace(times, values);
  const std::size_t start = stimulation_index(times);
  const auto half = static_cast<std::size_t>(smoothing_points / 2);
  std::vector<double> f(values.begin(), values.end());
  for (std::size_t i = start + 1; i < values.size(); ++i) {
    const std::size_t lo = i >= half ? i - half : 0;
    const std::size_t hi = std::min(values.size() - 1, i + half);
    double sum = 0.0;
    for (std::size_t j = lo; j <= hi; ++j) sum += values[j];
    f[i] = sum / static_cast<double>(hi - lo + 1);
  }
  return f;
}

// Choices where design §6 leaves room, all made here:
// - The window ends at the last sample given (the caller passes tau <= 480 min); a candidate peak
//   needs a following sample (f(i) > f(i+1)), so the last sample is never a peak.
// - The sample before the first tau > 0 sample is tau = 0 with its raw value f0 (the trace before
//   stimulation is not part of the search).
// - "falls by at least 20 %" is f(i) - f(j) >= 0.2 (f(i) - f0); "exceeding" is f(j) > f(i)
//   strictly, so returning to exactly f(i) neither confirms nor rejects.
// - A candidate that the trace neither confirms (falls) nor rejects (exceeds) before it ends is
//   not a peak: §6 asks for the fall.
// - After a rejection the search continues at the next sample; after a confirmed peak at the
//   sample after the one where the fall was reached ("resumes after that fall"), so smaller
//   local maxima on the way down are not peaks.
// - The peak threshold is the responder threshold, so a non-responder never has a peak and
//   gets first_peak_time NaN and amplitude 0 as §6 asks; a responder without a peak (f rises and
//   stays up, as in the A20 knockout) also gets NaN and 0.
CellSummary summarise_cell(std::span<const double> times, std::span<const double> values,
                           const CellStatsSettings& settings) {
  if (!std::isfinite(settings.threshold) || !(settings.fall_fraction >= 0.0) ||
      !std::isfinite(settings.fall_fraction))
    throw std::invalid_argument(
        "summarise_cell: threshold and fall fraction must be finite, the "
        "fall fraction >= 0");
  const std::vector<double> f = smoothed_trace(times, values, settings.smoothing_points);
  const std::size_t start = stimulation_index(times);
  CellSummary out;
  out.f0 = values[start];
  if (std::any_of(f.begin() + static_cast<std::ptrdiff_t>(start), f.end(),
                  [](double v) { return std::isnan(v); }))
    return out;
  const double f0 = out.f0;
  out.rise = *std::max_element(f.begin() + static_cast<std::ptrdiff_t>(start), f.end()) - f0;
  out.responder = out.rise >= settings.threshold;

  double last_peak_time = kNaN;
  std::size_t i = start + 1;
  while (i + 1 < f.size()) {
    const double height = f[i] - f0;
    if (!(f[i] >= f[i - 1] && f[i] > f[i + 1] && height >= settings.threshold)) {
      ++i;
      continue;
    }
    std::size_t j = i + 1;
    bool fell = false;
    for (; j < f.size(); ++j) {
      if (f[j] > f[i]) break;
      if (f[i] - f[j] >= settings.fall_fraction * height) {
        fell = true;
        break;
      }
    }
    if (!fell) {
      ++i;
      continue;
    }
    if (out.peaks == 0) {
      out.first_peak_time = times[i];
      out.amplitude = height;
    }
    last_peak_time = times[i];
    ++out.peaks;
    i = j + 1;
  }
  // The mean of the successive intervals telescopes to (last - first) / (peaks - 1).
  if (out.peaks >= 2)
    out.period = (last_peak_time - out.first_peak_time) / static_cast<double>(out.peaks - 1);
  return out;
}

}  // namespace nkappa
