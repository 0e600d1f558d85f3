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
// - A reaction id in math means its rate (its law, local parameters by value); rateOf(X) means
//   the rate of change of X: the sum over reactions of X's net change times the law (times X's
//   conversion factor), or X's rate rule, or 0. Both are replaced before anything else. A
//   model reading rateOf is ODE-only (ReactionNetwork::ode_only): in a jump process the
//   derivative of an amount is not defined.
// - A species-reference id (SpeciesRef::id) is a parameter holding the stoichiometry. When
//   nothing but its declaration or an initial assignment sets it, its value at t = 0 is the
//   stoichiometry. Otherwise (rules, events) the reference changes X by 0 in the reaction and a
//   pseudo-reaction "<reaction>:<id>" with law +-id * law producing one X carries its term:
//   exact in the ODE path, ODE-only.
// - delay(x, d) becomes a variable parameter named by the expression (LoweredModel::delayed)
//   that the ODE path keeps equal to x(time - d); ODE-only. Before t0, x(t) is x's history form:
//   every variable with an initial assignment is that assignment read at time t (the SBML Test
//   Suite's reading, 00938), any other its initial value, and rateOf is 0.
// - Algebraic rules 0 = g: assignment rules are substituted into g, and each rule is matched to
//   the variable it determines (SBML L3V2 4.9.5: a maximum bipartite matching of rules to the
//   variables they read that nothing else determines: not constant, no assignment or rate rule,
//   a species only if no reaction changes it or it is a boundary species). A species so
//   determined becomes fixed (no reaction or ODE term changes its slot); the ODE path solves
//   g = 0 for the variables (engine/ode/algebraic_system.hpp). ODE-only: a jump process has no
//   algebraic constraints.
// - Fast reactions (SBML L2V4 4.13.7: instantaneous, so always at equilibrium): each fast
//   reaction j gets an extent parameter xi_j ("fast_extent(<id>)"), and the amounts are
//   x = y + N_f xi, where y is what the slow reactions, rules and events move and N_f the fast
//   reactions' net changes. Every expression reads x (species X becomes X + sum_j N_Xj xi_j),
//   each fast law v_j(x) = 0 is an algebraic rule determining xi, and output shows x. Then
//   L x = L y for every conservation law L of the fast subsystem (L N_f = 0): the slow dynamics
//   move the fast subsystem's conserved moieties, and the fast laws vanish at every time.
#include <string>
#include <vector>

#include "engine/model/model_description.hpp"
#include "engine/network/reaction_network.hpp"

namespace nkappa::rules_detail {

struct LoweredModel {
  ModelDescription model;         // no rules or initial assignments left
  std::vector<RuleDesc> outputs;  // assignment-rule targets (species, parameters) and values
  std::vector<std::string> rate_rule_variables;  // reaction i of the pseudo-reactions -> X
  // Algebraic rules with assignment rules substituted (target: the rule's label) and, per rule,
  // the id of the variable it determines.
  std::vector<RuleDesc> algebraic_rules;
  std::vector<std::string> algebraic_variables;
  ReactionNetwork::OdeOnly ode_only;
  // delay(x, d) in math: target is the variable parameter that replaced it, value the delay
  // expression itself (arguments x, d). ODE-only.
  std::vector<RuleDesc> delayed;
};

LoweredModel lower_rules(const ModelDescription& model);

}  // namespace nkappa::rules_detail
