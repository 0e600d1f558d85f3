#pragma once
// The flagship NF-kB/NEMO scenario (models/nfkb_nemo) for the behaviour tests: the scenario and
// model loaded once, and exact-SSA ensembles of its variants run exactly as `nkappa compare` runs
// them (prepare_variant -> run_ensemble with a CellRecorder), plus every cell's full observable
// traces, which the T3 statistics need and the CellRecorder does not keep.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "engine/model/model_description.hpp"
#include "report/cell_recorder.hpp"
#include "scenario/scenario.hpp"
#include "scenario/variant_run.hpp"

namespace nkappa::test {

struct Flagship {
  Scenario scenario;
  ModelDescription model;
  ReadoutAxis axis;
  ObservableList observables;

  std::int32_t observable(const std::string& id) const;  // REQUIREs that it exists
  std::size_t time_index(double minute) const;           // REQUIREs an output time
};
const Flagship& flagship();

// A variant of the scenario, or one it does not list: the named variant with further parameter
// changes (id "<base>+").
Variant flagship_variant(const std::string& id,
                         const std::vector<std::pair<std::string, double>>& parameters = {});

struct SsaEnsemble {
  std::string id;
  bool extrinsic_noise = false;
  std::vector<CellRecord> cells;  // in cell order
  // traces[cell][time * observables + k]: observable k of the flagship's list.
  std::vector<std::vector<double>> traces;
  std::string method;
  double wall_seconds = 0.0;
  double cpu_seconds = 0.0;  // of the process, every thread
  double events_per_cell = 0.0;

  std::size_t time_points = 0;

  double at(std::size_t cell, std::int32_t observable, std::size_t time) const;
  std::vector<double> trace(std::size_t cell, std::int32_t observable) const;
};

// The variant's ensemble of `cells` cells with the scenario's seed and method (exact), on two
// threads, extrinsic noise on or off, recorded from the scenario's first output time to
// `end_minute` after the stimulus (a shorter run for statistics that need no more); computed
// once per process and cached.
const SsaEnsemble& ssa_ensemble(const std::string& variant_id, std::int64_t cells, bool noise,
                                double end_minute = 480.0);

// Lines for the human-readable report of the running test (also printed as doctest MESSAGEs);
// take_report_lines returns and clears them.
void report_line(const std::string& line);
std::string take_report_lines();

}  // namespace nkappa::test
