// The registry of simulation methods, their capabilities and the automatic choice.
#include <algorithm>

#include "engine/error.hpp"
#include "engine/network/reaction_network.hpp"
#include "engine/run/method.hpp"
#include "engine/ssa/methods_list.hpp"

namespace nkappa {

const std::vector<MethodInfo>& all_methods() {
  static const std::vector<MethodInfo> methods = {
      direct_method(),
      sorting_direct_method(),
  };
  return methods;
}

namespace {

const MethodInfo& method_named(const char* name) {
  for (const MethodInfo& m : all_methods())
    if (m.name == name) return m;
  return all_methods().front();
}

// Automatic choice, from bench/nkappa_bench and callgrind instruction counts (2026-11-27, this
// 2-core machine): on 4-reaction networks the two methods cost the same; from a few dozen
// reactions on, the sorting direct method's adaptive search order wins (instructions per event
// on the 49-reaction NF-kB model: direct 553, sorting direct 511; wall time on multisite2 (288
// reactions) 0.72x and egfr_net (3749) 0.75x of direct). Time-dependent rates: neither supports
// them yet, so the choice does not depend on them.
const MethodInfo& choose_automatically(const ReactionNetwork& net) {
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
  }
}

std::string describe_capabilities(const MethodInfo& method) {
  std::string text;
  text += method.capabilities.general_rate_laws ? "general rate laws" : "mass-action laws only";
  text += method.capabilities.time_dependent_rates ? ", time-dependent rates"
                                                   : ", no time-dependent rates";
  return text;
}

}  // namespace nkappa
