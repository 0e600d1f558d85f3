// nkappa compare SCENARIOS.yaml [--out DIR]: runs every variant of a scenario (stochastic
// ensemble, and the ODE of the same variant) and answers the comparison directly: per-cell
// statistics of the readout, mutant versus wild type with confidence intervals, effect sizes and
// distribution tests, SSA versus ODE; CSV files, run.json and a self-contained report.html.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <chrono>
#include <cmath>
#include <ctime>
#include <deque>
#include <filesystem>
#include <map>

#include "cli/commands.hpp"
#include "cli/stochastic_run.hpp"
#include "engine/error.hpp"
#include "engine/ode/cvode_solver.hpp"
#include "engine/run/model_events.hpp"
#include "nkappa/version.hpp"
#include "report/atomic_file.hpp"
#include "report/compare_tables.hpp"
#include "report/html_report.hpp"
#include "report/provenance.hpp"
#include "sbml/read_sbml.hpp"
#include "scenario/scenario.hpp"
#include "scenario/variant_run.hpp"

namespace nkappa::cli {

namespace {

struct CompareOptions {
  std::string scenario;
  std::string out = "nkappa-out/compare";
  std::int64_t cells = 0;  // 0: the scenario's
  std::uint64_t seed = 0;  // 0: the scenario's
  bool seed_set = false;
  int threads = default_threads();
  std::vector<std::string> variants;
  std::string method;
  double epsilon = 0;  // 0: the scenario's
  bool no_ode = false;
};

int compare(const CompareOptions& o) {
  const auto started = std::chrono::steady_clock::now();
  Scenario sc = load_scenario(o.scenario);
  if (o.cells > 0) sc.run.cells = o.cells;
  if (o.seed_set) sc.run.seed = o.seed;
  if (!o.method.empty()) sc.run.method = o.method;
  if (o.epsilon > 0) sc.run.epsilon = o.epsilon;
  const ModelDescription model = read_sbml(sc.model_file);
  check_scenario_against_model(sc, model);

  // Which variants, and which pairs to compare.
  std::vector<const Variant*> chosen;
  if (o.variants.empty()) {
    for (const Variant& v : sc.variants) chosen.push_back(&v);
  } else {
    for (const std::string& id : o.variants) {
      const Variant* v = sc.find_variant(id);
      if (!v)
        throw InputError(sc.file, 0, "variant", id,
                         "not defined in the scenario (see its 'variants')");
      chosen.push_back(v);
    }
  }
  auto is_chosen = [&](const std::string& id) {
    return std::any_of(chosen.begin(), chosen.end(), [&](const Variant* v) { return v->id == id; });
  };
  std::vector<ComparisonPair> pairs;
  for (const ComparisonPair& p : sc.comparisons)
    if (is_chosen(p.reference) && is_chosen(p.other)) pairs.push_back(p);
  if (pairs.empty())
    for (std::size_t i = 1; i < chosen.size(); ++i) pairs.push_back({chosen[0]->id, chosen[i]->id});

  const ReadoutAxis axis = readout_axis(sc);
  const ObservableList observables = observable_list(sc);
  const std::vector<double>& tau = axis.tau;
  const std::vector<std::string>& observable_ids = observables.ids;
  const std::int32_t readout = observables.readout;
  const CellStatsSettings ssa_stats{sc.readout.threshold, sc.readout.fall_fraction,
                                    sc.readout.smoothing_points};
  const CellStatsSettings ode_stats{sc.readout.threshold, sc.readout.fall_fraction, 1};

  fmt::print("nkappa compare: {} — {} variant(s) x {} cells, seed {}, {} thread(s)\n", sc.file,
             chosen.size(), sc.run.cells, sc.run.seed, o.threads);
  // Prepared variants and setups are referenced by the recorders: keep them at stable addresses.
  std::vector<std::unique_ptr<PreparedVariant>> prepared;
  std::deque<CellRecorderSetup> setups;
  std::vector<VariantResult> results;
  results.reserve(chosen.size());
  for (const Variant* v : chosen) {
    prepared.push_back(prepare_variant(sc, model, *v, axis, observables, o.threads));
    const PreparedVariant& pv = *prepared.back();
    const ReactionNetwork& net = pv.net;
    CellRecorderSetup setup;
    setup.observables = &pv.observables;
    setup.observable_ids = observable_ids;
    setup.readout = readout;
    setup.times = axis.times;
    setup.tau = tau;
    setup.stats = ssa_stats;
    setup.test_time_index = axis.test_index;
    setups.push_back(setup);
    const CellRecorderSetup& stable = setups.back();
    const RunSpec& spec = pv.spec;
    const bool noise = pv.extrinsic_noise;
    const MethodInfo& method = find_method(sc.run.method, net);
    check_capabilities(method, net);

    results.push_back(VariantResult{
        v->id, v->description, noise, method.name, {}, CellRecorder(stable), false, {}, {}, 0.0});
    VariantResult& r = results.back();
    fmt::print("  {:<12} ", v->id);
    std::fflush(stdout);
    r.ensemble = run_ensemble(
        net, method, spec, [&] { return std::make_unique<CellRecorder>(stable); }, r.cells);
    if (r.ensemble.invalid_reaction >= 0)
      throw RuntimeError("variant '" + v->id + "': reaction '" +
                         net.reaction_ids[r.ensemble.invalid_reaction] +
                         "' got a negative or NaN propensity");
    if (r.ensemble.event_failure.kind != EventFailure::Kind::None)
      throw RuntimeError("variant '" + v->id + "': " + describe(net, r.ensemble.event_failure));
    fmt::print("{:>10.3g} events/cell, {:6.1f} s",
               static_cast<double>(r.ensemble.events) / static_cast<double>(sc.run.cells),
               r.ensemble.wall_seconds);
    if (sc.run.ode && !o.no_ode) {
      OdeSpec ode_spec;
      ode_spec.t_start = axis.t_start;
      ode_spec.t_end = axis.t_end;
      ode_spec.samples = axis.samples;
      const auto t0 = std::chrono::steady_clock::now();
      const OdeSolution solution = solve_ode(net, ode_spec);
      r.ode_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      std::vector<double> trace;
      for (const State& sample : solution.samples) {
        std::vector<double> row;
        for (std::int32_t k = 0; k < static_cast<std::int32_t>(observable_ids.size()); ++k)
          row.push_back(pv.observables.evaluate(k, sample.counts.data(), sample.parameters.data(),
                                                sample.time));
        trace.push_back(row[static_cast<std::size_t>(readout)]);
        r.ode.push_back(std::move(row));
      }
      r.ode_summary = summarise_cell(tau, trace, ode_stats);
      r.has_ode = true;
      fmt::print(", ODE {:.2f} s", r.ode_seconds);
    }
    fmt::print("\n");
  }

  const ReadoutInfo readout_info{sc.readout.observable, sc.readout.test_times, sc.run.time_unit};
  std::vector<ComparisonRow> rows;
  for (const ComparisonPair& p : pairs) {
    auto find = [&](const std::string& id) -> const VariantResult& {
      return *std::find_if(results.begin(), results.end(),
                           [&](const VariantResult& r) { return r.id == id; });
    };
    auto more = compare_variants(find(p.reference), find(p.other), readout_info);
    rows.insert(rows.end(), more.begin(), more.end());
  }
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  CompareReport report;
  report.title = sc.title.empty() ? std::filesystem::path(sc.file).stem().string() : sc.title;
  report.scenario_file = sc.file;
  report.model_file = sc.model_file;
  report.nkappa_version = fmt::format("{} (git {})", kVersion, kGitRevision);
  report.created_utc = utc_timestamp();
  report.observable_ids = observable_ids;
  report.readout = readout;
  report.readout_info = readout_info;
  report.tau = tau;
  report.threshold = sc.readout.threshold;
  report.variants = &results;
  report.rows = rows;
  report.summary_lines = summary_sentences(results, rows, readout_info);
  report.wall_seconds = wall;

  CompareProvenance provenance{sc.file,   sc.model_file, sc.run.method,  sc.run.seed, sc.run.cells,
                               o.threads, wall,          sc.run.epsilon, {}};
  for (const VariantResult& r : results) provenance.variants.push_back(r.id);
  const std::filesystem::path dir(o.out);
  std::filesystem::create_directories(dir / "variants");
  std::vector<std::pair<std::filesystem::path, std::string>> files;
  for (const VariantResult& r : results) {
    const std::filesystem::path base = dir / "variants" / r.id;
    files.emplace_back(base.string() + "_mean.csv", variant_mean_csv(r, observable_ids));
    files.emplace_back(base.string() + "_sd.csv", variant_sd_csv(r, observable_ids));
    files.emplace_back(base.string() + "_quantiles.csv", variant_quantiles_csv(r, observable_ids));
    files.emplace_back(base.string() + "_cells.csv", variant_cells_csv(r, readout_info));
    if (r.has_ode)
      files.emplace_back(base.string() + "_ode.csv", variant_ode_csv(r, observable_ids));
  }
  files.emplace_back(dir / "summary.csv", summary_csv(results, readout_info));
  files.emplace_back(dir / "comparison.csv", comparison_csv(rows));
  files.emplace_back(dir / "run.json", compare_run_json(provenance, results));
  files.emplace_back(dir / "report.html", render_report_html(report));
  write_files_atomically(files);

  fmt::print("\n{}", summary_table_text(results, readout_info));
  fmt::print("(mean [95 % CI] over cells; peak times and amplitudes over responders)\n\n");
  for (const std::string& line : report.summary_lines) fmt::print("{}\n", line);
  fmt::print(
      "\nwall time {:.1f} s; wrote {}/report.html (open it in a browser), summary.csv, "
      "comparison.csv, "
      "variants/, run.json\n",
      wall, o.out);
  return 0;
}

}  // namespace

void add_compare_command(CLI::App& root, Action& action) {
  auto options = std::make_shared<CompareOptions>();
  CLI::App* cmd = root.add_subcommand("compare",
                                      "Compare the variants of a scenario (e.g. mutant NEMO vs "
                                      "wild type): statistics, CSV, report.html");
  cmd->add_option("scenario", options->scenario,
                  "scenario YAML file (e.g. models/nfkb_nemo/scenarios.yaml)")
      ->required();
  cmd->add_option("--out,-o", options->out, "output directory")->capture_default_str();
  cmd->add_option("--cells,-n", options->cells,
                  "cells (trajectories) per variant (default: the scenario's)")
      ->check(CLI::Range(std::int64_t{2}, std::int64_t{1} << 32));
  cmd->add_option("--seed", options->seed, "master seed (default: the scenario's)")
      ->each([options](const std::string&) { options->seed_set = true; });
  cmd->add_option("--threads,-j", options->threads, "worker threads (results do not depend on it)")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
  cmd->add_option("--variants", options->variants, "variants to run (default: all)")
      ->delimiter(',');
  cmd->add_option("--method", options->method, "simulation method (default: the scenario's)");
  cmd->add_option("--epsilon", options->epsilon,
                  "tau-leaping error control (default: the scenario's, else 0.03)")
      ->check(CLI::Range(1e-6, 1.0));
  cmd->add_flag("--no-ode", options->no_ode, "skip the ODE solution of each variant");
  cmd->callback([options, &action] { action = [options] { return compare(*options); }; });
}

}  // namespace nkappa::cli
