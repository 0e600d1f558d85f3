#pragma once
// The stochastic reading of SBML symbols: nkappa's models hold amounts, so a law that reads a
// species as a concentration (hasOnlySubstanceUnits="false") is rewritten to read
// amount / compartment size. Internal to sbml/.
#include <map>
#include <string>

#include "engine/model/expr.hpp"

namespace nkappa::sbml_detail {

// species id -> compartment id, for the species whose symbol means a concentration.
using ConcentrationSpecies = std::map<std::string, std::string>;

Expr read_species_as_amounts(const Expr& law, const ConcentrationSpecies& concentration_species);

}  // namespace nkappa::sbml_detail
