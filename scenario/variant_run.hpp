#pragma once
// What running one variant of a scenario needs, built in one place for `nkappa compare` and the
// behaviour tests: the output grid with the readout's time axis, the scenario's observables, and
// per variant its model, compiled network, observable program and RunSpec (with the
// extrinsic-noise initializer when the variant uses noise).
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/model/expr.hpp"
#include "engine/model/model_description.hpp"
#include "engine/network/rate_program.hpp"
#include "engine/network/reaction_network.hpp"
#include "engine/run/run_spec.hpp"
#include "scenario/scenario.hpp"

namespace nkappa {

struct ReadoutAxis {
  double t_start = 0.0;  // model time of the first output
  double t_end = 0.0;
  std::int32_t samples = 0;              // output intervals
  std::vector<double> times;             // model time
  std::vector<double> tau;               // after the stimulus, in the scenario's time unit
  std::vector<std::int32_t> test_index;  // output index of each readout test time
};

// InputError naming the scenario file when a readout test time is not an output time.
ReadoutAxis readout_axis(const Scenario& scenario);

struct ObservableList {
  std::vector<std::pair<std::string, Expr>> exprs;  // in the scenario's order
  std::vector<std::string> ids;
  std::int32_t readout = 0;  // index of the readout observable
};
ObservableList observable_list(const Scenario& scenario);

struct PreparedVariant {
  std::string id;
  ModelDescription model;
  ReactionNetwork net;
  RateProgram observables;  // program k = observable k of the ObservableList
  bool extrinsic_noise = false;
  RunSpec spec;  // the scenario's grid, cells and seed
};

// The variant applied to the model and compiled. `noise` decides the extrinsic noise: the
// scenario's rule for the variant when unset.
enum class NoiseChoice { AsScenario, On, Off };
std::unique_ptr<PreparedVariant> prepare_variant(const Scenario& scenario,
                                                 const ModelDescription& model,
                                                 const Variant& variant, const ReadoutAxis& axis,
                                                 const ObservableList& observables, int threads,
                                                 NoiseChoice noise = NoiseChoice::AsScenario);

}  // namespace nkappa
