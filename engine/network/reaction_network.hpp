#pragma once
// The compiled, immutable form of a model that every solver reads. Built only by compile();
// passed as const& and shared by all threads. Indices, not names, everywhere except the id
// lists kept for reporting.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/network/csr.hpp"
#include "engine/network/rate_program.hpp"

namespace nkappa {

enum class RateKind : std::uint8_t { MassAction, Program };

// The mass-action laws, by the shape of their species factors, so that the common ones are
// evaluated without a loop. x(x-1) etc. are falling factorials of one species' count.
enum class MassActionShape : std::uint8_t {
  Order0,   // k
  X,        // k x
  XY,       // k x y
  XX,       // k x (x-1)
  XYZ,      // k x y z
  XXY,      // k x (x-1) y
  XXX,      // k x (x-1) (x-2)
  General,  // k * product over law_factors of falling factorials (any order)
  Program,  // not mass action: run the reaction's RateProgram
};

// Everything the event loop needs to evaluate one reaction's propensity, in one record so that
// an update touches one cache line per reaction.
struct PropensityTerm {
  double k = 0.0;                                   // mass action: the constant
  std::array<std::int32_t, 3> species{-1, -1, -1};  // mass action: the x, y, z of the shape
  std::int32_t program = -1;                        // Program: index into programs
  MassActionShape shape = MassActionShape::Program;
};

// A compiled event. Its trigger can change value between reaction events only through `time`,
// and only at the breakpoints (the constants `time` is compared with), so an exact method checks
// triggers after every reaction event (state) and at every breakpoint (time).
struct NetworkEvent {
  std::string id;
  std::int32_t trigger_program = -1;
  std::int32_t delay_program = -1;     // -1: executes when triggered
  std::int32_t priority_program = -1;  // -1: no priority (model_events.hpp says how it ranks)
  bool initial_value = true;
  bool persistent = true;
  bool use_values_from_trigger_time = true;
  bool reads_state = false;  // the trigger reads a species or a variable parameter
  // The trigger reads time other than by comparing it with a constant (cosh(time) > 9): no
  // breakpoint gives its switching times; the ODE path root-finds the comparisons that read
  // time, and stochastic methods refuse the network (ode_only). reads_state is then set too, so
  // that the trigger is checked wherever the state is.
  bool time_roots = false;
  std::vector<double> breakpoints;  // sorted, unique
  // Comparisons of time with variable parameters: the trigger can switch at
  // -offset(parameters) / slope, which moves only when an event changes a parameter.
  struct MovingBreakpoint {
    std::int32_t offset_program = -1;
    double slope = 1.0;
  };
  std::vector<MovingBreakpoint> moving_breakpoints;
  struct Assignment {
    bool to_species = true;
    std::int32_t index = 0;
    std::int32_t value_program = -1;
    bool draws = false;                // the value is a random draw (SBML distrib)
    double clock_rate = 0.0;           // EventAssignmentDesc::clock_rate
    std::int32_t factor_program = -1;  // EventAssignmentDesc::execution_factor, or -1
  };
  std::vector<Assignment> assignments;
};

struct ReactionNetwork {
  std::string source_file;
  std::string model_id;

  // Species.
  std::vector<std::string> species_ids;
  std::vector<double> initial_counts;
  std::vector<std::uint8_t> species_fixed;  // boundary or constant: no reaction changes it

  // Parameters that may change during a run (events, rules, per-trajectory draws) live in the
  // state, not in the code; their ids and initial values are here.
  std::vector<std::string> parameter_ids;
  std::vector<double> initial_parameters;

  // Constant parameters and compartment sizes after initial assignments (rules.hpp), for
  // output: the compiled laws have them folded in, and the model as described may leave them
  // unset (NaN) when an initial assignment gives the value.
  std::vector<std::string> constant_ids;
  std::vector<double> constant_values;

  // Reactions.
  std::vector<std::string> reaction_ids;
  std::vector<std::string> law_text;   // the law as compiled, for reports
  Csr<double> reactant_stoichiometry;  // reaction -> species consumed (as written)
  Csr<double> net_change;              // reaction -> species whose count changes, non-zero
  Csr<std::int32_t> affects;           // reaction -> reactions whose propensity it changes
  Csr<std::int32_t> species_readers;   // species -> reactions whose propensity reads it
  Csr<std::int32_t> law_factors;       // mass action: species -> multiplicity in the law

  std::vector<RateKind> rate_kind;
  std::vector<double> rate_constant;             // mass action: the constant k
  std::vector<PropensityTerm> propensity_terms;  // the evaluator of each reaction
  std::vector<std::uint8_t> time_dependent;      // the law reads `time`
  RateProgram programs;  // rate laws, then event triggers and assignment values, then rules

  std::vector<NetworkEvent> events;

  // Assignment rules (engine/network/rules.hpp): every reader has the rule substituted, so the
  // target's slot in the state is written only for output, at output times.
  struct AssignedValue {
    bool to_species = true;
    std::int32_t index = 0;
    std::int32_t program = -1;
  };
  std::vector<AssignedValue> assigned;
  // delay(x, d) in math (engine/network/rules.hpp): the variable parameter standing for it, and
  // programs for x and d. The ODE path sets the parameter to x(time - d) from its history of the
  // state; stochastic methods refuse the network (ode_only).
  struct DelayedValue {
    std::int32_t parameter = -1;
    std::int32_t value_program = -1;
    std::int32_t delay_program = -1;
    double constant_delay = 0.0;  // NaN when d is not a constant
    // x at times before t0, from the initial state: rules.hpp's history form of x.
    std::int32_t history_program = -1;
  };
  std::vector<DelayedValue> delayed;
  // Algebraic rules 0 = g (engine/network/rules.hpp): g's program and the variable (a fixed
  // species or a variable parameter) the rule was matched to. The ODE path solves all of them
  // together for all their variables wherever it evaluates the state.
  struct AlgebraicRule {
    std::string id;  // the rule's id, metaid or #position in the model's list of rules
    std::int32_t program = -1;
    bool to_species = true;
    std::int32_t index = 0;
  };
  std::vector<AlgebraicRule> algebraic;
  // Per reaction: 1 for the pseudo-reaction of a rate rule (an ODE term, not a jump).
  std::vector<std::uint8_t> rate_rule;
  // Set when the model has a meaning only as an ODE (rateOf in math, a stoichiometry that varies
  // in time): the element and why; stochastic methods refuse such a network. Empty otherwise.
  struct OdeOnly {
    std::string element;
    std::string id;
    std::string problem;
  } ode_only;

  std::int32_t species_count() const { return static_cast<std::int32_t>(species_ids.size()); }
  std::int32_t reaction_count() const { return static_cast<std::int32_t>(reaction_ids.size()); }
  bool any_time_dependent() const;
  bool all_mass_action() const;
  std::int32_t species_index(const std::string& id) const;   // -1 when absent
  std::int32_t reaction_index(const std::string& id) const;  // -1 when absent
  std::int32_t constant_index(const std::string& id) const;  // -1 when absent
};

}  // namespace nkappa
