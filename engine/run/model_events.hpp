#pragma once
// The model's own events (SBML events) inside an exact simulation. A trigger can only change
// value when a reaction fires (it reads the state) or when time crosses one of its breakpoints
// (it compares time with a constant), so the event loop checks triggers exactly then and fires
// an event at the instant its trigger turns true: a reaction event that flips a trigger fires
// the model event at that same time. Breakpoints are checked "just after" the breakpoint, so
// `time >= c` and `time > c` both switch at c. Assignments are computed first, then applied;
// events that became true together fire in model order, and a firing that flips further
// triggers fires them too, at the same time.
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "engine/network/reaction_network.hpp"
#include "engine/run/state.hpp"

namespace nkappa {

class ModelEvents {
 public:
  explicit ModelEvents(const ReactionNetwork& net);

  bool empty() const { return net_.events.empty(); }
  bool has_state_triggers() const { return has_state_triggers_; }

  // t = 0: triggers start from their initial values; one that is true at 0 but was "false
  // before" fires now. True when the state changed.
  bool start(State& s);
  // The next breakpoint after the current time, or +inf.
  double next_breakpoint() const {
    return next_ < breakpoints_.size() ? breakpoints_[next_]
                                       : std::numeric_limits<double>::infinity();
  }
  // s.time has been set to next_breakpoint(): checks the triggers there. True when the state
  // changed.
  bool at_breakpoint(State& s);
  // After a reaction event: checks the triggers that read the state.
  bool after_reaction(State& s) { return has_state_triggers_ && check(s, s.time, true); }

  std::int64_t fired() const { return fired_; }

 private:
  bool check(State& s, double trigger_time, bool state_triggers_only);
  bool evaluate(std::int32_t e, const State& s, double trigger_time) const;

  const ReactionNetwork& net_;
  std::vector<double> breakpoints_;  // all events' breakpoints, sorted, unique
  std::size_t next_ = 0;
  std::vector<std::uint8_t> trigger_value_;
  std::vector<double> pending_values_;
  bool has_state_triggers_ = false;
  std::int64_t fired_ = 0;
};

}  // namespace nkappa
