// Composition-rejection SSA (Slepoy, Thompson & Plimpton 2008, J Chem Phys 128:205101,
// doi:10.1063/1.2919546). Exact: the waiting time is exponential with the total propensity as
// in the direct method; the reaction is drawn by composition-rejection over groups of
// propensities within a factor of two (CompositionGroups), so selection costs O(number of
// groups) + fewer than 2 draws, independent of the number of reactions, and an update moves a
// reaction between groups in O(1).
// When it wins: large networks (thousands of reactions) whose propensities span a moderate
// range, where the direct method's linear search and the heap's log n dominate.
// Invariant: those of CompositionGroups, whose weights are the current propensities; the
// running total and the group sums are re-summed every 2^14 updates, and a selection that
// fails through rounding drift re-sums them and draws again.
#include <cmath>
#include <vector>

#include "engine/network/propensity.hpp"
#include "engine/run/method.hpp"
#include "engine/run/rng.hpp"
#include "engine/run/trajectory.hpp"
#include "engine/ssa/composition_groups.hpp"
#include "engine/ssa/methods_list.hpp"

namespace nkappa {
namespace {

class CompositionRejection {
 public:
  explicit CompositionRejection(const ReactionNetwork& net)
      : net_(net),
        scratch_(static_cast<std::size_t>(net.reaction_count()), 0.0),
        groups_(net.reaction_count()) {}

  void reset(const State& s, Rng&) {
    invalid_ = -1;
    for (std::int32_t r = 0; r < net_.reaction_count(); ++r) scratch_[r] = evaluate(s, r);
    groups_.assign(scratch_.data());
  }

  Event next_event(const State& s, double, Rng& rng) {
    for (int attempt = 0; attempt < 2; ++attempt) {
      const double total = groups_.total();
      if (!(total > 0.0)) return Event{};
      const double tau = unit_exponential(rng) / total;
      const std::int32_t r = groups_.sample(rng);
      if (r >= 0) return Event{s.time + tau, r};
    }
    return Event{};
  }

  void fire(State& s, Event e) {
    s.time = e.time;
    const auto& change = net_.net_change;
    for (std::int32_t i = change.offsets[e.reaction]; i < change.offsets[e.reaction + 1]; ++i)
      s.counts[change.index[i]] += change.value[i];
    const auto& affects = net_.affects;
    for (std::int32_t i = affects.offsets[e.reaction]; i < affects.offsets[e.reaction + 1]; ++i) {
      const std::int32_t q = affects.index[i];
      groups_.set(q, evaluate(s, q));
    }
  }

  std::int32_t invalid_reaction() const { return invalid_; }

 private:
  double evaluate(const State& s, std::int32_t r) {
    const double a = propensity(net_, r, s.counts.data(), s.parameters.data(), s.time);
    if (a >= 0.0 && a < kInfinity) return a;
    invalid_ = r;
    return 0.0;
  }

  const ReactionNetwork& net_;
  std::vector<double> scratch_;
  CompositionGroups groups_;
  std::int32_t invalid_ = -1;
};

}  // namespace

MethodInfo composition_rejection_method() {
  MethodInfo info;
  info.name = "composition-rejection";
  info.kisao = "KISAO:0000329";  // constant-time kinetic Monte Carlo algorithm
  info.exact = true;
  info.capabilities.time_dependent_rates = false;
  info.capabilities.general_rate_laws = true;
  info.summary =
      "composition-rejection SSA: propensities grouped by powers of two, O(1) selection "
      "(Slepoy, Thompson & Plimpton 2008)";
  info.run_block = &run_block<CompositionRejection>;
  return info;
}

}  // namespace nkappa
