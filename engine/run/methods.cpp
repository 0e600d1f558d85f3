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
//   nkappa_bench --shared ../shared --repeats 3 --scale 0.3
// (2026-11-27, git 1421562, this shared 2-core machine under a load of 4-8: process CPU time,
// median of 3; same-algorithm rows differ by up to 30 % on the small models, so only large
// ratios are read). Per method: ns/event, then its ratio to direct in the same run:
//
//   model (reactions)   direct  sorting  next-rxn  comp-rej   rssa     rssa-cr   pdm
//   dimer_decay (4)       54    60 1.10   66 1.22  147 2.72   62 1.15  109 2.02   52 0.97
//   schlogl (4, order 3)  49    50 1.02   62 1.27  121 2.47   61 1.24  124 2.53   refused
//   vilar (16)            78    80 1.02  127 1.63  138 1.77   83 1.06  149 1.90   61 0.78
//   multistate (18)       86    75 0.87  167 1.93  205 2.37   95 1.10  180 2.08   83 0.96
//   multisite2 (288)     568   400 0.70 1059 1.86 1036 1.82  383 0.67  202 0.36  146 0.26
//   egfr_net (3749)      878   709 0.81 1413 1.61 1247 1.42  703 0.80  206 0.23  188 0.21
//   fceri_gamma2 (58276) 38199 34535 0.90 17268 0.45 27658 0.72 38691 1.01 12900 0.34
//                                                                             2995 0.08 (pdm)
//   BCR (24388)          1202 (direct)   rssa-cr 111 0.09   pdm 125 0.10 (others not run)
// (fceri_gamma2: --models fceri_gamma2 --scale 0.25, 5 trajectories; BCR: --models BCR
// --repeats 1 --methods direct,rssa-cr,partial-propensity-direct, 1 trajectory of 3.1e7
// events; same day and build.)
//
// Hence: elementary mass-action networks (every law of order <= 2, the rule-derived networks)
// take the partial-propensity direct method, at or below direct on every model measured, 4-5x
// faster from a few hundred reactions on, 10x on BCR (RSSA-CR: 11x, within the noise) and 12x
// on fceri_gamma2. Other mass-action networks take RSSA-CR from 128 reactions on (it loses 2x
// on the small models and wins 3-4x at 288 and 3749; no model between 18 and 288 was measured:
// the threshold is a guess between them).
// Networks with general laws: these models are all mass action, but direct, sorting direct and
// next-reaction treat every law alike (one evaluation per recomputed propensity), so their
// ratios carry over: the direct method below 16 reactions, the sorting direct method from 16
// (0.7-0.9x of direct), the next reaction method from 20,000 (0.45x of direct on fceri_gamma2,
// where it beats sorting direct 2x, while it loses 1.6x at egfr_net's 3749: the threshold is a
// guess between them). Composition-rejection is never the best measured.
const MethodInfo& choose_automatically(const ReactionNetwork& net) {
  if (net.all_mass_action()) {
    if (highest_mass_action_order(net) <= 2) return method_named("partial-propensity-direct");
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
