#pragma once
// The event loop, shared by every method: templated on the method so that next_event and fire
// inline; it never allocates, logs or throws.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "engine/network/reaction_network.hpp"
#include "engine/observe/sample_sink.hpp"
#include "engine/run/method.hpp"
#include "engine/run/model_events.hpp"
#include "engine/run/output_grid.hpp"
#include "engine/run/rng.hpp"
#include "engine/run/run_spec.hpp"
#include "engine/run/state.hpp"

namespace nkappa {

inline constexpr double kInfinity = std::numeric_limits<double>::infinity();

// One loop for models with and without events, so that next_event and fire have one call site
// each (a second one costs their inlining). Without events, per event the loop only compares the
// event time with the next output time, the end and the event limit: the limit passed to
// next_event (the first output time after the state's time) is kept, not searched for, since it
// stays right while the events come before it.
template <class Method>
TrajectoryStatus run_trajectory(Method& method, State& s, const RunSpec& spec, Rng& rng,
                                OutputGrid& grid, SampleSink& sink, std::int64_t id,
                                std::int64_t& events, ModelEvents& model_events) {
  const bool with_events = !model_events.empty();
  if (with_events && model_events.start(s, &rng) && model_events.failed()) {
    events = 0;
    return TrajectoryStatus::EventFailure;
  }
  const bool with_rules = !model_events.network().assigned.empty();
  auto prepare = [&](State& sample, double time) {
    if (with_rules) apply_assignment_rules(model_events.network(), sample, time);
  };
  method.reset(s, rng);
  double output_limit = grid.next_time_after(s.time);
  double next_output = grid.next_time();  // the first output time not yet emitted
  const double t_end = spec.t_end;
  const std::int64_t max_events = spec.max_events;
  for (std::int64_t n = 0;; ++n) {
    const double breakpoint = with_events ? model_events.next_breakpoint() : kInfinity;
    // The limit is the next time at which something is observed or may switch: exact methods
    // ignore it, tau-leaping never leaps past it.
    const Event e = method.next_event(s, std::min(output_limit, breakpoint), rng);
    if (method.invalid_reaction() >= 0) [[unlikely]] {
      events = n;
      return TrajectoryStatus::InvalidPropensity;
    }
    if (with_events) {
      // A breakpoint is taken before a reaction event at the same time, but after a leap that
      // ends there: the leap's firings all happened before it.
      const bool breakpoint_first =
          e.reaction == kLeapReaction ? breakpoint < e.time : breakpoint <= e.time;
      if (breakpoint_first && breakpoint <= t_end) {
        // A trigger may switch before the proposed reaction: go there. Waiting times are
        // memoryless, so dropping the proposal and drawing anew from the breakpoint is exact.
        grid.emit_before(breakpoint, s, sink, id, prepare);
        next_output = grid.next_time();
        s.time = breakpoint;
        output_limit = grid.next_time_after(s.time);
        if (model_events.at_breakpoint(s, &rng)) {
          if (model_events.failed()) {
            events = n;
            return TrajectoryStatus::EventFailure;
          }
          method.reset(s, rng);
        }
        --n;
        continue;
      }
    }
    if (next_output < e.time) {  // output times < e.time: the state before it
      grid.emit_before(e.time, s, sink, id, prepare);
      next_output = grid.next_time();
    }
    if (e.time > t_end) {
      events = n;
      return std::isinf(e.time) ? TrajectoryStatus::NothingCanFire : TrajectoryStatus::ReachedEnd;
    }
    if (n == max_events) [[unlikely]] {
      events = n;
      return TrajectoryStatus::EventLimit;
    }
    method.fire(s, e);
    if (!(s.time < output_limit)) output_limit = grid.next_time_after(s.time);
    if (with_events && model_events.after_reaction(s, &rng)) {
      if (model_events.failed()) {
        events = n + 1;
        return TrajectoryStatus::EventFailure;
      }
      method.reset(s, rng);
    }
  }
}

inline State initial_state(const ReactionNetwork& net) {
  return State{0.0, net.initial_counts, net.initial_parameters};
}

// Methods with settings (tau-leaping's epsilon) take them from the spec.
template <class Method>
Method make_method(const ReactionNetwork& net, const RunSpec& spec) {
  if constexpr (std::is_constructible_v<Method, const ReactionNetwork&, const RunSpec&>)
    return Method(net, spec);
  else
    return Method(net);
}

// Trajectories first .. first + count - 1, each from its own stream (seed, i).
template <class Method>
BlockResult run_block(const ReactionNetwork& net, const RunSpec& spec, std::int64_t first,
                      std::int64_t count, SampleSink& sink) {
  BlockResult result;
  Method method = make_method<Method>(net, spec);
  ModelEvents model_events(net);
  OutputGrid grid(spec.t_start, spec.t_end, spec.samples);
  State s = initial_state(net);
  for (std::int64_t i = first; i < first + count; ++i) {
    s.time = 0.0;
    s.counts = net.initial_counts;  // same size: no allocation
    s.parameters = net.initial_parameters;
    grid.restart();
    Rng rng = trajectory_stream(spec.seed, static_cast<std::uint64_t>(i));
    if (spec.initialize_trajectory) spec.initialize_trajectory(s, rng);
    std::int64_t events = 0;
    const TrajectoryStatus status =
        run_trajectory(method, s, spec, rng, grid, sink, i, events, model_events);
    if (status == TrajectoryStatus::InvalidPropensity && result.invalid_reaction < 0) {
      result.invalid_reaction = method.invalid_reaction();
      result.invalid_time = s.time;
    }
    if (status == TrajectoryStatus::EventFailure &&
        result.event_failure.kind == EventFailure::Kind::None)
      result.event_failure = model_events.failure();
    result.events += events;
    ++result.status_counts[static_cast<std::size_t>(status)];
    sink.on_trajectory_end(i, status, events);
  }
  return result;
}

}  // namespace nkappa
