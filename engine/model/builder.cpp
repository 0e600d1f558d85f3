#include "engine/model/builder.hpp"

namespace nkappa {

ModelBuilder::ModelBuilder() {
  model_.id = "built";
  model_.compartments.push_back(CompartmentDesc{"cell", 1.0, 3, {}});
}

ModelBuilder& ModelBuilder::species(std::string id, double initial_amount, bool boundary) {
  SpeciesDesc s;
  s.id = std::move(id);
  s.compartment = "cell";
  s.initial_amount = initial_amount;
  s.boundary = boundary;
  model_.species.push_back(std::move(s));
  return *this;
}

ModelBuilder& ModelBuilder::parameter(std::string id, double value) {
  model_.parameters.push_back(ParameterDesc{std::move(id), value, true, {}});
  return *this;
}

namespace {
std::vector<SpeciesRef> refs(const std::vector<std::pair<std::string, double>>& list) {
  std::vector<SpeciesRef> out;
  for (const auto& [id, n] : list) out.push_back(SpeciesRef{id, n, ""});
  return out;
}
}  // namespace

ModelBuilder& ModelBuilder::reaction(std::string id,
                                     std::vector<std::pair<std::string, double>> reactants,
                                     std::vector<std::pair<std::string, double>> products,
                                     Expr propensity) {
  ReactionDesc r;
  r.id = std::move(id);
  r.reactants = refs(reactants);
  r.products = refs(products);
  r.propensity = std::move(propensity);
  model_.reactions.push_back(std::move(r));
  return *this;
}

ModelBuilder& ModelBuilder::mass_action(std::string id,
                                        std::vector<std::pair<std::string, double>> reactants,
                                        std::vector<std::pair<std::string, double>> products,
                                        const std::string& rate_parameter) {
  Expr law = mass_action_law(rate_parameter, reactants);
  return reaction(std::move(id), std::move(reactants), std::move(products), std::move(law));
}

Expr mass_action_law(const std::string& rate_parameter,
                     const std::vector<std::pair<std::string, double>>& reactants) {
  Expr law = Expr::name(rate_parameter);
  for (const auto& [species, multiplicity] : reactants) {
    for (int j = 0; j < static_cast<int>(multiplicity); ++j) {
      law = j == 0 ? law * Expr::name(species)
                   : law * (Expr::name(species) - Expr::constant(static_cast<double>(j)));
    }
  }
  return law;
}

}  // namespace nkappa
