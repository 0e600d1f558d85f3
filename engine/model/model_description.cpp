#include "engine/model/model_description.hpp"

#include <algorithm>

namespace nkappa {

namespace {
template <class Vec>
auto* find_by_id(Vec& items, const std::string& wanted) {
  auto it = std::find_if(items.begin(), items.end(), [&](const auto& x) { return x.id == wanted; });
  return it == items.end() ? nullptr : &*it;
}
}  // namespace

const SpeciesDesc* ModelDescription::find_species(const std::string& wanted) const {
  return find_by_id(species, wanted);
}
const ParameterDesc* ModelDescription::find_parameter(const std::string& wanted) const {
  return find_by_id(parameters, wanted);
}
const CompartmentDesc* ModelDescription::find_compartment(const std::string& wanted) const {
  return find_by_id(compartments, wanted);
}
SpeciesDesc* ModelDescription::find_species(const std::string& wanted) {
  return find_by_id(species, wanted);
}
ParameterDesc* ModelDescription::find_parameter(const std::string& wanted) {
  return find_by_id(parameters, wanted);
}
CompartmentDesc* ModelDescription::find_compartment(const std::string& wanted) {
  return find_by_id(compartments, wanted);
}

}  // namespace nkappa
