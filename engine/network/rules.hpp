#pragma once
// SBML rules and initial assignments, lowered to what compile() already knows: values, laws,
// event assignments and pseudo-reactions. Internal to engine/network (compile() calls it first).
//
// - Initial assignments and assignment rules are evaluated once at t = 0, in dependency order
//   (SBML L3V2 section 4.8: they are one system of equations at t0), and become the declared
//   initial values.
// - An assignment rule's expression is substituted into every expression that reads its target
//   (rate laws, triggers, event assignments, rate rules): the compiled laws then read the
//   species the rule reads, so the dependency graph, the ODE Jacobian and the root functions are
//   right without knowing about rules. The target's own value is only needed for output: its
//   expression is kept in `outputs` and evaluated at output times.
// - A rate rule with a constant rate c on a parameter p makes p affine in time between events:
//   p = p' + c * time with a new state parameter p' (id `p'`), and an event assignment p := v
//   becomes p' := v - c * time (time of execution, v possibly from the trigger time: an
//   EventAssignmentDesc::clock_rate applied by ModelEvents). This is exact in every method (the
//   stochastic cases of the SBML Test Suite use it as a clock, dt/dt = 1); a trigger comparing p
//   with a constant switches at a time found by ModelEvents.
// - Any other rate rule becomes a pseudo-reaction "rate_rule(X)" with propensity f producing one
//   X: in the ODE path dX/dt = f exactly; stochastic methods refuse it
//   (ReactionNetwork::rate_rule), since a rate rule is not a jump process.
#include <string>
#include <vector>

#include "engine/model/model_description.hpp"

namespace nkappa::rules_detail {

struct LoweredModel {
  ModelDescription model;         // no rules or initial assignments left
  std::vector<RuleDesc> outputs;  // assignment-rule targets (species, parameters) and values
  std::vector<std::string> rate_rule_variables;  // reaction i of the pseudo-reactions -> X
};

LoweredModel lower_rules(const ModelDescription& model);

}  // namespace nkappa::rules_detail
