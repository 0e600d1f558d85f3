#pragma once
// A scenario file: one model, run settings, observables, a readout with its per-cell
// statistics, cell-to-cell (extrinsic) variation, and variants of the model to compare.
// Loaded from YAML by load_scenario (the only place that includes yaml-cpp); a variant is
// applied to a copy of the ModelDescription by apply_variant.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/model/expr.hpp"
#include "engine/model/model_description.hpp"
#include "engine/run/run_spec.hpp"

namespace nkappa {

struct ScenarioRun {
  std::string method = "auto";
  double epsilon = kDefaultEpsilon;  // tau-leaping error control (RunSpec::epsilon)
  double t_end = 0.0;                // model time
  double record_from = 0.0;          // first output time
  double record_step = 0.0;          // output interval
  double stimulus_time = 0.0;        // tau = 0 of the readout statistics
  std::int64_t cells = 64;           // trajectories per variant
  std::uint64_t seed = 0;
  bool extrinsic_noise = true;
  std::string time_unit = "s";     // unit in which per-cell times are reported
  double time_unit_seconds = 1.0;  // model time units per reported unit
  bool ode = true;                 // also solve the ODE of each variant
};

struct Observable {
  std::string id;
  std::string formula;  // as written
  Expr expr;
  int line = 0;
};

struct Readout {
  std::string observable;
  double threshold = 0.10;
  double fall_fraction = 0.20;
  int smoothing_points = 5;
  std::vector<double> test_times;  // in the reported time unit, after the stimulus
};

// A group of species whose total is drawn per cell from a lognormal with the group's initial
// total as mean and the given coefficient of variation; every member is scaled by
// drawn / initial (rounded) and the rounding remainder goes to `remainder_to`.
struct ExtrinsicGroup {
  std::string name;
  std::vector<std::string> species;
  double cv = 0.0;
  double truncate_at = 10.0;  // redraw totals above truncate_at x the mean
  std::string remainder_to;
  int line = 0;
};

struct VariantEvent {
  std::string id;
  double at = 0.0;  // fires when time >= at
  std::vector<std::pair<std::string, double>> set;
};

struct Variant {
  std::string id;
  std::string description;
  std::string base;  // variant it starts from ("" = the model as written)
  std::vector<std::pair<std::string, double>> parameters;
  std::vector<std::pair<std::string, double>> initial;
  std::vector<VariantEvent> events;
  std::optional<bool> extrinsic_noise;
  int line = 0;
};

struct ComparisonPair {
  std::string reference;
  std::string other;
};

struct Scenario {
  std::string file;
  std::string model_file;  // resolved against the scenario's folder
  std::string title;
  ScenarioRun run;
  std::vector<Observable> observables;
  Readout readout;
  std::vector<ExtrinsicGroup> extrinsic;
  std::vector<Variant> variants;
  std::vector<ComparisonPair> comparisons;

  const Variant* find_variant(const std::string& id) const;
};

// Reads and checks a scenario file. InputError with the YAML line for unknown keys, wrong
// types, unknown variant ids; ids in the model are checked by check_scenario_against_model.
Scenario load_scenario(const std::string& path);

// Unknown species, parameters or observables named by the scenario: InputError with its line.
void check_scenario_against_model(const Scenario& scenario, const ModelDescription& model);

// The model with the variant (and its bases) applied.
ModelDescription apply_variant(const ModelDescription& model, const Scenario& scenario,
                               const Variant& variant);

bool variant_uses_extrinsic_noise(const Scenario& scenario, const Variant& variant);

}  // namespace nkappa
