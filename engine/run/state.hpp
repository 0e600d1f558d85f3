#pragma once
#include <cstdint>
#include <limits>
#include <vector>

namespace nkappa {

// What changes along one trajectory. Counts are doubles so that rate programs read them
// directly; the exact methods only ever add integer stoichiometries to integer counts.
struct State {
  double time = 0.0;
  std::vector<double> counts;
  std::vector<double> parameters;  // the network's variable parameters
};

// The next thing that happens: a reaction at a time. +inf: nothing can fire.
struct Event {
  double time = std::numeric_limits<double>::infinity();
  std::int32_t reaction = -1;
};
// Event::reaction of an approximate step (a tau leap): many firings over [state time, time].
inline constexpr std::int32_t kLeapReaction = -2;

enum class TrajectoryStatus : std::uint8_t {
  ReachedEnd,         // t_end passed with reactions still possible
  NothingCanFire,     // every propensity became 0 before t_end (the state is final)
  EventLimit,         // max_events reached before t_end
  InvalidPropensity,  // a propensity became negative or NaN
  EventFailure,       // a model event could not be handled (EventFailure says why)
};
inline constexpr int kTrajectoryStatusCount = 5;

// Why the model's events stopped a trajectory (engine/run/model_events.hpp).
struct EventFailure {
  enum class Kind : std::uint8_t {
    None,
    QueueFull,       // more pending executions than the delay queue holds
    BadDelay,        // a delay evaluated to a negative number or NaN (`value`)
    EndlessInstant,  // executions at one instant that never stop re-triggering each other
  };
  Kind kind = Kind::None;
  std::int32_t event = -1;
  double time = 0.0;
  double value = 0.0;
};
const char* status_name(TrajectoryStatus status);

}  // namespace nkappa
