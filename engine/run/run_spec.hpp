#pragma once
#include <cstdint>
#include <functional>
#include <limits>

#include "engine/run/rng.hpp"
#include "engine/run/state.hpp"

namespace nkappa {

inline constexpr double kDefaultEpsilon = 0.03;

// What to run: the output grid, the ensemble size and the seed. The method is chosen apart
// (MethodInfo), so a spec can be reused for every method.
struct RunSpec {
  double t_start = 0.0;       // first output time; the run itself always starts at t = 0
  double t_end = 1.0;         // last output time and end of the run
  std::int32_t samples = 10;  // output intervals: samples + 1 output times
  std::int64_t trajectories = 1;
  std::uint64_t seed = kDefaultSeed;
  int threads = 1;
  std::int64_t max_events = std::numeric_limits<std::int64_t>::max();  // per trajectory
  // Approximate methods only: the error control of tau-leaping (Cao, Gillespie & Petzold 2006),
  // the largest relative change of any propensity expected in one leap.
  double epsilon = kDefaultEpsilon;
  // Per-trajectory draws (extrinsic noise) made from the trajectory's own stream before it
  // starts; empty for none.
  std::function<void(State&, Rng&)> initialize_trajectory;
};

}  // namespace nkappa
