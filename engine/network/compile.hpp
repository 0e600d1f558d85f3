#pragma once
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/model/model_description.hpp"
#include "engine/network/reaction_network.hpp"

namespace nkappa {

// Builds the immutable network. Evaluates each law exactly as the description gives it (no
// factor is added: unit conversion and x(x-1) are sbml/amounts.cpp's business). Throws
// InputError for unknown symbols, duplicate ids, laws too deep to evaluate.
ReactionNetwork compile(const ModelDescription& model);

// Expressions over the model's symbols (observables of a scenario) compiled against a network
// of the same model: program i evaluates exprs[i] on a state of `net`. InputError naming the
// element for unknown symbols.
RateProgram compile_expressions(const ReactionNetwork& net, const ModelDescription& model,
                                const std::vector<std::pair<std::string, Expr>>& exprs,
                                const std::string& element = "observable");

// What a symbol means to a law.
struct SymbolMeaning {
  enum class Kind { Species, Constant, VariableParameter, Unknown } kind = Kind::Unknown;
  std::int32_t index = -1;  // species or variable-parameter index
  double value = 0.0;       // constant value
};
using SymbolResolver = std::function<SymbolMeaning(const std::string&)>;

// A law of the mass-action shape: coefficient * product over species of the falling factorial
// x (x-1) ... (x-m+1). The one classifier of the project: compile() and the conversion report
// both use it.
struct MassActionForm {
  double coefficient = 0.0;
  std::vector<std::pair<std::int32_t, std::int32_t>> factors;  // (species index, multiplicity)
  std::int32_t order() const;
};
std::optional<MassActionForm> classify_mass_action(const Expr& law, const SymbolResolver& resolve);

// The value of an expression whose every symbol resolves to a constant (and that reads neither
// time nor a draw), computed exactly as the compiled program would; nullopt otherwise.
std::optional<double> fold_constant(const Expr& e, const SymbolResolver& resolve);

}  // namespace nkappa
