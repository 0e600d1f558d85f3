#pragma once
// Non-negative weights (one per reaction) grouped by powers of two, for composition-rejection
// sampling (Slepoy, Thompson & Plimpton 2008, doi:10.1063/1.2919546): a group is chosen with
// probability proportional to its sum by a scan over the few groups, then a member uniformly at
// random, accepted with probability weight / (the group's upper bound 2^e); every weight in a
// group is at least half that bound, so fewer than 2 draws are needed on average.
// The groups are a window of kGroups powers of two below top_: group g holds weights in
// [2^(top_-g-1), 2^(top_-g)); the last group also holds every smaller positive weight, which is
// still exact (the bound is an upper bound) and costs little: that group is chosen
// with probability (its sum / total) and then needs about count x bound / its sum draws, so it
// adds count x bound / total draws per event. The window keeps the largest weight within
// kGroups / 4 groups of the top, so that bound is below 2^-40 x the largest weight: negligible.
// Zero weights sit in a slot of their own (kZero) that is never sampled.
// A weight above the window moves the window up (rebuild, O(n)); the periodic re-sum moves it
// down when the largest weights fell deep into it.
// Selection visits only the non-empty groups (a bit mask, lowest bit = heaviest group): the
// propensities of a network span a few tens of the 64 groups, often fewer.
// Storage is fixed at construction ((kGroups + 1) x n slots), so nothing allocates afterwards.
// Invariant: members_[g * n + 0 .. count_[g]) lists the reactions of group g, slot_[r] is r's
// place there, group_[r] its group; bit g of nonempty_ is set iff count_[g] > 0 (g < kGroups);
// sum_[g] is the sum of its weights (exactly 0 when empty) and total_ the sum of all, up to
// rounding; both are re-summed every 2^14 updates.
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <vector>

#include "engine/run/rng.hpp"

namespace nkappa {

class CompositionGroups {
 public:
  static constexpr std::int32_t kGroups = 64;
  static constexpr int kHeadroom = 8;  // powers of two above the largest weight at a rebuild

  explicit CompositionGroups(std::int32_t size)
      : n_(size),
        weight_(static_cast<std::size_t>(size), 0.0),
        group_(weight_.size(), 0),
        slot_(weight_.size(), 0),
        members_(static_cast<std::size_t>(kSlots) * weight_.size(), 0) {}

  // Sets every weight (reset) and places the window above the largest.
  void assign(const double* weights) {
    for (std::int32_t r = 0; r < n_; ++r) weight_[r] = weights[r];
    rebuild();
  }

  // Sets one weight (after a firing).
  void set(std::int32_t r, double w) {
    const double old = weight_[r];
    weight_[r] = w;
    const std::int32_t g = group_of(w);
    if (g < 0) {
      rebuild();
      return;
    }
    const std::int32_t from = group_[r];
    sum_[from] -= old;
    sum_[g] += w;
    total_ += w - old;
    if (g != from) {
      remove(r);
      if (count_[from] == 0) sum_[from] = 0.0;  // no rounding residue in an empty group
      insert(r, g);
    }
    if (--until_resum_ <= 0) resum();
  }

  double total() const { return total_; }
  double weight(std::int32_t r) const { return weight_[r]; }

  // A reaction drawn with probability weight / total; -1 when the total is 0 or rounding drift
  // made the draw fail (the sums are then re-summed: draw again).
  std::int32_t sample(Rng& rng) {
    const double target = uniform_closed_open(rng) * total_;
    double cumulative = 0.0;
    for (std::uint64_t m = nonempty_; m != 0; m &= m - 1) {
      const auto g = static_cast<std::int32_t>(std::countr_zero(m));
      cumulative += sum_[g];
      if (target < cumulative) return sample_in(g, rng);
    }
    resum();
    return -1;
  }

  void resum() {
    double total = 0.0;
    std::int32_t highest = kGroups;
    for (std::int32_t g = 0; g < kSlots; ++g) {
      double sum = 0.0;
      const std::int32_t* m = &members_[static_cast<std::size_t>(g) * n_];
      for (std::int32_t i = 0; i < count_[g]; ++i) sum += weight_[m[i]];
      sum_[g] = sum;
      total += sum;
      if (sum > 0.0 && highest == kGroups) highest = g;
    }
    total_ = total;
    until_resum_ = kResumInterval;
    // The largest weights fell deep into the window: move it down so that the lumped last
    // group stays negligible.
    if (highest < kGroups && highest > kGroups / 4) rebuild();
  }

 private:
  static constexpr int kResumInterval = 1 << 14;
  static constexpr std::int32_t kZero = kGroups;  // the slot of the zero weights
  static constexpr std::int32_t kSlots = kGroups + 1;

  std::int32_t group_of(double w) const {
    if (!(w > 0.0)) return kZero;
    int exponent = 0;
    std::frexp(w, &exponent);  // w in [2^(exponent-1), 2^exponent)
    const int g = top_ - exponent;
    return g >= kGroups ? kGroups - 1 : g;
  }

  void rebuild() {
    double largest = 0.0;
    for (std::int32_t r = 0; r < n_; ++r) largest = std::fmax(largest, weight_[r]);
    int exponent = 0;
    if (largest > 0.0) std::frexp(largest, &exponent);
    top_ = exponent + kHeadroom;
    for (std::int32_t g = 0; g < kGroups; ++g) bound_[g] = std::ldexp(1.0, top_ - g);
    count_.fill(0);
    nonempty_ = 0;
    for (std::int32_t r = 0; r < n_; ++r) insert(r, group_of(weight_[r]));
    double total = 0.0;
    for (std::int32_t g = 0; g < kSlots; ++g) {
      double sum = 0.0;
      const std::int32_t* m = &members_[static_cast<std::size_t>(g) * n_];
      for (std::int32_t i = 0; i < count_[g]; ++i) sum += weight_[m[i]];
      sum_[g] = sum;
      total += sum;
    }
    total_ = total;
    until_resum_ = kResumInterval;
  }

  void insert(std::int32_t r, std::int32_t g) {
    group_[r] = g;
    slot_[r] = count_[g];
    members_[static_cast<std::size_t>(g) * n_ + count_[g]] = r;
    ++count_[g];
    if (g < kGroups) nonempty_ |= std::uint64_t{1} << g;
  }

  void remove(std::int32_t r) {
    const std::int32_t g = group_[r];
    std::int32_t* m = &members_[static_cast<std::size_t>(g) * n_];
    const std::int32_t last = m[count_[g] - 1];
    m[slot_[r]] = last;
    slot_[last] = slot_[r];
    if (--count_[g] == 0 && g < kGroups) nonempty_ &= ~(std::uint64_t{1} << g);
  }

  std::int32_t sample_in(std::int32_t g, Rng& rng) {
    const std::int32_t* m = &members_[static_cast<std::size_t>(g) * n_];
    const double count = count_[g];
    const double bound = bound_[g];
    // One uniform gives both the member (integer part) and the acceptance test (fraction).
    // A group whose sum is positive only by rounding could reject for ever: after many
    // rejections the sums are re-summed and the caller draws again.
    for (std::int64_t attempt = 0; attempt < 1000 + 64 * count_[g]; ++attempt) {
      const double x = uniform_closed_open(rng) * count;
      const double whole = std::floor(x);
      const std::int32_t r = m[static_cast<std::int32_t>(whole)];
      if ((x - whole) * bound < weight_[r]) return r;
    }
    resum();
    return -1;
  }

  std::int32_t n_;
  std::vector<double> weight_;
  std::vector<std::int32_t> group_;
  std::vector<std::int32_t> slot_;
  std::vector<std::int32_t> members_;
  std::array<std::int32_t, kSlots> count_{};
  std::array<double, kSlots> sum_{};
  std::array<double, kGroups> bound_{};  // 2^(top_ - g): group g's upper bound (no libm call)
  std::uint64_t nonempty_ = 0;
  double total_ = 0.0;
  int top_ = 0;
  int until_resum_ = kResumInterval;
};

}  // namespace nkappa
