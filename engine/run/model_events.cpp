#include "engine/run/model_events.hpp"

#include <algorithm>

namespace nkappa {

ModelEvents::ModelEvents(const ReactionNetwork& net)
    : net_(net), trigger_value_(net.events.size(), 0) {
  std::size_t most_assignments = 0;
  for (const NetworkEvent& e : net.events) {
    breakpoints_.insert(breakpoints_.end(), e.breakpoints.begin(), e.breakpoints.end());
    has_state_triggers_ = has_state_triggers_ || e.reads_state;
    most_assignments = std::max(most_assignments, e.assignments.size());
    moving_.insert(moving_.end(), e.moving_breakpoints.begin(), e.moving_breakpoints.end());
  }
  std::sort(breakpoints_.begin(), breakpoints_.end());
  breakpoints_.erase(std::unique(breakpoints_.begin(), breakpoints_.end()), breakpoints_.end());
  pending_values_.resize(most_assignments);
}

bool ModelEvents::evaluate(std::int32_t e, const State& s, double trigger_time) const {
  return net_.programs.evaluate(net_.events[static_cast<std::size_t>(e)].trigger_program,
                                s.counts.data(), s.parameters.data(), trigger_time) != 0.0;
}

void ModelEvents::update_moving(const State& s, double after) {
  next_moving_ = std::numeric_limits<double>::infinity();
  for (const NetworkEvent::MovingBreakpoint& m : moving_) {
    const double t =
        -net_.programs.evaluate(m.offset_program, s.counts.data(), s.parameters.data(), 0.0) /
        m.slope;
    if (t > after && t < next_moving_) next_moving_ = t;
  }
}

bool ModelEvents::start(State& s, Rng* rng) {
  fired_ = 0;
  next_ = 0;
  // Breakpoints at or before 0 are covered by the check at t = 0 ("just after" 0).
  const double just_after = std::nextafter(0.0, 1.0);
  while (next_ < breakpoints_.size() && breakpoints_[next_] <= 0.0) ++next_;
  for (std::size_t e = 0; e < net_.events.size(); ++e)
    trigger_value_[e] = net_.events[e].initial_value ? 1 : 0;
  update_moving(s, 0.0);
  return check(s, just_after, false, rng);
}

bool ModelEvents::at_breakpoint(State& s, Rng* rng) {
  const double t = next_breakpoint();
  while (next_ < breakpoints_.size() && breakpoints_[next_] <= t) ++next_;
  const bool changed =
      check(s, std::nextafter(t, std::numeric_limits<double>::infinity()), false, rng);
  if (!moving_.empty()) update_moving(s, t);
  return changed;
}

bool ModelEvents::check(State& s, double trigger_time, bool state_triggers_only, Rng* rng) {
  bool changed = false;
  // A firing can flip other triggers; the bound stops a model whose events re-trigger forever.
  for (int round = 0; round < 1000; ++round) {
    bool fired_this_round = false;
    for (std::size_t e = 0; e < net_.events.size(); ++e) {
      const NetworkEvent& ev = net_.events[e];
      if (state_triggers_only && !ev.reads_state && round == 0) continue;
      const bool now = evaluate(static_cast<std::int32_t>(e), s, trigger_time);
      const bool before = trigger_value_[e] != 0;
      trigger_value_[e] = now ? 1 : 0;
      if (!now || before) continue;
      for (std::size_t a = 0; a < ev.assignments.size(); ++a)
        pending_values_[a] = net_.programs.evaluate(
            ev.assignments[a].value_program, s.counts.data(), s.parameters.data(), s.time, rng);
      for (std::size_t a = 0; a < ev.assignments.size(); ++a) {
        const auto& target = ev.assignments[a];
        (target.to_species ? s.counts : s.parameters)[static_cast<std::size_t>(target.index)] =
            pending_values_[a];
      }
      ++fired_;
      changed = fired_this_round = true;
    }
    if (!fired_this_round) break;
  }
  if (changed && !moving_.empty()) update_moving(s, s.time);
  return changed;
}

}  // namespace nkappa
