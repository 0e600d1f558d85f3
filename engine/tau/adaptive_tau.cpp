// Adaptive explicit tau-leaping with non-negative populations. Approximate.
//
// Algorithm: the step selection of Cao, Gillespie & Petzold 2006 (J Chem Phys 124:044109,
// doi:10.1063/1.2159468), with the critical reactions of Cao, Gillespie & Petzold 2005 (J Chem
// Phys 122:054103, doi:10.1063/1.1824902). Each step:
//  1. A reaction with positive propensity is critical when it can fire fewer than n_c = 10 times
//     before a species it consumes runs out (min over consumed species of floor(x / |net change|)).
//  2. tau' = min over the species i read by any law of
//       max(epsilon x_i / g_i, 1) / |mu_i|  and  max(epsilon x_i / g_i, 1)^2 / sigma_i^2,
//     mu_i and sigma_i^2 the expected change of x_i per unit time and its variance over the
//     non-critical reactions, g_i from the highest order of the reactions that read i (the
//     paper's table; generalised as (n/m)(m + sum_{j<m} j/(x - j)) for order n and
//     multiplicity m, which reproduces it for n <= 3).
//  3. If tau' < 10 / a0 (the paper's rule; a0 the total propensity), a leap would hold fewer
//     than about 10 firings: run 100 exact steps of the direct method instead (the paper's
//     number), through the same event loop as the exact methods.
//  4. tau'' ~ Exp(total critical propensity). The leap is tau = min(tau', tau'', t_limit - t);
//     t_limit is the next output time or model-event breakpoint, so a leap never steps over
//     either. If tau'' is the smallest, one critical reaction (chosen by propensity) fires once;
//     every non-critical reaction j fires Poisson(a_j tau) times (Boost.Random; reactions with
//     a_j tau < 3 are drawn together as the points of one unit-rate Poisson process along
//     their means put end to end: the same joint law, one exponential per firing).
//  5. A leap that would make any count negative is rejected: tau' = tau / 2 and back to 3.
// Model events: breakpoints are never stepped over (4); a trigger that reads the state is
// checked at the end of each leap, so such an event fires up to one leap late, and a trigger
// that turns true and false again inside one leap is missed.
// Non-mass-action laws (RateProgram) count as first order in every species they read (g = 1):
// right for linear and saturating laws (k x, k / (K + x)), too loose for a Hill law of order
// n > 1, whose relative change can be n times larger than epsilon.
// When it wins: large populations, where an exact method spends its time on many firings that
// change the propensities little (the NF-kB model's 10^4-molecule bindings).
//
// tau-leaping-implicit (same file, same steps 1, 3, 4, 5): the adaptive explicit-implicit
// tau-leaping of Cao, Gillespie & Petzold 2007 (J Chem Phys 126:224101,
// doi:10.1063/1.2745299), for stiffness that comes from fast reversible pairs. Two mass-action
// reactions with opposite net changes are a reversible pair; a pair whose members are both
// non-critical is in partial equilibrium when |a_j - a_j'| <= delta min(a_j, a_j'),
// delta = 0.05 (the paper's test and value). Step 2 then gives two candidates: tau_ex as above,
// and tau_im, the same bound with the pairs in partial equilibrium left out of mu_i and
// sigma_i^2 (the paper). The leap is implicit when tau_im > N_stiff tau_ex, N_stiff = 100 (the
// paper's switch), with tau' = tau_im; otherwise explicit with tau' = tau_ex. If the critical
// draw tau'' is the leap and tau'' <= tau_ex, that leap is explicit (the paper).
// The implicit leap (Rathinam, Petzold, Cao & Gillespie 2003, J Chem Phys 119:12784,
// doi:10.1063/1.1627296) treats the pairs in partial equilibrium implicitly and every other
// reaction explicitly: with P_j ~ Poisson(a_j(x) tau) for every non-critical j and
// y = x + sum_j nu_j P_j, it solves for each pair p = (j, j') the extent
//   xi_p = tau (a_j(z) - a_j'(z) - a_j(x) + a_j'(x)),  z = y + sum_p nu_j xi_p,
// by Newton on one pair at a time, sweeping the pairs until no extent moves by more than 1e-6
// (the pairs are coupled only through shared species; 50 sweeps at most, else the leap is
// rejected as in step 5). The pair's net firings are P_j - P_j' + round(xi_p) (the paper rounds
// the firings to integers; rounding the pair's net is one rounding instead of two), so counts
// stay integers. The implicit leap is stable for the fast pair at any tau, and it damps the
// fluctuations of the species of the pairs it takes implicitly (their variance shrinks towards
// that of the mean-field equilibrium; the paper says so): means are what it preserves. Pairs
// with a non-mass-action member are never taken implicitly.
// Invariant: between steps the PropensityTable holds the propensities of the current state, and
// counts are never negative (a rejected leap changes nothing). Every draw comes from the
// trajectory's own generator in a fixed order, so results do not depend on threads.
#include <algorithm>
#include <boost/random/poisson_distribution.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "engine/network/csr.hpp"
#include "engine/network/propensity.hpp"
#include "engine/network/reaction_network.hpp"
#include "engine/run/method.hpp"
#include "engine/run/rng.hpp"
#include "engine/run/trajectory.hpp"
#include "engine/ssa/methods_list.hpp"
#include "engine/ssa/propensity_table.hpp"

namespace nkappa {
namespace {

constexpr double kCriticalFirings = 10.0;  // n_c (Cao et al. 2005)
constexpr double kExactThreshold = 10.0;   // leap only when tau' >= this / a0 (2006, step 3)
constexpr std::int32_t kExactSteps = 100;  // exact steps per fallback (2006, step 3)
constexpr double kPooledMean = 3.0;    // expected firings below which a reaction's draw is pooled
constexpr double kEquilibrium = 0.05;  // delta of the partial-equilibrium test (2007)
constexpr double kStiffRatio = 100.0;  // N_stiff: implicit when tau_im > N_stiff tau_ex (2007)
constexpr int kSweeps = 50;            // Newton sweeps over the pairs before giving up
constexpr double kSolveTolerance = 1e-6;  // molecules of extent: far below the rounding
constexpr double kInf = std::numeric_limits<double>::infinity();

// One order pair for g_i: the reaction's total order n and species i's multiplicity m in it.
struct OrderPair {
  std::int32_t order = 1;
  std::int32_t multiplicity = 1;
  bool operator==(const OrderPair&) const = default;
};

// epsilon x / g for one order pair, or 0 when x is too small for the formula (the bound is
// then the floor of one molecule).
double relative_allowance(double epsilon, double x, OrderPair p) {
  if (x <= p.multiplicity - 1) return 0.0;
  if (p.multiplicity == 1) return epsilon * x / p.order;
  double g = p.multiplicity;
  for (std::int32_t j = 1; j < p.multiplicity; ++j) g += j / (x - j);
  g *= static_cast<double>(p.order) / p.multiplicity;
  return epsilon * x / g;
}

// Two mass-action reactions with opposite net changes (2007: a reversible pair).
struct ReversiblePair {
  std::int32_t forward = 0;
  std::int32_t backward = 0;
};

// One entry of a species' row of the net changes.
struct Change {
  std::int32_t reaction = 0;
  double value = 0.0;  // the species' net change per firing of the reaction
};

template <bool Implicit>
class AdaptiveTau {
 public:
  AdaptiveTau(const ReactionNetwork& net, const RunSpec& spec)
      : net_(net),
        table_(net),
        epsilon_(spec.epsilon),
        critical_(static_cast<std::size_t>(net.reaction_count()), 0),
        leap_rate_(static_cast<std::size_t>(net.reaction_count()), 0.0),
        leap_counts_(static_cast<std::size_t>(net.species_count()), 0.0) {
    build_order_pairs();
    const std::vector<std::vector<Change>> rows = changes_by_species();
    build_consumers(rows);
    build_bound_species(rows);
    if constexpr (Implicit) {
      find_reversible_pairs();
      rest_rate_.assign(static_cast<std::size_t>(net.reaction_count()), 0.0);
    }
    extent_.assign(pairs_reversible_.size(), 0.0);
    active_.reserve(pairs_reversible_.size());
  }

  void reset(const State& s, Rng&) {
    table_.recompute_all(s);
    exact_steps_left_ = 0;  // each trajectory starts leaping, whatever ran before it
  }

  Event next_event(const State& s, double t_limit, Rng& rng) {
    const double total = table_.total();
    if (!(total > 0.0)) return Event{};
    if (exact_steps_left_ > 0) {
      --exact_steps_left_;
      return direct_next_event(table_, s.time, rng);
    }
    scan_reactions(s);
    if constexpr (Implicit) {
      mark_equilibrium();
      remove_equilibrium_pairs();
    }
    const auto [tau_explicit, tau_implicit] = accuracy_step(s);
    const bool implicit = Implicit && !active_.empty() && tau_implicit > kStiffRatio * tau_explicit;
    double tau_accuracy = implicit ? tau_implicit : tau_explicit;
    // A limit at the current time (a leap ended on a breakpoint) is no limit: the loop
    // processes the breakpoint before anything proposed here can happen.
    const double horizon = t_limit > s.time ? t_limit - s.time : kInf;
    for (;;) {
      if (tau_accuracy < kExactThreshold / total) {
        exact_steps_left_ = kExactSteps - 1;
        return direct_next_event(table_, s.time, rng);
      }
      const double critical_total = critical_total_;
      const double tau_critical =
          critical_total > 0.0 ? unit_exponential(rng) / critical_total : kInf;
      const double tau = std::min({tau_accuracy, tau_critical, horizon});
      // No bound at all (no law reads a changing species, past the last output time): an
      // exact step is as good as any leap.
      if (std::isinf(tau)) return direct_next_event(table_, s.time, rng);
      const bool fire_critical = tau_critical <= tau;
      // A leap cut short by a critical firing within tau_ex needs no implicit step (2007).
      const bool leap_implicit = implicit && !(fire_critical && tau <= tau_explicit);
      if (draw_leap(s, tau, fire_critical, leap_implicit, rng))
        return Event{s.time + tau, kLeapReaction};
      tau_accuracy = tau / 2.0;
    }
  }

  void fire(State& s, Event e) {
    s.time = e.time;
    if (e.reaction != kLeapReaction) {
      table_.fire(s, e.reaction);
      return;
    }
    s.counts.swap(leap_counts_);  // the vectors keep their storage: no allocation
    table_.recompute_all(s);
  }

  std::int32_t invalid_reaction() const { return table_.invalid_reaction(); }

 private:
  // For each species, the distinct (order, multiplicity) pairs of the laws that read it.
  void build_order_pairs() {
    const std::int32_t species = net_.species_count();
    std::vector<std::vector<OrderPair>> pairs(static_cast<std::size_t>(species));
    auto add = [&](std::int32_t i, OrderPair p) {
      auto& row = pairs[static_cast<std::size_t>(i)];
      if (std::find(row.begin(), row.end(), p) == row.end()) row.push_back(p);
    };
    const auto& factors = net_.law_factors;
    for (std::int32_t r = 0; r < net_.reaction_count(); ++r) {
      if (net_.rate_kind[r] != RateKind::MassAction) continue;
      std::int32_t order = 0;
      for (std::int32_t k = factors.offsets[r]; k < factors.offsets[r + 1]; ++k)
        order += factors.value[k];
      for (std::int32_t k = factors.offsets[r]; k < factors.offsets[r + 1]; ++k)
        add(factors.index[k], OrderPair{order, factors.value[k]});
    }
    const auto& readers = net_.species_readers;
    for (std::int32_t i = 0; i < species; ++i)
      for (std::int32_t k = readers.offsets[i]; k < readers.offsets[i + 1]; ++k)
        if (net_.rate_kind[readers.index[k]] != RateKind::MassAction) add(i, OrderPair{1, 1});
    // Among multiplicity-1 pairs only the highest order binds (g = order, the smallest
    // epsilon x / g): keep that one.
    for (auto& row : pairs) {
      std::int32_t highest = 0;
      for (const OrderPair& p : row)
        if (p.multiplicity == 1) highest = std::max(highest, p.order);
      std::erase_if(row,
                    [&](const OrderPair& p) { return p.multiplicity == 1 && p.order < highest; });
    }
    pair_offsets_.assign(1, 0);
    for (const auto& row : pairs) {
      pairs_.insert(pairs_.end(), row.begin(), row.end());
      pair_offsets_.push_back(static_cast<std::int32_t>(pairs_.size()));
    }
  }

  // The net changes by species: row i holds (reaction, change) for each reaction that changes i.
  std::vector<std::vector<Change>> changes_by_species() const {
    const auto& change = net_.net_change;
    std::vector<std::vector<Change>> rows(static_cast<std::size_t>(net_.species_count()));
    for (std::int32_t r = 0; r < net_.reaction_count(); ++r)
      for (std::int32_t k = change.offsets[r]; k < change.offsets[r + 1]; ++k)
        if (change.value[k] != 0.0)
          rows[static_cast<std::size_t>(change.index[k])].push_back(Change{r, change.value[k]});
    return rows;
  }

  // Per species, the reactions that consume it and the count below which each is critical: n_c
  // times what one firing takes (Cao et al. 2005); and the largest of those counts, below
  // which the species is worth a look.
  void build_consumers(const std::vector<std::vector<Change>>& rows) {
    consumer_offsets_.assign(1, 0);
    for (const auto& row : rows) {
      double highest = 0.0;
      for (const Change& c : row) {
        if (c.value >= 0.0) continue;
        consumers_.push_back(Consumer{c.reaction, kCriticalFirings * -c.value});
        highest = std::max(highest, consumers_.back().threshold);
      }
      low_below_.push_back(highest);
      consumer_offsets_.push_back(static_cast<std::int32_t>(consumers_.size()));
    }
  }

  // The species whose relative change bounds tau (read by some law and changed by some
  // reaction), each with the reactions that change it: mu_i and sigma_i^2 are then sums over
  // one short row each, gathered rather than scattered.
  void build_bound_species(const std::vector<std::vector<Change>>& rows) {
    const std::int32_t species = net_.species_count();
    bound_offsets_.assign(1, 0);
    bound_unit_offsets_.assign(1, 0);
    for (std::int32_t i = 0; i < species; ++i) {
      const auto& row = rows[static_cast<std::size_t>(i)];
      if (pair_offsets_[i] == pair_offsets_[i + 1] || row.empty()) continue;
      bound_species_.push_back(i);
      // One pair of multiplicity 1 (most species): epsilon x / g is x times a constant.
      const bool single = pair_offsets_[i + 1] - pair_offsets_[i] == 1 &&
                          pairs_[static_cast<std::size_t>(pair_offsets_[i])].multiplicity == 1;
      bound_epsilon_over_g_.push_back(
          single ? epsilon_ / pairs_[static_cast<std::size_t>(pair_offsets_[i])].order : 0.0);
      // Net change +1 and -1 (nearly every entry of a signalling network) first, as bare
      // reaction numbers: mu_i and sigma_i^2 then take one add each.
      for (const double unit : {1.0, -1.0}) {
        for (const Change& c : row)
          if (c.value == unit) bound_unit_.push_back(c.reaction);
        bound_unit_offsets_.push_back(static_cast<std::int32_t>(bound_unit_.size()));
      }
      for (const Change& c : row)
        if (c.value != 1.0 && c.value != -1.0) bound_changes_.push_back(c);
      bound_offsets_.push_back(static_cast<std::int32_t>(bound_changes_.size()));
    }
  }

  // Reversible pairs: mass-action reactions whose net-change rows are exact opposites, each
  // reaction in one pair at most.
  void find_reversible_pairs() {
    const auto& change = net_.net_change;
    const std::int32_t reactions = net_.reaction_count();
    std::vector<std::uint8_t> paired(static_cast<std::size_t>(reactions), 0);
    auto opposite = [&](std::int32_t r, std::int32_t q) {
      const std::int32_t length = change.offsets[r + 1] - change.offsets[r];
      if (length == 0 || length != change.offsets[q + 1] - change.offsets[q]) return false;
      for (std::int32_t k = change.offsets[r]; k < change.offsets[r + 1]; ++k) {
        bool found = false;
        for (std::int32_t l = change.offsets[q]; l < change.offsets[q + 1]; ++l)
          if (change.index[l] == change.index[k] && change.value[l] == -change.value[k])
            found = true;
        if (!found) return false;
      }
      return true;
    };
    for (std::int32_t r = 0; r < reactions; ++r) {
      if (paired[static_cast<std::size_t>(r)] || net_.rate_kind[r] != RateKind::MassAction)
        continue;
      for (std::int32_t q = r + 1; q < reactions; ++q) {
        if (paired[static_cast<std::size_t>(q)] || net_.rate_kind[q] != RateKind::MassAction ||
            !opposite(r, q))
          continue;
        pairs_reversible_.push_back(ReversiblePair{r, q});
        paired[static_cast<std::size_t>(r)] = paired[static_cast<std::size_t>(q)] = 1;
        break;
      }
    }
  }

  // The pairs in partial equilibrium (2007): both members non-critical and their propensities
  // within delta of each other, into active_.
  void mark_equilibrium() {
    active_.clear();
    for (std::int32_t p = 0; p < static_cast<std::int32_t>(pairs_reversible_.size()); ++p) {
      const ReversiblePair pair = pairs_reversible_[static_cast<std::size_t>(p)];
      if (critical_[static_cast<std::size_t>(pair.forward)] ||
          critical_[static_cast<std::size_t>(pair.backward)])
        continue;
      const double a = table_.value(pair.forward), b = table_.value(pair.backward);
      if (!(a > 0.0) || !(b > 0.0) || std::abs(a - b) > kEquilibrium * std::min(a, b)) continue;
      active_.push_back(p);
    }
  }

  // Which reactions are critical (Cao et al. 2005: a reaction with positive propensity that can
  // fire fewer than n_c times before a species it consumes runs out), their total propensity,
  // and the rates a leap fires Poisson-many times (the non-critical ones; 0 for the rest).
  // Species go first: only the consumers of a species below its largest threshold need a look,
  // and in a large-population model there are few.
  void scan_reactions(const State& s) {
    const double* counts = s.counts.data();
    const double* propensities = table_.values();
    double* rate = leap_rate_.data();
    std::uint8_t* critical = critical_.data();
    const std::int32_t reactions = table_.size();
    for (std::int32_t r = 0; r < reactions; ++r) {
      const double a = propensities[r];
      rate[r] = a > 0.0 ? a : 0.0;
    }
    std::fill(critical_.begin(), critical_.end(), std::uint8_t{0});
    double critical_total = 0.0;
    const std::int32_t* offsets = consumer_offsets_.data();
    const Consumer* consumers = consumers_.data();
    const double* low_below = low_below_.data();
    const std::int32_t species = net_.species_count();
    for (std::int32_t i = 0; i < species; ++i) {
      const double x = counts[i];
      if (!(x < low_below[i])) continue;
      // floor(x / |v|) < n_c for integer counts x, without a division.
      for (std::int32_t k = offsets[i]; k < offsets[i + 1]; ++k) {
        const std::int32_t r = consumers[k].reaction;
        if (x < consumers[k].threshold && rate[r] > 0.0) {
          critical[r] = 1;
          critical_total += rate[r];
          rate[r] = 0.0;
        }
      }
    }
    critical_total_ = critical_total;
  }

  // The rates without the pairs in partial equilibrium (2007), for tau_im.
  void remove_equilibrium_pairs() {
    std::copy(leap_rate_.begin(), leap_rate_.end(), rest_rate_.begin());
    for (const std::int32_t p : active_) {
      const ReversiblePair pair = pairs_reversible_[static_cast<std::size_t>(p)];
      rest_rate_[static_cast<std::size_t>(pair.forward)] = 0.0;
      rest_rate_[static_cast<std::size_t>(pair.backward)] = 0.0;
    }
  }

  // tau' of step 2 over the non-critical reactions (tau_ex), and the same with the pairs in
  // partial equilibrium left out (tau_im, implicit only; else = tau_ex); +inf when nothing can
  // change a read species. mu_i and sigma_i^2 are summed here, species by species, from the
  // rates of scan_reactions (and remove_equilibrium_pairs).
  std::pair<double, double> accuracy_step(const State& s) const {
    double tau = kInf, tau_implicit = kInf;
    const double* counts = s.counts.data();
    const double* rate = leap_rate_.data();
    const double* rest_rate = Implicit ? rest_rate_.data() : nullptr;
    const std::int32_t* offsets = bound_offsets_.data();
    const Change* changes = bound_changes_.data();
    const std::int32_t* unit_offsets = bound_unit_offsets_.data();
    const std::int32_t* unit = bound_unit_.data();
    const std::int32_t* pair_offsets = pair_offsets_.data();
    const std::int32_t bound = static_cast<std::int32_t>(bound_species_.size());
    for (std::int32_t b = 0; b < bound; ++b) {
      double produced = 0.0, consumed = 0.0, rest_produced = 0.0, rest_consumed = 0.0;
      for (std::int32_t k = unit_offsets[2 * b]; k < unit_offsets[2 * b + 1]; ++k) {
        produced += rate[unit[k]];
        if constexpr (Implicit) rest_produced += rest_rate[unit[k]];
      }
      for (std::int32_t k = unit_offsets[2 * b + 1]; k < unit_offsets[2 * b + 2]; ++k) {
        consumed += rate[unit[k]];
        if constexpr (Implicit) rest_consumed += rest_rate[unit[k]];
      }
      double mean = produced - consumed, variance = produced + consumed;
      double rest_mean = rest_produced - rest_consumed;
      double rest_variance = rest_produced + rest_consumed;
      for (std::int32_t k = offsets[b]; k < offsets[b + 1]; ++k) {
        const double v = changes[k].value;
        const double a = rate[changes[k].reaction];
        mean += v * a;
        variance += v * v * a;
        if constexpr (Implicit) {
          const double rest = rest_rate[changes[k].reaction];
          rest_mean += v * rest;
          rest_variance += v * v * rest;
        }
      }
      if (!(variance > 0.0)) continue;
      const std::int32_t i = bound_species_[static_cast<std::size_t>(b)];
      const double x = counts[i];
      double allowance = bound_epsilon_over_g_[static_cast<std::size_t>(b)] * x;
      if (allowance == 0.0) {
        allowance = kInf;
        for (std::int32_t k = pair_offsets[i]; k < pair_offsets[i + 1]; ++k)
          allowance = std::min(
              allowance, relative_allowance(epsilon_, x, pairs_[static_cast<std::size_t>(k)]));
      }
      allowance = std::max(allowance, 1.0);
      mean = std::abs(mean);
      if (mean > 0.0) tau = std::min(tau, allowance / mean);
      tau = std::min(tau, allowance * allowance / variance);
      if constexpr (Implicit) {
        rest_mean = std::abs(rest_mean);
        if (rest_mean > 0.0) tau_implicit = std::min(tau_implicit, allowance / rest_mean);
        if (rest_variance > 0.0)
          tau_implicit = std::min(tau_implicit, allowance * allowance / rest_variance);
      }
    }
    return {tau, Implicit ? tau_implicit : tau};
  }

  // Draws the firings of a leap of length tau into leap_counts_; false when a count would go
  // negative or the implicit equations were not solved (the state is untouched either way).
  bool draw_leap(const State& s, double tau, bool fire_critical, bool implicit, Rng& rng) {
    std::copy(s.counts.begin(), s.counts.end(), leap_counts_.begin());
    const auto& change = net_.net_change;
    auto apply = [&](std::int32_t r, double firings) {
      for (std::int32_t k = change.offsets[r]; k < change.offsets[r + 1]; ++k)
        leap_counts_[change.index[k]] += firings * change.value[k];
    };
    if (fire_critical) {
      const double target = uniform_closed_open(rng) * critical_total_;
      double cumulative = 0.0;
      std::int32_t chosen = -1;
      for (std::int32_t r = 0; r < table_.size(); ++r) {
        if (!critical_[static_cast<std::size_t>(r)]) continue;
        chosen = r;  // the last critical reaction, should rounding run past the total
        cumulative += table_.value(r);
        if (target < cumulative) break;
      }
      apply(chosen, 1.0);
    }
    // Reactions expected to fire fewer than kPooledMean times are drawn together, as the points
    // of one unit-rate Poisson process laid along their means put end to end: the points in
    // reaction j's stretch, of length a_j tau, are Poisson(a_j tau) and independent of the
    // other stretches, which is the law of the leap exactly. It costs one exponential per
    // firing and a comparison per reaction, instead of an exp() and a draw for each of the many
    // slow reactions of a signalling network.
    const double* rate = leap_rate_.data();
    double stretch_end = 0.0;
    double next_point = unit_exponential(rng);
    for (std::int32_t r = 0; r < table_.size(); ++r) {
      const double mean = rate[r] * tau;
      if (!(mean > 0.0)) continue;
      double firings = 0.0;
      if (mean < kPooledMean) {
        stretch_end += mean;
        while (next_point < stretch_end) {
          firings += 1.0;
          next_point += unit_exponential(rng);
        }
      } else {
        boost::random::poisson_distribution<std::int64_t, double> poisson(mean);
        firings = static_cast<double>(poisson(rng));
      }
      if (firings > 0.0) apply(r, firings);
    }
    if constexpr (Implicit)
      if (implicit && !solve_implicit(s, tau)) return false;
    for (const double x : leap_counts_)
      if (x < 0.0) return false;
    return true;
  }

  // Directional derivative of mass-action propensity r at z along the net change of `along`.
  double slope(std::int32_t r, std::int32_t along, const double* z) const {
    const auto& factors = net_.law_factors;
    const auto& change = net_.net_change;
    double total = 0.0;
    for (std::int32_t k = factors.offsets[r]; k < factors.offsets[r + 1]; ++k) {
      double direction = 0.0;
      for (std::int32_t l = change.offsets[along]; l < change.offsets[along + 1]; ++l)
        if (change.index[l] == factors.index[k]) direction = change.value[l];
      if (direction == 0.0) continue;
      double term = net_.rate_constant[r] * direction *
                    falling_factorial_derivative(z[factors.index[k]], factors.value[k]);
      for (std::int32_t m = factors.offsets[r]; m < factors.offsets[r + 1]; ++m)
        if (m != k) term *= falling_factorial(z[factors.index[m]], factors.value[m]);
      total += term;
    }
    return total;
  }

  // Rathinam et al. 2003 for the pairs in partial equilibrium: leap_counts_ holds y on entry
  // and x + explicit firings + the pairs' rounded implicit extents on success.
  bool solve_implicit(const State& s, double tau) {
    double* z = leap_counts_.data();
    const double* parameters = s.parameters.data();
    const auto& change = net_.net_change;
    auto move = [&](std::int32_t r, double amount) {
      for (std::int32_t k = change.offsets[r]; k < change.offsets[r + 1]; ++k)
        z[change.index[k]] += amount * change.value[k];
    };
    for (const std::int32_t p : active_) extent_[static_cast<std::size_t>(p)] = 0.0;
    bool converged = false;
    for (int sweep = 0; sweep < kSweeps && !converged; ++sweep) {
      converged = true;
      for (const std::int32_t p : active_) {
        const ReversiblePair pair = pairs_reversible_[static_cast<std::size_t>(p)];
        double& xi = extent_[static_cast<std::size_t>(p)];
        const double drift_x = table_.value(pair.forward) - table_.value(pair.backward);
        const double drift_z = propensity(net_, pair.forward, z, parameters, s.time) -
                               propensity(net_, pair.backward, z, parameters, s.time);
        const double residual = xi - tau * (drift_z - drift_x);
        const double derivative = 1.0 - tau * (slope(pair.forward, pair.forward, z) -
                                               slope(pair.backward, pair.forward, z));
        if (!(derivative > 0.0)) return false;  // not the stable case the method is for
        const double step = -residual / derivative;
        if (!std::isfinite(step)) return false;
        xi += step;
        move(pair.forward, step);
        if (std::abs(step) > kSolveTolerance * std::max(1.0, std::abs(xi))) converged = false;
      }
    }
    if (!converged) return false;
    // Back to y, then the integer net firings of each pair. y and the firings are integers;
    // rounding the counts removes what the Newton moves left of rounding error.
    for (const std::int32_t p : active_) {
      const ReversiblePair pair = pairs_reversible_[static_cast<std::size_t>(p)];
      const double xi = extent_[static_cast<std::size_t>(p)];
      move(pair.forward, std::round(xi) - xi);
    }
    for (double& count : leap_counts_) count = std::round(count);
    return true;
  }

  const ReactionNetwork& net_;
  PropensityTable table_;
  double epsilon_;
  std::vector<std::uint8_t> critical_;
  double critical_total_ = 0.0;
  std::vector<double> leap_rate_;    // per reaction: its propensity if non-critical, else 0
  std::vector<double> leap_counts_;  // the proposed leap's end state
  std::vector<OrderPair> pairs_;
  std::vector<std::int32_t> pair_offsets_;  // species i: pairs_[offsets[i] .. offsets[i+1])
  struct Consumer {
    std::int32_t reaction = 0;
    double threshold = 0.0;  // the reaction is critical while the species' count is below this
  };
  std::vector<Consumer> consumers_;  // species i: consumers_[offsets[i] .. offsets[i+1])
  std::vector<std::int32_t> consumer_offsets_;
  std::vector<double> low_below_;             // species i: the largest threshold of its consumers
  std::vector<std::int32_t> bound_species_;   // the species that bound tau
  std::vector<double> bound_epsilon_over_g_;  // epsilon / g where g is one order, else 0
  // bound_species_[b]: the reactions that change it by +1 in bound_unit_[unit_offsets[2b] ..
  // unit_offsets[2b+1]), by -1 up to unit_offsets[2b+2]; by any other amount in
  // bound_changes_[offsets[b] .. offsets[b+1]).
  std::vector<std::int32_t> bound_unit_;
  std::vector<std::int32_t> bound_unit_offsets_;
  std::vector<Change> bound_changes_;
  std::vector<std::int32_t> bound_offsets_;
  std::int32_t exact_steps_left_ = 0;
  // Implicit only.
  std::vector<double> rest_rate_;  // leap_rate_ without the pairs in partial equilibrium
  std::vector<ReversiblePair> pairs_reversible_;
  std::vector<std::int32_t> active_;  // the pairs in partial equilibrium this step
  std::vector<double> extent_;        // per pair: its implicit extent xi
};

}  // namespace

namespace {

// What both tau-leaping variants declare: approximate, any rate law, no laws reading time.
MethodInfo tau_method(const char* name, const char* kisao, const char* summary, RunBlockFn run) {
  MethodInfo info;
  info.name = name;
  info.kisao = kisao;
  info.exact = false;
  info.capabilities.time_dependent_rates = false;
  info.capabilities.general_rate_laws = true;
  info.summary = summary;
  info.run_block = run;
  return info;
}

}  // namespace

MethodInfo adaptive_tau_method() {
  // KISAO:0000084: adaptive explicit tau-leaping with non-negative populations.
  return tau_method(
      "tau-leaping", "KISAO:0000084",
      "adaptive explicit tau-leaping, epsilon step control and critical reactions, exact steps "
      "when leaps are short (Cao, Gillespie & Petzold 2005, 2006); non-mass-action laws taken "
      "as first order in what they read; state-triggered events checked at leap ends",
      &run_block<AdaptiveTau<false>>);
}

MethodInfo adaptive_implicit_tau_method() {
  // KISAO:0000048: adaptive explicit-implicit tau-leaping method.
  return tau_method(
      "tau-leaping-implicit", "KISAO:0000048",
      "adaptive explicit-implicit tau-leaping: as tau-leaping, but fast reversible mass-action "
      "pairs in partial equilibrium are left out of the epsilon step bound and leapt implicitly "
      "when that makes leaps over 100x longer (Cao, Gillespie & Petzold 2007; Rathinam et al. "
      "2003); the implicit leap keeps means but damps the fluctuations of those pairs' species",
      &run_block<AdaptiveTau<true>>);
}

}  // namespace nkappa
