// The registry of simulation methods, their capabilities and the automatic choice.
#include <algorithm>
#include <string>

#include "engine/error.hpp"
#include "engine/network/reaction_network.hpp"
#include "engine/run/method.hpp"
#include "engine/ssa/methods_list.hpp"

namespace nkappa {

const std::vector<MethodInfo>& all_methods() {
  static const std::vector<MethodInfo> methods = {
      direct_method(),
      sorting_direct_method(),
      next_reaction_method(),
      composition_rejection_method(),
      rssa_method(),
      rssa_cr_method(),
      partial_propensity_direct_method(),
      adaptive_tau_method(),
      adaptive_implicit_tau_method(),
  };
  return methods;
}

namespace {

const MethodInfo& method_named(const char* name) {
  for (const MethodInfo& m : all_methods())
    if (m.name == name) return m;
  return all_methods().front();
}

std::int32_t highest_mass_action_order(const ReactionNetwork& net) {
  std::int32_t highest = 0;
  for (std::int32_t r = 0; r < net.reaction_count(); ++r) {
    std::int32_t order = 0;
    for (const std::int32_t m : net.law_factors.row_value(r)) order += m;
    highest = std::max(highest, order);
  }
  return highest;
}

// Automatic choice. Measured with
//   nkappa_bench --shared ../shared --repeats 3 --scale 0.3 --clock cpu
// (2026-11-27, branch s3-perf at 04cc391, this shared 2-core machine under a load of 8-13:
// process CPU time, median of 3; the same method measured twice in one run differs by up to
// 25 %, so only large ratios are read). Per method: ns/event, then its ratio to direct:
//
//   model (reactions)   direct  sorting   next-rxn  comp-rej   rssa      rssa-cr   pdm
//   dimer_decay (4)       55    61 1.10   73 1.33  133 2.41   65 1.18   99 1.79   62 1.13
//   schlogl (4, order 3)  61    58 0.95   72 1.18  132 2.17   72 1.18  110 1.80   refused
//   vilar (16)            65    75 1.16  103 1.60  155 2.40   85 1.31  126 1.95   61 0.94
//   multistate (18)       81    84 1.03  150 1.84  194 2.38   89 1.09  131 1.61   82 1.00
//   multisite2 (288)     553   390 0.71  925 1.67 1129 2.04  361 0.65  170 0.31  107 0.19
//   egfr_net (3749)      970   692 0.71 1215 1.25 1324 1.36  686 0.71  178 0.18  134 0.14
//   fceri_gamma2 (58276) 37184 (direct)  next-reaction 15256 0.41  rssa-cr 12623 0.34
//                                                                             pdm 827 0.022
//   BCR (24388)          rssa-cr 102   pdm 144 (direct not run: 1202 in the previous table)
// (fceri_gamma2: --models fceri_gamma2 --scale 0.25; BCR: --models BCR --repeats 1, one
// trajectory of 3.1e7 events; same day and build except that pdm was at 5848f45, which makes
// the same selections with fewer instructions.)
// Instructions per event (callgrind, simulation only, RelWithDebInfo, one trajectory to t = 10):
// dimer_decay direct 410, pdm 415; multisite2 pdm 705, rssa-cr 896; egfr_net pdm 796,
// rssa-cr 636 (rssa-cr runs fewer instructions but misses cache more: slower per event).
//
// Hence: elementary mass-action networks (every law of order <= 2, the rule-derived networks)
// take the partial-propensity direct method: equal to direct on the small models (same
// instruction count on dimer_decay), 5-7x faster than direct from a few hundred reactions on
// and 45x on fceri_gamma2, where it is 15x faster than rssa-cr. Except where PDM's own cost per
// event is high: the partial propensities it updates per firing (averaged over reactions,
// partial_propensity_readers_per_firing) are 0.5-3 on the small models and multisite2, 12.9 on
// egfr_net, 28.8 on fceri_gamma2 and 168 on BCR, where rssa-cr ran 590 instructions per event
// against PDM's 1,246 (callgrind, t = 1) and 102 against 144 ns/event above. Above 64 (a guess
// between 28.8 and 168, the only two large models) and from 128 reactions on, rssa-cr.
// Other mass-action networks take RSSA-CR from 128 reactions on (it loses 2x on the small
// models and wins 3-5x at 288 and 3749; no model between 18 and 288 was measured: the
// threshold is a guess between them).
// Networks with general laws: these models are all mass action, but direct, sorting direct and
// next-reaction treat every law alike (one evaluation per recomputed propensity), so their
// ratios carry over: the direct method below 16 reactions, the sorting direct method from 16
// (0.7-1.2x of direct), the next reaction method from 20,000 (0.41x of direct on fceri_gamma2,
// while it loses 1.25-1.6x at egfr_net's 3749: the threshold is a guess between them).
// Composition-rejection is never the best measured.
// PDM's selection walks about 2 sqrt(species) blocks per event and grows with the network;
// RSSA-CR's does not, and its cost is the bounds a firing touches. The mean number of propensities
// a firing affects separates the two kinds of large network measured: the bench's generated
// family (random sparse elementary networks, R reactions on R/2 species; bench/README.md) has
// 9.6-9.9, and there, with PDM's block search (nkappa_bench --skip pairs ensemble
// --scaling-sizes ..., 2026-11-27, CPU ns/event PDM vs RSSA-CR): 300 reactions 132 vs 138 (even),
// 1,000 165 vs 125, 3,000 378 vs 208, 10,000 477 vs 276, 100,000 2465 vs 917; while the
// rule-derived models have 55 (multisite2), 163 (egfr_net), 380 (BCR), 1,104 (fceri_gamma2) and
// PDM wins there except on BCR (above).
// So from 256 reactions, at most 32 affected per firing -> RSSA-CR (32: between 10 and 55).
// Below 16 reactions the direct method: after the event loop lost its per-event output search
// and took waiting times from the ziggurat (PDM and direct alike), the full bench of 16740ee
// (2026-11-27, quiet machine, CPU ns/event, median of 5) gave dimer_decay direct 45.6 vs PDM
// 56.2 (callgrind 319.5 vs 354.4 instructions per event, PDM also with the ziggurat), while from 16
// reactions PDM stays ahead: vilar (16) 60.8 vs 70.6, multistate (18) 70.8 vs 76.9.
constexpr double kFewAffected = 32.0;
constexpr std::int32_t kTinyNetwork = 16;

double mean_affected_per_firing(const ReactionNetwork& net) {
  if (net.reaction_count() == 0) return 0.0;
  return static_cast<double>(net.affects.index.size()) / net.reaction_count();
}

const MethodInfo& choose_automatically(const ReactionNetwork& net) {
  // Only the direct method integrates laws that read time.
  if (net.any_time_dependent()) return method_named("direct");
  if (net.all_mass_action()) {
    if (highest_mass_action_order(net) <= 2) {
      if (net.reaction_count() < kTinyNetwork) return method_named("direct");
      if (net.reaction_count() >= 128 && partial_propensity_readers_per_firing(net) > 64.0)
        return method_named("rssa-cr");
      if (net.reaction_count() >= 256 && mean_affected_per_firing(net) <= kFewAffected)
        return method_named("rssa-cr");
      return method_named("partial-propensity-direct");
    }
    if (net.reaction_count() >= 128) return method_named("rssa-cr");
  }
  if (net.reaction_count() >= 20000) return method_named("next-reaction");
  return net.reaction_count() >= 16 ? method_named("sorting-direct") : method_named("direct");
}

}  // namespace

const MethodInfo& find_method(const std::string& name, const ReactionNetwork& net) {
  if (name == "auto") return choose_automatically(net);
  const auto& methods = all_methods();
  auto it = std::find_if(methods.begin(), methods.end(),
                         [&](const MethodInfo& m) { return m.name == name; });
  if (it != methods.end()) return *it;
  std::string known = "auto";
  for (const MethodInfo& m : methods) known += ", " + m.name;
  throw InputError("", 0, "method", name, "unknown method (known: " + known + ")");
}

void check_capabilities(const MethodInfo& method, const ReactionNetwork& net) {
  if (!net.ode_only.problem.empty())
    throw InputError(net.source_file, 0, net.ode_only.element, net.ode_only.id,
                     net.ode_only.problem + " is not supported by method '" + method.name +
                         "' (only by the ODE path)");
  for (std::int32_t r = 0; r < net.reaction_count(); ++r) {
    if (net.rate_rule[r])
      throw InputError(net.source_file, 0, "rate rule",
                       net.reaction_ids[r].substr(10, net.reaction_ids[r].size() - 11),
                       "a rate rule whose rate is not a constant is not supported by method '" +
                           method.name + "' (only by the ODE path)");
    if (net.time_dependent[r] && !method.capabilities.time_dependent_rates)
      throw InputError(
          net.source_file, 0, "reaction", net.reaction_ids[r],
          "a rate law that reads time is not supported by method '" + method.name + "'");
    if (net.rate_kind[r] != RateKind::MassAction && !method.capabilities.general_rate_laws)
      throw InputError(
          net.source_file, 0, "reaction", net.reaction_ids[r],
          "a rate law that is not of the mass-action shape is not supported by method '" +
              method.name + "'");
    const std::int32_t max_order = method.capabilities.max_mass_action_order;
    if (net.rate_kind[r] == RateKind::MassAction && max_order > 0) {
      std::int32_t order = 0;
      for (const std::int32_t m : net.law_factors.row_value(r)) order += m;
      if (order > max_order)
        throw InputError(net.source_file, 0, "reaction", net.reaction_ids[r],
                         "a mass-action law of order " + std::to_string(order) +
                             " is not supported by method '" + method.name +
                             "' (elementary reactions of order <= " + std::to_string(max_order) +
                             " only)");
    }
  }
}

std::string describe_capabilities(const MethodInfo& method) {
  std::string text;
  text += method.capabilities.general_rate_laws ? "general rate laws" : "mass-action laws only";
  if (method.capabilities.max_mass_action_order > 0)
    text += " of order <= " + std::to_string(method.capabilities.max_mass_action_order);
  text += method.capabilities.time_dependent_rates ? ", time-dependent rates"
                                                   : ", no time-dependent rates";
  return text;
}

}  // namespace nkappa
