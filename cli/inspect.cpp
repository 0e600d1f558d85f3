// nkappa inspect MODEL.xml [--format text|json] [--propensity ...] [--volume-litres V]: how
// nkappa reads a model for stochastic simulation, the conversion report of sbml/units.hpp. For
// each compartment its size and volume in litres; for each species its initial amount in the
// model's unit and its initial count in molecules; for each reaction the law as read (species as
// amounts), its classification (mass action of order n, or general), the propensity used (in
// molecules per model time unit, and the constant per second), and the factor applied and why.
// The same options as `simulate` choose the reading, so the report describes the run.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdio>
#include <string>

#include "cli/commands.hpp"
#include "engine/error.hpp"
#include "engine/network/compile.hpp"
#include "sbml/read_sbml.hpp"

namespace nkappa::cli {

namespace {

struct InspectOptions {
  std::string model;
  std::string format = "text";
  UnitOptions units;
};

// What the compiled network evaluates for one reaction.
struct Evaluated {
  std::string kind;                // "mass action (constant c)" or "rate program"
  std::string propensity;          // numeric form, e.g. "1.2e-05 * IKK * IkBa"
  double constant = std::nan("");  // c per model time unit, mass action only
};

std::string number(double x) {
  if (std::isnan(x)) return "not set";
  return fmt::format("{:.6g}", x);
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\u{:04x}", static_cast<int>(c));
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string json_number(double x) {
  return std::isfinite(x) ? fmt::format("{:.15g}", x) : std::string("null");
}

std::string falling_factorial_text(const std::string& x, std::int32_t n) {
  std::string text = x;
  for (std::int32_t j = 1; j < n; ++j) text += fmt::format(" * ({} - {})", x, j);
  return text;
}

Evaluated evaluated(const ReactionNetwork& net, const std::string& id) {
  Evaluated e;
  const std::int32_t r = net.reaction_index(id);
  if (r < 0) return e;
  if (net.rate_rule[r]) {
    e.kind = "rate rule (ODE path only)";
    return e;
  }
  if (net.rate_kind[r] != RateKind::MassAction) {
    e.kind = net.time_dependent[r] ? "rate program (general law, reads time)"
                                   : "rate program (general law)";
    e.propensity = net.law_text[r];
    return e;
  }
  e.kind = "mass action";
  e.constant = net.rate_constant[r];
  e.propensity = number(e.constant);
  const auto species = net.law_factors.row_index(r);
  const auto multiplicity = net.law_factors.row_value(r);
  for (std::size_t i = 0; i < species.size(); ++i)
    e.propensity += " * " + falling_factorial_text(net.species_ids[species[i]], multiplicity[i]);
  return e;
}

// A paragraph a modeller can paste into a methods section.
std::string methods_paragraph(const ConversionReport& c, const std::string& model_id) {
  const bool split = std::any_of(c.reactions.begin(), c.reactions.end(),
                                 [](const auto& r) { return r.id != r.source; });
  if (c.reading == "as written")
    return fmt::format(
        "Stochastic simulations of model {} used each SBML rate law, evaluated on the species "
        "amounts as written ({}), as the reaction's propensity per {} (the convention of the SBML "
        "Test Suite's stochastic cases); no unit conversion or combinatorial factor was "
        "applied.",
        model_id, c.substance_unit, c.time_unit);
  std::string text = fmt::format(
      "For stochastic simulation of model {}, species amounts (substance unit {}) were converted "
      "to molecule counts with u = {:.6g} molecules per unit amount (N_A = 6.02214076e23 /mol{}). "
      "Rate laws of mass-action form k * prod [X_i]^m_i were turned into the propensities "
      "c * prod x_i (x_i - 1) ... (x_i - m_i + 1) with c = k' * u^(1 - n) (k' the law's "
      "coefficient in amounts, n = sum m_i), i.e. the number of distinct m_i-tuples of "
      "molecules (Gillespie 1977, doi:10.1021/j100540a008); other rate laws were evaluated on "
      "the amounts x/u and multiplied by u.",
      model_id, c.substance_unit, c.molecules_per_amount,
      std::isnan(c.litres_per_size_unit)
          ? std::string()
          : fmt::format(", compartment volumes {:.6g} L per unit of size", c.litres_per_size_unit));
  if (split)
    text +=
        " Net reversible laws written as the difference of two mass-action terms were split "
        "into a forward and a backward reaction.";
  text +=
      fmt::format(" Initial counts were rounded to whole molecules. Time is in {}{}.", c.time_unit,
                  std::isnan(c.seconds_per_time_unit) || c.seconds_per_time_unit == 1.0
                      ? std::string()
                      : fmt::format(" (1 unit = {:g} s)", c.seconds_per_time_unit));
  return text;
}

int run_inspect(const InspectOptions& o) {
  ConversionReport c;
  const ModelDescription m = read_sbml(o.model, SbmlReadOptions{o.units}, &c);
  const ReactionNetwork net = compile(m);
  const double per_second = std::isnan(c.seconds_per_time_unit) ? 1.0 : c.seconds_per_time_unit;
  auto constant_per_second = [&](double k) { return k / per_second; };

  if (o.format == "json") {
    std::string j =
        "{\n  \"file\": " + json_string(o.model) + ",\n  \"model\": " + json_string(m.id) +
        ",\n  \"reading\": " + json_string(c.reading) + ",\n  \"why\": " + json_string(c.why) +
        ",\n  \"substance_unit\": " + json_string(c.substance_unit) +
        ",\n  \"molecules_per_amount\": " + json_number(c.molecules_per_amount) +
        ",\n  \"volume_unit\": " + json_string(c.volume_unit) +
        ",\n  \"litres_per_size_unit\": " + json_number(c.litres_per_size_unit) +
        ",\n  \"time_unit\": " + json_string(c.time_unit) +
        ",\n  \"seconds_per_time_unit\": " + json_number(c.seconds_per_time_unit) +
        ",\n  \"compartments\": [";
    for (std::size_t i = 0; i < c.compartments.size(); ++i) {
      const auto& x = c.compartments[i];
      j += fmt::format(
          "{}\n    {{\"id\": {}, \"size\": {}, \"spatial_dimensions\": {}, \"litres\": {}}}",
          i ? "," : "", json_string(x.id), json_number(x.size), x.spatial_dimensions,
          json_number(x.litres));
    }
    j += "\n  ],\n  \"species\": [";
    for (std::size_t i = 0; i < c.species.size(); ++i) {
      const auto& x = c.species[i];
      const std::int32_t s = net.species_index(x.id);
      j += fmt::format(
          "{}\n    {{\"id\": {}, \"compartment\": {}, \"initial_amount\": {}, "
          "\"initial_count\": {}, \"fixed\": {}, \"note\": {}}}",
          i ? "," : "", json_string(x.id), json_string(x.compartment), json_number(x.initial_model),
          json_number(s >= 0 ? net.initial_counts[s] : x.initial_count),
          s >= 0 && net.species_fixed[s] ? "true" : "false", json_string(x.note));
    }
    j += "\n  ],\n  \"reactions\": [";
    for (std::size_t i = 0; i < c.reactions.size(); ++i) {
      const auto& r = c.reactions[i];
      const Evaluated e = evaluated(net, r.id);
      j += fmt::format(
          "{}\n    {{\"id\": {}, \"sbml_reaction\": {}, \"law\": {}, \"classification\": {}, "
          "\"propensity\": {}, \"evaluated_as\": {}, \"propensity_numeric\": {}, "
          "\"constant_per_time_unit\": {}, \"constant_per_second\": {}, \"factor\": {}}}",
          i ? "," : "", json_string(r.id), json_string(r.source), json_string(r.law),
          json_string(r.classification), json_string(r.propensity), json_string(e.kind),
          json_string(e.propensity), json_number(e.constant),
          json_number(constant_per_second(e.constant)), json_string(r.factor));
    }
    j += "\n  ],\n  \"notes\": [";
    for (std::size_t i = 0; i < c.notes.size(); ++i) j += (i ? ", " : "") + json_string(c.notes[i]);
    j += fmt::format("],\n  \"events\": {},\n  \"assignment_rules\": {},\n  \"methods\": {}\n}}\n",
                     net.events.size(), net.assigned.size(),
                     json_string(methods_paragraph(c, m.id)));
    std::fputs(j.c_str(), stdout);
    return 0;
  }

  fmt::print("model '{}' ({})\n", m.id, o.model);
  fmt::print("propensities: {} ({})\n", c.reading, c.why);
  fmt::print("  substance unit:  {}\n", c.substance_unit);
  if (c.reading != "as written")
    fmt::print("  u:               {:.6g} molecules per model amount unit\n",
               c.molecules_per_amount);
  fmt::print("  volume unit:     {}\n", c.volume_unit.empty() ? "none" : c.volume_unit);
  fmt::print(
      "  time unit:       {}; the clock runs in it (--t-end, events, `time`){}\n", c.time_unit,
      per_second == 1.0
          ? std::string()
          : fmt::format("; a constant per second is the constant per unit / {:g}", per_second));
  fmt::print("\ncompartments:\n");
  for (const auto& x : c.compartments)
    fmt::print("  {:<20} size {} ({}D){}\n", x.id, number(x.size), x.spatial_dimensions,
               std::isnan(x.litres) ? std::string() : fmt::format(", {:.6g} L", x.litres));
  fmt::print("\nspecies (initial amount in the model's unit -> initial count used):\n");
  for (const auto& x : c.species) {
    const std::int32_t s = net.species_index(x.id);
    fmt::print(
        "  {:<20} {} -> {}{}{}\n", x.id, number(x.initial_model),
        number(s >= 0 ? net.initial_counts[s] : x.initial_count),
        s >= 0 && net.species_fixed[s] ? "  (fixed: boundary, constant or set by a rule)" : "",
        x.note.empty() ? "" : "  [" + x.note + "]");
  }
  fmt::print("\nreactions (propensities in molecules per {}):\n", c.time_unit);
  for (const auto& r : c.reactions) {
    const Evaluated e = evaluated(net, r.id);
    fmt::print("  {}{}\n", r.id, r.id != r.source ? " (from SBML reaction " + r.source + ")" : "");
    fmt::print("    law (species as amounts): {}\n", r.law);
    fmt::print("    classification:           {}\n", r.classification);
    fmt::print("    propensity:               {}\n", r.propensity);
    fmt::print("    evaluated as:             {}{}\n", e.propensity.empty() ? e.kind : e.propensity,
               std::isnan(e.constant) || per_second == 1.0
                   ? std::string()
                   : fmt::format("  (c = {:.6g} per second)", constant_per_second(e.constant)));
    fmt::print("    factor:                   {}\n", r.factor);
  }
  if (!c.notes.empty()) {
    fmt::print("\nnotes:\n");
    for (const std::string& n : c.notes) fmt::print("  - {}\n", n);
  }
  fmt::print("\nevents: {}; assignment rules shown at output times: {}\n", net.events.size(),
             net.assigned.size());
  fmt::print("\nmethods: {}\n", methods_paragraph(c, m.id));
  return 0;
}

}  // namespace

void add_inspect_command(CLI::App& root, Action& action) {
  auto options = std::make_shared<InspectOptions>();
  CLI::App* cmd = root.add_subcommand(
      "inspect", "Show how a model's rate laws become propensities (the conversion report)");
  cmd->add_option("model", options->model, "SBML file")->required();
  cmd->add_option("--format", options->format, "text or json")
      ->capture_default_str()
      ->check(CLI::IsMember({"text", "json"}));
  add_unit_options(*cmd, options->units);
  cmd->callback([options, &action] { action = [options] { return run_inspect(*options); }; });
}

}  // namespace nkappa::cli
