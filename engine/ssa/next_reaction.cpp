// Next reaction method (Gibson & Bruck 2000, J Phys Chem A 104:1876, doi:10.1021/jp993732q).
// Exact. Every reaction keeps an absolute putative firing time in an indexed binary heap; the
// next event is the heap's top. After a firing only the reactions in the fired reaction's
// `affects` row change: the fired one draws a fresh exponential, the others rescale their
// remaining time by old/new propensity (reuse of random numbers), so an event costs one random
// number and O(affected x log n) heap work, and selection never scans the reactions.
// A reaction whose propensity drops to 0 keeps its remaining unit-rate exponential
// (old propensity x remaining time) and resumes from it when its propensity becomes positive
// again (Gibson & Bruck's handling of zero propensities).
// Breakpoints: next_event only reads the heap, so the event loop may drop a proposal at a
// breakpoint and ask again: the stored times, conditioned on no firing before the breakpoint,
// are still distributed exactly (independent exponentials are memoryless), and the same
// proposal comes back. reset() (start, model events) draws every time afresh.
// When it wins: large networks with a sparse dependency graph, where the direct method's
// linear selection dominates; no running total exists, so none drifts.
// Invariant: time_[r] is reaction r's putative absolute firing time (+inf when its propensity
// is 0, then residual_[r] holds its remaining unit-rate exponential); the heap orders time_.
#include <cmath>
#include <vector>

#include "engine/network/propensity.hpp"
#include "engine/run/method.hpp"
#include "engine/run/rng.hpp"
#include "engine/run/trajectory.hpp"
#include "engine/ssa/indexed_heap.hpp"
#include "engine/ssa/methods_list.hpp"

namespace nkappa {
namespace {

class NextReaction {
 public:
  explicit NextReaction(const ReactionNetwork& net)
      : net_(net),
        propensity_(static_cast<std::size_t>(net.reaction_count()), 0.0),
        time_(propensity_.size(), kInfinity),
        residual_(propensity_.size(), 0.0),
        heap_(net.reaction_count()) {}

  void reset(const State& s, Rng& rng) {
    invalid_ = -1;
    for (std::int32_t r = 0; r < net_.reaction_count(); ++r) {
      const double a = evaluate(s, r);
      const double exponential = unit_exponential(rng);
      propensity_[r] = a;
      if (a > 0.0) {
        time_[r] = s.time + exponential / a;
      } else {
        time_[r] = kInfinity;
        residual_[r] = exponential;
      }
    }
    heap_.build(time_.data());
    spare_ready_ = false;
  }

  Event next_event(const State&, double, Rng& rng) {
    if (heap_.empty()) return Event{};
    // The fired reaction's next exponential is drawn here, where the generator is at hand;
    // it is independent of everything before, and kept if the proposal is dropped.
    if (!spare_ready_) {
      spare_exponential_ = unit_exponential(rng);
      spare_ready_ = true;
    }
    const IndexedHeap::Node& top = heap_.top();
    if (std::isinf(top.time)) return Event{};
    return Event{top.time, top.reaction};
  }

  void fire(State& s, Event e) {
    s.time = e.time;
    const auto& change = net_.net_change;
    for (std::int32_t i = change.offsets[e.reaction]; i < change.offsets[e.reaction + 1]; ++i)
      s.counts[change.index[i]] += change.value[i];
    const auto& affects = net_.affects;
    bool fired_updated = false;
    for (std::int32_t i = affects.offsets[e.reaction]; i < affects.offsets[e.reaction + 1]; ++i) {
      const std::int32_t q = affects.index[i];
      const double a = evaluate(s, q);
      const double old = propensity_[q];
      propensity_[q] = a;
      double t;
      if (q == e.reaction) {
        fired_updated = true;
        t = a > 0.0 ? s.time + spare_exponential_ / a : kInfinity;
        if (!(a > 0.0)) residual_[q] = spare_exponential_;
        spare_ready_ = false;
      } else if (old > 0.0) {
        if (a > 0.0) {
          t = s.time + (old / a) * (time_[q] - s.time);
        } else {
          residual_[q] = old * (time_[q] - s.time);
          t = kInfinity;
        }
      } else {
        t = a > 0.0 ? s.time + residual_[q] / a : kInfinity;
      }
      time_[q] = t;
      heap_.update(q, t);
    }
    if (!fired_updated) {
      // The fired reaction does not affect its own propensity (e.g. 0 -> A): it still needs a
      // new firing time.
      const std::int32_t r = e.reaction;
      time_[r] = s.time + spare_exponential_ / propensity_[r];
      spare_ready_ = false;
      heap_.update(r, time_[r]);
    }
  }

  std::int32_t invalid_reaction() const { return invalid_; }

 private:
  double evaluate(const State& s, std::int32_t r) {
    const double a = propensity(net_, r, s.counts.data(), s.parameters.data(), s.time);
    if (a >= 0.0) return a;
    invalid_ = r;
    return 0.0;
  }

  const ReactionNetwork& net_;
  std::vector<double> propensity_;
  std::vector<double> time_;
  std::vector<double> residual_;
  IndexedHeap heap_;
  double spare_exponential_ = 0.0;
  bool spare_ready_ = false;
  std::int32_t invalid_ = -1;
};

}  // namespace

MethodInfo next_reaction_method() {
  MethodInfo info;
  info.name = "next-reaction";
  info.kisao = "KISAO:0000027";
  info.exact = true;
  info.capabilities.time_dependent_rates = false;
  info.capabilities.general_rate_laws = true;
  info.summary =
      "Gibson-Bruck next reaction method: indexed heap of firing times, reused random numbers "
      "(Gibson & Bruck 2000)";
  info.run_block = &run_block<NextReaction>;
  return info;
}

}  // namespace nkappa
