#pragma once
// The value of an SBML id in a simulated state, as the SBML Test Suite (its settings'
// `variables`, `amount`, `concentration`) and the reference models (design §8, report_as) ask
// for it: a species as its amount or its concentration (amount / compartment size), a parameter
// or a compartment size, or a reaction's rate (the value of its kinetic law).
//
// The state holds amounts (engine/run/state.hpp). A compartment whose size can change is read
// from the state when the network keeps it as a variable parameter; otherwise its size is the
// model's constant.
#include <cstdint>
#include <string>
#include <vector>

#include "engine/model/model_description.hpp"
#include "engine/network/reaction_network.hpp"
#include "engine/run/state.hpp"

namespace nkappa {

struct ValueColumn {
  enum class Kind : std::uint8_t { Species, VariableParameter, Constant, ReactionRate };
  Kind kind = Kind::Constant;
  std::int32_t index = -1;  // species, variable parameter or reaction index
  double constant = 0.0;    // Kind::Constant: the value
  // Species as a concentration: divided by the compartment size, a variable parameter of the
  // network (size_parameter >= 0) or the constant `size`.
  bool concentration = false;
  std::int32_t size_parameter = -1;
  std::int32_t size_species = -1;  // a compartment integrated by a rate rule is network state
  double size = 1.0;
  std::string id;
};

// One column per id, in order. Species listed in `concentration_ids` are reported as
// concentrations (a species in a 0-dimensional compartment stays an amount: it has no
// concentration). InputError, naming the model file and the id, for an id that is none of the
// above or a compartment size that is not set.
std::vector<ValueColumn> value_columns(const ModelDescription& model, const ReactionNetwork& net,
                                       const std::vector<std::string>& ids,
                                       const std::vector<std::string>& concentration_ids);

double column_value(const ReactionNetwork& net, const ValueColumn& column, const State& state);

}  // namespace nkappa
