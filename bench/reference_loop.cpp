// The reference loop of ../shared/bench-models/README.md ("Reference loop"), rebuilt here from its
// description so that the README's absolute targets can be read as ratios measured in the same
// run (its "Columns" section: an issue's "<= 40 ns/event" means about 1.1-1.5x this loop on the
// same machine, side by side). A bench-only baseline, not an nkappa method: it is not in the
// registry and nothing outside bench/ can run it.
//
// What the README fixes, and this loop does: C++17-style code, std::mt19937_64, waiting time
// -log(1 - U) / a0, a propensity array, selection by a linear search over the cumulative
// propensities, a static dependency graph (reaction -> reactions whose law reads a species the
// reaction changes), only those propensities recomputed after a firing, the running total a0
// updated incrementally and re-summed every 65,536 events. Each propensity is interpreted from a
// generic term list (constant, then (species, multiplicity) pairs, a falling factorial each),
// built from the compiled network's mass-action data: no per-shape fast path.
// What the README leaves open, chosen here as a plain loop would: U from
// std::uniform_real_distribution<double>(0, 1) (one 64-bit draw each, on [0, 1)); counts as
// doubles; a selection running past the last reaction (a0 drifted above the true sum) re-sums a0
// and draws the target again; trajectory i seeded with std::seed_seq{seed, i} (32-bit halves).
// Invariant: a[r] is reaction r's propensity in the current counts; a0 is their sum up to the
// rounding accumulated since the last re-sum.
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "bench/bench.hpp"
#include "engine/error.hpp"
#include "engine/observe/sample_sink.hpp"

namespace nkappa::bench {
namespace {

// The network as the loop sees it: nothing of nkappa's compiled evaluators, only numbers.
struct TermNetwork {
  struct Term {
    std::int32_t species;
    std::int32_t multiplicity;
  };
  std::vector<double> constant;          // per reaction
  std::vector<std::int32_t> term_begin;  // reaction r: terms[term_begin[r] .. [r+1])
  std::vector<Term> terms;
  std::vector<std::int32_t> change_begin;  // reaction r: its net change
  std::vector<std::int32_t> change_species;
  std::vector<double> change_amount;
  std::vector<std::int32_t> dependent_begin;  // reaction r: reactions to recompute
  std::vector<std::int32_t> dependents;
  std::vector<double> initial;

  explicit TermNetwork(const ReactionNetwork& net) {
    const std::int32_t n = net.reaction_count();
    std::vector<std::vector<std::int32_t>> readers(static_cast<std::size_t>(net.species_count()));
    term_begin.push_back(0);
    for (std::int32_t r = 0; r < n; ++r) {
      constant.push_back(net.rate_constant[r]);
      for (std::int32_t i = net.law_factors.offsets[r]; i < net.law_factors.offsets[r + 1]; ++i) {
        terms.push_back({net.law_factors.index[i], net.law_factors.value[i]});
        readers[static_cast<std::size_t>(net.law_factors.index[i])].push_back(r);
      }
      term_begin.push_back(static_cast<std::int32_t>(terms.size()));
    }
    change_begin.push_back(0);
    dependent_begin.push_back(0);
    std::vector<std::int32_t> mark(static_cast<std::size_t>(n), -1);
    for (std::int32_t r = 0; r < n; ++r) {
      for (std::int32_t i = net.net_change.offsets[r]; i < net.net_change.offsets[r + 1]; ++i) {
        const std::int32_t s = net.net_change.index[i];
        change_species.push_back(s);
        change_amount.push_back(net.net_change.value[i]);
        for (const std::int32_t q : readers[static_cast<std::size_t>(s)])
          if (mark[static_cast<std::size_t>(q)] != r) {
            mark[static_cast<std::size_t>(q)] = r;
            dependents.push_back(q);
          }
      }
      change_begin.push_back(static_cast<std::int32_t>(change_species.size()));
      dependent_begin.push_back(static_cast<std::int32_t>(dependents.size()));
    }
    initial = net.initial_counts;
  }

  double propensity(std::int32_t r, const double* x) const {
    double a = constant[static_cast<std::size_t>(r)];
    for (std::int32_t i = term_begin[r]; i < term_begin[r + 1]; ++i) {
      const Term t = terms[static_cast<std::size_t>(i)];
      for (std::int32_t j = 0; j < t.multiplicity; ++j) a *= x[t.species] - j;
    }
    return a;
  }
};

constexpr std::int64_t kResumInterval = 65536;

// One trajectory to t_end: the events fired in (0, t_end].
TrajectoryStatus run_one(const TermNetwork& tn, double t_end, std::int64_t max_events,
                         std::mt19937_64& rng, std::vector<double>& x, std::vector<double>& a,
                         std::int64_t& events) {
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  const std::int32_t n = static_cast<std::int32_t>(a.size());
  x = tn.initial;
  double a0 = 0.0;
  for (std::int32_t r = 0; r < n; ++r)
    a0 += a[static_cast<std::size_t>(r)] = tn.propensity(r, x.data());
  double t = 0.0;
  std::int64_t until_resum = kResumInterval;
  for (events = 0;; ++events) {
    if (!(a0 > 0.0)) return TrajectoryStatus::NothingCanFire;
    t += -std::log(1.0 - uniform(rng)) / a0;
    if (t > t_end) return TrajectoryStatus::ReachedEnd;
    if (events == max_events) return TrajectoryStatus::EventLimit;
    std::int32_t j = -1;
    while (j < 0) {
      const double target = uniform(rng) * a0;
      double cumulative = 0.0;
      for (std::int32_t r = 0; r < n; ++r) {
        cumulative += a[static_cast<std::size_t>(r)];
        if (target < cumulative) {
          j = r;
          break;
        }
      }
      if (j < 0) {
        a0 = 0.0;
        for (const double v : a) a0 += v;
      }
    }
    for (std::int32_t i = tn.change_begin[j]; i < tn.change_begin[j + 1]; ++i)
      x[static_cast<std::size_t>(tn.change_species[static_cast<std::size_t>(i)])] +=
          tn.change_amount[static_cast<std::size_t>(i)];
    for (std::int32_t i = tn.dependent_begin[j]; i < tn.dependent_begin[j + 1]; ++i) {
      const std::int32_t q = tn.dependents[static_cast<std::size_t>(i)];
      const double v = tn.propensity(q, x.data());
      a0 += v - a[static_cast<std::size_t>(q)];
      a[static_cast<std::size_t>(q)] = v;
    }
    if (--until_resum == 0) {
      a0 = 0.0;
      for (const double v : a) a0 += v;
      until_resum = kResumInterval;
    }
  }
}

BlockResult run_reference_block(const ReactionNetwork& net, const RunSpec& spec, std::int64_t first,
                                std::int64_t count, SampleSink& sink) {
  const TermNetwork tn(net);
  std::vector<double> x(tn.initial.size());
  std::vector<double> a(static_cast<std::size_t>(net.reaction_count()));
  BlockResult result;
  for (std::int64_t i = first; i < first + count; ++i) {
    const auto u = static_cast<std::uint64_t>(i);
    std::seed_seq seq{static_cast<std::uint32_t>(spec.seed),
                      static_cast<std::uint32_t>(spec.seed >> 32), static_cast<std::uint32_t>(u),
                      static_cast<std::uint32_t>(u >> 32)};
    std::mt19937_64 rng(seq);
    std::int64_t events = 0;
    const TrajectoryStatus status = run_one(tn, spec.t_end, spec.max_events, rng, x, a, events);
    result.events += events;
    ++result.status_counts[static_cast<std::size_t>(status)];
    sink.on_trajectory_end(i, status, events);
  }
  return result;
}

}  // namespace

const MethodInfo& reference_loop_method() {
  static const MethodInfo info = [] {
    MethodInfo m;
    m.name = kReferenceLoop;
    m.exact = true;
    m.capabilities.time_dependent_rates = false;
    m.capabilities.general_rate_laws = false;
    m.summary = "the bench-models README's reference direct-method loop (bench only)";
    m.run_block = &run_reference_block;
    return m;
  }();
  return info;
}

const MethodInfo& bench_method(const std::string& name, const ReactionNetwork& net) {
  return name == kReferenceLoop ? reference_loop_method() : find_method(name, net);
}

void check_bench_method(const MethodInfo& method, const ReactionNetwork& net) {
  check_capabilities(method, net);
  if (method.name != kReferenceLoop) return;
  // Mass-action laws on counts and nothing else: the README's models are all of that kind.
  if (!net.events.empty())
    throw InputError(net.source_file, 0, "event", net.events[0].id,
                     "the reference loop runs reactions only, not events");
  if (!net.assigned.empty() || !net.initial_parameters.empty())
    throw InputError(net.source_file,
                     "the reference loop runs reactions only, not rules or variable parameters");
}

}  // namespace nkappa::bench
