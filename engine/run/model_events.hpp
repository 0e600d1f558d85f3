#pragma once
// The model's own events (SBML events, SBML L3V2 section 4.12) inside an exact simulation and
// the ODE path.
//
// When they are checked. A trigger can only change value when a reaction fires (it reads the
// state), when time crosses one of its breakpoints (it compares time with a constant), or when
// an event executes, so the event loop checks triggers exactly then, and an event is triggered
// at the instant its trigger turns from false to true: a reaction event that flips a trigger
// triggers the model event at that same time. Breakpoints are checked "just after" the
// breakpoint, so `time >= c` and `time > c` both switch at c. A comparison of time with variable
// parameters (a clock parameter, engine/network/rules.hpp) switches at a moving breakpoint,
// recomputed whenever an event executes.
//
// Triggering and execution (SBML L3V2 4.12.5-4.12.7). A triggered event becomes a pending
// execution at time t + delay (the delay evaluated when triggered; t without one), holding its
// assignment values if it uses values from the trigger time. Pending executions sit in a delay
// queue ordered by execution time, then by the order in which they were triggered. Their times
// are breakpoints like any other: the exact methods stop there and tau-leaping never leaps past
// one. A non-persistent event's pending executions are cancelled when its trigger turns false.
// At one instant, events run one at a time: the triggers are checked, then among the pending
// executions due now the one with the highest priority (evaluated now) executes; then the
// triggers are checked again (an execution can trigger further events, which join at once if
// they have no delay, or cancel non-persistent ones), and so on until none is due. Equal
// priorities execute in random order, drawn from the trajectory's generator (reproducible); the
// ODE path passes a generator with a fixed seed. Events without a priority (the specification
// leaves their place undefined) rank below every event with one, and among themselves execute
// in the order they were triggered (model order for events triggered together), never at random.
//
// The event loop never allocates: the queue has a fixed capacity (kPendingPerEvent per event,
// at least kMinPendingCapacity), and the failures (queue full, negative delay, an instant whose
// executions never end) stop the trajectory with a recorded EventFailure instead of throwing.
// Assignment values may be random draws (SBML distrib) from the trajectory's generator.
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "engine/network/reaction_network.hpp"
#include "engine/run/rng.hpp"
#include "engine/run/state.hpp"

namespace nkappa {

class ModelEvents {
 public:
  static constexpr std::size_t kPendingPerEvent = 64;
  static constexpr std::size_t kMinPendingCapacity = 1024;
  // Executions at one instant beyond which a model is taken to re-trigger itself forever.
  static constexpr std::int64_t kMaxExecutionsPerInstant = 100000;

  explicit ModelEvents(const ReactionNetwork& net);

  bool empty() const { return net_.events.empty(); }
  const ReactionNetwork& network() const { return net_; }
  bool has_state_triggers() const { return has_state_triggers_; }

  // t = 0: triggers start from their initial values; one that is true at 0 but was "false
  // before" is triggered now. True when the state changed or the run failed (see failure()).
  // `rng` draws the random values of assignments (nullptr: they are NaN) and breaks ties
  // between equal priorities (nullptr: the order of triggering).
  bool start(State& s, Rng* rng = nullptr);
  // The next breakpoint or pending execution after the current time, or +inf.
  double next_breakpoint() const {
    const double fixed =
        next_ < breakpoints_.size() ? breakpoints_[next_] : std::numeric_limits<double>::infinity();
    const double pending =
        pending_.empty() ? std::numeric_limits<double>::infinity() : pending_.front().time;
    return std::fmin(std::fmin(fixed, next_moving_), pending);
  }
  // s.time has been set to next_breakpoint(): checks the triggers there and executes what is
  // due. True when the state changed or the run failed.
  bool at_breakpoint(State& s, Rng* rng = nullptr);
  // After a reaction event: checks the triggers that read the state. True when the state
  // changed or the run failed.
  bool after_reaction(State& s, Rng* rng = nullptr) {
    return has_state_triggers_ && check(s, s.time, true, rng);
  }

  bool failed() const { return failure_.kind != EventFailure::Kind::None; }
  const EventFailure& failure() const { return failure_; }
  std::int64_t fired() const { return fired_; }  // executions
  std::size_t pending() const { return pending_.size(); }
  std::size_t pending_capacity() const { return capacity_; }

 private:
  struct Pending {
    double time;  // of execution
    std::int32_t event;
    std::int32_t slot;  // its row of slot_values_ (values from the trigger time)
  };

  bool check(State& s, double trigger_time, bool state_triggers_only, Rng* rng);
  bool evaluate(std::int32_t e, const State& s, double trigger_time) const;
  bool trigger(std::int32_t e, const State& s, Rng* rng);
  void cancel(std::int32_t e);
  // The index in pending_ of the execution to run now, or -1 when none is due.
  std::ptrdiff_t choose_due(const State& s, Rng* rng);
  void execute(std::ptrdiff_t index, State& s, Rng* rng);
  void compute_values(std::int32_t e, const State& s, Rng* rng, double* values) const;
  void fail(EventFailure::Kind kind, std::int32_t e, double time, double value);
  // The moving breakpoints after `after`, from the current parameters.
  void update_moving(const State& s, double after);

  const ReactionNetwork& net_;
  std::vector<double> breakpoints_;  // all events' breakpoints, sorted, unique
  std::size_t next_ = 0;
  std::vector<NetworkEvent::MovingBreakpoint> moving_;  // all events'
  double next_moving_ = std::numeric_limits<double>::infinity();
  std::vector<std::uint8_t> trigger_value_;
  bool has_state_triggers_ = false;

  // The delay queue: sorted by time, then by order of triggering; never above capacity_.
  std::size_t capacity_ = 0;
  std::vector<Pending> pending_;
  std::vector<std::int32_t> free_slots_;
  std::size_t most_assignments_ = 0;
  std::vector<double> slot_values_;  // capacity_ x most_assignments_
  std::vector<double> values_;       // values computed at execution time
  std::vector<std::ptrdiff_t> tied_;

  std::int64_t fired_ = 0;
  EventFailure failure_;
};

// A sentence naming the event, the time and what went wrong (outside the event loop: allocates).
std::string describe(const ReactionNetwork& net, const EventFailure& failure);

// Writes the values of the assignment rules' targets into `s` for an output at `time` (the
// targets are read by nothing else: their rules are substituted into every reader).
inline void apply_assignment_rules(const ReactionNetwork& net, State& s, double time) {
  for (const ReactionNetwork::AssignedValue& a : net.assigned)
    (a.to_species ? s.counts : s.parameters)[static_cast<std::size_t>(a.index)] =
        net.programs.evaluate(a.program, s.counts.data(), s.parameters.data(), time);
}

}  // namespace nkappa
