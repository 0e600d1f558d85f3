#include "sbml/amounts.hpp"

namespace nkappa::sbml_detail {

Expr read_species_as_amounts(const Expr& law, const ConcentrationSpecies& concentration_species) {
  // d(x / V)/dt = rateOf(x) / V - (x / V) rateOf(V) / V for the amount x in compartment V.
  if (law.op == ExprOp::RateOf) {
    auto it = concentration_species.find(law.symbol);
    if (it == concentration_species.end()) return law;
    const Expr size = Expr::name(it->second);
    return law / size - Expr::name(law.symbol) / size / size * Expr::rate_of(it->second);
  }
  if (law.op == ExprOp::Symbol) {
    auto it = concentration_species.find(law.symbol);
    if (it != concentration_species.end()) return law / Expr::name(it->second);
    return law;
  }
  Expr out = law;
  for (Expr& a : out.args) a = read_species_as_amounts(a, concentration_species);
  return out;
}

}  // namespace nkappa::sbml_detail
