#include "engine/run/model_events.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace nkappa {

ModelEvents::ModelEvents(const ReactionNetwork& net)
    : net_(net), trigger_value_(net.events.size(), 0) {
  for (const NetworkEvent& e : net.events) {
    breakpoints_.insert(breakpoints_.end(), e.breakpoints.begin(), e.breakpoints.end());
    has_state_triggers_ = has_state_triggers_ || e.reads_state;
    most_assignments_ = std::max(most_assignments_, e.assignments.size());
    moving_.insert(moving_.end(), e.moving_breakpoints.begin(), e.moving_breakpoints.end());
  }
  std::sort(breakpoints_.begin(), breakpoints_.end());
  breakpoints_.erase(std::unique(breakpoints_.begin(), breakpoints_.end()), breakpoints_.end());
  if (!net.events.empty())
    capacity_ = std::max(kMinPendingCapacity, kPendingPerEvent * net.events.size());
  pending_.reserve(capacity_);
  free_slots_.reserve(capacity_);
  tied_.reserve(capacity_);
  slot_values_.resize(capacity_ * most_assignments_);
  values_.resize(most_assignments_);
}

bool ModelEvents::evaluate(std::int32_t e, const State& s, double trigger_time) const {
  return net_.programs.evaluate(net_.events[static_cast<std::size_t>(e)].trigger_program,
                                s.counts.data(), s.parameters.data(), trigger_time) != 0.0;
}

void ModelEvents::update_moving(const State& s, double after) {
  next_moving_ = std::numeric_limits<double>::infinity();
  for (const NetworkEvent::MovingBreakpoint& m : moving_) {
    double t =
        -net_.programs.evaluate(m.offset_program, s.counts.data(), s.parameters.data(), 0.0) /
        m.slope;
    // t is where the trigger's affine expression of time crosses zero, computed in another order
    // than the trigger computes it: the trigger, read just after t, can still be a few ulps short
    // of its switch (SBML Test Suite 01532: trig = -5.3 + time, "trig > -5.2" is still false at
    // the computed t and the double after it, and the event never fired). A relative 1e-12
    // later is past such rounding and far below any time a model resolves.
    t += 1e-12 * std::max(1.0, std::fabs(t));
    if (t > after && t < next_moving_) next_moving_ = t;
  }
}

bool ModelEvents::start(State& s, Rng* rng) {
  fired_ = 0;
  next_ = 0;
  failure_ = EventFailure{};
  pending_.clear();
  free_slots_.clear();
  // Slots are taken from the back: the lowest first, for no reason but readability.
  for (std::size_t i = capacity_; i-- > 0;) free_slots_.push_back(static_cast<std::int32_t>(i));
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

void ModelEvents::fail(EventFailure::Kind kind, std::int32_t e, double time, double value) {
  if (!failed()) failure_ = EventFailure{kind, e, time, value};
}

void ModelEvents::compute_values(std::int32_t e, const State& s, Rng* rng, double* values) const {
  const NetworkEvent& ev = net_.events[static_cast<std::size_t>(e)];
  for (std::size_t a = 0; a < ev.assignments.size(); ++a)
    values[a] = net_.programs.evaluate(ev.assignments[a].value_program, s.counts.data(),
                                       s.parameters.data(), s.time, rng);
}

bool ModelEvents::trigger(std::int32_t e, const State& s, Rng* rng) {
  const NetworkEvent& ev = net_.events[static_cast<std::size_t>(e)];
  double time = s.time;
  if (ev.delay_program >= 0) {
    const double delay =
        net_.programs.evaluate(ev.delay_program, s.counts.data(), s.parameters.data(), s.time);
    if (!(delay >= 0.0)) {
      fail(EventFailure::Kind::BadDelay, e, s.time, delay);
      return false;
    }
    time += delay;
  }
  if (free_slots_.empty()) {
    fail(EventFailure::Kind::QueueFull, e, s.time, static_cast<double>(capacity_));
    return false;
  }
  const std::int32_t slot = free_slots_.back();
  free_slots_.pop_back();
  if (ev.use_values_from_trigger_time)
    compute_values(e, s, rng,
                   slot_values_.data() + static_cast<std::size_t>(slot) * most_assignments_);
  // After every execution already due at the same time: ties keep the order of triggering.
  const auto at = std::upper_bound(pending_.begin(), pending_.end(), time,
                                   [](double t, const Pending& p) { return t < p.time; });
  pending_.insert(at, Pending{time, e, slot});  // within the reserved capacity: no allocation
  return true;
}

void ModelEvents::cancel(std::int32_t e) {
  auto kept = pending_.begin();
  for (const Pending& p : pending_) {
    if (p.event == e)
      free_slots_.push_back(p.slot);
    else
      *kept++ = p;
  }
  pending_.erase(kept, pending_.end());
}

std::ptrdiff_t ModelEvents::choose_due(const State& s, Rng* rng) {
  // Events without a priority rank below every priority: -inf, and strictly below it, so that
  // a priority evaluating to -inf still comes first.
  constexpr double kNoPriority = -std::numeric_limits<double>::infinity();
  std::ptrdiff_t best = -1;
  double best_priority = kNoPriority;
  bool best_has_priority = false;
  tied_.clear();
  for (std::ptrdiff_t i = 0; i < static_cast<std::ptrdiff_t>(pending_.size()); ++i) {
    const Pending& p = pending_[static_cast<std::size_t>(i)];
    if (p.time > s.time) break;
    const NetworkEvent& ev = net_.events[static_cast<std::size_t>(p.event)];
    if (ev.priority_program < 0) {
      if (best < 0) best = i;  // the first triggered without priority, unless one has priority
      continue;
    }
    double priority =
        net_.programs.evaluate(ev.priority_program, s.counts.data(), s.parameters.data(), s.time);
    if (std::isnan(priority)) priority = kNoPriority;  // nothing to rank by: lowest of those set
    if (!best_has_priority || priority > best_priority) {
      best = i;
      best_priority = priority;
      best_has_priority = true;
      tied_.clear();
      tied_.push_back(i);
    } else if (priority == best_priority) {
      tied_.push_back(i);
    }
  }
  if (tied_.size() > 1 && rng != nullptr) {
    const auto pick =
        static_cast<std::size_t>(uniform_closed_open(*rng) * static_cast<double>(tied_.size()));
    best = tied_[std::min(pick, tied_.size() - 1)];
  }
  return best;
}

void ModelEvents::execute(std::ptrdiff_t index, State& s, Rng* rng) {
  const Pending p = pending_[static_cast<std::size_t>(index)];
  pending_.erase(pending_.begin() + index);
  const NetworkEvent& ev = net_.events[static_cast<std::size_t>(p.event)];
  const double* values = slot_values_.data() + static_cast<std::size_t>(p.slot) * most_assignments_;
  if (!ev.use_values_from_trigger_time) {
    compute_values(p.event, s, rng, values_.data());
    values = values_.data();
  }
  // Concentrations become amounts with their compartment's size now, read before any of this
  // event's assignments (one of which may be that size) changes the state.
  for (std::size_t a = 0; a < ev.assignments.size(); ++a) {
    const std::int32_t factor = ev.assignments[a].factor_program;
    if (factor < 0) continue;
    if (values != values_.data()) {
      std::copy(values, values + ev.assignments.size(), values_.begin());
      values = values_.data();
    }
    values_[a] *= net_.programs.evaluate(factor, s.counts.data(), s.parameters.data(), s.time, rng);
  }
  for (std::size_t a = 0; a < ev.assignments.size(); ++a) {
    const auto& target = ev.assignments[a];
    (target.to_species ? s.counts : s.parameters)[static_cast<std::size_t>(target.index)] =
        values[a] - target.clock_rate * s.time;
  }
  free_slots_.push_back(p.slot);
  ++fired_;
}

bool ModelEvents::check(State& s, double trigger_time, bool state_triggers_only, Rng* rng) {
  bool changed = false;
  bool all_triggers = !state_triggers_only;
  for (std::int64_t executed = 0;; ++executed) {
    for (std::size_t e = 0; e < net_.events.size(); ++e) {
      const NetworkEvent& ev = net_.events[e];
      if (!all_triggers && !ev.reads_state) continue;
      const auto event = static_cast<std::int32_t>(e);
      const bool now = evaluate(event, s, trigger_time);
      const bool before = trigger_value_[e] != 0;
      trigger_value_[e] = now ? 1 : 0;
      if (now && !before && !trigger(event, s, rng)) return true;
      if (!now && before && !ev.persistent) cancel(event);
    }
    // An execution can change anything a trigger reads.
    all_triggers = true;
    const std::ptrdiff_t due = choose_due(s, rng);
    if (due < 0) break;
    if (executed == kMaxExecutionsPerInstant) {
      fail(EventFailure::Kind::EndlessInstant, pending_[static_cast<std::size_t>(due)].event,
           s.time, 0.0);
      return true;
    }
    execute(due, s, rng);
    changed = true;
  }
  if (changed && !moving_.empty()) update_moving(s, s.time);
  return changed;
}

std::string describe(const ReactionNetwork& net, const EventFailure& failure) {
  std::ostringstream text;
  text.precision(10);
  const std::string id =
      failure.event >= 0 && failure.event < static_cast<std::int32_t>(net.events.size())
          ? net.events[static_cast<std::size_t>(failure.event)].id
          : std::string("?");
  text << "event '" << id << "' at t = " << failure.time << ": ";
  switch (failure.kind) {
    case EventFailure::Kind::None:
      text << "no failure";
      break;
    case EventFailure::Kind::QueueFull:
      text << "more than " << failure.value
           << " executions pending at once (the delay queue's capacity, "
           << ModelEvents::kPendingPerEvent << " per event, at least "
           << ModelEvents::kMinPendingCapacity << ")";
      break;
    case EventFailure::Kind::BadDelay:
      text << "the delay evaluates to " << failure.value << "; it must be a number >= 0";
      break;
    case EventFailure::Kind::EndlessInstant:
      text << "more than " << ModelEvents::kMaxExecutionsPerInstant
           << " event executions at one instant: the events re-trigger each other without end";
      break;
  }
  return text.str();
}

}  // namespace nkappa
