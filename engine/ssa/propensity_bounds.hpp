#pragma once
// Propensity bounds from species fluctuation intervals, the state of the rejection-based SSA
// family (Thanh, Priami & Zunino 2014, doi:10.1063/1.4896985). Each species s has an interval
// [lower_s, upper_s] around its count; each reaction r has bounds
// lower_bound(r) <= a_r(x) <= upper_bound(r) valid for every x inside the intervals of the
// species its law reads. While a firing leaves every count inside its interval nothing is
// recomputed; a species that leaves its interval gets a new one, and only the reactions that
// read it get new bounds.
// Mass-action laws only (k times falling factorials of counts): a falling factorial
// x (x-1) ... (x-m+1) does not decrease over the integers x >= 0, so the bounds are the law at
// the interval ends. Other laws are refused before a run (Capabilities::general_rate_laws).
// Intervals: [x - w, x + w] with w = floor(kRelativeWidth x), cut at 0. Below 1 / kRelativeWidth
// molecules the interval is the point x, so a reaction whose propensity is 0 has an upper
// bound of 0 unless one of its species is above 10 and its order exceeds 10.
// Invariant: lower_s <= counts[s] <= upper_s for every species read by a law, and the bounds
// of every reaction are those of the current intervals.
#include <cmath>
#include <cstdint>
#include <vector>

#include "engine/network/propensity.hpp"
#include "engine/network/reaction_network.hpp"
#include "engine/run/state.hpp"

namespace nkappa {

class PropensityBounds {
 public:
  static constexpr double kRelativeWidth = 0.1;  // Thanh et al.'s suggested 10 %

  explicit PropensityBounds(const ReactionNetwork& net)
      : net_(net),
        lower_(static_cast<std::size_t>(net.species_count()), 0.0),
        upper_(lower_.size(), 0.0),
        lower_bound_(static_cast<std::size_t>(net.reaction_count()), 0.0),
        upper_bound_(lower_bound_.size(), 0.0) {}

  // New intervals around every count and the bounds of every reaction.
  void reset(const State& s) {
    invalid_ = -1;
    for (std::int32_t sp = 0; sp < net_.species_count(); ++sp) set_interval(sp, s.counts[sp]);
    for (std::int32_t r = 0; r < net_.reaction_count(); ++r) compute(r, s);
  }

  // After reaction `fired` changed the counts: new intervals for the species that left theirs
  // and new bounds for their readers; on_change(r) is called for every reaction whose bounds
  // were recomputed (possibly more than once).
  template <class OnChange>
  void after_firing(const State& s, std::int32_t fired, OnChange on_change) {
    const auto& change = net_.net_change;
    for (std::int32_t i = change.offsets[fired]; i < change.offsets[fired + 1]; ++i) {
      const std::int32_t sp = change.index[i];
      const double x = s.counts[sp];
      if (x >= lower_[sp] && x <= upper_[sp]) continue;
      set_interval(sp, x);
      const auto& readers = net_.species_readers;
      for (std::int32_t j = readers.offsets[sp]; j < readers.offsets[sp + 1]; ++j) {
        const std::int32_t r = readers.index[j];
        compute(r, s);
        on_change(r);
      }
    }
  }

  double lower_bound(std::int32_t r) const { return lower_bound_[r]; }
  double upper_bound(std::int32_t r) const { return upper_bound_[r]; }
  const double* upper_bounds() const { return upper_bound_.data(); }
  std::int32_t invalid_reaction() const { return invalid_; }

 private:
  void set_interval(std::int32_t sp, double x) {
    const double w = std::floor(kRelativeWidth * x);
    lower_[sp] = x - w < 0.0 ? 0.0 : x - w;
    upper_[sp] = x + w;
  }

  void compute(std::int32_t r, const State& s) {
    const auto& factors = net_.law_factors;
    double low = net_.propensity_terms[r].k;
    double high = low;
    for (std::int32_t i = factors.offsets[r]; i < factors.offsets[r + 1]; ++i) {
      const std::int32_t sp = factors.index[i];
      if (s.counts[sp] < 0.0) {
        // A count went negative: the law is not a propensity any more; report it as the
        // other methods do when they evaluate it.
        const double a = propensity(net_, r, s.counts.data(), s.parameters.data(), s.time);
        if (!(a >= 0.0)) invalid_ = r;
        low = high = 0.0;
        break;
      }
      low *= falling_factorial(lower_[sp], factors.value[i]);
      high *= falling_factorial(upper_[sp], factors.value[i]);
    }
    lower_bound_[r] = low;
    upper_bound_[r] = high;
  }

  const ReactionNetwork& net_;
  std::vector<double> lower_;
  std::vector<double> upper_;
  std::vector<double> lower_bound_;
  std::vector<double> upper_bound_;
  std::int32_t invalid_ = -1;
};

}  // namespace nkappa
