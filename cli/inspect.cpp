// nkappa inspect MODEL.xml [--format text|json]: how nkappa reads a model for stochastic
// simulation. For each compartment its size, for each species its initial count, for each
// reaction the law as read (species symbols as amounts), the law as compiled (assignment rules
// substituted), its classification (mass action of order n, or a general law evaluated by a rate
// program) and the propensity actually evaluated. nkappa adds no factor and converts no unit:
// the propensity is the law's value in items per model time unit (the SBML Test Suite's
// stochastic convention); the report says so for every reaction.
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
};

struct ReactionReport {
  std::string id, law_as_read, law_compiled, classification, propensity;
};

std::string number(double x) {
  if (std::isnan(x)) return "not set";
  return fmt::format("{:.15g}", x);
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

std::string falling_factorial_text(const std::string& x, std::int32_t n) {
  std::string text = x;
  for (std::int32_t j = 1; j < n; ++j) text += fmt::format(" * ({} - {})", x, j);
  return text;
}

std::vector<ReactionReport> reaction_reports(const ModelDescription& m,
                                             const ReactionNetwork& net) {
  std::vector<ReactionReport> out;
  for (std::int32_t r = 0; r < net.reaction_count(); ++r) {
    ReactionReport rep;
    rep.id = net.reaction_ids[r];
    const ReactionDesc* desc = nullptr;
    for (const ReactionDesc& d : m.reactions)
      if (d.id == rep.id) desc = &d;
    rep.law_as_read = desc ? to_string(desc->propensity) : "(rate rule)";
    rep.law_compiled = net.law_text[r];
    if (net.rate_rule[r]) {
      rep.classification = "rate rule (ODE path only)";
      rep.propensity = "-";
    } else if (net.rate_kind[r] == RateKind::MassAction) {
      std::int32_t order = 0;
      std::string text = number(net.rate_constant[r]);
      const auto species = net.law_factors.row_index(r);
      const auto multiplicity = net.law_factors.row_value(r);
      for (std::size_t i = 0; i < species.size(); ++i) {
        order += multiplicity[i];
        text += " * " + falling_factorial_text(net.species_ids[species[i]], multiplicity[i]);
      }
      rep.classification = fmt::format("mass action of order {}", order);
      rep.propensity = text;
    } else {
      rep.classification = net.time_dependent[r] ? "general law, reads time" : "general law";
      rep.propensity = rep.law_compiled;
    }
    out.push_back(std::move(rep));
  }
  return out;
}

int run_inspect(const InspectOptions& o) {
  const ModelDescription m = read_sbml(o.model);
  const ReactionNetwork net = compile(m);
  const auto reactions = reaction_reports(m, net);
  constexpr const char* kFactor =
      "none: the law is taken as written, in items per model time unit (no unit conversion, no "
      "combinatorial factor added)";
  if (o.format == "json") {
    std::string j = "{\n  \"file\": " + json_string(o.model) +
                    ",\n  \"model\": " + json_string(m.id) + ",\n  \"compartments\": [";
    for (std::size_t i = 0; i < m.compartments.size(); ++i)
      j += fmt::format("{}\n    {{\"id\": {}, \"size\": {}, \"spatial_dimensions\": {}}}",
                       i ? "," : "", json_string(m.compartments[i].id),
                       json_string(number(m.compartments[i].size)),
                       m.compartments[i].spatial_dimensions);
    j += "\n  ],\n  \"species\": [";
    for (std::int32_t s = 0; s < net.species_count(); ++s)
      j += fmt::format("{}\n    {{\"id\": {}, \"initial_count\": {}, \"fixed\": {}}}", s ? "," : "",
                       json_string(net.species_ids[s]), json_string(number(net.initial_counts[s])),
                       net.species_fixed[s] ? "true" : "false");
    j += "\n  ],\n  \"reactions\": [";
    for (std::size_t i = 0; i < reactions.size(); ++i) {
      const ReactionReport& r = reactions[i];
      j += fmt::format(
          "{}\n    {{\"id\": {}, \"law\": {}, \"law_compiled\": {}, \"classification\": {}, "
          "\"propensity\": {}, \"factor\": {}}}",
          i ? "," : "", json_string(r.id), json_string(r.law_as_read), json_string(r.law_compiled),
          json_string(r.classification), json_string(r.propensity), json_string(kFactor));
    }
    j += fmt::format("\n  ],\n  \"events\": {},\n  \"assignment_rules\": {}\n}}\n",
                     net.events.size(), net.assigned.size());
    std::fputs(j.c_str(), stdout);
    return 0;
  }
  fmt::print("model '{}' ({})\n", m.id, o.model);
  fmt::print("propensity convention: {}\n", kFactor);
  fmt::print("\ncompartments (size in the model's volume unit):\n");
  for (const CompartmentDesc& c : m.compartments)
    fmt::print("  {:<20} size {} ({}D)\n", c.id, number(c.size), c.spatial_dimensions);
  fmt::print("\nspecies (initial count):\n");
  for (std::int32_t s = 0; s < net.species_count(); ++s)
    fmt::print("  {:<20} {}{}\n", net.species_ids[s], number(net.initial_counts[s]),
               net.species_fixed[s] ? "  (fixed: boundary, constant or set by a rule)" : "");
  fmt::print("\nreactions:\n");
  for (const ReactionReport& r : reactions) {
    fmt::print("  {}\n", r.id);
    fmt::print("    law (species as amounts): {}\n", r.law_as_read);
    if (r.law_compiled != r.law_as_read)
      fmt::print("    law with rules substituted: {}\n", r.law_compiled);
    fmt::print("    classification:           {}\n", r.classification);
    fmt::print("    propensity used:          {}\n", r.propensity);
  }
  fmt::print("\nevents: {}; assignment rules shown at output times: {}\n", net.events.size(),
             net.assigned.size());
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
  cmd->callback([options, &action] { action = [options] { return run_inspect(*options); }; });
}

}  // namespace nkappa::cli
