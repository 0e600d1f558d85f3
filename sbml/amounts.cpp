#include "sbml/amounts.hpp"

namespace nkappa::sbml_detail {

Expr read_species_as_amounts(const Expr& law, const ConcentrationSpecies& concentration_species) {
  // rateOf of a concentration species is the rate of its amount over the (constant) size.
  if (law.op == ExprOp::Symbol || law.op == ExprOp::RateOf) {
    auto it = concentration_species.find(law.symbol);
    if (it != concentration_species.end()) return law / Expr::name(it->second);
    return law;
  }
  Expr out = law;
  for (Expr& a : out.args) a = read_species_as_amounts(a, concentration_species);
  return out;
}

}  // namespace nkappa::sbml_detail
