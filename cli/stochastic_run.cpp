#include "cli/stochastic_run.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <thread>

#include "engine/error.hpp"
#include "engine/run/model_events.hpp"
#include "engine/run/output_grid.hpp"

namespace nkappa::cli {

int default_threads() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

std::vector<OutputColumn> columns_for(const ReactionNetwork& net,
                                      const std::vector<std::string>& ids) {
  std::vector<OutputColumn> columns;
  if (ids.empty()) {
    for (std::int32_t s = 0; s < net.species_count(); ++s)
      columns.push_back(OutputColumn{OutputColumn::Source::Species, s, 1.0, net.species_ids[s]});
    return columns;
  }
  for (const std::string& id : ids) {
    if (const std::int32_t s = net.species_index(id); s >= 0) {
      columns.push_back(OutputColumn{OutputColumn::Source::Species, s, 1.0, id});
      continue;
    }
    auto it = std::find(net.parameter_ids.begin(), net.parameter_ids.end(), id);
    if (it != net.parameter_ids.end()) {
      columns.push_back(OutputColumn{OutputColumn::Source::Parameter,
                                     static_cast<std::int32_t>(it - net.parameter_ids.begin()), 1.0,
                                     id});
      continue;
    }
    throw InputError(net.source_file, 0, "output", id,
                     "not a species or a variable parameter of the model");
  }
  return columns;
}

namespace {

class ProgressBar {
 public:
  ProgressBar() : enabled_(::isatty(STDERR_FILENO) == 1) {}
  void update(std::int64_t done, std::int64_t total) {
    if (!enabled_) return;
    const int width = 40;
    const int filled = total > 0 ? static_cast<int>(width * done / total) : width;
    std::fprintf(stderr, "\r[%.*s%*s] %3d%% %lld/%lld trajectories", filled,
                 "========================================", width - filled, "",
                 total > 0 ? static_cast<int>(100 * done / total) : 100,
                 static_cast<long long>(done), static_cast<long long>(total));
    if (done == total) std::fprintf(stderr, "\n");
    std::fflush(stderr);
  }

 private:
  bool enabled_;
};

}  // namespace

StochasticRun run_stochastic(const ReactionNetwork& net, const std::string& method_name,
                             const RunSpec& spec, std::vector<OutputColumn> columns) {
  const MethodInfo& method = find_method(method_name, net);
  check_capabilities(method, net);
  OutputGrid grid(spec.t_start, spec.t_end, spec.samples);
  StochasticRun run{grid.times(), Moments(columns, grid.size()), {}, &method};
  ProgressBar bar;
  run.result = run_ensemble(
      net, method, spec, [&] { return std::make_unique<Moments>(columns, grid.size()); },
      run.moments, [&](std::int64_t done, std::int64_t total) { bar.update(done, total); });
  if (run.result.invalid_reaction >= 0)
    throw RuntimeError("reaction '" + net.reaction_ids[run.result.invalid_reaction] +
                       "': propensity became negative or not a number at t = " +
                       std::to_string(run.result.invalid_time) +
                       " (a net rate law that can go negative cannot be simulated stochastically)");
  if (run.result.event_failure.kind != EventFailure::Kind::None)
    throw RuntimeError(describe(net, run.result.event_failure));
  return run;
}

}  // namespace nkappa::cli
