// Gillespie's direct method (Gillespie 1977, J Phys Chem 81:2340, doi:10.1021/j100540a008).
// Exact. The waiting time is exponential with the total propensity; the reaction is chosen by
// a linear search over the cumulative propensities.
// When it wins: small networks (up to a few dozen reactions), where a linear scan over a
// contiguous array beats any tree or rejection structure.
// Invariant: propensity_[r] is the propensity of r in the current state for every r, and
// total_ equals their sum up to rounding; total_ is recomputed from scratch every 2^14 events
// and whenever a selection runs past the last reaction.
#include <cmath>
#include <vector>

#include "engine/network/propensity.hpp"
#include "engine/network/reaction_network.hpp"
#include "engine/run/method.hpp"
#include "engine/run/rng.hpp"
#include "engine/run/state.hpp"
#include "engine/run/trajectory.hpp"
#include "engine/ssa/methods_list.hpp"

namespace nkappa {
namespace {

class Direct {
 public:
  explicit Direct(const ReactionNetwork& net)
      : net_(net), propensity_(static_cast<std::size_t>(net.reaction_count()), 0.0) {}

  void reset(const State& s, Rng&) {
    invalid_ = -1;
    recompute_all(s);
  }

  Event next_event(const State& s, double, Rng& rng) {
    if (--until_recompute_ <= 0) recompute_all(s);
    if (!(total_ > 0.0)) return Event{};  // nothing can fire (or NaN, caught in fire)
    // -log(u) costs as many instructions as Boost's ziggurat here (measured with callgrind).
    const double tau = -std::log(uniform_open_closed(rng)) / total_;
    const double target = uniform_closed_open(rng) * total_;
    const std::int32_t r = select(target);
    if (r >= 0) return Event{s.time + tau, r};
    // Rounding let the running total drift above the true sum: re-sum and draw again.
    recompute_all(s);
    if (!(total_ > 0.0)) return Event{};
    const std::int32_t again = select(uniform_closed_open(rng) * total_);
    return Event{s.time + tau, again >= 0 ? again : last_positive()};
  }

  void fire(State& s, Event e) {
    s.time = e.time;
    const auto& change = net_.net_change;
    for (std::int32_t i = change.offsets[e.reaction]; i < change.offsets[e.reaction + 1]; ++i)
      s.counts[change.index[i]] += change.value[i];
    const auto& affects = net_.affects;
    double delta = 0.0;
    for (std::int32_t i = affects.offsets[e.reaction]; i < affects.offsets[e.reaction + 1]; ++i) {
      const std::int32_t q = affects.index[i];
      const double a = propensity(net_, q, s.counts.data(), s.parameters.data(), s.time);
      if (!(a >= 0.0)) invalid_ = q;
      delta += a - propensity_[q];
      propensity_[q] = a;
    }
    total_ += delta;
  }

  std::int32_t invalid_reaction() const { return invalid_; }

 private:
  static constexpr int kRecomputeInterval = 1 << 14;

  std::int32_t select(double target) const {
    const std::int32_t n = net_.reaction_count();
    double cumulative = 0.0;
    for (std::int32_t r = 0; r < n; ++r) {
      cumulative += propensity_[r];
      if (target < cumulative) return r;
    }
    return -1;
  }

  std::int32_t last_positive() const {
    for (std::int32_t r = net_.reaction_count() - 1; r >= 0; --r)
      if (propensity_[r] > 0.0) return r;
    return 0;
  }

  void recompute_all(const State& s) {
    double total = 0.0;
    for (std::int32_t r = 0; r < net_.reaction_count(); ++r) {
      const double a = propensity(net_, r, s.counts.data(), s.parameters.data(), s.time);
      if (!(a >= 0.0)) invalid_ = r;
      propensity_[static_cast<std::size_t>(r)] = a;
      total += a;
    }
    total_ = total;
    until_recompute_ = kRecomputeInterval;
  }

  const ReactionNetwork& net_;
  std::vector<double> propensity_;
  double total_ = 0.0;
  int until_recompute_ = 0;
  std::int32_t invalid_ = -1;
};

}  // namespace

MethodInfo direct_method() {
  MethodInfo info;
  info.name = "direct";
  info.kisao = "KISAO:0000029";
  info.exact = true;
  info.capabilities.time_dependent_rates = false;
  info.capabilities.general_rate_laws = true;
  info.summary = "Gillespie direct method, linear selection (Gillespie 1977)";
  info.run_block = &run_block<Direct>;
  return info;
}

}  // namespace nkappa
