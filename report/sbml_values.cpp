#include "report/sbml_values.hpp"

#include <algorithm>
#include <cmath>

#include "engine/error.hpp"
#include "engine/network/propensity.hpp"

namespace nkappa {

namespace {

std::int32_t position(const std::vector<std::string>& ids, const std::string& id) {
  const auto it = std::find(ids.begin(), ids.end(), id);
  return it == ids.end() ? -1 : static_cast<std::int32_t>(it - ids.begin());
}

}  // namespace

std::vector<ValueColumn> value_columns(const ModelDescription& model, const ReactionNetwork& net,
                                       const std::vector<std::string>& ids,
                                       const std::vector<std::string>& concentration_ids) {
  std::vector<ValueColumn> columns;
  for (const std::string& id : ids) {
    ValueColumn c;
    c.id = id;
    if (const std::int32_t s = net.species_index(id); s >= 0) {
      c.kind = ValueColumn::Kind::Species;
      c.index = s;
      const SpeciesDesc* species = model.find_species(id);
      const CompartmentDesc* compartment =
          species ? model.find_compartment(species->compartment) : nullptr;
      const bool wanted = std::find(concentration_ids.begin(), concentration_ids.end(), id) !=
                          concentration_ids.end();
      if (wanted && compartment != nullptr && compartment->spatial_dimensions != 0) {
        c.concentration = true;
        c.size_parameter = position(net.parameter_ids, compartment->id);
        c.size_species = net.species_index(compartment->id);  // a rate rule's variable
        const std::int32_t k = net.constant_index(compartment->id);
        c.size = k >= 0 ? net.constant_values[static_cast<std::size_t>(k)] : compartment->size;
        if (c.size_parameter < 0 && c.size_species < 0 && !std::isfinite(c.size))
          throw InputError(
              model.source_file, compartment->where.line, "compartment", compartment->id,
              "its size is not set, so the concentration of '" + id + "' is undefined");
      }
    } else if (const std::int32_t p = position(net.parameter_ids, id); p >= 0) {
      c.kind = ValueColumn::Kind::VariableParameter;
      c.index = p;
    } else if (const std::int32_t k = net.constant_index(id); k >= 0) {
      // The network's value: the model as described leaves it unset when an initial
      // assignment gives it.
      c.constant = net.constant_values[static_cast<std::size_t>(k)];
      const CompartmentDesc* compartment = model.find_compartment(id);
      if (compartment != nullptr && !std::isfinite(c.constant))
        throw InputError(model.source_file, compartment->where.line, "compartment", id,
                         "its size is not set");
    } else if (const CompartmentDesc* compartment = model.find_compartment(id)) {
      if (!std::isfinite(compartment->size))
        throw InputError(model.source_file, compartment->where.line, "compartment", id,
                         "its size is not set");
      c.constant = compartment->size;
    } else if (const std::int32_t r = net.reaction_index(id); r >= 0) {
      c.kind = ValueColumn::Kind::ReactionRate;
      c.index = r;
    } else {
      throw InputError(model.source_file, 0, "output", id,
                       "not a species, parameter, compartment or reaction of the model");
    }
    columns.push_back(std::move(c));
  }
  return columns;
}

double column_value(const ReactionNetwork& net, const ValueColumn& c, const State& state) {
  switch (c.kind) {
    case ValueColumn::Kind::Species: {
      const double amount = state.counts[static_cast<std::size_t>(c.index)];
      if (!c.concentration) return amount;
      const double size =
          c.size_parameter >= 0 ? state.parameters[static_cast<std::size_t>(c.size_parameter)]
          : c.size_species >= 0 ? state.counts[static_cast<std::size_t>(c.size_species)]
                                : c.size;
      return amount / size;
    }
    case ValueColumn::Kind::VariableParameter:
      return state.parameters[static_cast<std::size_t>(c.index)];
    case ValueColumn::Kind::Constant:
      return c.constant;
    case ValueColumn::Kind::ReactionRate:
      return propensity(net, c.index, state.counts.data(), state.parameters.data(), state.time);
  }
  return 0.0;
}

}  // namespace nkappa
