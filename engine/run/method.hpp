#pragma once
// The registry's view of a simulation method. A method is a class with
//   explicit M(const ReactionNetwork&);     // or M(const ReactionNetwork&, const RunSpec&)
//   void reset(const State&, Rng&);
//   Event next_event(const State&, double t_limit, Rng&);   // does not change the state
//     (t_limit: the next output time or event breakpoint after the state's time; exact methods
//     ignore it, an approximate step must not pass it)
//   void fire(State&, Event);
//   std::int32_t invalid_reaction() const;   // a reaction whose propensity went bad, or -1
// and a MethodInfo whose run_block is run_block<M> (trajectory.hpp).
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/run/run_spec.hpp"
#include "engine/run/state.hpp"

namespace nkappa {

struct ReactionNetwork;
class SampleSink;

struct Capabilities {
  bool time_dependent_rates = false;       // laws that read `time`
  bool general_rate_laws = true;           // laws that are not of the mass-action shape
  std::int32_t max_mass_action_order = 0;  // highest order of a mass-action law; 0: any
};

// What one block of trajectories produced besides its samples.
struct BlockResult {
  std::int64_t events = 0;
  std::array<std::int64_t, kTrajectoryStatusCount> status_counts{};
  std::int32_t invalid_reaction = -1;  // first reaction seen with a bad propensity
  double invalid_time = 0.0;
  EventFailure event_failure;  // the first trajectory stopped by a model event, if any
};

using RunBlockFn = BlockResult (*)(const ReactionNetwork&, const RunSpec&, std::int64_t first,
                                   std::int64_t count, SampleSink&);

struct MethodInfo {
  std::string name;
  std::string kisao;  // KiSAO term of the algorithm
  bool exact = true;
  Capabilities capabilities;
  std::string summary;
  RunBlockFn run_block = nullptr;
};

// Every registered method, in the order `nkappa methods` lists them.
const std::vector<MethodInfo>& all_methods();
// The method of that name (or the automatic choice for "auto"); InputError naming the known
// methods otherwise.
const MethodInfo& find_method(const std::string& name, const ReactionNetwork& net);
// InputError naming the first reaction the method cannot simulate.
void check_capabilities(const MethodInfo& method, const ReactionNetwork& net);
std::string describe_capabilities(const MethodInfo& method);

}  // namespace nkappa
