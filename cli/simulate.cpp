// nkappa simulate MODEL.xml --t-end T --samples K --out DIR ...: a stochastic ensemble's mean
// and sd per output time, with provenance; with --method ode, the mean-field ODE solution
// (CVODE) in the same mean.csv.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <filesystem>
#include <optional>
#include <system_error>

#include "cli/commands.hpp"
#include "cli/stochastic_run.hpp"
#include "engine/error.hpp"
#include "engine/network/compile.hpp"
#include "engine/ode/cvode_solver.hpp"
#include "report/atomic_file.hpp"
#include "report/csv.hpp"
#include "report/provenance.hpp"
#include "sbml/read_sbml.hpp"

namespace nkappa::cli {

namespace {

struct SimulateOptions {
  std::string model;
  double t_start = 0.0;
  double t_end = 0.0;
  int samples = 100;
  std::int64_t trajectories = 1000;
  std::uint64_t seed = kDefaultSeed;
  int threads = default_threads();
  std::string method = "auto";
  double epsilon = kDefaultEpsilon;  // approximate methods only
  std::vector<std::string> species;
  std::string out;
  std::optional<double> rtol;  // --method ode only
  std::optional<double> atol;
  UnitOptions units;  // stochastic methods only: the ODE path integrates in SBML's own units
};

constexpr const char* kOdeMethod = "ode";

// The deterministic reading: one solution, written as mean.csv with the ensemble's columns. No
// sd.csv: a deterministic solution has no spread, and a file of zeros would read as a measured
// one. An sd.csv left in the directory by an earlier stochastic run is removed, so that the
// directory describes one run.
int simulate_ode(const SimulateOptions& o, const ReactionNetwork& net,
                 const ConversionReport& units) {
  OdeSpec spec;
  spec.t_start = o.t_start;
  spec.t_end = o.t_end;
  spec.samples = o.samples;
  if (o.rtol) spec.relative_tolerance = *o.rtol;
  if (o.atol) spec.absolute_tolerance = *o.atol;
  const std::vector<OutputColumn> columns = columns_for(net, o.species);
  std::filesystem::create_directories(o.out);

  fmt::print(stderr, "nkappa simulate: {} ({} species, {} reactions), mean-field ODE (CVODE BDF)\n",
             o.model, net.species_count(), net.reaction_count());
  const OdeSolution solution = solve_ode(net, spec);
  Moments values(columns, static_cast<std::int32_t>(solution.samples.size()));
  std::vector<double> times;
  for (std::size_t k = 0; k < solution.samples.size(); ++k) {
    values.on_sample(0, static_cast<std::int32_t>(k), solution.samples[k]);
    times.push_back(solution.samples[k].time);
  }

  RunRecord record;
  record.command = "simulate";
  record.model_file = o.model;
  record.method = kOdeMethod;
  record.method_kisao = kCvodeKisao;
  record.seed = 0;  // nothing is drawn
  record.trajectories = 1;
  record.threads = 1;
  record.t_start = o.t_start;
  record.t_end = o.t_end;
  record.samples = o.samples;
  record.relative_tolerance = solution.relative_tolerance;
  record.absolute_tolerance = solution.absolute_tolerance;
  record.wall_seconds = solution.wall_seconds;
  record.total_events = 0;  // no reaction events: model events fired are printed below
  record.status_counts.emplace_back(status_name(TrajectoryStatus::ReachedEnd), 1);
  record.propensity_reading = "none: the ODE integrates the model in its own SBML units";
  record.species_unit = "model amount: " + units.substance_unit;
  record.time_unit = units.time_unit;

  const std::filesystem::path dir(o.out);
  write_files_atomically({{dir / "mean.csv", moments_csv(times, values, MomentStatistic::Mean)},
                          {dir / "run.json", run_json(record)}});
  std::error_code ignored;
  std::filesystem::remove(dir / "sd.csv", ignored);

  const OdeStatistics& st = solution.statistics;
  fmt::print(
      "method ode (CVODE BDF, rtol {:g}, atol {:g}): {} steps, {} right-hand sides, {} Jacobians, "
      "{} model events, {} restarts in {:.3f} s\n",
      solution.relative_tolerance, solution.absolute_tolerance, st.steps, st.rhs_evaluations,
      st.jacobian_evaluations, st.events_fired, st.restarts, solution.wall_seconds);
  const std::int32_t last = values.time_points() - 1;
  fmt::print("t = {:g}:", times.back());
  for (std::size_t c = 0; c < columns.size() && c < 8; ++c)
    fmt::print("  {} {:.6g}", columns[c].name, values.mean(last, static_cast<std::int32_t>(c)));
  if (columns.size() > 8) fmt::print("  ... ({} columns)", columns.size());
  fmt::print("\nwrote {}/mean.csv, run.json\n", o.out);
  return 0;
}

int simulate(const SimulateOptions& o) {
  if (!(o.t_start < o.t_end))
    throw InputError(
        "", 0, "option", "--t-start",
        fmt::format("the first output time {:g} must be before --t-end {:g}", o.t_start, o.t_end));
  if (o.method == kOdeMethod) {
    if (o.units.volume_litres || o.units.substance_unit ||
        o.units.propensity == PropensityReading::MassAction)
      throw InputError("", 0, "option",
                       o.units.volume_litres    ? "--volume-litres"
                       : o.units.substance_unit ? "--substance-unit"
                                                : "--propensity",
                       "applies to stochastic methods only: --method ode integrates the model in "
                       "its own SBML units");
    ConversionReport as_written;
    const ReactionNetwork net = compile(read_sbml(o.model, {}, &as_written));
    return simulate_ode(o, net, as_written);
  }
  ConversionReport conversion;
  const ModelDescription model = read_sbml(o.model, SbmlReadOptions{o.units}, &conversion);
  const ReactionNetwork net = compile(model);
  if (o.rtol || o.atol)
    throw InputError(
        "", 0, "option", o.rtol ? "--rtol" : "--atol",
        "tolerances apply to --method ode only (method '" + o.method + "' is stochastic)");
  RunSpec spec;
  spec.t_start = o.t_start;
  spec.t_end = o.t_end;
  spec.samples = o.samples;
  spec.trajectories = o.trajectories;
  spec.seed = o.seed;
  spec.threads = o.threads;
  spec.epsilon = o.epsilon;
  std::filesystem::create_directories(o.out);

  fmt::print(
      stderr,
      "nkappa simulate: {} ({} species, {} reactions), seed {}, {} trajectories on {} thread(s)\n",
      o.model, net.species_count(), net.reaction_count(), o.seed, o.trajectories, o.threads);
  fmt::print(stderr, "propensities: {} ({}){}\n", conversion.reading, conversion.why,
             conversion.reading == "as written"
                 ? std::string()
                 : fmt::format("; species in molecules, {:.6g} per model amount unit; "
                               "`nkappa inspect` gives the report",
                               conversion.molecules_per_amount));
  StochasticRun run = run_stochastic(net, o.method, spec, columns_for(net, o.species));

  RunRecord record;
  record.command = "simulate";
  record.model_file = o.model;
  record.method = run.method->name;
  record.method_kisao = run.method->kisao;
  record.seed = o.seed;
  record.trajectories = o.trajectories;
  record.threads = o.threads;
  record.t_start = o.t_start;
  record.t_end = o.t_end;
  record.samples = o.samples;
  record.wall_seconds = run.result.wall_seconds;
  record.total_events = run.result.events;
  record.propensity_reading = conversion.reading;
  record.species_unit = conversion.reading == "as written"
                            ? "model amount as written: " + conversion.substance_unit
                            : "molecules";
  record.time_unit = conversion.time_unit;
  if (conversion.reading != "as written")
    record.molecules_per_amount = conversion.molecules_per_amount;
  for (int i = 0; i < kTrajectoryStatusCount; ++i)
    record.status_counts.emplace_back(status_name(static_cast<TrajectoryStatus>(i)),
                                      run.result.status_counts[static_cast<std::size_t>(i)]);

  const std::filesystem::path dir(o.out);
  write_files_atomically(
      {{dir / "mean.csv", moments_csv(run.times, run.moments, MomentStatistic::Mean)},
       {dir / "sd.csv", moments_csv(run.times, run.moments, MomentStatistic::StandardDeviation)},
       {dir / "run.json", run_json(record)}});

  const double rate = run.result.wall_seconds > 0
                          ? static_cast<double>(run.result.events) / run.result.wall_seconds
                          : 0.0;
  fmt::print("method {}: {} {} in {:.3f} s ({:.3g} {}/s, {:.1f} ns/{} on {} thread(s))\n",
             run.method->name, run.result.events,
             run.method->exact ? "events" : "steps (leaps and exact events)",
             run.result.wall_seconds, rate, run.method->exact ? "events" : "steps",
             rate > 0 ? 1e9 * o.threads / rate : 0.0, run.method->exact ? "event" : "step",
             o.threads);
  // A short summary: the final mean ± sd of up to eight columns.
  const std::int32_t last = run.moments.time_points() - 1;
  fmt::print("t = {:g}:", run.times.back());
  const auto& columns = run.moments.columns();
  for (std::size_t c = 0; c < columns.size() && c < 8; ++c)
    fmt::print("  {} {:.4g} ± {:.3g}", columns[c].name,
               run.moments.mean(last, static_cast<std::int32_t>(c)),
               std::sqrt(run.moments.variance(last, static_cast<std::int32_t>(c))));
  if (columns.size() > 8) fmt::print("  ... ({} columns)", columns.size());
  fmt::print("\nwrote {}/mean.csv, sd.csv, run.json\n", o.out);
  return 0;
}

}  // namespace

void add_simulate_command(CLI::App& root, Action& action) {
  auto options = std::make_shared<SimulateOptions>();
  CLI::App* cmd = root.add_subcommand(
      "simulate",
      "Run a stochastic ensemble of an SBML model (mean.csv, sd.csv, run.json) or, with --method "
      "ode, its mean-field ODE (mean.csv, run.json)");
  cmd->add_option("model", options->model, "SBML file")->required();
  cmd->add_option("--t-start", options->t_start,
                  "first output time (the run starts at 0 from the model's initial state)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--t-end", options->t_end, "end time (model time units)")
      ->required()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--samples", options->samples,
                  "output intervals between --t-start and --t-end (rows = samples + 1)")
      ->check(CLI::Range(1, 100000000));
  cmd->add_option("--trajectories,-n", options->trajectories, "ensemble size")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 40));
  cmd->add_option("--seed", options->seed, "master seed (trajectory i uses stream (seed, i))")
      ->capture_default_str();
  cmd->add_option("--threads,-j", options->threads, "worker threads (results do not depend on it)")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
  cmd->add_option("--method", options->method,
                  "simulation method (see `nkappa methods`), or ode for the mean-field ODE")
      ->capture_default_str();
  cmd->add_option("--epsilon", options->epsilon,
                  "tau-leaping: largest expected relative change of a propensity in one leap")
      ->check(CLI::Range(1e-6, 1.0))
      ->capture_default_str();
  cmd->add_option("--rtol", options->rtol, "--method ode: relative tolerance (default 1e-8)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--atol", options->atol,
                  "--method ode: absolute tolerance (default 1e-12 x the largest initial "
                  "amount, or 1e-12 when all are 0)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--species", options->species, "species to output (default all)")->delimiter(',');
  cmd->add_option("--out,-o", options->out, "output directory")->required();
  add_unit_options(*cmd, options->units);
  cmd->callback([options, &action] { action = [options] { return simulate(*options); }; });
}

}  // namespace nkappa::cli
