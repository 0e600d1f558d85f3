#pragma once
// Statistics used by `nkappa compare` (mutant vs wild type): two-sample comparisons of per-cell
// values, proportions, multiple-testing adjustment, quantiles (exact and a bounded-memory sketch)
// and the per-cell statistics of a readout trace defined in design/nfkb-nemo-model.md §6.
//
// Pure functions and value types; nothing here allocates per event or keeps whole trajectories.
// Programming errors (mismatched lengths, invalid settings) throw std::invalid_argument; data
// that cannot support a statistic (too few values, zero spread) gives NaN instead.
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

namespace nkappa {

// Quantile of Student's t distribution with `df` > 0 degrees of freedom (not necessarily an
// integer, as the Welch–Satterthwaite df is not); the normal quantile for df beyond 1e15.
double student_t_quantile(double p, double df);

// Survival function of the Kolmogorov distribution, Q(lambda) = P(K > lambda)
// = 2 sum_{k>=1} (-1)^(k-1) exp(-2 k^2 lambda^2) (Kolmogorov 1933; Smirnov 1948). 1 for lambda <=
// 0.
double kolmogorov_survival(double lambda);

// Two-sample Kolmogorov–Smirnov test, two-sided.
enum class KsPValue : std::uint8_t {
  Automatic,  // exact when n_a * n_b <= kKsExactLimit, else asymptotic
  Exact,      // permutation distribution of D given the pooled values (valid with ties)
  Asymptotic  // Kolmogorov limit with the Stephens (1970) effective-n correction
};
inline constexpr std::int64_t kKsExactLimit = 1'000'000;  // O(n_a n_b) work: about 1 ms

struct KolmogorovSmirnov {
  double statistic = std::numeric_limits<double>::quiet_NaN();  // D = sup |F_a - F_b|
  double p_value = std::numeric_limits<double>::quiet_NaN();
  bool exact = false;  // which p-value was computed
};
// NaN entries are ignored. Either sample empty: NaN statistic and p-value.
KolmogorovSmirnov ks_two_sample(std::span<const double> a, std::span<const double> b,
                                KsPValue method = KsPValue::Automatic);

// Two-sample comparison of per-cell values (b minus a).
struct SampleComparison {
  std::int64_t n_a = 0, n_b = 0;
  double mean_a = std::numeric_limits<double>::quiet_NaN();
  double mean_b = std::numeric_limits<double>::quiet_NaN();
  double difference = std::numeric_limits<double>::quiet_NaN();  // mean_b - mean_a
  // 95 % Welch CI of the difference (Welch–Satterthwaite df, Student t quantile); NaN unless both
  // samples have >= 2 values; the single point `difference` when both standard deviations are 0.
  double ci_low = std::numeric_limits<double>::quiet_NaN();
  double ci_high = std::numeric_limits<double>::quiet_NaN();
  // Hedges' g (pooled sd, exact small-sample correction); NaN when both sds are 0 or n < 2.
  double effect_size = std::numeric_limits<double>::quiet_NaN();
  double ks_statistic = std::numeric_limits<double>::quiet_NaN();
  double ks_p_value = std::numeric_limits<double>::quiet_NaN();
  bool ks_exact = false;
};
// NaN entries are ignored (non-responders have NaN peak times, periods, ...).
SampleComparison compare_samples(std::span<const double> a, std::span<const double> b);

// Difference of two proportions, p_b - p_a, with the 95 % hybrid score interval of Newcombe
// (1998, method 10). With n_a or n_b = 0 the undefined parts are NaN.
struct ProportionComparison {
  std::int64_t k_a = 0, n_a = 0, k_b = 0, n_b = 0;
  double p_a = std::numeric_limits<double>::quiet_NaN();
  double p_b = std::numeric_limits<double>::quiet_NaN();
  double difference = std::numeric_limits<double>::quiet_NaN();
  double ci_low = std::numeric_limits<double>::quiet_NaN();
  double ci_high = std::numeric_limits<double>::quiet_NaN();
};
ProportionComparison compare_proportions(std::int64_t k_a, std::int64_t n_a, std::int64_t k_b,
                                         std::int64_t n_b);

// Holm–Bonferroni adjusted p-values (Holm 1979), in the input order, monotone in the raw
// p-values and capped at 1. NaN entries stay NaN and do not count as tests.
std::vector<double> holm_adjust(std::span<const double> p_values);

// Sample quantile of Hyndman & Fan (1996) type 7 (R's default): with the n values sorted,
// h = (n - 1) p, x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]). NaN values are dropped;
// NaN for no values or p outside [0, 1].
double quantile_type7(std::vector<double> values, double p);

// Mergeable quantile sketch with bounded memory for non-negative data (counts, fractions): an
// equi-width histogram of B bins over [0, width B). The width starts at 2^-30 and doubles (pairs
// of bins merge) whenever a value falls beyond the range, so every width is 2^-30 times a power of
// two: two sketches align exactly by coarsening the finer one, and a merged sketch equals, bin for
// bin, the sketch of all values added in any order. Memory: B counts.
class QuantileSketch {
 public:
  explicit QuantileSketch(int bins = 2048);  // bins: even, >= 2

  // Negative, NaN and infinite values cannot be placed in a bin: they are counted in rejected()
  // and otherwise ignored (the per-cell statistics sketched are counts and fractions, so such a
  // value signals a bug upstream that the caller can report).
  void add(double x);
  // Adds another sketch's values; throws std::invalid_argument for a different bin count.
  void merge(const QuantileSketch& later);

  std::int64_t count() const { return count_; }
  std::int64_t rejected() const { return rejected_; }
  int bins() const { return static_cast<int>(counts_.size()); }
  double width() const;
  std::span<const std::int64_t> counts() const { return counts_; }
  double min() const { return min_; }  // exact; +inf when empty
  double max() const { return max_; }  // exact; -inf when empty

  // Type-7 quantile estimate: each order statistic is placed inside the bin holding its rank
  // (ranks spread evenly over the bin, clamped to the exact min and max), then interpolated as in
  // quantile_type7. NaN when empty or p outside [0, 1].
  double quantile(double p) const;
  // |quantile(p) - quantile_type7(all values, p)| <= error_bound(): every estimated order
  // statistic lies in the bin of the true one, and the interpolation is a convex combination.
  double error_bound() const { return width(); }

  bool operator==(const QuantileSketch&) const = default;

 private:
  void coarsen();  // width *= 2: bin k takes bins 2k and 2k + 1
  double order_statistic(std::int64_t rank) const;

  std::vector<std::int64_t> counts_;
  int level_ = 0;  // width = 2^(level_ - 30)
  std::int64_t count_ = 0;
  std::int64_t rejected_ = 0;
  double min_ = std::numeric_limits<double>::infinity();
  double max_ = -std::numeric_limits<double>::infinity();
};

// Per-cell statistics of a readout trace, exactly as design §6 defines them.
struct CellStatsSettings {
  double threshold = 0.10;      // responder: rise >= threshold; peak: f(i) - f0 >= threshold
  double fall_fraction = 0.20;  // a peak counts once f falls by this fraction of f(i) - f0
                                // before exceeding f(i)
  int smoothing_points = 5;     // centred moving average for SSA traces (1 = none, for ODE); odd
};
struct CellSummary {
  double f0 = std::numeric_limits<double>::quiet_NaN();    // raw sample at tau = 0
  double rise = std::numeric_limits<double>::quiet_NaN();  // max of f over tau in [0, end] - f0
  bool responder = false;
  int peaks = 0;
  double first_peak_time = std::numeric_limits<double>::quiet_NaN();  // NaN when no peak
  double amplitude = 0.0;  // f(first peak) - f0; 0 when there is no peak
  double period = std::numeric_limits<double>::quiet_NaN();  // mean peak interval, >= 2 peaks
};

// The trace f that §6 analyses: values[i] unchanged for tau <= 0; for tau > 0 the mean of the
// raw values[j], |j - i| <= (points - 1) / 2, over the samples that exist (the window is truncated
// at both ends of the given samples; samples before tau = 0 serve it). `times` are tau values,
// strictly increasing, in any unit.
std::vector<double> smoothed_trace(std::span<const double> times, std::span<const double> values,
                                   int smoothing_points);

// times: tau values (relative to stimulation), strictly increasing, one of them 0 (to within 1e-6
// of the smallest sample spacing); the statistics window is [0, last time], so pass the samples up
// to tau = 480 min and no further. Samples before 0 are used only by the smoothing window.
// A NaN in f over the window makes rise NaN (not a responder, no peaks).
CellSummary summarise_cell(std::span<const double> times, std::span<const double> values,
                           const CellStatsSettings& settings);

}  // namespace nkappa
