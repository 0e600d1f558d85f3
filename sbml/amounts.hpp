#pragma once
// The stochastic reading of SBML symbols: nkappa's models hold amounts, so a law that reads a
// species as a concentration (hasOnlySubstanceUnits="false") is rewritten to read
// amount / compartment size. Then, when asked, amounts become molecule counts and laws
// propensities in molecules (convert_to_molecules). Internal to sbml/: read_sbml.cpp extracts
// the units through libSBML and passes them here as numbers.
#include <map>
#include <string>

#include "engine/model/expr.hpp"
#include "engine/model/model_description.hpp"
#include "sbml/units.hpp"

namespace nkappa::sbml_detail {

// species id -> compartment id, for the species whose symbol means a concentration.
using ConcentrationSpecies = std::map<std::string, std::string>;

Expr read_species_as_amounts(const Expr& law, const ConcentrationSpecies& concentration_species);

// A unit as the file declares it, reduced to what the conversion needs.
struct DeclaredUnit {
  enum class Kind {
    Undeclared,
    Mole,
    Item,
    Dimensionless,
    Litre,
    Second,
    Other
  } kind = Kind::Undeclared;
  double factor = 1.0;  // multiplier * 10^scale of the base unit (Litre: litres; m^3 -> 1000)
  std::string text;     // for the report, e.g. "mole * 1e-06 (unit 'substance')"
};

struct ModelUnits {
  std::map<std::string, DeclaredUnit> species_substance;  // species id -> its substance unit
  DeclaredUnit extent;                                    // L3 extentUnits; L2 'substance'
  std::map<std::string, DeclaredUnit> compartment_size;   // compartment id -> its size unit
  DeclaredUnit time;
};

// Fills the report and, for PropensityReading::MassAction (or Auto choosing it), rewrites the
// model in molecules: initial amounts, laws, rules, triggers and event assignments (see
// units.hpp for the propensity convention). InputError naming the element for what cannot be
// converted (unknown or mixed substance units, a nominal volume without --volume-litres, ...).
void convert_to_molecules(ModelDescription& model, const ModelUnits& units,
                          const ConcentrationSpecies& concentration_species,
                          const UnitOptions& options, ConversionReport& report);

}  // namespace nkappa::sbml_detail
