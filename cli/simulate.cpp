// nkappa simulate MODEL.xml --t-end T --samples K --out DIR ...: a stochastic ensemble's mean
// and sd per output time, with provenance.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <filesystem>

#include "cli/commands.hpp"
#include "cli/stochastic_run.hpp"
#include "engine/error.hpp"
#include "engine/network/compile.hpp"
#include "report/atomic_file.hpp"
#include "report/csv.hpp"
#include "report/provenance.hpp"
#include "sbml/read_sbml.hpp"

namespace nkappa::cli {

namespace {

struct SimulateOptions {
  std::string model;
  double t_end = 0.0;
  int samples = 100;
  std::int64_t trajectories = 1000;
  std::uint64_t seed = kDefaultSeed;
  int threads = default_threads();
  std::string method = "auto";
  std::vector<std::string> species;
  std::string out;
};

int simulate(const SimulateOptions& o) {
  const ModelDescription model = read_sbml(o.model);
  const ReactionNetwork net = compile(model);
  RunSpec spec;
  spec.t_end = o.t_end;
  spec.samples = o.samples;
  spec.trajectories = o.trajectories;
  spec.seed = o.seed;
  spec.threads = o.threads;
  std::filesystem::create_directories(o.out);

  fmt::print(stderr, "nkappa simulate: {} ({} species, {} reactions), seed {}, {} trajectories on {} thread(s)\n",
             o.model, net.species_count(), net.reaction_count(), o.seed, o.trajectories, o.threads);
  StochasticRun run = run_stochastic(net, o.method, spec, columns_for(net, o.species));

  RunRecord record;
  record.command = "simulate";
  record.model_file = o.model;
  record.method = run.method->name;
  record.method_kisao = run.method->kisao;
  record.seed = o.seed;
  record.trajectories = o.trajectories;
  record.threads = o.threads;
  record.t_end = o.t_end;
  record.samples = o.samples;
  record.wall_seconds = run.result.wall_seconds;
  record.total_events = run.result.events;
  for (int i = 0; i < kTrajectoryStatusCount; ++i)
    record.status_counts.emplace_back(status_name(static_cast<TrajectoryStatus>(i)), run.result.status_counts[static_cast<std::size_t>(i)]);

  const std::filesystem::path dir(o.out);
  write_files_atomically({{dir / "mean.csv", moments_csv(run.times, run.moments, MomentStatistic::Mean)},
                          {dir / "sd.csv", moments_csv(run.times, run.moments, MomentStatistic::StandardDeviation)},
                          {dir / "run.json", run_json(record)}});

  const double rate = run.result.wall_seconds > 0 ? static_cast<double>(run.result.events) / run.result.wall_seconds : 0.0;
  fmt::print("method {}: {} events in {:.3f} s ({:.3g} events/s, {:.1f} ns/event on {} thread(s))\n",
             run.method->name, run.result.events, run.result.wall_seconds, rate,
             rate > 0 ? 1e9 * o.threads / rate : 0.0, o.threads);
  // A short summary: the final mean ± sd of up to eight columns.
  const std::int32_t last = run.moments.time_points() - 1;
  fmt::print("t = {:g}:", run.times.back());
  const auto& columns = run.moments.columns();
  for (std::size_t c = 0; c < columns.size() && c < 8; ++c)
    fmt::print("  {} {:.4g} ± {:.3g}", columns[c].name, run.moments.mean(last, static_cast<std::int32_t>(c)),
               std::sqrt(run.moments.variance(last, static_cast<std::int32_t>(c))));
  if (columns.size() > 8) fmt::print("  ... ({} columns)", columns.size());
  fmt::print("\nwrote {}/mean.csv, sd.csv, run.json\n", o.out);
  return 0;
}

}  // namespace

void add_simulate_command(CLI::App& root, Action& action) {
  auto options = std::make_shared<SimulateOptions>();
  CLI::App* cmd = root.add_subcommand("simulate", "Run a stochastic ensemble of an SBML model; write mean.csv, sd.csv, run.json");
  cmd->add_option("model", options->model, "SBML file")->required();
  cmd->add_option("--t-end", options->t_end, "end time (model time units)")->required()->check(CLI::PositiveNumber);
  cmd->add_option("--samples", options->samples, "output intervals (rows = samples + 1)")->check(CLI::Range(1, 100000000));
  cmd->add_option("--trajectories,-n", options->trajectories, "ensemble size")->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 40));
  cmd->add_option("--seed", options->seed, "master seed (trajectory i uses stream (seed, i))")->capture_default_str();
  cmd->add_option("--threads,-j", options->threads, "worker threads (results do not depend on it)")->check(CLI::Range(1, 4096))->capture_default_str();
  cmd->add_option("--method", options->method, "simulation method (see `nkappa methods`)")->capture_default_str();
  cmd->add_option("--species", options->species, "species to output (default all)")->delimiter(',');
  cmd->add_option("--out,-o", options->out, "output directory")->required();
  cmd->callback([options, &action] { action = [options] { return simulate(*options); }; });
}

}  // namespace nkappa::cli
