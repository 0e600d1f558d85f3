#include "tests/support/nfkb_flagship.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <iomanip>
#include <map>
#include <memory>
#include <sstream>
#include <tuple>

#include "engine/run/ensemble.hpp"
#include "engine/run/method.hpp"
#include "engine/run/state.hpp"
#include "sbml/read_sbml.hpp"
#include "tests/support/test_support.hpp"

namespace nkappa::test {

std::int32_t Flagship::observable(const std::string& id) const {
  const auto it = std::find(observables.ids.begin(), observables.ids.end(), id);
  REQUIRE_MESSAGE(it != observables.ids.end(), "scenarios.yaml has no observable " << id);
  return static_cast<std::int32_t>(it - observables.ids.begin());
}

std::size_t Flagship::time_index(double minute) const {
  const auto it = std::find_if(axis.tau.begin(), axis.tau.end(),
                               [&](double t) { return std::fabs(t - minute) < 1e-9; });
  REQUIRE_MESSAGE(it != axis.tau.end(), minute << " min is not an output time");
  return static_cast<std::size_t>(it - axis.tau.begin());
}

const Flagship& flagship() {
  static const Flagship f = [] {
    Flagship out;
    out.scenario =
        load_scenario((source_dir() / "models" / "nfkb_nemo" / "scenarios.yaml").string());
    out.model = read_sbml(out.scenario.model_file);
    check_scenario_against_model(out.scenario, out.model);
    out.axis = readout_axis(out.scenario);
    out.observables = observable_list(out.scenario);
    REQUIRE(std::fabs(out.axis.tau.back() - 480.0) < 1e-9);
    REQUIRE(out.observables.ids[static_cast<std::size_t>(out.observables.readout)] == "f_nuc");
    return out;
  }();
  return f;
}

Variant flagship_variant(const std::string& id,
                         const std::vector<std::pair<std::string, double>>& parameters) {
  const Variant* v = flagship().scenario.find_variant(id);
  REQUIRE_MESSAGE(v != nullptr, "scenarios.yaml has no variant " << id);
  if (parameters.empty()) return *v;
  Variant extra;
  extra.id = id + "+";
  extra.base = id;
  extra.parameters = parameters;
  return extra;
}

double SsaEnsemble::at(std::size_t cell, std::int32_t observable, std::size_t time) const {
  const std::size_t k = flagship().observables.ids.size();
  return traces[cell][time * k + static_cast<std::size_t>(observable)];
}

std::vector<double> SsaEnsemble::trace(std::size_t cell, std::int32_t observable) const {
  std::vector<double> out;
  for (std::size_t t = 0; t < time_points; ++t) out.push_back(at(cell, observable, t));
  return out;
}

namespace {

// Every observable of every cell at every output time.
class TraceRecorder : public MergeableSink {
 public:
  explicit TraceRecorder(const RateProgram& program) : program_(program) {}
  void on_sample(std::int64_t trajectory, std::int32_t time_index, const State& s) override {
    if (time_index == 0) traces_.push_back({trajectory, {}});
    REQUIRE(traces_.back().first == trajectory);
    for (std::int32_t k = 0; k < program_.size(); ++k)
      traces_.back().second.push_back(
          program_.evaluate(k, s.counts.data(), s.parameters.data(), s.time));
  }
  void merge_from(MergeableSink& later) override {
    auto& other = dynamic_cast<TraceRecorder&>(later);
    for (auto& t : other.traces_) traces_.push_back(std::move(t));
  }
  std::vector<std::pair<std::int64_t, std::vector<double>>> traces_;

 private:
  const RateProgram& program_;
};

// The CellRecorder of `nkappa compare` and the traces, side by side.
class Both : public MergeableSink {
 public:
  Both(const CellRecorderSetup& setup, const RateProgram& program)
      : cells(setup), traces(program) {}
  void on_sample(std::int64_t trajectory, std::int32_t time_index, const State& s) override {
    cells.on_sample(trajectory, time_index, s);
    traces.on_sample(trajectory, time_index, s);
  }
  void on_trajectory_end(std::int64_t trajectory, TrajectoryStatus status,
                         std::int64_t events) override {
    cells.on_trajectory_end(trajectory, status, events);
    traces.on_trajectory_end(trajectory, status, events);
  }
  void merge_from(MergeableSink& later) override {
    auto& other = dynamic_cast<Both&>(later);
    cells.merge_from(other.cells);
    traces.merge_from(other.traces);
  }
  CellRecorder cells;
  TraceRecorder traces;
};

SsaEnsemble run_ssa(const std::string& id, std::int64_t cells, bool noise, double end_minute) {
  const Flagship& f = flagship();
  const std::size_t end = f.time_index(end_minute);
  const std::vector<double> times(f.axis.times.begin(), f.axis.times.begin() + end + 1);
  const std::vector<double> tau(f.axis.tau.begin(), f.axis.tau.begin() + end + 1);
  const Variant variant = flagship_variant(id);
  const auto prepared = prepare_variant(f.scenario, f.model, variant, f.axis, f.observables,
                                        /*threads=*/2, noise ? NoiseChoice::On : NoiseChoice::Off);
  RunSpec spec = prepared->spec;
  spec.trajectories = cells;
  spec.t_end = times.back();
  spec.samples = static_cast<std::int32_t>(end);
  CellRecorderSetup setup;
  setup.observables = &prepared->observables;
  setup.observable_ids = f.observables.ids;
  setup.readout = f.observables.readout;
  setup.times = times;
  setup.tau = tau;
  setup.stats = CellStatsSettings{f.scenario.readout.threshold, f.scenario.readout.fall_fraction,
                                  f.scenario.readout.smoothing_points};
  for (std::int32_t i : f.axis.test_index)
    if (static_cast<std::size_t>(i) <= end) setup.test_time_index.push_back(i);
  const MethodInfo& method = find_method(f.scenario.run.method, prepared->net);
  check_capabilities(method, prepared->net);
  REQUIRE(method.exact);

  Both total(setup, prepared->observables);
  const auto started = std::chrono::steady_clock::now();
  const std::clock_t cpu_started = std::clock();
  const EnsembleResult result = run_ensemble(
      prepared->net, method, spec,
      [&] { return std::make_unique<Both>(setup, prepared->observables); }, total);
  SsaEnsemble out;
  out.id = id;
  out.extrinsic_noise = noise;
  out.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  out.cpu_seconds = static_cast<double>(std::clock() - cpu_started) / CLOCKS_PER_SEC;
  REQUIRE(result.invalid_reaction < 0);
  REQUIRE(result.trajectories == cells);
  out.cells = total.cells.cells();
  REQUIRE(static_cast<std::int64_t>(out.cells.size()) == cells);
  std::sort(out.cells.begin(), out.cells.end(),
            [](const CellRecord& a, const CellRecord& b) { return a.id < b.id; });
  for (const CellRecord& c : out.cells) REQUIRE(c.status == TrajectoryStatus::ReachedEnd);
  auto& traces = total.traces.traces_;
  REQUIRE(static_cast<std::int64_t>(traces.size()) == cells);
  std::sort(traces.begin(), traces.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& t : traces) {
    REQUIRE(t.second.size() == times.size() * f.observables.ids.size());
    out.traces.push_back(std::move(t.second));
  }
  out.time_points = times.size();
  out.method = method.name;
  out.events_per_cell = static_cast<double>(result.events) / static_cast<double>(cells);
  std::ostringstream line;
  line << id << (noise ? " (extrinsic noise)" : "") << " | " << cells << " cells, " << method.name
       << ", to " << end_minute << " min, seed " << spec.seed << ", " << spec.threads
       << " threads | " << std::setprecision(3) << out.wall_seconds << " s wall, "
       << out.cpu_seconds << " s CPU, " << out.events_per_cell << " events/cell, "
       << 1e9 * out.cpu_seconds / (out.events_per_cell * static_cast<double>(cells))
       << " ns CPU/event";
  report_line(line.str());
  return out;
}

}  // namespace

namespace {
std::string& report_buffer() {
  static std::string lines;
  return lines;
}
}  // namespace

void report_line(const std::string& line) {
  MESSAGE(line);
  report_buffer() += line + "\n";
}

std::string take_report_lines() {
  std::string out;
  out.swap(report_buffer());
  return out;
}

const SsaEnsemble& ssa_ensemble(const std::string& variant_id, std::int64_t cells, bool noise,
                                double end_minute) {
  static std::map<std::tuple<std::string, std::int64_t, bool, double>, SsaEnsemble> cache;
  const auto key = std::make_tuple(variant_id, cells, noise, end_minute);
  auto it = cache.find(key);
  if (it == cache.end())
    it = cache.emplace(key, run_ssa(variant_id, cells, noise, end_minute)).first;
  return it->second;
}

}  // namespace nkappa::test
