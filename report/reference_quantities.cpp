#include "report/reference_quantities.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace nkappa {

Extrema zigzag_extrema(std::span<const double> values, double fraction) {
  Extrema out;
  if (values.empty()) return out;
  if (std::any_of(values.begin(), values.end(), [](double v) { return std::isnan(v); }))
    throw std::invalid_argument("zigzag_extrema: NaN in the trace");
  const auto [low, high] = std::minmax_element(values.begin(), values.end());
  const double h = fraction * (*high - *low);
  if (!(h > 0.0)) return out;

  enum class Direction { Unset, Rising, Falling } direction = Direction::Unset;
  std::size_t candidate = 0;
  for (std::size_t i = 1; i < values.size(); ++i) {
    const double v = values[i];
    switch (direction) {
      case Direction::Unset:
        // The first sample is only the reference: it can never become an extremum.
        if (v >= values[0] + h) {
          direction = Direction::Rising;
          candidate = i;
        } else if (v <= values[0] - h) {
          direction = Direction::Falling;
          candidate = i;
        }
        break;
      case Direction::Rising:
        if (v > values[candidate]) {
          candidate = i;
        } else if (v <= values[candidate] - h) {
          out.maxima.push_back(candidate);
          direction = Direction::Falling;
          candidate = i;
        }
        break;
      case Direction::Falling:
        if (v < values[candidate]) {
          candidate = i;
        } else if (v >= values[candidate] + h) {
          out.minima.push_back(candidate);
          direction = Direction::Rising;
          candidate = i;
        }
        break;
    }
  }
  return out;  // an open candidate does not count
}

WindowQuantities window_quantities(std::span<const double> times, std::span<const double> values,
                                   double fraction) {
  if (times.size() != values.size() || times.empty())
    throw std::invalid_argument(
        "window_quantities: times and values must be non-empty, equal size");
  WindowQuantities q;
  q.value_at_start = values.front();
  q.value_at_end = values.back();
  const Extrema e = zigzag_extrema(values, fraction);
  q.maxima = e.maxima.size();
  q.minima = e.minima.size();
  const double origin = times.front();
  if (!e.maxima.empty()) {
    const std::size_t peak = e.maxima.front();
    q.first_peak_time = times[peak] - origin;
    q.first_peak_value = values[peak];
    const auto trough = std::upper_bound(e.minima.begin(), e.minima.end(), peak);
    if (trough != e.minima.end()) {
      q.first_trough_time = times[*trough] - origin;
      q.first_trough_value = values[*trough];
    }
  }
  if (e.maxima.size() >= 3)
    q.period = (times[e.maxima.back()] - times[e.maxima.front()]) /
               static_cast<double>(e.maxima.size() - 1);
  return q;
}

double reference_quantity(const std::string& name, std::span<const double> times,
                          std::span<const double> values) {
  if (name.starts_with("late_")) {
    if (times.empty()) throw std::invalid_argument("reference_quantity: empty trace");
    // The second half starts at the first grid time at or after the midpoint; a relative slack
    // of 1e-9 of the window keeps a grid time computed as t_start + k step on the right side.
    const double middle = 0.5 * (times.front() + times.back());
    const double slack = 1e-9 * (times.back() - times.front());
    const auto first = static_cast<std::size_t>(
        std::lower_bound(times.begin(), times.end(), middle - slack) - times.begin());
    const WindowQuantities late = window_quantities(times.subspan(first), values.subspan(first));
    if (name == "late_period") return late.period;
    if (name == "late_max") return late.first_peak_value;
    if (name == "late_min") return late.first_trough_value;
    throw std::invalid_argument("reference_quantity: unknown quantity '" + name + "'");
  }
  const WindowQuantities q = window_quantities(times, values);
  if (name == "value_at_stim") return q.value_at_start;
  if (name == "value_at_end") return q.value_at_end;
  if (name == "first_peak_time") return q.first_peak_time;
  if (name == "first_peak_value") return q.first_peak_value;
  if (name == "first_trough_time") return q.first_trough_time;
  if (name == "first_trough_value") return q.first_trough_value;
  if (name == "period") return q.period;
  throw std::invalid_argument("reference_quantity: unknown quantity '" + name + "'");
}

bool within_reference_tolerance(double obtained, double expected, double abs_tol, double rel_tol) {
  return std::fabs(obtained - expected) <= abs_tol + rel_tol * std::fabs(expected);
}

}  // namespace nkappa
