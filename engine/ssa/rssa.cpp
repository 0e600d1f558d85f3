// Rejection-based SSA, RSSA (Thanh, Priami & Zunino 2014, J Chem Phys 141:134116,
// doi:10.1063/1.4896985), and RSSA with composition-rejection selection, RSSA-CR (Thanh &
// Zunino 2014, J Chem Phys 141:134117, doi:10.1063/1.4896984). Exact: candidates are drawn from
// the Poisson process of the upper bounds (waiting time exponential with their total, reaction
// with probability upper / total) and accepted with probability a_r / upper_r, i.e. thinning,
// which leaves exactly the process of the true propensities. A candidate is accepted without
// evaluating its law when the uniform falls below lower / upper (squeeze); the state does not
// change between trials, so every trial reads the same bounds, and the time accumulated over
// rejected trials belongs to the returned event.
// After a firing only species that left their fluctuation interval cause work (new interval,
// new bounds of their readers: PropensityBounds), so most firings recompute nothing: the
// saving that matters on large networks, where an event of the direct method recomputes tens
// to thousands of propensities.
// Breakpoints: a proposal dropped at a breakpoint is exact to drop (thinning of a memoryless
// process); the next call starts afresh from the breakpoint.
// RSSA selects among the upper bounds by a linear search (small and medium networks); RSSA-CR
// by CompositionGroups, O(1) in the number of reactions (large networks).
// Mass-action laws only; time-dependent laws refused (see PropensityBounds).
// Invariant: those of PropensityBounds, and the selection structure's weights equal the upper
// bounds; totals are re-summed every 2^14 updates.
#include <cmath>
#include <cstdint>
#include <vector>

#include "engine/network/propensity.hpp"
#include "engine/run/method.hpp"
#include "engine/run/rng.hpp"
#include "engine/run/trajectory.hpp"
#include "engine/ssa/composition_groups.hpp"
#include "engine/ssa/methods_list.hpp"
#include "engine/ssa/propensity_bounds.hpp"

namespace nkappa {
namespace {

// Weights with a running total, selected by a linear search (the direct method's selection).
class LinearWeights {
 public:
  explicit LinearWeights(std::int32_t size) : weight_(static_cast<std::size_t>(size), 0.0) {}

  void assign(const double* w) {
    for (std::size_t r = 0; r < weight_.size(); ++r) weight_[r] = w[r];
    resum();
  }
  void set(std::int32_t r, double w) {
    total_ += w - weight_[r];
    weight_[r] = w;
    if (--until_resum_ <= 0) resum();
  }
  double total() const { return total_; }

  std::int32_t sample(Rng& rng) {
    const double target = uniform_closed_open(rng) * total_;
    double cumulative = 0.0;
    const auto n = static_cast<std::int32_t>(weight_.size());
    for (std::int32_t r = 0; r < n; ++r) {
      cumulative += weight_[r];
      if (target < cumulative) return r;
    }
    resum();  // the running total drifted above the true sum
    return -1;
  }

  void resum() {
    double total = 0.0;
    for (const double w : weight_) total += w;
    total_ = total;
    until_resum_ = kResumInterval;
  }

 private:
  static constexpr int kResumInterval = 1 << 14;
  std::vector<double> weight_;
  double total_ = 0.0;
  int until_resum_ = kResumInterval;
};

template <class Selection>
class Rssa {
 public:
  explicit Rssa(const ReactionNetwork& net)
      : net_(net), bounds_(net), selection_(net.reaction_count()) {}

  void reset(const State& s, Rng&) {
    bounds_.reset(s);
    selection_.assign(bounds_.upper_bounds());
  }

  Event next_event(const State& s, double, Rng& rng) {
    double time = s.time;
    std::int64_t rejections = 0;
    for (;;) {
      const double total = selection_.total();
      if (!(total > 0.0)) return Event{};
      const std::int32_t r = selection_.sample(rng);
      if (r < 0) continue;  // re-summed after rounding drift: draw again
      time += unit_exponential(rng) / total;
      const double u = uniform_closed_open(rng) * bounds_.upper_bound(r);
      if (u < bounds_.lower_bound(r) ||
          u < propensity(net_, r, s.counts.data(), s.parameters.data(), s.time))
        return Event{time, r};
      // Bounds that are positive while every propensity is 0 would reject for ever; the
      // intervals make that impossible for laws of order <= 10, and this check covers the rest.
      if (++rejections % kRejectionCheck == 0 && !any_positive(s)) return Event{};
    }
  }

  void fire(State& s, Event e) {
    s.time = e.time;
    const auto& change = net_.net_change;
    for (std::int32_t i = change.offsets[e.reaction]; i < change.offsets[e.reaction + 1]; ++i)
      s.counts[change.index[i]] += change.value[i];
    bounds_.after_firing(s, e.reaction,
                         [this](std::int32_t r) { selection_.set(r, bounds_.upper_bound(r)); });
  }

  std::int32_t invalid_reaction() const { return bounds_.invalid_reaction(); }

 private:
  static constexpr std::int64_t kRejectionCheck = 1 << 16;

  bool any_positive(const State& s) const {
    for (std::int32_t r = 0; r < net_.reaction_count(); ++r)
      if (propensity(net_, r, s.counts.data(), s.parameters.data(), s.time) > 0.0) return true;
    return false;
  }

  const ReactionNetwork& net_;
  PropensityBounds bounds_;
  Selection selection_;
};

MethodInfo rssa_info(const char* name, const char* summary) {
  MethodInfo info;
  info.name = name;
  // KiSAO (checked against its term list, 2026-11) has no term for the rejection-based SSA:
  // the nearest correct one is the parent class "Gillespie-like method".
  info.kisao = "KISAO:0000241";
  info.exact = true;
  info.capabilities.time_dependent_rates = false;
  info.capabilities.general_rate_laws = false;
  info.summary = summary;
  return info;
}

}  // namespace

MethodInfo rssa_method() {
  MethodInfo info =
      rssa_info("rssa",
                "rejection-based SSA: propensity bounds from species intervals, linear selection "
                "(Thanh, Priami & Zunino 2014)");
  info.run_block = &run_block<Rssa<LinearWeights>>;
  return info;
}

MethodInfo rssa_cr_method() {
  MethodInfo info =
      rssa_info("rssa-cr",
                "rejection-based SSA with composition-rejection selection over the bounds (Thanh & "
                "Zunino 2014)");
  info.run_block = &run_block<Rssa<CompositionGroups>>;
  return info;
}

}  // namespace nkappa
