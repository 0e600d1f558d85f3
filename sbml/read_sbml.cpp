#include "sbml/read_sbml.hpp"

#include <fmt/format.h>
#include <sbml/SBMLTypes.h>
#include <sbml/conversion/ConversionProperties.h>
#include <sbml/extension/SBasePlugin.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>

#include "engine/error.hpp"
#include "sbml/amounts.hpp"
#include "sbml/ast_to_expr.hpp"

namespace nkappa {

namespace {

using sbml_detail::MathContext;

int line_of(const SBase* element) {
  return element ? static_cast<int>(element->getLine()) : 0;
}

// The id of an element declared on `line`, to name it in a libSBML error message.
std::pair<std::string, std::string> element_at_line(const Model* model, unsigned line) {
  if (model == nullptr || line == 0) return {};
  auto search = [&](const ListOf* list, const char* kind) -> std::pair<std::string, std::string> {
    for (unsigned i = 0; list && i < list->size(); ++i) {
      const SBase* e = list->get(i);
      if (e->getLine() == line) return {kind, e->getId()};
    }
    return {};
  };
  for (auto [list, kind] :
       {std::pair<const ListOf*, const char*>{model->getListOfSpecies(), "species"},
        {model->getListOfReactions(), "reaction"},
        {model->getListOfParameters(), "parameter"},
        {model->getListOfCompartments(), "compartment"},
        {model->getListOfEvents(), "event"},
        {model->getListOfFunctionDefinitions(), "function"}}) {
    auto found = search(list, kind);
    if (!found.first.empty()) return found;
  }
  return {};
}

class Reader {
 public:
  explicit Reader(std::string path) : path_(std::move(path)) {}

  ModelDescription read(const UnitOptions& options, ConversionReport* report) {
    std::error_code ec;
    if (!std::filesystem::exists(path_, ec))
      throw InputError(path_, "cannot open the file: it does not exist");
    if (std::filesystem::is_directory(path_, ec))
      throw InputError(path_, "cannot read the file: it is a directory");
    doc_.reset(readSBMLFromFile(path_.c_str()));
    if (!doc_) throw InputError(path_, "libSBML could not read the file");
    check_libsbml_errors();
    flatten_comp();
    model_ = doc_->getModel();
    if (model_ == nullptr) throw InputError(path_, "the file holds no SBML model");
    refuse_unsupported();

    ModelDescription m;
    m.source_file = path_;
    m.id = model_->getId();
    m.name = model_->getName();
    read_compartments(m);
    read_parameters(m);
    read_species(m);
    read_reactions(m);
    read_events(m);
    read_rules(m);
    read_conversion_factors(m);
    ConversionReport local;
    sbml_detail::convert_to_molecules(m, read_units(m), concentration_species_, options,
                                      report ? *report : local);
    return m;
  }

 private:
  [[noreturn]] void refuse(const SBase* e, const std::string& kind, const std::string& problem) {
    throw InputError(path_, line_of(e), kind, e ? e->getId() : "", problem);
  }

  void check_libsbml_errors() {
    // Debian's libSBML is built without the distrib package. It still reads such a document,
    // with two errors: 99107 (a required package it cannot interpret) and 10205 on each
    // distrib csymbol, whose call reads back as normal(0, 1) etc. (see ast_to_expr). Exactly
    // those errors are tolerated: 99107 naming 'distrib', and 10205 on a line that holds a
    // distrib csymbol's definitionURL.
    std::vector<std::string> lines;
    if (const XMLNamespaces* ns = doc_->getNamespaces()) {
      for (int i = 0; i < ns->getNumNamespaces(); ++i)
        if (ns->getURI(i).find("/distrib/") != std::string::npos &&
            !doc_->isPackageEnabled("distrib"))
          distrib_draws_ = true;
    }
    if (distrib_draws_) {
      std::ifstream in(path_);
      for (std::string line; std::getline(in, line);) lines.push_back(line);
    }
    auto tolerated = [&](const SBMLError* err) {
      if (!distrib_draws_) return false;
      if (err->getErrorId() == 99107)
        return err->getMessage().find("'distrib'") != std::string::npos;
      if (err->getErrorId() != 10205) return false;
      const unsigned line = err->getLine();
      return line >= 1 && line <= lines.size() &&
             lines[line - 1].find("http://www.sbml.org/sbml/symbols/distrib/") != std::string::npos;
    };
    for (unsigned i = 0; i < doc_->getNumErrors(); ++i) {
      const SBMLError* err = doc_->getError(i);
      if (err->getSeverity() < LIBSBML_SEV_ERROR || tolerated(err)) continue;
      auto [kind, id] = element_at_line(doc_->getModel(), err->getLine());
      std::string message = err->getMessage();
      while (!message.empty() && (message.back() == '\n' || message.back() == ' '))
        message.pop_back();
      for (char& c : message)
        if (c == '\n') c = ' ';
      throw InputError(path_, static_cast<int>(err->getLine()), kind, id,
                       "libSBML error " + std::to_string(err->getErrorId()) + ": " + message);
    }
  }

  // A hierarchical model (SBML Level 3 `comp`) means its flattened form (comp specification
  // version 1, section 4): submodels instantiated, ports and replacements resolved, ids prefixed.
  // libSBML's CompFlatteningConverter does exactly that; the flat model is then read as any
  // other. External model definitions are found relative to the file, as libSBML resolves them.
  void flatten_comp() {
    if (doc_->getLevel() < 3 || !doc_->isPackageEnabled("comp")) return;
    ConversionProperties properties;
    properties.addOption("flatten comp", true);
    // Any other package left in the flat model is judged by refuse_unsupported as usual.
    properties.addOption("abortIfUnflattenable", std::string("none"));
    properties.addOption("performValidation", false);
    doc_->getErrorLog()->clearLog();
    const int status = doc_->convert(properties);
    if (status != LIBSBML_OPERATION_SUCCESS) {
      std::string why = "status " + std::to_string(status);
      for (unsigned i = 0; i < doc_->getNumErrors(); ++i)
        if (doc_->getError(i)->getSeverity() >= LIBSBML_SEV_ERROR) {
          why = doc_->getError(i)->getMessage();
          break;
        }
      for (char& c : why)
        if (c == '\n') c = ' ';
      throw InputError(path_, 0, "package", "comp",
                       "libSBML could not flatten the hierarchical model: " + why);
    }
  }

  void refuse_unsupported() {
    for (unsigned i = 0; i < doc_->getNumPlugins(); ++i) {
      const SBasePlugin* plugin = doc_->getPlugin(i);
      // l3v2extendedmath is how libSBML reads core L3V2 math, not a package a model declares.
      // A package with required="false" (layout, render, ...) cannot change the model's
      // mathematical meaning (SBML L3V2 section 4.1.2): it is ignored, as is a Level 2
      // layout annotation, which libSBML reads through the same plugin.
      if (plugin && plugin->getPackageName() != "l3v2extendedmath" &&
          doc_->isPackageEnabled(plugin->getPackageName()) && doc_->getLevel() >= 3 &&
          doc_->getPackageRequired(plugin->getPackageName()))
        throw InputError(path_, 0, "package", plugin->getPackageName(),
                         "SBML Level 3 packages are not supported");
    }
    if (model_->getNumConstraints() > 0)
      throw InputError(path_, line_of(model_->getConstraint(0)), "constraint", "",
                       "constraints are not supported");
  }

  void read_compartments(ModelDescription& m) {
    for (unsigned i = 0; i < model_->getNumCompartments(); ++i) {
      const Compartment* c = model_->getCompartment(i);
      CompartmentDesc d;
      d.id = c->getId();
      d.where.line = line_of(c);
      // Level 3 leaves spatialDimensions optional; unset means "unknown": read as 3.
      const double dimensions = c->getSpatialDimensionsAsDouble();
      d.spatial_dimensions = std::isfinite(dimensions) ? static_cast<int>(dimensions) : 3;
      d.constant = c->getConstant();
      if (c->isSetSize())
        d.size = c->getSize();
      else if (model_->getLevel() < 3)
        d.size = 1.0;  // SBML Level 2 default
      else
        d.size = std::nan("");  // allowed while nothing reads it; checked where it is used
      if (!std::isnan(d.size) && (!std::isfinite(d.size) || d.size < 0.0))
        refuse(c, "compartment", "size must be finite and non-negative");
      m.compartments.push_back(d);
    }
  }

  void read_parameters(ModelDescription& m) {
    for (unsigned i = 0; i < model_->getNumParameters(); ++i) {
      const Parameter* p = model_->getParameter(i);
      // An unset value is fine when an initial assignment or a rule gives it.
      const bool given = model_->getInitialAssignment(p->getId()) != nullptr ||
                         model_->getAssignmentRule(p->getId()) != nullptr ||
                         (!p->getConstant() && has_algebraic_rule());
      if (!p->isSetValue() && !given) refuse(p, "parameter", "value is not set");
      m.parameters.push_back(ParameterDesc{p->getId(),
                                           p->isSetValue() ? p->getValue() : std::nan(""),
                                           p->getConstant(),
                                           {line_of(p)}});
    }
  }

  void read_species(ModelDescription& m) {
    for (unsigned i = 0; i < model_->getNumSpecies(); ++i) {
      const Species* s = model_->getSpecies(i);
      SpeciesDesc d;
      d.id = s->getId();
      d.name = s->getName();
      d.compartment = s->getCompartment();
      d.where.line = line_of(s);
      d.boundary = s->getBoundaryCondition();
      d.constant = s->getConstant();
      const CompartmentDesc* c = m.find_compartment(d.compartment);
      if (c == nullptr) refuse(s, "species", "unknown compartment '" + d.compartment + "'");
      const bool needs_size = !s->getHasOnlySubstanceUnits() || !s->isSetInitialAmount();
      const bool size_given = size_given_by_math(*c);
      if (needs_size && std::isnan(c->size) && !size_given && c->spatial_dimensions != 0)
        refuse(s, "species",
               "its compartment '" + c->id + "' has no size, which this species needs");
      if (s->isSetInitialAmount()) {
        d.initial_amount = s->getInitialAmount();
      } else if (s->isSetInitialConcentration()) {
        d.initial_amount = s->getInitialConcentration() * c->size;
        // The concentration holds at t = 0, in the size the compartment's initial assignment
        // gives (SBML L3V2 4.8); the declared size would give the wrong amount.
        if ((model_->getInitialAssignment(c->id) != nullptr || model_->getRule(c->id) != nullptr) &&
            model_->getInitialAssignment(d.id) == nullptr &&
            model_->getAssignmentRule(d.id) == nullptr)
          m.initial_assignments.push_back(RuleDesc{
              d.id, Expr::constant(s->getInitialConcentration()) * Expr::name(c->id), d.where});
      } else if (model_->getInitialAssignment(d.id) != nullptr ||
                 model_->getAssignmentRule(d.id) != nullptr || has_algebraic_rule()) {
        d.initial_amount = std::nan("");  // given by the initial assignment or the rule
      } else {
        refuse(s, "species", "neither initialAmount nor initialConcentration is set");
      }
      if (!s->getHasOnlySubstanceUnits() && c->spatial_dimensions != 0)
        concentration_species_[d.id] = d.compartment;
      m.species.push_back(d);
    }
  }

  void read_reactions(ModelDescription& m) {
    for (unsigned i = 0; i < model_->getNumReactions(); ++i) {
      const Reaction* r = model_->getReaction(i);
      ReactionDesc d;
      d.id = r->getId();
      d.name = r->getName();
      d.where.line = line_of(r);
      d.fast = r->isSetFast() && r->getFast();
      auto refs = [&](const ListOfSpeciesReferences* list, std::vector<SpeciesRef>& out) {
        for (unsigned j = 0; j < list->size(); ++j) {
          const auto* ref = static_cast<const SpeciesReference*>(list->get(j));
          SpeciesRef out_ref{ref->getSpecies(), 1.0, ""};
          if (ref->isSetStoichiometry()) out_ref.stoichiometry = ref->getStoichiometry();
          if (ref->isSetStoichiometryMath()) {
            // Level 2: the stoichiometry is this expression at every time, read as an assignment
            // rule on a parameter of a name no SBML id can take.
            const StoichiometryMath* sm = ref->getStoichiometryMath();
            out_ref.id = d.id + ":" + ref->getSpecies() + ":stoichiometry";
            MathContext where{path_, line_of(sm), "reaction", d.id, model_, distrib_draws_};
            if (!sm->isSetMath()) refuse(r, "reaction", "stoichiometryMath without math");
            m.parameters.push_back(ParameterDesc{out_ref.id, std::nan(""), false, {line_of(sm)}});
            m.assignment_rules.push_back(RuleDesc{
                out_ref.id,
                sbml_detail::read_species_as_amounts(sbml_detail::ast_to_expr(sm->getMath(), where),
                                                     concentration_species_),
                {line_of(sm)}});
          } else if (model_->getLevel() >= 3 && ref->isSetId()) {
            // The id names the stoichiometry: math reads it, rules and events may set it.
            out_ref.id = ref->getId();
            const bool given = model_->getInitialAssignment(out_ref.id) != nullptr ||
                               model_->getRule(out_ref.id) != nullptr;
            if (!ref->isSetStoichiometry() && !given)
              refuse(r, "reaction", "stoichiometry of '" + ref->getSpecies() + "' is not set");
            m.parameters.push_back(
                ParameterDesc{out_ref.id,
                              ref->isSetStoichiometry() ? ref->getStoichiometry() : std::nan(""),
                              ref->getConstant(),
                              {line_of(ref)}});
          } else if (!ref->isSetStoichiometry() && model_->getLevel() >= 3) {
            refuse(r, "reaction", "stoichiometry of '" + ref->getSpecies() + "' is not set");
          }
          out.push_back(std::move(out_ref));
        }
      };
      refs(r->getListOfReactants(), d.reactants);
      refs(r->getListOfProducts(), d.products);
      for (unsigned j = 0; j < r->getNumModifiers(); ++j)
        d.modifiers.push_back(r->getModifier(j)->getSpecies());
      const KineticLaw* law = r->getKineticLaw();
      if (law == nullptr || !law->isSetMath()) refuse(r, "reaction", "no kinetic law");
      // L2 kinetic-law parameters and L3 local parameters are both listed by getParameter.
      for (unsigned j = 0; j < law->getNumParameters(); ++j) {
        const Parameter* p = law->getParameter(j);
        if (!p->isSetValue())
          refuse(r, "reaction", "local parameter '" + p->getId() + "' has no value");
        d.local_parameters.push_back(ParameterDesc{p->getId(), p->getValue(), true, {line_of(p)}});
      }
      MathContext where{path_, d.where.line, "reaction", d.id, model_, distrib_draws_};
      Expr expr = sbml_detail::ast_to_expr(law->getMath(), where);
      // Local parameters shadow species of the same id: rewrite only unshadowed symbols.
      sbml_detail::ConcentrationSpecies concentration = concentration_species_;
      for (const ParameterDesc& p : d.local_parameters) concentration.erase(p.id);
      d.propensity = sbml_detail::read_species_as_amounts(expr, concentration);
      for (const std::string& symbol : symbols_of(d.propensity))
        if (const CompartmentDesc* c = m.find_compartment(symbol);
            c && std::isnan(c->size) && !size_given_by_math(*c))
          refuse(r, "reaction",
                 "the rate law reads the size of compartment '" + symbol + "', which is not set");
      m.reactions.push_back(std::move(d));
    }
  }

  void read_events(ModelDescription& m) {
    for (unsigned i = 0; i < model_->getNumEvents(); ++i) {
      const Event* e = model_->getEvent(i);
      EventDesc d;
      d.id = e->getId();
      d.where.line = line_of(e);
      const std::string name = d.id.empty() ? "#" + std::to_string(i + 1) : d.id;
      const Trigger* trigger = e->getTrigger();
      // SBML L3V2 (section 4.12.2): an event without a trigger (or without its math) is never
      // triggered, so it has no effect at all.
      if (trigger == nullptr || !trigger->isSetMath()) continue;
      // Level 2 has no initialValue: its triggers behave as if true before t = 0.
      d.initial_value =
          model_->getLevel() < 3 || !trigger->isSetInitialValue() || trigger->getInitialValue();
      d.persistent =
          model_->getLevel() < 3 || !trigger->isSetPersistent() || trigger->getPersistent();
      // Level 2 before version 4 has no useValuesFromTriggerTime: values from the trigger time.
      d.use_values_from_trigger_time = e->getUseValuesFromTriggerTime();
      MathContext where{path_, d.where.line, "event", name, model_, distrib_draws_};
      d.trigger = sbml_detail::read_species_as_amounts(
          sbml_detail::ast_to_expr(trigger->getMath(), where), concentration_species_);
      // A delay or priority without math (allowed in L3V2) says nothing: none is set.
      if (const Delay* delay = e->getDelay(); e->isSetDelay() && delay->isSetMath()) {
        d.has_delay = true;
        d.delay = sbml_detail::read_species_as_amounts(
            sbml_detail::ast_to_expr(delay->getMath(), where), concentration_species_);
      }
      if (const Priority* priority = e->getPriority();
          e->isSetPriority() && priority->isSetMath()) {
        d.has_priority = true;
        d.priority = sbml_detail::read_species_as_amounts(
            sbml_detail::ast_to_expr(priority->getMath(), where), concentration_species_);
      }
      for (unsigned j = 0; j < e->getNumEventAssignments(); ++j) {
        const EventAssignment* a = e->getEventAssignment(j);
        // SBML L3V2: an event assignment without math has no effect.
        if (!a->isSetMath()) continue;
        Expr value = sbml_detail::read_species_as_amounts(
            sbml_detail::ast_to_expr(a->getMath(), where), concentration_species_);
        // The value of a concentration species is a concentration: the state holds amounts,
        // with the compartment's size at the execution when that size can change.
        EventAssignmentDesc assignment{a->getVariable(), Expr::constant(0.0)};
        if (auto it = concentration_species_.find(a->getVariable());
            it != concentration_species_.end()) {
          const CompartmentDesc* c = m.find_compartment(it->second);
          if (c != nullptr && !c->constant) {
            assignment.scaled_at_execution = true;
            assignment.execution_factor = Expr::name(it->second);
          } else {
            value = value * Expr::name(it->second);
          }
        }
        assignment.value = std::move(value);
        d.assignments.push_back(std::move(assignment));
      }
      m.events.push_back(std::move(d));
    }
  }

  // A value for `target` read as SBML means it: a species without hasOnlySubstanceUnits is
  // given as a concentration, and the model holds amounts.
  Expr read_value(const ASTNode* math, const MathContext& where, const std::string& target) {
    Expr value = sbml_detail::read_species_as_amounts(sbml_detail::ast_to_expr(math, where),
                                                      concentration_species_);
    if (auto it = concentration_species_.find(target); it != concentration_species_.end())
      value = value * Expr::name(it->second);
    return value;
  }

  // A size an initial assignment or a rule gives is known from t = 0 on; an algebraic rule
  // may give the size of a compartment that is not constant.
  bool size_given_by_math(const CompartmentDesc& c) const {
    return model_->getInitialAssignment(c.id) != nullptr || model_->getRule(c.id) != nullptr ||
           (!c.constant && has_algebraic_rule());
  }

  // An algebraic rule may give a variable that nothing else gives a value.
  bool has_algebraic_rule() const {
    for (unsigned i = 0; i < model_->getNumRules(); ++i)
      if (model_->getRule(i)->isAlgebraic()) return true;
    return false;
  }

  bool level3_version2() const { return model_->getLevel() == 3 && model_->getVersion() >= 2; }

  void read_rules(ModelDescription& m) {
    for (unsigned i = 0; i < model_->getNumInitialAssignments(); ++i) {
      const InitialAssignment* a = model_->getInitialAssignment(i);
      const int line = line_of(a);
      // SBML L3V2 makes math optional: an element without it has no effect (section 4.11).
      if (!a->isSetMath() && level3_version2()) continue;
      if (!a->isSetMath())
        throw InputError(path_, line, "initial assignment", a->getSymbol(), "no math");
      MathContext where{path_, line, "initial assignment", a->getSymbol(), model_, distrib_draws_};
      m.initial_assignments.push_back(
          RuleDesc{a->getSymbol(), read_value(a->getMath(), where, a->getSymbol()), {line}});
    }
    for (unsigned i = 0; i < model_->getNumRules(); ++i) {
      const Rule* r = model_->getRule(i);
      const int line = line_of(r);
      if (r->isAlgebraic()) {
        // 0 = value; which variable it determines is decided in engine/network/rules.cpp.
        if (!r->isSetMath() && level3_version2()) continue;
        const std::string label = r->isSetId()       ? r->getId()
                                  : r->isSetMetaId() ? r->getMetaId()
                                                     : "#" + std::to_string(i + 1);
        if (!r->isSetMath()) throw InputError(path_, line, "algebraic rule", label, "no math");
        MathContext where{path_, line, "algebraic rule", label, model_, distrib_draws_};
        m.algebraic_rules.push_back(RuleDesc{label, read_value(r->getMath(), where, ""), {line}});
        continue;
      }
      const char* kind = r->isRate() ? "rate rule" : "assignment rule";
      if (!r->isSetMath() && level3_version2()) continue;
      if (!r->isSetMath()) throw InputError(path_, line, kind, r->getVariable(), "no math");
      MathContext where{path_, line, kind, r->getVariable(), model_, distrib_draws_};
      RuleDesc d{r->getVariable(), read_value(r->getMath(), where, r->getVariable()), {line}};
      // d(x/V)/dt = f for the amount x: dx/dt = f V + (x / V) dV/dt, the second term when a rate
      // rule changes V (read_value gave f V).
      if (auto it = concentration_species_.find(d.target);
          r->isRate() && it != concentration_species_.end())
        if (const RateRule* size_rule = model_->getRateRule(it->second);
            size_rule != nullptr && size_rule->isSetMath()) {
          MathContext size_where{path_,  line_of(size_rule), "rate rule", it->second,
                                 model_, distrib_draws_};
          d.value = d.value + Expr::name(d.target) / Expr::name(it->second) *
                                  read_value(size_rule->getMath(), size_where, it->second);
        }
      (r->isRate() ? m.rate_rules : m.assignment_rules).push_back(std::move(d));
    }
  }

  // A unit reference (a base unit's name or a unitDefinition's id) reduced to what the
  // conversion to molecules needs. `level2_default` is SBML Level 2's built-in meaning of an
  // undefined 'substance' / 'volume' / 'time'.
  sbml_detail::DeclaredUnit declared_unit(const std::string& ref) const {
    using Kind = sbml_detail::DeclaredUnit::Kind;
    sbml_detail::DeclaredUnit out;
    if (ref.empty()) return out;
    auto kind_of = [](UnitKind_t k, double exponent, double& factor) {
      switch (k) {
        case UNIT_KIND_MOLE:
          return exponent == 1.0 ? Kind::Mole : Kind::Other;
        case UNIT_KIND_ITEM:
          return exponent == 1.0 ? Kind::Item : Kind::Other;
        case UNIT_KIND_DIMENSIONLESS:
          return Kind::Dimensionless;
        case UNIT_KIND_LITRE:
        case UNIT_KIND_LITER:
          return exponent == 1.0 ? Kind::Litre : Kind::Other;
        case UNIT_KIND_METRE:
        case UNIT_KIND_METER:
          if (exponent != 3.0) return Kind::Other;
          factor = factor * factor * factor * 1000.0;  // (f m)^3 in litres
          return Kind::Litre;
        case UNIT_KIND_SECOND:
          return exponent == 1.0 ? Kind::Second : Kind::Other;
        default:
          return Kind::Other;
      }
    };
    if (const UnitDefinition* d = model_->getUnitDefinition(ref)) {
      if (d->getNumUnits() == 1) {
        const Unit* u = d->getUnit(0);
        const double exponent = u->getExponentAsDouble();
        double factor = u->getMultiplier() * std::pow(10.0, u->getScale());
        out.kind = kind_of(u->getKind(), exponent, factor);
        out.factor = factor;
        const std::string base = UnitKind_toString(u->getKind());
        const double scale = u->getMultiplier() * std::pow(10.0, u->getScale());
        out.text = (scale == 1.0 ? base : fmt::format("{} * {:g}", base, scale)) +
                   (exponent != 1.0 ? fmt::format("^{:g}", exponent) : std::string()) + " (unit '" +
                   ref + "')";
      } else {
        out.kind = Kind::Other;
        out.text = "'" + ref + "' (" + UnitDefinition::printUnits(d, true) + ")";
      }
      return out;
    }
    const UnitKind_t base = UnitKind_forName(ref.c_str());
    if (base != UNIT_KIND_INVALID) {
      double factor = 1.0;
      out.kind = kind_of(base, 1.0, factor);
      out.factor = factor;
      out.text = ref;
      return out;
    }
    if (model_->getLevel() < 3) {
      // Level 2's built-in units when the file does not redefine them. An undefined
      // 'substance' is taken as undeclared (see PropensityReading::Auto), the others as SBML
      // says.
      if (ref == "volume") return {Kind::Litre, 1.0, "litre (SBML Level 2 default)"};
      if (ref == "time") return {Kind::Second, 1.0, "second (SBML Level 2 default)"};
      if (ref == "substance")
        return {Kind::Undeclared, 1.0, "not declared (SBML Level 2's default would be mole)"};
    }
    out.kind = Kind::Other;
    out.text = "'" + ref + "' (not defined)";
    return out;
  }

  sbml_detail::ModelUnits read_units(const ModelDescription& m) const {
    sbml_detail::ModelUnits units;
    const bool l3 = model_->getLevel() >= 3;
    for (unsigned i = 0; i < model_->getNumSpecies(); ++i) {
      const Species* s = model_->getSpecies(i);
      std::string ref = s->isSetSubstanceUnits() ? s->getSubstanceUnits() : std::string();
      if (ref.empty()) ref = l3 ? model_->getSubstanceUnits() : "substance";
      units.species_substance[s->getId()] = declared_unit(ref);
    }
    units.extent = declared_unit(l3 ? model_->getExtentUnits() : "substance");
    for (const CompartmentDesc& c : m.compartments) {
      const Compartment* comp = model_->getCompartment(c.id);
      std::string ref = comp && comp->isSetUnits() ? comp->getUnits() : std::string();
      if (ref.empty()) {
        if (l3)
          ref = c.spatial_dimensions == 3   ? model_->getVolumeUnits()
                : c.spatial_dimensions == 2 ? model_->getAreaUnits()
                : c.spatial_dimensions == 1 ? model_->getLengthUnits()
                                            : std::string();
        else
          ref = c.spatial_dimensions == 3   ? "volume"
                : c.spatial_dimensions == 2 ? "area"
                : c.spatial_dimensions == 1 ? "length"
                                            : std::string();
      }
      units.compartment_size[c.id] = declared_unit(ref);
    }
    units.time = declared_unit(l3 ? model_->getTimeUnits() : "time");
    return units;
  }

  void read_conversion_factors(ModelDescription& m) {
    if (model_->getLevel() < 3) return;
    for (unsigned i = 0; i < model_->getNumSpecies(); ++i) {
      const Species* s = model_->getSpecies(i);
      std::string factor = s->isSetConversionFactor()        ? s->getConversionFactor()
                           : model_->isSetConversionFactor() ? model_->getConversionFactor()
                                                             : std::string();
      if (!factor.empty() && m.find_parameter(factor) == nullptr)
        refuse(s, "species", "conversion factor '" + factor + "' is not a parameter");
      m.find_species(s->getId())->conversion_factor = std::move(factor);
    }
  }

  std::string path_;
  std::unique_ptr<SBMLDocument> doc_;
  const Model* model_ = nullptr;
  sbml_detail::ConcentrationSpecies concentration_species_;
  bool distrib_draws_ = false;
};

}  // namespace

ModelDescription read_sbml(const std::string& path, const SbmlReadOptions& options,
                           ConversionReport* report) {
  return Reader(path).read(options.units, report);
}

}  // namespace nkappa

namespace nkappa {

Expr parse_formula(const std::string& text, const std::string& file, int line,
                   const std::string& element, const std::string& element_id) {
  std::unique_ptr<ASTNode> ast(SBML_parseL3Formula(text.c_str()));
  if (!ast) {
    const char* why = SBML_getLastParseL3Error();
    throw InputError(
        file, line, element, element_id,
        "cannot parse formula '" + text + "'" + (why ? std::string(": ") + why : std::string()));
  }
  sbml_detail::MathContext where{file, line, element, element_id, nullptr};
  return sbml_detail::ast_to_expr(ast.get(), where);
}

}  // namespace nkappa

namespace nkappa {

std::vector<std::string> check_sbml_consistency(const std::string& path) {
  std::unique_ptr<SBMLDocument> doc(readSBMLFromFile(path.c_str()));
  if (!doc) throw InputError(path, "libSBML could not read the file");
  doc->setConsistencyChecks(LIBSBML_CAT_UNITS_CONSISTENCY, true);
  doc->setConsistencyChecks(LIBSBML_CAT_MODELING_PRACTICE, true);
  doc->checkConsistency();
  std::vector<std::string> lines;
  for (unsigned i = 0; i < doc->getNumErrors(); ++i) {
    const SBMLError* e = doc->getError(i);
    std::string message = e->getMessage();
    for (char& c : message)
      if (c == '\n') c = ' ';
    lines.push_back(path + ":" + std::to_string(e->getLine()) + ": " + e->getSeverityAsString() +
                    " " + std::to_string(e->getErrorId()) + ": " + message);
  }
  return lines;
}

}  // namespace nkappa
