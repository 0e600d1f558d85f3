#pragma once
// The numbers a reference model must reproduce (design/nfkb-nemo-model.md §8), computed from a
// trace sampled on the output grid t_start + k step, k = 0 .. (t_end - t_start) / step. This is
// the one place that defines them; the reference-model test and any report use it.
//
// Extrema follow §8's zig-zag rule with threshold h = fraction x (max - min) over the window:
// the first sample is never an extremum; the direction is unset until a sample lies >= h above
// (rising) or below (falling) the first sample. While rising, the candidate maximum is the
// largest sample so far (the first of equal ones); it counts once a later sample lies >= h below
// it, and the scan turns to falling from that sample (symmetrically for minima). A candidate
// still open at the end of the window does not count. A flat window (max = min) has none.
#include <cstddef>
#include <limits>
#include <span>
#include <string>
#include <vector>

namespace nkappa {

inline constexpr double kExtremumThresholdFraction = 0.02;  // §8: h = 2 % of max - min

// Indices (into the given window) of the counted maxima and minima, each in increasing order.
// Maxima and minima alternate. NaN values are not allowed (std::invalid_argument).
struct Extrema {
  std::vector<std::size_t> maxima;
  std::vector<std::size_t> minima;
};
Extrema zigzag_extrema(std::span<const double> values,
                       double fraction = kExtremumThresholdFraction);

// §8's quantities of one window. Times are the grid times minus the window's first time. NaN
// where the quantity does not exist: no maximum; no minimum after the first maximum; a period
// needs at least 3 maxima.
struct WindowQuantities {
  double value_at_start = std::numeric_limits<double>::quiet_NaN();
  double value_at_end = std::numeric_limits<double>::quiet_NaN();
  double first_peak_time = std::numeric_limits<double>::quiet_NaN();
  double first_peak_value = std::numeric_limits<double>::quiet_NaN();
  double first_trough_time = std::numeric_limits<double>::quiet_NaN();   // first minimum after
  double first_trough_value = std::numeric_limits<double>::quiet_NaN();  // the first maximum
  double period = std::numeric_limits<double>::quiet_NaN();  // mean spacing of all maxima
  std::size_t maxima = 0;
  std::size_t minima = 0;
};
// times strictly increasing, same length as values, at least one sample.
WindowQuantities window_quantities(std::span<const double> times, std::span<const double> values,
                                   double fraction = kExtremumThresholdFraction);

// A quantity by its name in expected.tsv: value_at_stim, value_at_end, first_peak_time,
// first_peak_value, first_trough_time, first_trough_value, period over the whole window, and
// late_period, late_max, late_min: period, first peak value and first trough value over the
// second half of the window (the samples from t_start + (t_end - t_start) / 2 on; §8 applies the
// same rules there). std::invalid_argument for an unknown name.
double reference_quantity(const std::string& name, std::span<const double> times,
                          std::span<const double> values);

// §8's tolerance rule: |obtained - expected| <= abs_tol + rel_tol |expected|; NaN never passes.
bool within_reference_tolerance(double obtained, double expected, double abs_tol, double rel_tol);

}  // namespace nkappa
