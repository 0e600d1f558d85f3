// Units to molecules for stochastic runs.
//
// An SBML kinetic law gives the reaction's rate in extent (substance) per time unit; species
// symbols mean amounts here (read_species_as_amounts turned concentrations into amount / size).
// With u molecules per model amount unit (u = N_A * the mole scale of the substance unit), a
// state of x molecules is x / u model amounts, so the rate in molecules per time unit is
// u * f(x / u): the law evaluated in the model's units (concentrations from counts / (N_A V)),
// times u. Every law is converted this way, except that a law of the mass-action shape
// k * prod(x_i^m_i) (the deterministic reading of a reaction needing m_i molecules of species i)
// becomes the combinatorial propensity k * u^(1 - n) * prod(x_i (x_i - 1) ... (x_i - m_i + 1)),
// n = sum m_i: the number of distinct m_i-tuples of molecules, as in Gillespie's stochastic
// formulation (Gillespie 1976, J Comput Phys 22:403, doi:10.1016/0021-9991(76)90041-3, and
// 1977, J Phys Chem 81:2340, doi:10.1021/j100540a008). For 2A -> B with law k [A]^2 V (the
// SBML rate of the reaction, not of A's change), the propensity is k/(N_A V) x (x - 1) =
// c x (x - 1)/2 with Gillespie's c = 2k/(N_A V): the same number of events per unit time as
// the law when x is large (the usual deterministic-to-stochastic conversion of rate
// constants, c = k (N_A V)^(1-n) times the symmetry factor m! of a species needed m times).
// The clock stays in the model's time unit (events, `time` in laws and --t-end are in it); the
// report gives the per-second constants beside.
#include "sbml/amounts.hpp"

#include <fmt/format.h>

#include <cmath>
#include <optional>
#include <set>

#include "engine/error.hpp"

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

namespace {

// The 2019 SI value (exact).
constexpr double kAvogadro = 6.02214076e23;

// A compartment this large is a model's nominal volume (BioModels files without a cell volume
// say "1 litre"), not a cell's: 1 µL holds 6e8 molecules at 1 nM, out of reach of an exact
// stochastic method, and larger than any cell but an oocyte. The conversion asks for
// --volume-litres instead of starting such a run.
constexpr double kNominalVolumeLitres = 1e-6;

std::string num(double x) {
  if (std::isnan(x)) return "not known";
  return fmt::format("{:.6g}", x);
}

// law = coefficient * prod(species^power), the coefficient reading no jump species.
struct PowerProduct {
  std::vector<Expr> numerator, denominator;
  std::map<std::string, std::int32_t> powers;
};

bool reads_any(const Expr& e, const std::set<std::string>& ids) {
  if (e.op == ExprOp::Symbol) return ids.count(e.symbol) > 0;
  for (const Expr& a : e.args)
    if (reads_any(a, ids)) return true;
  return false;
}

bool split_power_product(const Expr& e, const std::set<std::string>& species, PowerProduct& out) {
  if (!reads_any(e, species)) {
    out.numerator.push_back(e);
    return true;
  }
  switch (e.op) {
    case ExprOp::Symbol:
      ++out.powers[e.symbol];
      return true;
    case ExprOp::Mul:
      for (const Expr& a : e.args)
        if (!split_power_product(a, species, out)) return false;
      return true;
    case ExprOp::Div:
      if (e.args.size() != 2 || reads_any(e.args[1], species)) return false;
      out.denominator.push_back(e.args[1]);
      return split_power_product(e.args[0], species, out);
    case ExprOp::Pow: {
      // b^m with m a small positive integer written as a number, b itself a power product
      // (e.g. (A / cell)^2 for a concentration squared).
      if (e.args.size() != 2 || e.args[1].op != ExprOp::Number) return false;
      const double m = e.args[1].number;
      if (!(m >= 1.0 && m <= 16.0 && m == std::floor(m))) return false;
      PowerProduct base;
      if (!split_power_product(e.args[0], species, base)) return false;
      const auto times = static_cast<std::int32_t>(m);
      for (const auto& [s, power] : base.powers) out.powers[s] += power * times;
      for (auto* list : {&base.numerator, &base.denominator})
        for (const Expr& f : *list)
          (list == &base.numerator ? out.numerator : out.denominator)
              .push_back(times == 1 ? f : Expr::call(ExprOp::Pow, {f, Expr::constant(m)}));
      return true;
    }
    default:
      return false;
  }
}

Expr product(const std::vector<Expr>& factors) {
  if (factors.empty()) return Expr::constant(1.0);
  if (factors.size() == 1) return factors[0];
  return Expr::call(ExprOp::Mul, factors);
}

struct Classified {
  bool mass_action = false;
  std::int32_t order = 0;
  Expr coefficient;  // reads no jump species
  std::map<std::string, std::int32_t> powers;
};

Classified classify(const Expr& law, const std::set<std::string>& jump_species) {
  PowerProduct p;
  Classified c;
  if (!split_power_product(law, jump_species, p)) return c;
  c.mass_action = true;
  c.coefficient = product(p.numerator);
  if (!p.denominator.empty()) c.coefficient = c.coefficient / product(p.denominator);
  c.powers = p.powers;
  for (const auto& [s, m] : p.powers) c.order += m;
  return c;
}

// The law as a sum of signed terms, common factors distributed: c * (p - q) -> c*p, -(c*q);
// (p - q) / d -> p/d, -(q/d). Only sums, differences, negations, products and divisions by
// what reads no sum are expanded; anything else is one term.
struct SignedTerm {
  bool negative = false;
  Expr term;
};

std::vector<SignedTerm> signed_terms(const Expr& e) {
  auto negate = [](std::vector<SignedTerm> terms) {
    for (SignedTerm& t : terms) t.negative = !t.negative;
    return terms;
  };
  switch (e.op) {
    case ExprOp::Add: {
      std::vector<SignedTerm> out;
      for (const Expr& a : e.args)
        for (SignedTerm& t : signed_terms(a)) out.push_back(std::move(t));
      return out;
    }
    case ExprOp::Sub: {
      if (e.args.size() != 2) break;
      std::vector<SignedTerm> out = signed_terms(e.args[0]);
      for (SignedTerm& t : negate(signed_terms(e.args[1]))) out.push_back(std::move(t));
      return out;
    }
    case ExprOp::Neg:
      return negate(signed_terms(e.args[0]));
    case ExprOp::Mul: {
      // Distribute over the one factor that is a sum (if several are, leave the law whole).
      std::size_t sums = 0, at = 0;
      std::vector<std::vector<SignedTerm>> parts;
      for (std::size_t i = 0; i < e.args.size(); ++i) {
        parts.push_back(signed_terms(e.args[i]));
        if (parts.back().size() > 1 || parts.back()[0].negative) {
          ++sums;
          at = i;
        }
      }
      if (sums != 1) break;
      std::vector<SignedTerm> out;
      for (const SignedTerm& t : parts[at]) {
        std::vector<Expr> factors = e.args;
        factors[at] = t.term;
        out.push_back(SignedTerm{t.negative, Expr::call(ExprOp::Mul, factors)});
      }
      return out;
    }
    case ExprOp::Div: {
      if (e.args.size() != 2) break;
      std::vector<SignedTerm> out = signed_terms(e.args[0]);
      if (out.size() == 1 && !out[0].negative) break;
      for (SignedTerm& t : out) t.term = t.term / e.args[1];
      return out;
    }
    default:
      break;
  }
  return {SignedTerm{false, e}};
}

std::string classification_text(const Classified& c) {
  if (!c.mass_action) return "general";
  return fmt::format("mass action of order {}", c.order);
}

Expr falling_factorial(const std::string& x, std::int32_t m) {
  Expr out = Expr::name(x);
  for (std::int32_t j = 1; j < m; ++j) out = out * (Expr::name(x) - Expr::constant(j));
  return out;
}

// Every symbol naming a species in `scale` (and not shadowed by a local parameter) replaced by
// species / u: the model amount that x molecules make.
Expr amounts_from_counts(const Expr& e, const std::map<std::string, double>& scale,
                         const std::set<std::string>& shadowed = {}) {
  if (e.op == ExprOp::Symbol) {
    auto it = scale.find(e.symbol);
    if (it == scale.end() || it->second == 1.0 || shadowed.count(e.symbol)) return e;
    return e / Expr::constant(it->second);
  }
  Expr out = e;
  for (Expr& a : out.args) a = amounts_from_counts(a, scale, shadowed);
  return out;
}

Expr rounded(Expr e) {
  return Expr::call(ExprOp::Floor, {std::move(e) + Expr::constant(0.5)});
}

std::string unit_name(const DeclaredUnit& u) {
  return u.text.empty() ? std::string("not declared") : u.text;
}

}  // namespace

void convert_to_molecules(ModelDescription& model, const ModelUnits& units,
                          const ConcentrationSpecies& concentration_species,
                          const UnitOptions& options, ConversionReport& report) {
  const std::string& file = model.source_file;
  using Kind = DeclaredUnit::Kind;

  // The unit of each species' amount, the user's --substance-unit filling an undeclared one.
  auto substance_of = [&](const SpeciesDesc& s) {
    auto it = units.species_substance.find(s.id);
    DeclaredUnit u = it == units.species_substance.end() ? DeclaredUnit{} : it->second;
    if (u.kind == Kind::Undeclared && options.substance_unit) {
      static const std::map<std::string, std::pair<Kind, double>> kNamed = {
          {"item", {Kind::Item, 1.0}},  {"mole", {Kind::Mole, 1.0}},
          {"mmol", {Kind::Mole, 1e-3}}, {"umol", {Kind::Mole, 1e-6}},
          {"nmol", {Kind::Mole, 1e-9}}, {"pmol", {Kind::Mole, 1e-12}}};
      auto named = kNamed.find(*options.substance_unit);
      if (named == kNamed.end())
        throw InputError(
            "", 0, "option", "--substance-unit",
            "'" + *options.substance_unit + "' is not one of item, mole, mmol, umol, nmol, pmol");
      u = DeclaredUnit{named->second.first, named->second.second,
                       *options.substance_unit + " (--substance-unit)"};
    }
    return u;
  };
  auto size_unit_of = [&](const std::string& compartment) {
    auto it = units.compartment_size.find(compartment);
    return it == units.compartment_size.end() ? DeclaredUnit{} : it->second;
  };
  // Litres per unit of size: the declared volume unit, or the user's --volume-litres.
  auto litres_per_size = [&](const CompartmentDesc& c) {
    if (c.spatial_dimensions != 3) return std::nan("");
    if (options.volume_litres) return *options.volume_litres;
    const DeclaredUnit u = size_unit_of(c.id);
    return u.kind == Kind::Litre ? u.factor : std::nan("");
  };

  // Which reading. Auto converts exactly when the file (or the user) says the amounts are
  // moles: a file in items, dimensionless or without units is taken as written.
  PropensityReading reading = options.propensity;
  std::string why = "chosen by --propensity";
  if (reading == PropensityReading::Auto) {
    const SpeciesDesc* mole = nullptr;
    const SpeciesDesc* other = nullptr;
    for (const SpeciesDesc& s : model.species)
      (substance_of(s).kind == Kind::Mole ? mole : other) = &s;
    if (options.volume_litres) {
      reading = PropensityReading::MassAction;
      why = "--volume-litres given";
    } else if (mole != nullptr) {
      reading = PropensityReading::MassAction;
      why = "the model's substance unit is " + unit_name(substance_of(*mole));
    } else {
      reading = PropensityReading::AsWritten;
      why = model.species.empty() ? "no species"
                                  : "the model's substance unit is " +
                                        unit_name(substance_of(model.species.front())) +
                                        ": amounts are read as molecules";
    }
  }
  const bool convert = reading == PropensityReading::MassAction;
  report.reading = convert ? "mass action in molecules" : "as written";
  report.why = why;
  report.time_unit = unit_name(units.time);
  report.seconds_per_time_unit = units.time.kind == Kind::Second ? units.time.factor : std::nan("");
  report.litres_per_size_unit = std::nan("");
  report.molecules_per_amount = 1.0;

  for (const CompartmentDesc& c : model.compartments) {
    const double per = litres_per_size(c);
    report.compartments.push_back(
        ConversionReport::Compartment{c.id, c.size, c.spatial_dimensions, c.size * per});
  }
  if (!model.compartments.empty()) {
    const CompartmentDesc& first = model.compartments.front();
    report.volume_unit =
        options.volume_litres
            ? fmt::format("{} L per unit of size (--volume-litres)", num(*options.volume_litres))
            : unit_name(size_unit_of(first.id));
    report.litres_per_size_unit = litres_per_size(first);
  }

  // Species given by rules are real numbers, not counts: no falling factorial for them.
  std::set<std::string> ruled;
  for (const RuleDesc& r : model.assignment_rules) ruled.insert(r.target);
  for (const RuleDesc& r : model.rate_rules) ruled.insert(r.target);
  std::set<std::string> jump_species;
  for (const SpeciesDesc& s : model.species)
    if (!ruled.count(s.id) && !s.rate_rule) jump_species.insert(s.id);

  // Molecules per model amount unit, per species.
  std::map<std::string, double> scale;
  std::string u_text;
  for (const SpeciesDesc& s : model.species) {
    double u = 1.0;
    if (convert) {
      const DeclaredUnit unit = substance_of(s);
      switch (unit.kind) {
        case Kind::Mole:
          u = kAvogadro * unit.factor;
          break;
        case Kind::Item:
          u = unit.factor;
          break;
        case Kind::Dimensionless:
          break;  // the suite's convention: a dimensionless amount is a count
        case Kind::Undeclared:
          if (options.volume_litres)
            throw InputError(file, s.where.line, "species", s.id,
                             "the file declares no substance unit, so --volume-litres cannot "
                             "give molecules: add --substance-unit (mole, mmol, umol, nmol, pmol)");
          break;  // no units: amounts are counts already
        default:
          throw InputError(file, s.where.line, "species", s.id,
                           "substance unit '" + unit.text +
                               "' is neither a multiple of mole nor of item: cannot convert it to "
                               "molecules (use --propensity as-written to take the model as "
                               "written)");
      }
      if (options.volume_litres && (unit.kind == Kind::Item || unit.kind == Kind::Dimensionless))
        throw InputError(file, s.where.line, "species", s.id,
                         "its amount is a count already (" + unit_name(unit) +
                             "): --volume-litres applies to models in moles only");
      if (options.volume_litres) {
        // Concentrations are kept: one unit of size holds V litres instead of its declared
        // volume, so amounts scale by V / (declared litres per unit of size, 1 if none).
        const DeclaredUnit size_unit = size_unit_of(s.compartment);
        u *= *options.volume_litres / (size_unit.kind == Kind::Litre ? size_unit.factor : 1.0);
      }
      if (unit.kind == Kind::Mole) {
        const CompartmentDesc* c = model.find_compartment(s.compartment);
        const double per = c ? litres_per_size(*c) : std::nan("");
        bool assigned_size = false;
        for (const RuleDesc& r : model.initial_assignments)
          if (c && r.target == c->id) assigned_size = true;
        if (c && !assigned_size && !std::isnan(per) && c->size * per >= kNominalVolumeLitres)
          throw InputError(
              file, c->where.line, "compartment", c->id,
              fmt::format("{} litres is a model's nominal volume, not a cell's: converting "
                          "species '{}' ({}) to molecules needs the cell volume; give "
                          "--volume-litres V (litres per unit of compartment size, e.g. 1.66e-12 "
                          "for a fibroblast) or --propensity as-written",
                          num(c->size * per), s.id, unit_name(unit)));
      }
      if (u_text.empty() && u != 1.0)
        u_text = fmt::format("u = {} molecules per {}", num(u), unit_name(unit));
    }
    scale[s.id] = u;
  }
  // One u for the model (the report's headline) when all species share it.
  std::optional<double> model_u;
  for (const auto& [id, u] : scale) {
    if (!model_u) model_u = u;
    if (*model_u != u) model_u = std::nan("");
  }
  report.molecules_per_amount = model_u.value_or(1.0);
  report.substance_unit =
      model.species.empty() ? "no species" : unit_name(substance_of(model.species.front()));

  // Species: initial counts. Converted counts are rounded to whole molecules (reported); a
  // file in items is left as it is.
  for (SpeciesDesc& s : model.species) {
    ConversionReport::Species rep{s.id,
                                  s.compartment,
                                  concentration_species.count(s.id) > 0,
                                  s.initial_amount,
                                  s.initial_amount,
                                  ""};
    const double u = scale[s.id];
    if (std::isnan(s.initial_amount)) {
      rep.note = u != 1.0 ? "set by an initial assignment, times u, rounded to a whole molecule"
                          : "set by an initial assignment";
    } else if (u != 1.0) {
      const double count = s.initial_amount * u;
      s.initial_amount = count;
      if (!s.rate_rule && !ruled.count(s.id) && count != std::round(count)) {
        s.initial_amount = std::round(count);
        rep.note = fmt::format("{} molecules rounded to {}", num(count), num(s.initial_amount));
      }
      rep.initial_count = s.initial_amount;
    }
    if (ruled.count(s.id)) rep.note = "given by a rule";
    report.species.push_back(rep);
  }
  if (!convert) {
    for (const ReactionDesc& r : model.reactions) {
      std::set<std::string> jump = jump_species;
      for (const ParameterDesc& p : r.local_parameters) jump.erase(p.id);
      const Classified c = classify(r.propensity, jump);
      report.reactions.push_back(ConversionReport::Reaction{
          r.id, r.id, to_string(r.propensity), classification_text(c), to_string(r.propensity),
          "none: the law's value in the model's units is the propensity (no unit conversion, no "
          "combinatorial factor)"});
    }
    return;
  }

  // Rules, initial assignments and events: read species as amounts from counts; a value given
  // to a species is an amount, times u.
  auto to_count = [&](const std::string& target, Expr value, bool round) {
    auto it = scale.find(target);
    if (it == scale.end() || it->second == 1.0) return value;
    value = Expr::constant(it->second) * value;
    return round ? rounded(std::move(value)) : value;
  };
  std::size_t rounded_assignments = 0;
  for (RuleDesc& r : model.initial_assignments) {
    const bool round = jump_species.count(r.target) > 0 && scale[r.target] != 1.0;
    rounded_assignments += round ? 1 : 0;
    r.value = to_count(r.target, amounts_from_counts(r.value, scale), round);
  }
  for (auto* rules : {&model.assignment_rules, &model.rate_rules})
    for (RuleDesc& r : *rules)
      r.value = to_count(r.target, amounts_from_counts(r.value, scale), false);
  for (RuleDesc& r : model.algebraic_rules) r.value = amounts_from_counts(r.value, scale);
  std::size_t event_assignments = 0;
  for (EventDesc& e : model.events) {
    e.trigger = amounts_from_counts(e.trigger, scale);
    for (EventAssignmentDesc& a : e.assignments) {
      const bool round = jump_species.count(a.target) > 0 && scale[a.target] != 1.0;
      event_assignments += round ? 1 : 0;
      a.value = to_count(a.target, amounts_from_counts(a.value, scale), round);
    }
  }
  if (rounded_assignments > 0)
    report.notes.push_back(fmt::format(
        "{} initial assignment(s) to species: the amount times u, rounded to a whole molecule",
        rounded_assignments));
  if (event_assignments > 0)
    report.notes.push_back(fmt::format(
        "{} event assignment(s) to species: the amount times u, rounded to a whole molecule "
        "(floor(u * value + 0.5))",
        event_assignments));
  if (!model.events.empty())
    report.notes.push_back("event triggers read species as amounts: count / u");
  if (!model.assignment_rules.empty() || !model.rate_rules.empty())
    report.notes.push_back(
        "rules read species as count / u; a rule's value for a species is times u");

  // Reactions.
  std::vector<ReactionDesc> out;
  for (ReactionDesc& r : model.reactions) {
    std::set<std::string> jump = jump_species;
    std::set<std::string> shadowed;
    for (const ParameterDesc& p : r.local_parameters) {
      jump.erase(p.id);
      shadowed.insert(p.id);
    }
    // The extent's u: the u of the species the reaction changes, which must agree (a reaction
    // between species of different units needs a conversion factor).
    std::optional<double> extent_u;
    std::string extent_species;
    for (const auto* refs : {&r.reactants, &r.products})
      for (const SpeciesRef& ref : *refs) {
        auto it = scale.find(ref.species);
        if (it == scale.end()) continue;
        if (extent_u && *extent_u != it->second)
          throw InputError(file, r.where.line, "reaction", r.id,
                           "species '" + extent_species + "' and '" + ref.species +
                               "' have different substance units: converting this reaction to "
                               "molecules needs a conversion factor");
        extent_u = it->second;
        extent_species = ref.species;
      }
    const double ue = extent_u.value_or(model_u && !std::isnan(*model_u) ? *model_u : 1.0);

    auto convert_law = [&](const Expr& law, ConversionReport::Reaction& rep) {
      const Classified c = classify(law, jump);
      rep.law = to_string(law);
      rep.classification = classification_text(c);
      if (!c.mass_action) {
        rep.factor = fmt::format(
            "u * f(x / u) with u = {}: the law evaluated in the model's units from counts / u, "
            "times u",
            num(ue));
        return Expr::constant(ue) * amounts_from_counts(law, scale, shadowed);
      }
      double factor = ue;
      bool repeated = false;
      Expr propensity = Expr::constant(1.0);
      std::vector<Expr> factors;
      for (const auto& [s, m] : c.powers) {
        factor /= std::pow(scale[s], m);
        repeated = repeated || m > 1;
        factors.push_back(falling_factorial(s, m));
      }
      std::vector<Expr> all;
      if (factor != 1.0) all.push_back(Expr::constant(factor));
      all.push_back(amounts_from_counts(c.coefficient, scale, shadowed));
      for (Expr& f : factors) all.push_back(std::move(f));
      rep.factor = c.order == 1 ? fmt::format("u^(1-n) = 1 (order 1: the constant is unchanged)")
                                : fmt::format("u^(1-n) = {} with u = {}, n = {}{}", num(factor),
                                              num(ue), c.order,
                                              repeated ? "; a species needed m > 1 times enters as "
                                                         "x (x-1) ... (x-m+1) (Gillespie 1977)"
                                                       : "");
      return product(all);
    };

    // A net law p - q of two mass-action terms (a reversible reaction written as one law) is
    // split into a forward and a backward reaction: a stochastic jump cannot have a negative
    // rate, and the two channels have the same mean-field equations.
    const Expr& law = r.propensity;
    const std::vector<SignedTerm> terms = signed_terms(law);
    const Expr* forward = nullptr;
    const Expr* backward = nullptr;
    if (terms.size() == 2 && terms[0].negative != terms[1].negative) {
      forward = &terms[terms[0].negative ? 1 : 0].term;
      backward = &terms[terms[0].negative ? 0 : 1].term;
    }
    if (forward && classify(*forward, jump).mass_action && classify(*backward, jump).mass_action) {
      ReactionDesc f = r;
      ReactionDesc b = r;
      f.id = r.id + "__forward";
      b.id = r.id + "__backward";
      std::swap(b.reactants, b.products);
      ConversionReport::Reaction fr{f.id, r.id, "", "", "", ""};
      ConversionReport::Reaction br{b.id, r.id, "", "", "", ""};
      f.propensity = convert_law(*forward, fr);
      b.propensity = convert_law(*backward, br);
      fr.classification += " (forward term of the net law " + to_string(law) + ", split)";
      br.classification += " (backward term of the net law, split: products -> reactants)";
      fr.propensity = to_string(f.propensity);
      br.propensity = to_string(b.propensity);
      report.reactions.push_back(fr);
      report.reactions.push_back(br);
      out.push_back(std::move(f));
      out.push_back(std::move(b));
      continue;
    }
    ConversionReport::Reaction rep{r.id, r.id, "", "", "", ""};
    r.propensity = convert_law(law, rep);
    rep.propensity = to_string(r.propensity);
    report.reactions.push_back(rep);
    out.push_back(std::move(r));
  }
  model.reactions = std::move(out);
  if (!u_text.empty()) report.notes.insert(report.notes.begin(), u_text);
}

}  // namespace nkappa::sbml_detail
