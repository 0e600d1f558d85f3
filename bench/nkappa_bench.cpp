// nkappa_bench: the benchmark suite (issue 10; bench/README.md explains every column).
// For every model × method of bench/bench_models.yaml, each pair in its own child process:
// single-thread wall time (median, min, max of >= 5 repeats after a warm-up), events per
// trajectory checked against ../shared/bench-models/models.tsv, events/s and ns/event (process
// CPU time by default: the machine is shared), peak RSS, the ratio to the direct method. Then
// ensemble throughput on 1 and all cores, ns/event against size on a generated family of
// networks (CSV + SVG), optionally instructions per event under callgrind, and every figure as a
// ratio to bench/baseline/<machine>.csv. Never run as a timed test.
#include <fmt/format.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <set>
#include <thread>

#include "bench/bench.hpp"
#include "engine/error.hpp"
#include "engine/network/compile.hpp"
#include "nkappa/version.hpp"
#include "sbml/read_sbml.hpp"

namespace nkappa::bench {
namespace {

struct Options {
  std::string config = NKAPPA_SOURCE_DIR "/bench/bench_models.yaml";
  std::string shared = NKAPPA_DEFAULT_SHARED_DIR;
  std::string baseline_dir = NKAPPA_SOURCE_DIR "/bench/baseline";
  std::string out = "bench-results";
  std::string machine;
  std::string clock = "cpu";
  std::vector<std::string> models, methods, skip;
  std::vector<std::int32_t> sizes;
  int repeats = 0;  // 0: the config's
  int threads = 0;  // 0: every core
  double scale = 1.0;
  bool quick = false, callgrind = false, write = false;
  std::int64_t callgrind_child = 0;
};

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

bool wanted(const std::vector<std::string>& list, const std::string& name) {
  return list.empty() || std::find(list.begin(), list.end(), name) != list.end();
}

// The methods of a model: "exact" is the reference loop (reference_loop.cpp), every registered
// exact method, then auto.
std::vector<std::string> expand_methods(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const std::string& n : names) {
    if (n != "exact") {
      out.push_back(n);
      continue;
    }
    out.push_back(kReferenceLoop);
    for (const MethodInfo& m : all_methods())
      if (m.exact) out.push_back(m.name);
    out.push_back("auto");
  }
  return out;
}

ReactionNetwork load(const BenchModel& m) {
  return compile(read_sbml(m.file.string()));
}

double median_ns(const PairResult& r, const std::string& clock, Spread* all) {
  std::vector<double> ns;
  for (std::size_t i = 0; i < r.events.size(); ++i)
    ns.push_back(1e9 * (clock == "cpu" ? r.cpu_s[i] : r.wall_s[i]) /
                 static_cast<double>(std::max<std::int64_t>(1, r.events[i])));
  *all = spread(ns);
  return all->median;
}

std::string fmt_mib(long kib) {
  return fmt::format("{:.1f}", static_cast<double>(kib) / 1024.0);
}

int run(const Options& o) {
  if (!std::filesystem::exists(std::filesystem::path(o.shared) / "bench-models")) {
    fmt::print("nkappa_bench: {}/bench-models is absent: nothing to measure\n", o.shared);
    return 77;  // ctest's SKIP_RETURN_CODE, as the tests that need ../shared
  }
  const BenchConfig config = load_config(o.config, o.shared);
  const int repeats = o.repeats > 0 ? o.repeats : config.repeats;
  const double scale = o.scale * (o.quick ? config.quick_scale : 1.0);
  const auto reference =
      read_reference(std::filesystem::path(o.shared) / "bench-models/models.tsv");
  std::set<std::string> skip(o.skip.begin(), o.skip.end());

  std::vector<BenchModel> models;
  for (const BenchModel& m : config.models)
    if (!o.models.empty() ? wanted(o.models, m.name) : (!o.quick || m.quick)) models.push_back(m);

  if (o.callgrind_child > 0) {  // under valgrind, started by callgrind_pair
    if (models.size() != 1 || o.methods.size() != 1)
      throw InputError(o.config, "one model, one method");
    const ReactionNetwork net = load(models[0]);
    return callgrind_child(net, bench_method(o.methods[0], net), models[0].callgrind_t_end,
                           o.callgrind_child);
  }

  char host[256] = "unknown";
  gethostname(host, sizeof host - 1);
  const std::string machine = !o.machine.empty() ? o.machine : host;
  const std::filesystem::path baseline_file =
      std::filesystem::path(o.baseline_dir) / (machine + ".csv");
  const auto baseline = read_baseline(baseline_file);
  const int cores =
      o.threads > 0 ? o.threads : static_cast<int>(std::thread::hardware_concurrency());
  std::filesystem::create_directories(o.out);
  const auto started = std::chrono::steady_clock::now();
  std::vector<BaselineRow> measured;
  int regressions = 0, count_failures = 0;

  fmt::print(
      "nkappa {} (git {}) on '{}', {} cores, load average {}\n"
      "baseline {} ({} rows); repeats {} after a warm-up; ns/event from {} time{}\n\n",
      kVersion, kGitRevision, machine, std::thread::hardware_concurrency(), load_average(),
      baseline_file.string(), baseline.size(), repeats, o.clock, o.quick ? "; --quick" : "");

  std::ofstream pairs_csv(std::filesystem::path(o.out) / "pairs.csv");
  pairs_csv << "model,reactions,method,chosen,trajectories,events_per_trajectory,count_check,"
               "wall_s_median,wall_s_min,wall_s_max,ns_per_event_median,ns_per_event_min,"
               "ns_per_event_max,events_per_s,ratio_to_direct,ratio_to_loop,peak_rss_mib,run_rss_"
               "mib,reference_loop_ns,"
               "recomputed_per_event,"
               "baseline_ratio\n";

  if (!skip.count("pairs")) {
    fmt::print("Single thread, one child process per pair\n");
    fmt::print(
        "{:<12} {:>6} {:<31} {:>5} {:>11} {:>7} {:>22} {:>22} {:>9} {:>7} {:>6} {:>7} {:>6} {:>7} "
        "{:>7} {}\n",
        "model", "rxns", "method", "traj", "events/traj", "count", "wall s med [min,max]",
        "ns/event med [min,max]", "events/s", "/direct", "/loop", "RSS MiB", "+run", "ref ns",
        "recomp", "vs base");
    for (const BenchModel& m : models) {
      const ReactionNetwork net = load(m);
      const auto ref = reference.find(m.name);
      double direct_ns = 0, loop_ns = 0;
      for (const std::string& name : expand_methods(o.methods.empty() ? m.methods : o.methods)) {
        const MethodInfo& method = bench_method(name, net);
        const std::string label = name == "auto" ? "auto (" + method.name + ")" : method.name;
        try {
          check_bench_method(method, net);
        } catch (const InputError& e) {
          fmt::print("{:<12} {:>6} {:<31} refused: {}\n", m.name, net.reaction_count(), label,
                     e.what());
          continue;
        }
        PairSpec spec;
        spec.t_end = m.t_end;
        spec.trajectories =
            std::max<std::int64_t>(1, std::llround(static_cast<double>(m.trajectories) * scale));
        spec.repeats = repeats;
        const PairResult r = measure_pair(net, method, spec);
        if (!r.error.empty()) {
          fmt::print("{:<12} {:>6} {:<31} failed: {}\n", m.name, net.reaction_count(), label,
                     r.error);
          continue;
        }
        Spread ns;
        median_ns(r, o.clock, &ns);
        const Spread wall = spread(r.wall_s);
        double events = 0;
        for (const std::int64_t e : r.events) events += static_cast<double>(e);
        const double n =
            static_cast<double>(spec.trajectories) * static_cast<double>(r.events.size());
        const double per_traj = events / n;
        std::string check = "-";
        if (m.check_events && ref != reference.end() && ref->second.t_end == m.t_end) {
          const double band =
              4.0 * ref->second.events_sd * std::sqrt(1.0 / n + 1.0 / ref->second.n_reference);
          const bool ok = std::fabs(per_traj - ref->second.events_mean) <= band;
          check = ok ? "ok" : "WRONG";
          if (!ok) ++count_failures;
        }
        if (r.other_status > 0) check += fmt::format("({} unfinished)", r.other_status);
        if (name == "direct") direct_ns = ns.median;
        if (name == kReferenceLoop) loop_ns = ns.median;
        const BaselineRow row{"pair", m.name, name, "ns_per_event", ns.median, ns.min, ns.max};
        measured.push_back(row);
        const double rss_mib = static_cast<double>(r.rss_peak_kib) / 1024.0;
        measured.push_back({"pair", m.name, name, "peak_rss_mib", rss_mib, rss_mib, rss_mib});
        const std::string vs = compare_to_baseline(baseline, row, &regressions);
        const std::string to_direct =
            direct_ns > 0 ? fmt::format("{:.2f}", ns.median / direct_ns) : std::string("-");
        // The shared README reads absolute targets as this ratio (reference_loop.cpp).
        const std::string to_loop =
            loop_ns > 0 ? fmt::format("{:.2f}", ns.median / loop_ns) : std::string("-");
        // The shared README's reference loop and its cost floor, for the models it lists.
        const bool has_ref = ref != reference.end();
        const std::string ref_ns =
            has_ref ? fmt::format("{:.1f}", ref->second.reference_ns) : std::string("-");
        const std::string recomputed =
            has_ref ? fmt::format("{:.1f}", ref->second.recomputed_per_event) : std::string("-");
        fmt::print(
            "{:<12} {:>6} {:<31} {:>5} {:>11.0f} {:>7} {:>8.3g} [{:.3g},{:.3g}] {:>8.1f} "
            "[{:.1f},{:.1f}] {:>9.3g} {:>7} {:>6} {:>7} {:>6} {:>7} {:>7} {}\n",
            m.name, net.reaction_count(), label, spec.trajectories, per_traj, check, wall.median,
            wall.min, wall.max, ns.median, ns.min, ns.max, 1e9 / ns.median, to_direct, to_loop,
            fmt_mib(r.rss_peak_kib), fmt_mib(r.rss_peak_kib - r.rss_start_kib), ref_ns, recomputed,
            vs);
        pairs_csv << fmt::format(
            "{},{},{},{},{},{:.1f},{},{:.6g},{:.6g},{:.6g},{:.4g},{:.4g},{:.4g},{:.4g},{},{},{},{},"
            "{},{},{}"
            "\n",
            m.name, net.reaction_count(), name, method.name, spec.trajectories, per_traj, check,
            wall.median, wall.min, wall.max, ns.median, ns.min, ns.max, 1e9 / ns.median, to_direct,
            to_loop, fmt_mib(r.rss_peak_kib), fmt_mib(r.rss_peak_kib - r.rss_start_kib), ref_ns,
            recomputed, vs);
        pairs_csv.flush();
      }
    }
    fmt::print("\n");
  }

  if (!skip.count("ensemble") && cores > 1) {
    fmt::print("Ensemble throughput, method auto, wall time (events/s over all trajectories)\n");
    fmt::print("{:<12} {:<22} {:>6} {:>16} {:>16} {:>9} {}\n", "model", "method", "traj",
               "1 thread ev/s", fmt::format("{} threads ev/s", cores), "ratio", "vs base");
    for (const BenchModel& m : models) {
      if (m.ensemble_trajectories <= 0) continue;
      const ReactionNetwork net = load(m);
      const MethodInfo& method = find_method("auto", net);
      PairSpec spec;
      spec.t_end = m.t_end;
      spec.trajectories = std::max<std::int64_t>(
          2 * cores, std::llround(static_cast<double>(m.ensemble_trajectories) * scale));
      spec.repeats = repeats;
      Spread rate[2];
      bool failed = false;
      for (int k = 0; k < 2; ++k) {
        spec.threads = k == 0 ? 1 : cores;
        const PairResult r = measure_pair(net, method, spec);
        if (!r.error.empty()) {
          fmt::print("{:<12} failed: {}\n", m.name, r.error);
          failed = true;
          break;
        }
        std::vector<double> eps;
        for (std::size_t i = 0; i < r.events.size(); ++i)
          eps.push_back(static_cast<double>(r.events[i]) / r.wall_s[i]);
        rate[k] = spread(eps);
        const BaselineRow row{
            "ensemble",     m.name,      "auto",     fmt::format("events_per_s_{}t", spec.threads),
            rate[k].median, rate[k].min, rate[k].max};
        measured.push_back(row);
      }
      if (failed) continue;
      const BaselineRow ratio{"ensemble",
                              m.name,
                              "auto",
                              "thread_ratio",
                              rate[1].median / rate[0].median,
                              rate[1].min / rate[0].max,
                              rate[1].max / rate[0].min};
      fmt::print("{:<12} {:<22} {:>6} {:>16.4g} {:>16.4g} {:>9.2f} {}\n", m.name, method.name,
                 spec.trajectories, rate[0].median, rate[1].median, ratio.median,
                 compare_to_baseline(baseline, measured.back(), &regressions));
      measured.push_back(ratio);
    }
    fmt::print("\n");
  }

  if (!skip.count("scaling")) {
    std::vector<std::int32_t> sizes = o.sizes;
    if (sizes.empty())
      sizes = o.quick
                  ? std::vector<std::int32_t>{10, 100, 1000, 10000}
                  : std::vector<std::int32_t>{10, 30, 100, 300, 1000, 3000, 10000, 30000, 100000};
    const std::vector<std::string> names =
        expand_methods(o.methods.empty() ? std::vector<std::string>{"exact"} : o.methods);
    std::map<std::string, Series> series;
    std::ofstream csv(std::filesystem::path(o.out) / "scaling.csv");
    csv << "reactions,species,method,chosen,events,ns_per_event_median,ns_per_event_min,"
           "ns_per_event_max\n";
    const int scaling_repeats = o.quick ? 3 : std::min(repeats, 5);
    fmt::print(
        "Scaling: random sparse mass-action networks (seed 1), ns/event ({} time), median of {}\n",
        o.clock, scaling_repeats);
    fmt::print("{:>8}", "rxns");
    for (const std::string& n : names) fmt::print(" {:>14.14}", n);
    fmt::print("\n");
    for (const std::int32_t size : sizes) {
      const ReactionNetwork net = compile(scaling_network(size, 1));
      // Fewer events on the largest networks, where a linear search costs microseconds.
      const double target = std::clamp(2e7 / size, 2e4, 2e5) * (o.quick ? 0.25 : 1.0) * o.scale;
      fmt::print("{:>8}", size);
      for (const std::string& name : names) {
        const MethodInfo& method = bench_method(name, net);
        PairSpec spec;
        spec.t_end = scaling_t_end(size, target);
        spec.repeats = scaling_repeats;
        const PairResult r = measure_pair(net, method, spec);
        if (!r.error.empty()) {
          fmt::print(" {:>14}", "failed");
          continue;
        }
        Spread ns;
        median_ns(r, o.clock, &ns);
        series[name].name = name == "auto" ? "auto" : name;
        series[name].points.emplace_back(size, ns.median);
        const BaselineRow row{
            "scaling", fmt::format("random_{}", size), name, "ns_per_event", ns.median, ns.min,
            ns.max};
        measured.push_back(row);
        const std::string vs = compare_to_baseline(baseline, row, &regressions);
        const char* mark = vs.find("REGRESSION") != std::string::npos ? "!"
                           : vs.find("better") != std::string::npos   ? "+"
                                                                      : "";
        fmt::print(" {:>8.1f}{:>6}", ns.median, vs == "-" ? "" : vs.substr(0, 4) + mark);
        csv << fmt::format("{},{},{},{},{},{:.4g},{:.4g},{:.4g}\n", size, net.species_count(), name,
                           method.name, r.events.back(), ns.median, ns.min, ns.max);
      }
      fmt::print("\n");
      std::fflush(stdout);
    }
    std::vector<Series> plot;
    for (const std::string& name : names)
      if (series.count(name)) plot.push_back(series[name]);
    const auto svg_path = std::filesystem::path(o.out) / "scaling.svg";
    std::ofstream(svg_path) << loglog_svg(
        plot,
        fmt::format("nkappa {} ({}), ns/event vs reactions, '{}'", kVersion, kGitRevision, machine),
        "reactions (random sparse mass-action network)",
        fmt::format("ns/event ({} time)", o.clock));
    fmt::print(
        "(a number after a figure is its ratio to the baseline, '!' flags a regression, '+' an "
        "improvement)\n"
        "written {} and {}\n\n",
        (std::filesystem::path(o.out) / "scaling.csv").string(), svg_path.string());
  }

  if (o.callgrind) {
    fmt::print("Callgrind: instructions per event (runs n and 3n trajectories, difference)\n");
    fmt::print("{:<12} {:<31} {:>12} {:>16} {}\n", "model", "method", "events diff", "instr/event",
               "vs base");
    for (const BenchModel& m : models) {
      if (m.callgrind_trajectories <= 0) continue;
      const ReactionNetwork net = load(m);
      for (const std::string& name : expand_methods(o.methods.empty() ? m.methods : o.methods)) {
        const MethodInfo& method = bench_method(name, net);
        try {
          check_bench_method(method, net);
        } catch (const InputError&) {
          continue;
        }
        const CallgrindResult c = callgrind_pair(o.config, o.shared, m, name);
        if (!c.error.empty()) {
          fmt::print("{:<12} {:<31} failed: {}\n", m.name, name, c.error);
          continue;
        }
        const BaselineRow row{"callgrind",
                              m.name,
                              name,
                              "instructions_per_event",
                              c.instructions_per_event,
                              c.instructions_per_event,
                              c.instructions_per_event};
        measured.push_back(row);
        fmt::print("{:<12} {:<31} {:>12} {:>16.1f} {}\n", m.name,
                   name == "auto" ? "auto (" + method.name + ")" : name, c.events_difference,
                   c.instructions_per_event, compare_to_baseline(baseline, row, &regressions));
        std::fflush(stdout);
      }
    }
    fmt::print("\n");
  }

  const double minutes =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() / 60.0;
  fmt::print(
      "{} regressions against the baseline; {} wrong event counts; {:.1f} min; load "
      "average now {}\n",
      regressions, count_failures, minutes, load_average());
  if (o.write) {
    write_baseline(baseline_file, baseline, measured);
    fmt::print("wrote {} ({} figures from this run)\n", baseline_file.string(), measured.size());
  }
  if (count_failures > 0) return 3;
  return regressions > 0 ? 4 : 0;
}

}  // namespace
}  // namespace nkappa::bench

int main(int argc, char** argv) {
  using namespace nkappa::bench;
  CLI::App app{"nkappa benchmark suite (bench/README.md)"};
  Options o;
  app.add_option("--config", o.config, "the model list")->capture_default_str();
  app.add_option("--shared", o.shared, "the shared reference folder")->capture_default_str();
  app.add_option("--models", o.models, "models of the list to run (default: all)")->delimiter(',');
  app.add_option("--methods", o.methods,
                 "methods, overriding the list's ('exact': every exact one)")
      ->delimiter(',');
  app.add_option("--repeats", o.repeats, "timed repeats (default: the list's)")
      ->check(CLI::Range(1, 1000));
  app.add_option("--scale", o.scale, "multiply trajectory counts and scaling events")
      ->check(CLI::PositiveNumber);
  app.add_option("--clock", o.clock, "ns/event from process CPU time or wall time")
      ->check(CLI::IsMember({"cpu", "wall"}))
      ->capture_default_str();
  app.add_option("--threads", o.threads, "threads of the ensemble section (default: every core)");
  app.add_option("--machine", o.machine, "baseline name (default: the host name)");
  app.add_option("--baseline-dir", o.baseline_dir, "where <machine>.csv is")->capture_default_str();
  app.add_option("--out", o.out, "folder for pairs.csv, scaling.csv, scaling.svg")
      ->capture_default_str();
  app.add_option("--skip", o.skip, "sections to leave out: pairs, ensemble, scaling")
      ->delimiter(',')
      ->check(CLI::IsMember({"pairs", "ensemble", "scaling"}));
  app.add_option("--scaling-sizes", o.sizes, "reaction counts of the scaling family")
      ->delimiter(',');
  app.add_flag("--quick", o.quick, "the models marked quick, fewer trajectories (< 2 min)");
  app.add_flag("--callgrind", o.callgrind, "also count instructions per event under valgrind");
  app.add_flag("--write-baseline", o.write, "store this run's figures as the baseline");
  app.add_option("--callgrind-child", o.callgrind_child, "internal: the run under valgrind")
      ->group("");
  CLI11_PARSE(app, argc, argv);
  try {
    return run(o);
  } catch (const nkappa::InputError& e) {
    fmt::print(stderr, "nkappa_bench: error: {}\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    fmt::print(stderr, "nkappa_bench: failed: {}\n", e.what());
    return 1;
  }
}
