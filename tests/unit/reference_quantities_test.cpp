// The reference-model quantities of design §8 (report/reference_quantities.hpp) on hand-made
// series whose extrema follow from the zig-zag rule by hand: the corner cases the rule names
// (first sample never an extremum, an open candidate at the end does not count, the threshold
// h = 2 % of max - min reached exactly), plateaus, wiggles below h, and the quantities built on
// the extrema (first peak, first trough after it, period, the late window).
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <vector>

#include "report/reference_quantities.hpp"

namespace nkappa {
namespace {

using Indices = std::vector<std::size_t>;

std::vector<double> grid(std::size_t n, double start = 0.0, double step = 1.0) {
  std::vector<double> t(n);
  for (std::size_t k = 0; k < n; ++k) t[k] = start + static_cast<double>(k) * step;
  return t;
}

TEST_CASE("zig-zag extrema: the first sample is never an extremum") {
  // Starts at the window's maximum and falls: index 0 is not a maximum, although index 5 with the
  // same value is one (a later sample lies >= h below it).
  const std::vector<double> v{10, 8, 5, 0, 5, 10, 5, 0};
  const Extrema e = zigzag_extrema(v);
  CHECK(e.maxima == Indices{5});
  CHECK(e.minima == Indices{3});
  // Starting at the minimum and rising: index 0 is not a minimum either.
  const Extrema rising = zigzag_extrema(std::vector<double>{0, 4, 10, 4, 0, 4});
  CHECK(rising.maxima == Indices{2});
  CHECK(rising.minima == Indices{4});
}

TEST_CASE("zig-zag extrema: a candidate still open at the end does not count") {
  CHECK(zigzag_extrema(std::vector<double>{0, 5, 10}).maxima.empty());
  // The last maximum's fall is less than h (h = 0.2 for a range of 10): not counted.
  const Extrema e = zigzag_extrema(std::vector<double>{0, 10, 0, 10, 9.9});
  CHECK(e.maxima == Indices{1});
  CHECK(e.minima == Indices{2});
  // A minimum open at the end (the trace ends falling) does not count either.
  const Extrema falling = zigzag_extrema(std::vector<double>{0, 10, 5, 1});
  CHECK(falling.maxima == Indices{1});
  CHECK(falling.minima.empty());
}

TEST_CASE("zig-zag extrema: a fall of exactly h counts, a smaller one does not") {
  // Range 100, h = 2 exactly (0.02 x 100 is exact in binary after rounding: 2.0).
  CHECK(zigzag_extrema(std::vector<double>{0, 100, 98}).maxima == Indices{1});
  CHECK(zigzag_extrema(std::vector<double>{0, 100, 98.5}).maxima.empty());
  // The direction is set by the first sample >= h from the first sample, not by smaller moves.
  const Extrema e = zigzag_extrema(std::vector<double>{50, 51, 49, 51.5, 100, 0});
  CHECK(e.maxima == Indices{4});
  CHECK(e.minima.empty());
}

TEST_CASE("zig-zag extrema: wiggles below h are ignored, plateaus give their first sample") {
  // A 1 % ripple (below h = 2 % of the range) on a single hump.
  const std::vector<double> v{0, 50, 99, 100, 99.5, 100, 99, 60, 20, 21, 20.5, 40};
  const Extrema e = zigzag_extrema(v);
  CHECK(e.maxima == Indices{3});  // 100 at index 3, not the equal 100 at index 5
  CHECK(e.minima == Indices{8});
  const Extrema plateau = zigzag_extrema(std::vector<double>{0, 10, 10, 10, 0, 0, 10});
  CHECK(plateau.maxima == Indices{1});
  CHECK(plateau.minima == Indices{4});
}

TEST_CASE("zig-zag extrema: a flat trace has none, NaN is refused") {
  CHECK(zigzag_extrema(std::vector<double>{3, 3, 3}).maxima.empty());
  CHECK(zigzag_extrema(std::vector<double>{}).minima.empty());
  CHECK_THROWS_AS(zigzag_extrema(std::vector<double>{0, std::nan(""), 1}), std::invalid_argument);
}

TEST_CASE("window quantities: times from the window start, trough after the first peak") {
  // Falls first (a minimum at index 2 before any maximum), then peaks at index 4, troughs at 6.
  const std::vector<double> v{5, 2, 0, 6, 10, 3, 1, 4, 9, 2};
  const std::vector<double> t = grid(v.size(), 2000.0, 0.5);
  const WindowQuantities q = window_quantities(t, v);
  CHECK(q.value_at_start == 5);
  CHECK(q.value_at_end == 2);
  CHECK(q.first_peak_time == doctest::Approx(2.0));
  CHECK(q.first_peak_value == 10);
  CHECK(q.first_trough_time == doctest::Approx(3.0));
  CHECK(q.first_trough_value == 1);
  CHECK(q.maxima == 2);
  CHECK(q.minima == 2);
  CHECK(std::isnan(q.period));  // two maxima: no period
}

TEST_CASE("window quantities: no peak means no peak, trough or period") {
  const std::vector<double> v{0, 1, 2, 3, 4};
  const WindowQuantities q = window_quantities(grid(v.size()), v);
  CHECK(std::isnan(q.first_peak_time));
  CHECK(std::isnan(q.first_peak_value));
  CHECK(std::isnan(q.first_trough_time));
  CHECK(std::isnan(q.period));
  CHECK_THROWS_AS(window_quantities(grid(2), std::vector<double>{1}), std::invalid_argument);
}

TEST_CASE("window quantities: period is the mean spacing of all maxima, from 3 maxima on") {
  // Maxima at t = 1, 4, 9 (spacings 3 and 5): period 4; the fourth hump is still open.
  const std::vector<double> v{0, 10, 0, 5, 10, 0, 2, 5, 8, 10, 0, 10};
  const WindowQuantities q = window_quantities(grid(v.size()), v);
  CHECK(q.maxima == 3);
  CHECK(q.period == doctest::Approx(4.0));
  // A sampled cosine of period 2 pi: the maxima sit on the grid points nearest 2 pi k.
  const double step = 0.01;
  const std::vector<double> t = grid(3001, 0.0, step);
  std::vector<double> c;
  for (double x : t) c.push_back(std::cos(x));
  const WindowQuantities cq = window_quantities(t, c);
  CHECK(cq.maxima == 4);  // 2 pi, 4 pi, 6 pi, 8 pi (the first sample, t = 0, does not count)
  CHECK(std::fabs(cq.period - 2 * std::numbers::pi) <= step);
  CHECK(std::fabs(cq.first_trough_time - 3 * std::numbers::pi) <= step);
}

TEST_CASE("reference quantities by name, including the late window") {
  // 0..20 on a unit grid: big humps (period 2) in the first half, then humps of height 1 in the
  // second half (t >= 10): below h = 2 of the whole window, but seen by the late window, whose
  // own range sets its own h (0.02).
  const std::vector<double> v{0,   100, 0,   50, 0,   50, 0,   50, 0,   50, 0,
                              0.5, 1,   0.5, 0,  0.5, 1,  0.5, 0,  0.5, 1};
  const std::vector<double> t = grid(v.size());
  CHECK(reference_quantity("value_at_stim", t, v) == 0);
  CHECK(reference_quantity("value_at_end", t, v) == 1);
  CHECK(reference_quantity("first_peak_time", t, v) == 1);
  CHECK(reference_quantity("first_peak_value", t, v) == 100);
  CHECK(reference_quantity("first_trough_time", t, v) == 2);
  CHECK(reference_quantity("first_trough_value", t, v) == 0);
  CHECK(reference_quantity("period", t, v) == doctest::Approx(2.0));  // maxima at 1,3,5,7,9
  // Second half, t = 10 .. 20: maxima at 12 and 16 (20 is open), minima at 14 and 18.
  CHECK(std::isnan(reference_quantity("late_period", t, v)));
  CHECK(reference_quantity("late_max", t, v) == 1);
  CHECK(reference_quantity("late_min", t, v) == 0);
  // Extended to t = 25, the second half starts at 12.5 (first sample t = 13, value 0.5, so t = 12
  // drops out) and holds maxima at 16, 20 and 24: period 4.
  std::vector<double> longer = v;
  for (double x : {0.5, 0.0, 0.5, 1.0, 0.5}) longer.push_back(x);
  const std::vector<double> t2 = grid(longer.size());
  CHECK(reference_quantity("late_period", t2, longer) == doctest::Approx(4.0));
  CHECK(reference_quantity("late_min", t2, longer) == 0);
  CHECK_THROWS_AS(reference_quantity("peak", t, v), std::invalid_argument);
}

TEST_CASE("reference tolerance: abs + rel x |expected|, NaN never passes") {
  CHECK(within_reference_tolerance(1.01, 1.0, 0.0, 0.0100001));
  CHECK_FALSE(within_reference_tolerance(1.02, 1.0, 0.0, 0.01));
  CHECK(within_reference_tolerance(30.6, 30.3, 0.303, 0.0));
  CHECK_FALSE(within_reference_tolerance(30.7, 30.3, 0.303, 0.0));
  CHECK(within_reference_tolerance(5e-13, 0.0, 1e-12, 0.01));
  CHECK_FALSE(within_reference_tolerance(std::nan(""), 0.0, 1.0, 1.0));
}

}  // namespace
}  // namespace nkappa
