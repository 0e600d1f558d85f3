// nkappa_bench: events/s and ns/event of the exact methods on the benchmark models of
// ../shared/bench-models, with the events per trajectory checked against the reference counts
// of models.tsv (a different count means different propensities). Single thread, final states
// only, warm-up then the median of repeats. Never run as a timed test.
#include <fmt/format.h>
#include <sys/resource.h>
#include <time.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/error.hpp"
#include "engine/network/compile.hpp"
#include "engine/observe/sample_sink.hpp"
#include "engine/run/ensemble.hpp"
#include "engine/run/method.hpp"
#include "nkappa/version.hpp"
#include "sbml/read_sbml.hpp"

namespace nkappa {
namespace {

struct ReferenceRow {
  std::string model;
  int reactions = 0;
  double t_end = 0;
  double events_mean = 0, events_sd = 0;
  double n_reference = 0;
  double reference_ns = 0;
  double recomputed_per_event = 0;
};

std::vector<ReferenceRow> read_reference(const std::filesystem::path& tsv) {
  std::ifstream in(tsv);
  if (!in) throw InputError(tsv.string(), "cannot open the benchmark reference table");
  std::vector<ReferenceRow> rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, '\t')) f.push_back(cell);
    if (f.size() < 11) continue;
    rows.push_back(ReferenceRow{f[0], std::stoi(f[3]), std::stod(f[4]), std::stod(f[5]),
                                std::stod(f[6]), std::stod(f[7]), std::stod(f[10]),
                                std::stod(f[8])});
  }
  return rows;
}

// Keeps nothing: the benchmark measures the simulation, not the statistics.
class NullSink : public MergeableSink {
 public:
  void on_sample(std::int64_t, std::int32_t, const State&) override {}
  void merge_from(MergeableSink&) override {}
};

// CPU time of the process: on a shared machine wall time also counts the time other jobs held
// the core (the simulation runs on one thread, and the process does nothing else meanwhile).
double process_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

long peak_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

// Trajectories per model: enough for about a second of simulation and a sharp count check.
std::int64_t default_trajectories(const std::string& model) {
  if (model == "dimer_decay" || model == "multistate") return 2000;
  if (model == "schlogl") return 1000;
  if (model == "vilar" || model == "multisite2") return 40;
  if (model == "fceri_gamma2") return 20;
  return 1;  // egfr_net, BCR
}

}  // namespace
}  // namespace nkappa

int main(int argc, char** argv) {
  using namespace nkappa;
  CLI::App app{"nkappa benchmark: exact SSA methods on ../shared/bench-models"};
  std::string shared = NKAPPA_DEFAULT_SHARED_DIR;
  std::vector<std::string> only;
  std::vector<std::string> methods;
  int repeats = 3;
  bool all = false;
  double scale = 1.0;
  std::string clock = "cpu";
  app.add_option("--shared", shared, "the shared reference folder")->capture_default_str();
  app.add_option("--models", only, "models to run (default: all but BCR and fceri_gamma2)")
      ->delimiter(',');
  app.add_option("--methods", methods, "methods (default: every exact method)")->delimiter(',');
  app.add_option("--repeats", repeats, "timed repeats after one warm-up (median reported)")
      ->check(CLI::Range(1, 100));
  app.add_option("--scale", scale, "multiply the trajectory counts")->check(CLI::PositiveNumber);
  app.add_option("--clock", clock, "time per event from process CPU time or wall time")
      ->check(CLI::IsMember({"cpu", "wall"}))
      ->capture_default_str();
  app.add_flag("--all", all, "include the largest models (BCR: 3.1e7 events per trajectory)");
  CLI11_PARSE(app, argc, argv);

  try {
    const std::filesystem::path dir = std::filesystem::path(shared) / "bench-models";
    const auto reference = read_reference(dir / "models.tsv");
    if (methods.empty()) {
      for (const MethodInfo& m : all_methods())
        if (m.exact) methods.push_back(m.name);
      methods.push_back("auto");
    }

    fmt::print("nkappa {} (git {}), single thread, median of {} repeats after a warm-up, {} time\n",
               kVersion, kGitRevision, repeats, clock);
    fmt::print("{:<13} {:>7} {:<30} {:>6} {:>13} {:>19} {:>6} {:>10} {:>9} {:>9} {:>8} {:>9}\n",
               "model", "rxns", "method", "traj", "events/traj", "reference ± band", "count",
               "events/s", "ns/event", "ref ns", "ratio", "/direct");
    int count_failures = 0;
    for (const ReferenceRow& row : reference) {
      const bool large = row.model == "BCR" || row.model == "fceri_gamma2";
      if (!only.empty() ? std::find(only.begin(), only.end(), row.model) == only.end()
                        : (large && !all))
        continue;
      std::filesystem::path file = dir / (row.model + ".xml");
      if (!std::filesystem::exists(file)) file = dir / (row.model + ".xml.gz");
      const ReactionNetwork net = compile(read_sbml(file.string()));
      double direct_ns = 0.0;  // the direct method's ns/event on this model, when measured
      for (const std::string& method_name : methods) {
        const MethodInfo& method = find_method(method_name, net);
        try {
          check_capabilities(method, net);
        } catch (const InputError& e) {
          fmt::print("{:<13} {:>7} {:<30} refused: {}\n", row.model, net.reaction_count(),
                     method_name, e.what());
          continue;
        }
        RunSpec spec;
        spec.t_end = row.t_end;
        spec.samples = 1;
        spec.trajectories = std::max<std::int64_t>(
            1, std::llround(static_cast<double>(default_trajectories(row.model)) * scale));
        spec.threads = 1;
        NullSink total;
        auto make_sink = [] { return std::make_unique<NullSink>(); };
        RunSpec warm = spec;
        warm.trajectories = std::max<std::int64_t>(1, spec.trajectories / 10);
        warm.seed = spec.seed + 1;
        run_ensemble(net, method, warm, make_sink, total);
        std::vector<double> ns;
        EnsembleResult result;
        for (int r = 0; r < repeats; ++r) {
          spec.seed = kDefaultSeed + static_cast<std::uint64_t>(r);
          const double cpu_start = process_cpu_seconds();
          result = run_ensemble(net, method, spec, make_sink, total);
          const double seconds =
              clock == "cpu" ? process_cpu_seconds() - cpu_start : result.wall_seconds;
          ns.push_back(1e9 * seconds / static_cast<double>(result.events));
        }
        std::sort(ns.begin(), ns.end());
        const double median_ns = ns[ns.size() / 2];
        const double per_trajectory =
            static_cast<double>(result.events) / static_cast<double>(spec.trajectories);
        const double band =
            4.0 * row.events_sd *
            std::sqrt(1.0 / static_cast<double>(spec.trajectories) + 1.0 / row.n_reference);
        const bool count_ok = std::fabs(per_trajectory - row.events_mean) <= band;
        if (!count_ok) ++count_failures;
        if (method_name == "direct") direct_ns = median_ns;
        const std::string label =
            method_name == "auto" ? "auto (" + method.name + ")" : method.name;
        fmt::print(
            "{:<13} {:>7} {:<30} {:>6} {:>13.1f} {:>11.1f} ± {:<7.1f} {:>6} {:>10.3g} {:>9.1f} "
            "{:>9.1f} {:>8.2f} {:>9}\n",
            row.model, net.reaction_count(), label, spec.trajectories, per_trajectory,
            row.events_mean, band, count_ok ? "ok" : "WRONG", 1e9 / median_ns, median_ns,
            row.reference_ns, median_ns / row.reference_ns,
            direct_ns > 0.0 ? fmt::format("{:.2f}", median_ns / direct_ns) : std::string("-"));
        std::fflush(stdout);
      }
    }
    fmt::print(
        "peak RSS {} MiB. 'ratio' = ns/event / the reference loop's ns/event of models.tsv "
        "(measured on\n"
        "another day: compare ratios from one run side by side, not absolute numbers); '/direct' "
        "= ns/event\n"
        "/ the direct method's ns/event in this run.\n",
        peak_rss_kib() / 1024);
    return count_failures == 0 ? 0 : 3;
  } catch (const InputError& e) {
    fmt::print(stderr, "nkappa_bench: error: {}\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    fmt::print(stderr, "nkappa_bench: failed: {}\n", e.what());
    return 1;
  }
}
