#pragma once
// The propensity of every reaction and their running total, kept up to date incrementally: the
// state shared by the direct-method family. After a firing only the reactions in the fired
// reaction's `affects` row are recomputed.
// Invariant: value(r) is the propensity of r in the current state, and total() equals their sum
// up to rounding; the total is re-summed every 2^14 updates (against drift) and on demand.
#include <cstdint>
#include <vector>

#include <cmath>

#include "engine/network/propensity.hpp"
#include "engine/network/reaction_network.hpp"
#include "engine/run/rng.hpp"
#include "engine/run/state.hpp"

namespace nkappa {

class PropensityTable {
 public:
  explicit PropensityTable(const ReactionNetwork& net)
      : net_(net), value_(static_cast<std::size_t>(net.reaction_count()), 0.0) {
    for (std::int32_t r = 0; r < net.reaction_count(); ++r) {
      const MassActionShape shape = net.propensity_terms[static_cast<std::size_t>(r)].shape;
      (shape == MassActionShape::X    ? by_shape_x_
       : shape == MassActionShape::XY ? by_shape_xy_
                                      : by_shape_other_)
          .push_back(r);
    }
  }

  // Every propensity from the state (once per trajectory for the exact methods, once per leap
  // for tau-leaping, where it is hot): the first- and second-order laws in loops of their own,
  // without the per-reaction branch on the shape; then the total in reaction order.
  void recompute_all(const State& s) {
    const PropensityTerm* terms = net_.propensity_terms.data();
    const double* counts = s.counts.data();
    const double* parameters = s.parameters.data();
    const double time = s.time;
    double* value = value_.data();
    for (const std::int32_t r : by_shape_x_) value[r] = first_order_propensity(terms[r], counts);
    for (const std::int32_t r : by_shape_xy_) value[r] = second_order_propensity(terms[r], counts);
    for (const std::int32_t r : by_shape_other_)
      value[r] = propensity(net_, terms[r], r, counts, parameters, time);
    const std::int32_t reactions = net_.reaction_count();
    double total = 0.0;
    bool bad = false;
    for (std::int32_t r = 0; r < reactions; ++r) {
      bad |= !(value[r] >= 0.0);
      total += value[r];
    }
    invalid_ = -1;
    if (bad) [[unlikely]]
      for (std::int32_t r = 0; r < reactions; ++r)
        if (!(value[r] >= 0.0)) invalid_ = r;
    total_ = total;
    until_resum_ = kResumInterval;
  }

  // Applies reaction r's net change to the state and recomputes the propensities it affects.
  [[gnu::always_inline]] void fire(State& s, std::int32_t r) {
    const auto& change = net_.net_change;
    double* counts = s.counts.data();
    for (std::int32_t i = change.offsets[r]; i < change.offsets[r + 1]; ++i)
      counts[change.index[i]] += change.value[i];
    // Pointers held in locals: the compiler cannot prove that the stores below leave the
    // vectors' own pointers unchanged, and would reload them for every dependent.
    const std::int32_t* q = net_.affects.index.data() + net_.affects.offsets[r];
    const std::int32_t* const end = net_.affects.index.data() + net_.affects.offsets[r + 1];
    const PropensityTerm* terms = net_.propensity_terms.data();
    const double* parameters = s.parameters.data();
    const double time = s.time;
    double* value = value_.data();
    double delta = 0.0;
    bool bad = false;  // a branch per dependent costs more than this flag and a rare re-scan
    for (; q != end; ++q) {
      const double a = propensity(net_, terms[*q], *q, counts, parameters, time);
      bad |= !(a >= 0.0);
      delta += a - value[*q];
      value[*q] = a;
    }
    total_ += delta;
    if (bad) [[unlikely]]
      mark_invalid(r);
    if (--until_resum_ <= 0) resum();
  }

  // The last dependent of r whose propensity is negative or NaN (what fire() found). Out of
  // line, so that fire() stays small enough to be inlined into the event loop.
  [[gnu::noinline, gnu::cold]] void mark_invalid(std::int32_t r) {
    const auto& affects = net_.affects;
    for (std::int32_t i = affects.offsets[r]; i < affects.offsets[r + 1]; ++i)
      if (!(value_[static_cast<std::size_t>(affects.index[i])] >= 0.0)) invalid_ = affects.index[i];
  }

  [[gnu::noinline]] void resum() {
    double total = 0.0;
    for (double a : value_) total += a;
    total_ = total;
    until_resum_ = kResumInterval;
  }

  double total() const { return total_; }
  double value(std::int32_t r) const { return value_[static_cast<std::size_t>(r)]; }
  const double* values() const { return value_.data(); }
  std::int32_t size() const { return static_cast<std::int32_t>(value_.size()); }
  std::int32_t invalid_reaction() const { return invalid_; }

 private:
  static constexpr int kResumInterval = 1 << 14;
  const ReactionNetwork& net_;
  std::vector<double> value_;
  std::vector<std::int32_t> by_shape_x_, by_shape_xy_, by_shape_other_;  // reactions by shape
  double total_ = 0.0;
  int until_resum_ = kResumInterval;
  std::int32_t invalid_ = -1;
};

// One step of Gillespie's direct method on the table: an exponential waiting time with the total
// propensity, the reaction by a linear search over the cumulative propensities in reaction
// order. A search that runs past the last reaction (the running total drifted above the true
// sum) re-sums the total and draws again. Shared by the direct method and the exact steps of
// tau-leaping.
inline Event direct_next_event(PropensityTable& table, double now, Rng& rng) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    const double total = table.total();
    if (!(total > 0.0)) return Event{};  // nothing can fire
    const double tau = unit_exponential(rng) / total;
    const double target = uniform_closed_open(rng) * total;
    double cumulative = 0.0;
    const double* a = table.values();
    for (std::int32_t r = 0; r < table.size(); ++r) {
      cumulative += a[r];
      if (target < cumulative) return Event{now + tau, r};
    }
    table.resum();
  }
  return Event{};
}

}  // namespace nkappa
