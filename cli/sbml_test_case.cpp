// nkappa sbml-test-case CASES_DIR CASE OUT_DIR LEVEL VERSION: the SBML Test Runner's wrapper
// convention (%d %n %o %l %v). Reads the case's settings and model, runs it, writes
// OUT_DIR/CASE.csv with the columns the case's results file has: a stochastic case (its settings
// name `output` columns X-mean, X-sd) as an ensemble, a semantic (deterministic) case through
// the mean-field ODE (CVODE), with the `variables` in order, species as the settings' `amount` /
// `concentration` lists ask.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <optional>

#include "cli/commands.hpp"
#include "cli/stochastic_run.hpp"
#include "engine/error.hpp"
#include "engine/network/compile.hpp"
#include "engine/ode/cvode_solver.hpp"
#include "report/atomic_file.hpp"
#include "report/csv.hpp"
#include "report/sbml_test_suite.hpp"
#include "report/sbml_values.hpp"
#include "sbml/read_sbml.hpp"

namespace nkappa::cli {

namespace {

struct TestCaseOptions {
  std::string cases_dir;
  std::string case_name;
  std::string out_dir;
  int level = 3;
  int version = 2;
  std::int64_t trajectories = 10000;
  std::uint64_t seed = kDefaultSeed;
  int threads = default_threads();
  std::string method = "auto";
  std::optional<double> rtol;  // semantic cases
  std::optional<double> atol;
};

// Semantic cases are judged by |expected - ours| <= absolute + relative |expected| on every
// output point. The integration error must be far below that: the solver's relative tolerance
// (1e-8, 1e-4 of the suite's usual relative 1e-4) and an absolute tolerance on amounts of at
// most 1e-6 of the case's absolute one times the smallest compartment size below 1 (the state
// holds amounts; a concentration divides their error by the size).
int run_semantic_case(const TestCaseOptions& o, const std::string& settings_path,
                      const std::string& model_path, const TestCaseSettings& settings) {
  const ModelDescription model = read_sbml(model_path);
  const ReactionNetwork net = compile(model);
  const std::vector<ValueColumn> columns =
      value_columns(model, net, settings.variables, settings.concentration);

  OdeSpec spec;
  spec.t_start = settings.start;
  spec.t_end = settings.start + settings.duration;
  spec.samples = settings.steps;
  if (o.rtol) spec.relative_tolerance = *o.rtol;
  spec.absolute_tolerance = default_absolute_tolerance(net.initial_counts);
  if (settings.absolute && *settings.absolute > 0) {
    double smallest_size = 1.0;
    for (const CompartmentDesc& c : model.compartments)
      if (std::isfinite(c.size) && c.size > 0.0) smallest_size = std::min(smallest_size, c.size);
    spec.absolute_tolerance =
        std::min(spec.absolute_tolerance, 1e-6 * *settings.absolute * smallest_size);
  }
  if (o.atol) spec.absolute_tolerance = *o.atol;
  if (spec.t_start < 0)
    throw InputError(settings_path, 0, "setting", "start", "a negative start time");
  const OdeSolution solution = solve_ode(net, spec);

  std::string csv = "time";
  for (const ValueColumn& c : columns) csv += "," + c.id;
  csv += "\n";
  for (const State& s : solution.samples) {
    csv += format_number(s.time);
    for (const ValueColumn& c : columns) csv += "," + format_number(column_value(net, c, s));
    csv += "\n";
  }
  std::filesystem::create_directories(o.out_dir);
  write_file_atomically(std::filesystem::path(o.out_dir) / (o.case_name + ".csv"), csv);
  return 0;
}

int run_case(const TestCaseOptions& o) {
  const std::filesystem::path case_dir = std::filesystem::path(o.cases_dir) / o.case_name;
  const std::string settings_path = (case_dir / (o.case_name + "-settings.txt")).string();
  const std::string model_path =
      (case_dir / fmt::format("{}-sbml-l{}v{}.xml", o.case_name, o.level, o.version)).string();
  const TestCaseSettings settings = read_test_case_settings(settings_path);
  if (!settings.stochastic()) return run_semantic_case(o, settings_path, model_path, settings);
  if (o.rtol || o.atol)
    throw InputError(settings_path, 0, "option", o.rtol ? "--rtol" : "--atol",
                     "tolerances apply to semantic (deterministic) cases only");

  const ModelDescription model = read_sbml(model_path);
  const ReactionNetwork net = compile(model);

  // Each output column "X-mean" / "X-sd" names a variable; one moments column per variable.
  std::vector<std::string> variables;
  struct Wanted {
    std::string header;
    std::size_t variable;
    bool sd;
  };
  std::vector<Wanted> wanted;
  for (const std::string& out : settings.output) {
    const bool mean = out.size() > 5 && out.ends_with("-mean");
    const bool sd = out.size() > 3 && out.ends_with("-sd");
    if (!mean && !sd)
      throw InputError(settings_path, 0, "output", out, "expected 'X-mean' or 'X-sd'");
    const std::string variable = out.substr(0, out.size() - (mean ? 5 : 3));
    auto it = std::find(variables.begin(), variables.end(), variable);
    if (it == variables.end()) {
      variables.push_back(variable);
      it = variables.end() - 1;
    }
    wanted.push_back(Wanted{out, static_cast<std::size_t>(it - variables.begin()), sd});
  }
  // "ln(X)": the moments of the logarithm of each trajectory's X.
  std::vector<std::string> ids;
  for (const std::string& v : variables)
    ids.push_back(v.starts_with("ln(") && v.ends_with(")") ? v.substr(3, v.size() - 4) : v);
  std::vector<OutputColumn> columns = columns_for(net, ids);
  for (std::size_t i = 0; i < columns.size(); ++i) columns[i].logarithm = ids[i] != variables[i];
  for (OutputColumn& c : columns) {
    const bool as_concentration =
        std::find(settings.concentration.begin(), settings.concentration.end(), c.name) !=
        settings.concentration.end();
    if (as_concentration && c.source == OutputColumn::Source::Species) {
      const SpeciesDesc* s = model.find_species(c.name);
      const CompartmentDesc* comp = model.find_compartment(s->compartment);
      const std::int32_t k = net.constant_index(comp->id);  // set by an initial assignment?
      c.scale = 1.0 / (k >= 0 ? net.constant_values[static_cast<std::size_t>(k)] : comp->size);
    }
  }

  RunSpec spec;
  spec.t_start = settings.start;
  spec.t_end = settings.start + settings.duration;
  spec.samples = settings.steps;
  spec.trajectories = o.trajectories;
  spec.seed = o.seed;
  spec.threads = o.threads;
  StochasticRun run = run_stochastic(net, o.method, spec, columns);

  std::string csv = "time";
  for (const Wanted& w : wanted) csv += "," + w.header;
  csv += "\n";
  for (std::int32_t t = 0; t < run.moments.time_points(); ++t) {
    csv += format_number(run.times[static_cast<std::size_t>(t)]);
    for (const Wanted& w : wanted) {
      const auto c = static_cast<std::int32_t>(w.variable);
      csv += "," +
             format_number(w.sd ? std::sqrt(run.moments.variance(t, c)) : run.moments.mean(t, c));
    }
    csv += "\n";
  }
  std::filesystem::create_directories(o.out_dir);
  write_file_atomically(std::filesystem::path(o.out_dir) / (o.case_name + ".csv"), csv);
  return 0;
}

}  // namespace

void add_sbml_test_case_command(CLI::App& root, Action& action) {
  auto options = std::make_shared<TestCaseOptions>();
  CLI::App* cmd = root.add_subcommand(
      "sbml-test-case", "Run one SBML Test Suite case (Test Runner wrapper: %d %n %o %l %v)");
  cmd->add_option("cases_dir", options->cases_dir, "folder holding the case folders")->required();
  cmd->add_option("case", options->case_name, "case number, 5 digits")->required();
  cmd->add_option("out_dir", options->out_dir, "where CASE.csv is written")->required();
  cmd->add_option("level", options->level, "SBML level")->required();
  cmd->add_option("version", options->version, "SBML version")->required();
  cmd->add_option("--trajectories,-n", options->trajectories, "stochastic cases: ensemble size")
      ->capture_default_str()
      ->check(CLI::Range(std::int64_t{2}, std::int64_t{1} << 40));
  cmd->add_option("--seed", options->seed, "master seed")->capture_default_str();
  cmd->add_option("--threads,-j", options->threads, "worker threads")->check(CLI::Range(1, 4096));
  cmd->add_option("--method", options->method, "stochastic cases: simulation method")
      ->capture_default_str();
  cmd->add_option("--rtol", options->rtol,
                  "semantic cases: CVODE relative tolerance (default 1e-8)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--atol", options->atol,
                  "semantic cases: CVODE absolute tolerance on amounts (default min(1e-12 x "
                  "max(1, largest initial amount), 1e-6 x the case's absolute tolerance x the "
                  "smallest compartment size below 1))")
      ->check(CLI::PositiveNumber);
  cmd->callback([options, &action] { action = [options] { return run_case(*options); }; });
}

}  // namespace nkappa::cli
