#pragma once
// A stochastic ensemble with moments per output column: what `simulate` and `sbml-test-case`
// share.
#include <string>
#include <vector>

#include "engine/network/reaction_network.hpp"
#include "engine/observe/moments.hpp"
#include "engine/run/ensemble.hpp"
#include "engine/run/method.hpp"
#include "engine/run/run_spec.hpp"

namespace nkappa::cli {

struct StochasticRun {
  std::vector<double> times;
  Moments moments;
  EnsembleResult result;
  const MethodInfo* method = nullptr;
};

// Runs the ensemble (progress bar on a terminal) and turns a bad propensity into a
// RuntimeError naming the reaction.
StochasticRun run_stochastic(const ReactionNetwork& net, const std::string& method_name,
                             const RunSpec& spec, std::vector<OutputColumn> columns);

// Output columns for the given ids (species, or parameters that can change); all species when
// ids is empty. InputError for an unknown id.
std::vector<OutputColumn> columns_for(const ReactionNetwork& net,
                                      const std::vector<std::string>& ids);

int default_threads();

}  // namespace nkappa::cli
