#pragma once
// A model in the simulator's own terms, independent of SBML: names, amounts (never
// concentrations) and rate laws as expression trees. sbml/ builds it; scenario variants edit a
// copy; engine/network/compile.cpp turns it into a ReactionNetwork.
#include <string>
#include <vector>

#include "engine/model/expr.hpp"

namespace nkappa {

// Where an element came from, for error messages (`file:line`).
struct SourceLocation {
  int line = 0;
};

struct CompartmentDesc {
  std::string id;
  double size = 1.0;  // in the model's volume unit
  int spatial_dimensions = 3;
  SourceLocation where;
  bool constant = true;  // SBML's flag: a non-constant size may be an algebraic rule's variable
};

struct SpeciesDesc {
  std::string id;
  std::string name;
  std::string compartment;
  double initial_amount = 0.0;  // molecules (items) after any unit conversion in sbml/amounts.cpp
  bool boundary = false;        // reactions do not change it
  bool constant = false;        // nothing changes it
  bool rate_rule = false;       // a variable of a rate rule: a real number, possibly negative
  // A parameter id (SBML conversionFactor, of the species or else of the model): every change a
  // reaction makes to this species is multiplied by its value. Empty: 1.
  std::string conversion_factor;
  SourceLocation where;
};

struct ParameterDesc {
  std::string id;
  double value = 0.0;
  bool constant = true;
  SourceLocation where;
};

struct SpeciesRef {
  std::string species;
  double stoichiometry = 1.0;
  // SBML Level 3 species-reference id (or a name given to an L2 stoichiometryMath): a parameter
  // of the model with this id holds the stoichiometry, which rules, initial assignments and
  // events may set and math may read; `stoichiometry` is then its declared value. Empty: none.
  std::string id;
};

struct ReactionDesc {
  std::string id;
  std::string name;
  std::vector<SpeciesRef> reactants;
  std::vector<SpeciesRef> products;
  std::vector<std::string> modifiers;
  // The propensity in events per unit time, species symbols meaning amounts. Symbols resolve
  // to the reaction's local parameters first, then to the model's globals.
  Expr propensity;
  std::vector<ParameterDesc> local_parameters;
  // Not a reaction but a rate rule d(product)/dt = propensity (engine/network/rules.hpp):
  // integrated by the ODE path, refused by stochastic methods.
  bool rate_rule = false;
  SourceLocation where;
  // SBML fast="true": always at equilibrium (engine/network/rules.hpp), ODE path only.
  bool fast = false;
};

// An SBML-style event (SBML L3V2 section 4.12): when the trigger turns from false to true the
// event is triggered; it executes `delay` later (at once without a delay), where every
// assignment's value is computed, then all are applied (to species amounts or parameters).
// Events ready at the same time execute one at a time, the highest `priority` first
// (engine/run/model_events.hpp).
struct EventAssignmentDesc {
  std::string target;  // species (amount) or parameter id
  Expr value;
  // Non-zero when `target` is the offset p' of a clock parameter p = p' + clock_rate * time
  // (engine/network/rules.hpp): p := value is applied as p' := value - clock_rate * time, with
  // `time` the execution time even when `value` is computed at the trigger time.
  double clock_rate = 0.0;
  // When set, `value` is a concentration of a species whose compartment's size varies: the
  // amount is value x this factor (the size) evaluated at the execution, with the state as it is
  // before the event's own assignments. Computing the concentration at the trigger time and the
  // amount with the size at execution is what SBML means (Test Suite 01508).
  bool scaled_at_execution = false;
  Expr execution_factor{};
};

struct EventDesc {
  std::string id;
  Expr trigger;
  bool initial_value = true;  // the trigger's value "just before" t = 0
  // False: a pending execution is cancelled when the trigger turns false before it.
  bool persistent = true;
  // True: the values are computed when the event is triggered; false: when it executes.
  bool use_values_from_trigger_time = true;
  bool has_delay = false;  // `delay`, evaluated when triggered, is set
  Expr delay;
  bool has_priority = false;  // `priority`, evaluated when choosing among ready events, is set
  Expr priority;
  std::vector<EventAssignmentDesc> assignments;
  SourceLocation where;
};

// A rule or initial assignment: `target` (species amount, parameter or compartment size) is
// given by `value`. Species values are amounts (sbml/ converts concentrations).
struct RuleDesc {
  std::string target;
  Expr value;
  SourceLocation where;
};

struct ModelDescription {
  std::string source_file;  // for messages; empty for models built in code
  std::string id;
  std::string name;
  std::vector<CompartmentDesc> compartments;
  std::vector<SpeciesDesc> species;
  std::vector<ParameterDesc> parameters;
  std::vector<ReactionDesc> reactions;
  std::vector<EventDesc> events;
  // Evaluated once, at t = 0, in dependency order with the assignment rules (SBML L3 4.8).
  std::vector<RuleDesc> initial_assignments;
  // target = value at every time.
  std::vector<RuleDesc> assignment_rules;
  // d target / dt = value.
  std::vector<RuleDesc> rate_rules;
  // 0 = value; `target` is only the rule's label (id, metaid or #position) for messages: the
  // variable each rule determines is found by engine/network/rules.cpp (SBML L3V2 4.9.5).
  std::vector<RuleDesc> algebraic_rules;

  const SpeciesDesc* find_species(const std::string& id) const;
  const ParameterDesc* find_parameter(const std::string& id) const;
  const CompartmentDesc* find_compartment(const std::string& id) const;
  SpeciesDesc* find_species(const std::string& id);
  ParameterDesc* find_parameter(const std::string& id);
  CompartmentDesc* find_compartment(const std::string& id);
};

}  // namespace nkappa
