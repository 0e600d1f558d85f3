#pragma once
// The model's own events (SBML events) inside an exact simulation. A trigger can only change
// value when a reaction fires (it reads the state) or when time crosses one of its breakpoints
// (it compares time with a constant), so the event loop checks triggers exactly then and fires
// an event at the instant its trigger turns true: a reaction event that flips a trigger fires
// the model event at that same time. Breakpoints are checked "just after" the breakpoint, so
// `time >= c` and `time > c` both switch at c. Assignments are computed first, then applied;
// events that became true together fire in model order, and a firing that flips further
// triggers fires them too, at the same time. A comparison of time with variable parameters
// (a clock parameter, engine/network/rules.hpp) switches at a moving breakpoint, recomputed
// whenever an event fires. Assignment values may be random draws (SBML distrib) from the
// trajectory's generator.
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "engine/network/reaction_network.hpp"
#include "engine/run/rng.hpp"
#include "engine/run/state.hpp"

namespace nkappa {

class ModelEvents {
 public:
  explicit ModelEvents(const ReactionNetwork& net);

  bool empty() const { return net_.events.empty(); }
  const ReactionNetwork& network() const { return net_; }
  bool has_state_triggers() const { return has_state_triggers_; }

  // t = 0: triggers start from their initial values; one that is true at 0 but was "false
  // before" fires now. True when the state changed.
  // `rng` draws the random values of assignments (nullptr: they are NaN).
  bool start(State& s, Rng* rng = nullptr);
  // The next breakpoint after the current time, or +inf.
  double next_breakpoint() const {
    return std::fmin(
        next_ < breakpoints_.size() ? breakpoints_[next_] : std::numeric_limits<double>::infinity(),
        next_moving_);
  }
  // s.time has been set to next_breakpoint(): checks the triggers there. True when the state
  // changed.
  bool at_breakpoint(State& s, Rng* rng = nullptr);
  // After a reaction event: checks the triggers that read the state.
  bool after_reaction(State& s, Rng* rng = nullptr) {
    return has_state_triggers_ && check(s, s.time, true, rng);
  }

  std::int64_t fired() const { return fired_; }

 private:
  bool check(State& s, double trigger_time, bool state_triggers_only, Rng* rng);
  bool evaluate(std::int32_t e, const State& s, double trigger_time) const;
  // The moving breakpoints after `after`, from the current parameters.
  void update_moving(const State& s, double after);

  const ReactionNetwork& net_;
  std::vector<double> breakpoints_;  // all events' breakpoints, sorted, unique
  std::size_t next_ = 0;
  std::vector<NetworkEvent::MovingBreakpoint> moving_;  // all events'
  double next_moving_ = std::numeric_limits<double>::infinity();
  std::vector<std::uint8_t> trigger_value_;
  std::vector<double> pending_values_;
  bool has_state_triggers_ = false;
  std::int64_t fired_ = 0;
};

// Writes the values of the assignment rules' targets into `s` for an output at `time` (the
// targets are read by nothing else: their rules are substituted into every reader).
inline void apply_assignment_rules(const ReactionNetwork& net, State& s, double time) {
  for (const ReactionNetwork::AssignedValue& a : net.assigned)
    (a.to_species ? s.counts : s.parameters)[static_cast<std::size_t>(a.index)] =
        net.programs.evaluate(a.program, s.counts.data(), s.parameters.data(), time);
}

}  // namespace nkappa
