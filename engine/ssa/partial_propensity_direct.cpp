// Partial-propensity direct method, PDM (Ramaswamy, González-Segredo & Sbalzarini 2009, J Chem
// Phys 130:244104, doi:10.1063/1.3154624). Exact, for elementary reactions (mass action of order
// <= 2). Each propensity is factored as n_i x partial propensity: k n_i n_j -> n_i (k n_j),
// k n_i (n_i - 1) -> n_i (k (n_i - 1)), k n_i -> n_i (k), and a source reaction k -> 1 (k). The
// partial propensities are stored in one row per factored-out species (plus a row for sources)
// with row sums Lambda_i and row propensities Sigma_i = n_i Lambda_i; the waiting time is
// exponential with the sum of the Sigma_i. A change of n_k only touches Sigma_k and the partial
// propensities that read n_k, so an event costs O(number of species coupled to the changed
// ones) instead of O(reactions recomputed).
// Selection: a search over the Sigma_i for the row, then over the row's partial propensities;
// both searches skip whole blocks of consecutive values by their running block sums (a
// two-level linear search), so thousands of rows (fceri_gamma2: 3,745) or a row of thousands of
// entries cost tens of steps instead of thousands.
// Which species of A + B is factored out is free (the paper takes the first): here it is the
// one in more bimolecular reactions, so that long lists land in rows, searched by blocks, and
// the lists of partial propensities walked at each change of a count stay short.
// When it wins: strongly coupled elementary networks (many reactions per species pair, e.g.
// rule-derived networks), where the direct family recomputes many propensities per event.
// Partial propensities and the Sigma_i are not stored: an event adds k x (change of the count)
// to the block sum and the row sum that contain a partial propensity, and n_row x that to the
// block sum of the Sigma_i and the total (one cache line per sum, where a stored value would cost
// another: fceri_gamma2's 58,276 entries do not fit in cache); the few values a search visits
// individually are evaluated from the counts and the row sums.
// Invariant: entry_block_ holds the sums of the partial propensities of its entries in the
// current state, row_sum_[i] the sum of row i's (Lambda_i), sigma_block_ the sums of
// n_i row_sum_[i] over its rows and total_ the sum of those, all up to rounding; everything is
// recomputed from the counts every 2^14 events, and a selection that runs past the end of a
// block (drift) recomputes and draws again. A partial propensity whose species ran out is
// evaluated as exactly 0, so its reaction cannot be drawn.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "engine/network/csr.hpp"
#include "engine/network/propensity.hpp"
#include "engine/run/method.hpp"
#include "engine/run/rng.hpp"
#include "engine/run/trajectory.hpp"
#include "engine/ssa/methods_list.hpp"

namespace nkappa {
namespace {

// Blocks of 2^shift consecutive values: a search for a cumulative target over a range of length
// L skips whole blocks by their sums, O(L / 2^shift + 2^shift) steps instead of O(L), least for
// 2^shift near sqrt(L).
int block_shift_for(std::size_t longest) {
  int s = 3;
  while ((std::size_t{1} << (2 * s + 2)) <= longest) ++s;  // 2^s ~ sqrt(longest)
  return s;
}

// How each reaction's propensity is factored: the row (the species factored out; the number of
// species for a source reaction) and the species its partial propensity reads (-1: none).
struct Factor {
  std::int32_t row;
  std::int32_t read;
};

// The species factored out of A + B is the one in more bimolecular reactions: its row gets long
// (searched by blocks, cheap) and the other species' reader list stays short (walked at every
// change of its count, the cost of an event).
std::vector<Factor> factor(const ReactionNetwork& net) {
  std::vector<std::int32_t> degree(static_cast<std::size_t>(net.species_count()), 0);
  for (const PropensityTerm& t : net.propensity_terms)
    if (t.shape == MassActionShape::XY) {
      ++degree[t.species[0]];
      ++degree[t.species[1]];
    }
  std::vector<Factor> factors;
  factors.reserve(net.propensity_terms.size());
  for (const PropensityTerm& t : net.propensity_terms) {
    Factor f{t.species[0], -1};
    if (t.shape == MassActionShape::Order0) f.row = net.species_count();
    if (t.shape == MassActionShape::XX) f.read = f.row;
    if (t.shape == MassActionShape::XY) {
      const bool swap = degree[t.species[1]] > degree[t.species[0]];
      f = swap ? Factor{t.species[1], t.species[0]} : Factor{t.species[0], t.species[1]};
    }
    factors.push_back(f);
  }
  return factors;
}

class PartialPropensityDirect {
 public:
  explicit PartialPropensityDirect(const ReactionNetwork& net) : net_(net) {
    // Built by counting sorts (O(reactions)): the method is constructed for every block of
    // trajectories, and on fceri_gamma2 (58,276 reactions, about 10,000 events per trajectory)
    // comparison sorts of the entries cost as much as a trajectory.
    const std::int32_t species = net.species_count();
    const std::int32_t reactions = net.reaction_count();
    source_row_ = species;
    const std::vector<Factor> factors = factor(net);
    // Rows in species order, the source row last; entries of one row by reaction index.
    row_offsets_.assign(static_cast<std::size_t>(species) + 2, 0);
    reader_offsets_.assign(static_cast<std::size_t>(species) + 1, 0);
    for (const Factor& f : factors) {
      ++row_offsets_[static_cast<std::size_t>(f.row) + 1];
      if (f.read >= 0) ++reader_offsets_[static_cast<std::size_t>(f.read) + 1];
    }
    for (std::int32_t row = 0; row <= species; ++row) row_offsets_[row + 1] += row_offsets_[row];
    for (std::int32_t sp = 0; sp < species; ++sp) reader_offsets_[sp + 1] += reader_offsets_[sp];
    entries_.resize(static_cast<std::size_t>(reactions));
    {
      std::vector<std::int32_t> next(row_offsets_.begin(), row_offsets_.end() - 1);
      for (std::int32_t r = 0; r < reactions; ++r) {
        const Factor& f = factors[r];
        const std::int32_t e = next[f.row]++;
        entries_[e] = Entry{net.propensity_terms[r].k, f.read, r};
      }
    }
    std::int32_t longest = 0;
    for (std::int32_t row = 0; row <= species; ++row)
      longest = std::max(longest, row_offsets_[row + 1] - row_offsets_[row]);
    entry_shift_ = block_shift_for(static_cast<std::size_t>(longest));
    // Readers of a species by entry index.
    readers_.resize(static_cast<std::size_t>(reader_offsets_[species]));
    {
      std::vector<std::int32_t> next(reader_offsets_.begin(), reader_offsets_.end() - 1);
      for (std::int32_t e = 0; e < reactions; ++e) {
        const Entry& x = entries_[e];
        if (x.read >= 0)
          readers_[next[x.read]++] = Reader{x.k, static_cast<std::uint32_t>(e) >> entry_shift_,
                                            static_cast<std::uint32_t>(factors[x.reaction].row)};
      }
    }
    entry_block_.assign((static_cast<std::size_t>(reactions) >> entry_shift_) + 1, 0.0);
    row_sum_.assign(static_cast<std::size_t>(species) + 1, 0.0);
    sigma_shift_ = block_shift_for(row_sum_.size());
    sigma_block_.assign((row_sum_.size() >> sigma_shift_) + 1, 0.0);
  }

  void reset(const State& s, Rng&) { recompute(s); }

  Event next_event(const State& s, double, Rng& rng) {
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (!(total_ > 0.0)) return Event{};
      const double tau = unit_exponential(rng) / total_;
      double target = uniform_closed_open(rng) * total_;
      const double* counts = s.counts.data();
      const std::int32_t row = search_rows(target, counts);
      if (row >= 0) {
        // What is left of the target, on the scale of the row's partial propensities.
        double scaled = target / multiplicity(counts, row);
        const std::int32_t e = search_row(row, scaled, counts);
        if (e >= 0) return Event{s.time + tau, entries_[e].reaction};
      }
      recompute(s);  // rounding: the sums exceed what the values add up to
    }
    return Event{};
  }

  void fire(State& s, Event e) {
    s.time = e.time;
    const auto& change = net_.net_change;
    // Local copies: the stores below go to double arrays, which the compiler must otherwise
    // assume may hold total_ or the shifts.
    double* __restrict counts = s.counts.data();
    double* __restrict entry_block = entry_block_.data();
    double* __restrict row_sum = row_sum_.data();
    double* __restrict sigma_block = sigma_block_.data();
    const Reader* __restrict readers = readers_.data();
    const std::int32_t* reader_offsets = reader_offsets_.data();
    const int sigma_shift = sigma_shift_;
    double total = total_;
    for (std::int32_t i = change.offsets[e.reaction]; i < change.offsets[e.reaction + 1]; ++i) {
      const std::int32_t k = change.index[i];
      const double dn = change.value[i];
      const double n = counts[k] + dn;
      counts[k] = n;
      if (n < 0.0) flag_negative(s, k);
      // Sigma_k = n_k Lambda_k: the change of n_k first, at the current Lambda_k ...
      const double own = dn * row_sum[k];
      sigma_block[k >> sigma_shift] += own;
      total += own;
      // ... then each partial propensity k (n - self) that reads n_k changes by k dn, and with
      // it Lambda and Sigma of its row (at the row's current count).
      // Summed apart: `total` lives across the call of flag_negative (memory), this in a register.
      double added = 0.0;
      const Reader* const end = readers + reader_offsets[k + 1];
      for (const Reader* x = readers + reader_offsets[k]; x != end; ++x) {
        const double delta = x->k * dn;
        entry_block[x->block] += delta;
        row_sum[x->row] += delta;
        const double sigma = counts[x->row] * delta;
        sigma_block[x->row >> sigma_shift] += sigma;
        added += sigma;
      }
      total += added;
    }
    total_ = total;
    if (--until_recompute_ <= 0) recompute(s);
  }

  std::int32_t invalid_reaction() const { return invalid_; }

 private:
  static constexpr int kRecomputeInterval = 1 << 14;

  // One partial propensity: k, times (n_read - [read is the row's species]) when read >= 0.
  struct Entry {
    double k;
    std::int32_t read;  // the species whose count it reads, or -1 (a constant)
    std::int32_t reaction;
  };
  // An entry whose partial propensity reads a species' count: it changes by k x the change.
  // Unsigned indices (zero-extended for free) and the entry's block index rather than the entry
  // (no variable shift): fewer instructions in the loop an event spends most of its time in.
  struct Reader {
    double k;
    std::uint32_t block;  // the entry's block in entry_block_
    std::uint32_t row;
  };

  static double partial(const Entry& e, std::int32_t row, const double* counts) {
    if (e.read < 0) return e.k;
    return e.k * (counts[e.read] - (e.read == row ? 1.0 : 0.0));
  }

  double multiplicity(const double* counts, std::int32_t row) const {
    return row == source_row_ ? 1.0 : counts[row];
  }

  // The row at which the running sum of the Sigma_i exceeds target (reduced on the way), or -1
  // (rounding: recompute). Whole blocks of rows are skipped by their sums; within a block
  // Sigma_i = n_i Lambda_i is evaluated (not stored: a firing then updates one sum less per
  // partial propensity it changes).
  std::int32_t search_rows(double& target, const double* counts) const {
    const auto rows = static_cast<std::int32_t>(row_sum_.size());
    const std::int32_t size = std::int32_t{1} << sigma_shift_;
    std::int32_t i = 0;
    for (; i + size <= rows; i += size) {
      const double b = sigma_block_[static_cast<std::size_t>(i) >> sigma_shift_];
      if (target < b) break;
      target -= b;
    }
    const std::int32_t end = std::min(i + size, rows);
    for (; i < end; ++i) {
      const double sigma = multiplicity(counts, i) * row_sum_[i];
      if (target < sigma) return i;
      target -= sigma;
    }
    return -1;
  }

  // The entry of `row` at which the running sum of its partial propensities exceeds target
  // (reduced on the way), or -1 (rounding: recompute). Whole blocks are skipped by their sums;
  // the rest is evaluated from the counts, so a partial propensity whose species ran out is
  // exactly 0 and its reaction cannot be drawn.
  std::int32_t search_row(std::int32_t row, double& target, const double* counts) const {
    const std::int32_t end = row_offsets_[row + 1];
    const std::int32_t size = std::int32_t{1} << entry_shift_;
    std::int32_t i = row_offsets_[row];
    for (; i < end && (i & (size - 1)) != 0; ++i) {
      const double p = partial(entries_[i], row, counts);
      if (target < p) return i;
      target -= p;
    }
    for (; i + size <= end; i += size) {
      const double b = entry_block_[static_cast<std::size_t>(i) >> entry_shift_];
      if (target < b) break;
      target -= b;
    }
    for (; i < end; ++i) {
      const double p = partial(entries_[i], row, counts);
      if (target < p) return i;
      target -= p;
    }
    return -1;
  }

  void flag_negative(const State& s, std::int32_t species) {
    const auto& readers = net_.species_readers;
    for (std::int32_t j = readers.offsets[species]; j < readers.offsets[species + 1]; ++j) {
      const std::int32_t r = readers.index[j];
      if (!(propensity(net_, r, s.counts.data(), s.parameters.data(), s.time) >= 0.0)) {
        invalid_ = r;
        return;
      }
    }
  }

  void recompute(const State& s) {
    const auto rows = static_cast<std::int32_t>(row_sum_.size());
    const double* counts = s.counts.data();
    std::fill(entry_block_.begin(), entry_block_.end(), 0.0);
    std::fill(sigma_block_.begin(), sigma_block_.end(), 0.0);
    for (std::int32_t row = 0; row < rows; ++row) {
      double sum = 0.0;
      for (std::int32_t e = row_offsets_[row]; e < row_offsets_[row + 1]; ++e) {
        const double p = partial(entries_[e], row, counts);
        entry_block_[static_cast<std::size_t>(e) >> entry_shift_] += p;
        sum += p;
      }
      row_sum_[row] = sum;
      sigma_block_[static_cast<std::size_t>(row) >> sigma_shift_] +=
          multiplicity(counts, row) * sum;
    }
    double total = 0.0;
    for (const double b : sigma_block_) total += b;
    total_ = total;
    until_recompute_ = kRecomputeInterval;
    invalid_ = -1;
    for (std::int32_t sp = 0; sp < net_.species_count(); ++sp)
      if (counts[sp] < 0.0) flag_negative(s, sp);
  }

  const ReactionNetwork& net_;
  std::int32_t source_row_ = 0;
  std::vector<std::int32_t> row_offsets_;     // row -> its entries, rows in species order
  std::vector<Entry> entries_;                // by row
  std::vector<std::int32_t> reader_offsets_;  // species -> its readers
  std::vector<Reader> readers_;
  int entry_shift_ = 3;
  std::vector<double> entry_block_;  // sums of the partial propensities of 2^entry_shift_ entries
  std::vector<double> row_sum_;      // Lambda_i: the sum of row i's partial propensities
  int sigma_shift_ = 3;
  std::vector<double> sigma_block_;  // sums of Sigma_i = n_i Lambda_i over 2^sigma_shift_ rows
  double total_ = 0.0;
  int until_recompute_ = kRecomputeInterval;
  std::int32_t invalid_ = -1;
};
}  // namespace

double partial_propensity_readers_per_firing(const ReactionNetwork& net) {
  if (net.reaction_count() == 0) return 0.0;
  std::vector<std::int32_t> readers(static_cast<std::size_t>(net.species_count()), 0);
  for (const Factor& f : factor(net))
    if (f.read >= 0) ++readers[f.read];
  double walked = 0.0;
  for (std::int32_t r = 0; r < net.reaction_count(); ++r)
    for (const std::int32_t sp : net.net_change.row_index(r)) walked += readers[sp];
  return walked / net.reaction_count();
}

MethodInfo partial_propensity_direct_method() {
  MethodInfo info;
  info.name = "partial-propensity-direct";
  // KiSAO (checked against its term list, 2026-11) has no term for PDM: the nearest correct
  // one is the parent class "Gillespie-like method".
  info.kisao = "KISAO:0000241";
  info.exact = true;
  info.capabilities.time_dependent_rates = false;
  info.capabilities.general_rate_laws = false;
  info.capabilities.max_mass_action_order = 2;
  info.summary =
      "partial-propensity direct method for elementary reactions (Ramaswamy, Gonzalez-Segredo & "
      "Sbalzarini 2009)";
  info.run_block = &run_block<PartialPropensityDirect>;
  return info;
}

}  // namespace nkappa
