#include <algorithm>
#include <cmath>

#include "engine/error.hpp"
#include "scenario/scenario.hpp"

namespace nkappa {

namespace {

bool known_symbol(const ModelDescription& m, const std::string& id) {
  return m.find_species(id) || m.find_parameter(id) || m.find_compartment(id);
}

}  // namespace

void check_scenario_against_model(const Scenario& s, const ModelDescription& model) {
  for (const Observable& o : s.observables)
    for (const std::string& symbol : symbols_of(o.expr))
      if (!known_symbol(model, symbol))
        throw InputError(
            s.file, o.line, "observable", o.id,
            "'" + symbol + "' is not a species, parameter or compartment of " + s.model_file);
  for (const ExtrinsicGroup& g : s.extrinsic)
    for (const std::string& id : g.species)
      if (!model.find_species(id))
        throw InputError(s.file, g.line, "extrinsic_noise", g.name, "unknown species '" + id + "'");
  for (const Variant& v : s.variants) {
    for (const auto& [id, value] : v.parameters)
      if (!model.find_parameter(id))
        throw InputError(s.file, v.line, "variant", v.id, "unknown parameter '" + id + "'");
    for (const auto& [id, value] : v.initial) {
      if (!model.find_species(id))
        throw InputError(s.file, v.line, "variant", v.id,
                         "unknown species '" + id + "' in 'initial'");
      if (!(value >= 0) || value != std::floor(value))
        throw InputError(s.file, v.line, "variant", v.id,
                         "initial amount of '" + id + "' must be a whole number of molecules >= 0");
    }
    for (const VariantEvent& e : v.events)
      for (const auto& [id, value] : e.set)
        if (!model.find_species(id) && !model.find_parameter(id))
          throw InputError(
              s.file, v.line, "variant", v.id,
              "event '" + e.id + "' sets '" + id + "', which is not a species or parameter");
  }
}

ModelDescription apply_variant(const ModelDescription& model, const Scenario& s, const Variant& v) {
  ModelDescription m = v.base.empty() ? model : apply_variant(model, s, *s.find_variant(v.base));
  for (const auto& [id, value] : v.parameters) {
    ParameterDesc* p = m.find_parameter(id);
    if (!p) throw InputError(s.file, v.line, "variant", v.id, "unknown parameter '" + id + "'");
    p->value = value;
  }
  for (const auto& [id, value] : v.initial) {
    SpeciesDesc* sp = m.find_species(id);
    if (!sp) throw InputError(s.file, v.line, "variant", v.id, "unknown species '" + id + "'");
    sp->initial_amount = value;
  }
  for (const VariantEvent& e : v.events) {
    EventDesc ev;
    ev.id = e.id;
    ev.trigger = Expr::call(ExprOp::Geq, {Expr::time(), Expr::constant(e.at)});
    ev.initial_value = false;
    ev.where.line = v.line;
    for (const auto& [id, value] : e.set) {
      // A parameter that an event sets can no longer be folded into the rate laws.
      if (ParameterDesc* p = m.find_parameter(id)) p->constant = false;
      ev.assignments.push_back(EventAssignmentDesc{id, Expr::constant(value)});
    }
    m.events.push_back(std::move(ev));
  }
  return m;
}

bool variant_uses_extrinsic_noise(const Scenario& s, const Variant& v) {
  for (const Variant* x = &v; x; x = x->base.empty() ? nullptr : s.find_variant(x->base))
    if (x->extrinsic_noise) return *x->extrinsic_noise;
  return s.run.extrinsic_noise;
}

}  // namespace nkappa
