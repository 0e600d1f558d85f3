// OutputGrid (engine/run/output_grid.hpp) and how run_trajectory (engine/run/trajectory.hpp)
// uses it: a sample at time t shows the state after every event with time <= t.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <utility>
#include <vector>

#include "engine/model/builder.hpp"
#include "engine/network/compile.hpp"
#include "engine/network/reaction_network.hpp"
#include "engine/observe/sample_sink.hpp"
#include "engine/run/model_events.hpp"
#include "engine/run/output_grid.hpp"
#include "engine/run/rng.hpp"
#include "engine/run/run_spec.hpp"
#include "engine/run/state.hpp"
#include "engine/run/trajectory.hpp"

namespace nkappa {
namespace {

struct Sample {
  std::int32_t time_index;
  double state_time;
  double count;
  bool operator==(const Sample&) const = default;
};

// Records every sample: which output time, and the state it was shown.
class RecordingSink : public SampleSink {
 public:
  void on_sample(std::int64_t trajectory, std::int32_t time_index, const State& state) override {
    trajectories.push_back(trajectory);
    samples.push_back(Sample{time_index, state.time, state.counts.empty() ? 0.0 : state.counts[0]});
  }
  std::vector<Sample> samples;
  std::vector<std::int64_t> trajectories;
};

// A method that fires a fixed list of events, each adding one to counts[0]; after the list it
// reports that nothing can fire. Optionally reports an invalid propensity at one event.
class ScriptedMethod {
 public:
  explicit ScriptedMethod(std::vector<double> times, std::int32_t invalid_at = -1)
      : times_(std::move(times)), invalid_at_(invalid_at) {}
  // The script goes on across resets (a model event resets the method).
  void reset(const State&, Rng&) {}
  Event next_event(const State&, double, Rng&) {
    if (static_cast<std::int32_t>(next_) == invalid_at_) invalid_ = 0;
    if (next_ == times_.size()) return Event{};
    return Event{times_[next_], 0};
  }
  void fire(State& s, Event e) {
    s.time = e.time;
    s.counts[0] += 1.0;
    ++next_;
  }
  std::int32_t invalid_reaction() const { return invalid_; }

 private:
  std::vector<double> times_;
  std::size_t next_ = 0;
  std::int32_t invalid_at_;
  std::int32_t invalid_ = -1;
};

struct Run {
  TrajectoryStatus status;
  std::int64_t events;
  std::vector<Sample> samples;
};

// `net` supplies the model's own events (none by default).
Run run_script(std::vector<double> event_times, RunSpec spec, std::int32_t invalid_at = -1,
               const ReactionNetwork& net = ReactionNetwork{}) {
  ScriptedMethod method(std::move(event_times), invalid_at);
  State state{0.0, {0.0}, net.initial_parameters};
  OutputGrid grid(spec.t_start, spec.t_end, spec.samples);
  RecordingSink sink;
  Rng rng = trajectory_stream(1, 0);
  std::int64_t events = -1;
  ModelEvents model_events(net);
  const TrajectoryStatus status =
      run_trajectory(method, state, spec, rng, grid, sink, 7, events, model_events);
  for (std::int64_t id : sink.trajectories) CHECK(id == 7);
  return Run{status, events, sink.samples};
}

RunSpec spec_of(double t_start, double t_end, std::int32_t samples) {
  RunSpec spec;
  spec.t_start = t_start;
  spec.t_end = t_end;
  spec.samples = samples;
  return spec;
}

}  // namespace

TEST_CASE("output grid: t_start + k * step, the last time exactly t_end") {
  struct Grid {
    double t_start, t_end;
    std::int32_t samples;
  };
  // 0.3 / 3 * 3 is not 0.3 in binary: the last time must still be t_end exactly.
  for (const Grid& g : {Grid{0, 1, 10}, Grid{0, 0.3, 3}, Grid{0.1, 0.7, 6}, Grid{5, 10, 5},
                        Grid{0, 50, 50}, Grid{2.5, 1e6, 7}, Grid{0, 1, 1}}) {
    CAPTURE(g.t_start);
    CAPTURE(g.t_end);
    CAPTURE(g.samples);
    const OutputGrid grid(g.t_start, g.t_end, g.samples);
    REQUIRE(grid.size() == g.samples + 1);
    const double step = (g.t_end - g.t_start) / g.samples;
    for (std::int32_t k = 0; k < g.samples; ++k)
      CHECK(grid.times()[static_cast<std::size_t>(k)] == g.t_start + k * step);
    CHECK(grid.times().front() == g.t_start);
    CHECK(grid.times().back() == g.t_end);
    for (std::int32_t k = 1; k <= g.samples; ++k)
      CHECK(grid.times()[static_cast<std::size_t>(k)] >
            grid.times()[static_cast<std::size_t>(k - 1)]);
  }
}

TEST_CASE("output grid: one interval gives the start and the end") {
  const OutputGrid grid(3, 8, 1);
  CHECK(grid.times() == std::vector<double>{3, 8});
}

TEST_CASE("output grid: invalid grids are refused") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_AS(OutputGrid(0, 1, 0), std::invalid_argument);
  CHECK_THROWS_AS(OutputGrid(0, 1, -3), std::invalid_argument);
  CHECK_THROWS_AS(OutputGrid(2, 1, 10), std::invalid_argument);
  CHECK_THROWS_AS(OutputGrid(-1, 1, 10), std::invalid_argument);
  CHECK_THROWS_AS(OutputGrid(nan, 1, 10), std::invalid_argument);
  CHECK_THROWS_AS(OutputGrid(0, nan, 10), std::invalid_argument);
  CHECK_NOTHROW(OutputGrid(0, 0.001, 1));
}

TEST_CASE("output grid: emit_before emits only the times strictly before t, once each") {
  OutputGrid grid(0, 4, 4);  // 0 1 2 3 4
  State state{0.0, {5.0}, {}};
  RecordingSink sink;
  CHECK(grid.next_time() == 0.0);
  grid.emit_before(0.0, state, sink, 1);
  CHECK(sink.samples.empty());  // 0 is not < 0
  grid.emit_before(2.0, state, sink, 1);
  CHECK(sink.samples.size() == 2);  // 0 and 1, not 2
  CHECK(grid.next_time() == 2.0);
  grid.emit_before(2.0, state, sink, 1);
  CHECK(sink.samples.size() == 2);
  grid.emit_before(1.5, state, sink, 1);  // earlier than what was emitted: nothing again
  CHECK(sink.samples.size() == 2);
  grid.emit_before(std::nextafter(2.0, 3.0), state, sink, 1);
  CHECK(sink.samples.size() == 3);
  CHECK_FALSE(grid.done());
  grid.emit_before(std::numeric_limits<double>::infinity(), state, sink, 1);
  CHECK(sink.samples.size() == 5);
  CHECK(grid.done());
  CHECK(grid.next_time() == std::numeric_limits<double>::infinity());
  for (std::size_t i = 0; i < sink.samples.size(); ++i)
    CHECK(sink.samples[i].time_index == static_cast<std::int32_t>(i));

  grid.restart();
  CHECK_FALSE(grid.done());
  CHECK(grid.next_time() == 0.0);
}

TEST_CASE("trajectory: a sample at time t shows every event with time <= t") {
  // Events at 0 (the start), exactly at output time 1, twice at output time 2, between output
  // times, and exactly at t_end; the counter counts events fired.
  const Run run = run_script({0.0, 1.0, 2.0, 2.0, 2.5, 4.0}, spec_of(0, 4, 4));
  CHECK(run.status == TrajectoryStatus::NothingCanFire);
  CHECK(run.events == 6);
  CHECK(run.samples ==
        std::vector<Sample>{{0, 0.0, 1}, {1, 1.0, 2}, {2, 2.0, 4}, {3, 2.5, 5}, {4, 4.0, 6}});
}

TEST_CASE("trajectory: a model event at an output time is seen by that sample") {
  // SBML-style event: when time >= 2, A = 100. A reaction also fires exactly at t = 2, after
  // the model event (a breakpoint is taken before a reaction event at the same time).
  ModelBuilder b;
  b.species("A", 0);
  ModelDescription model = b.build();
  EventDesc event;
  event.id = "at_two";
  event.initial_value = false;
  event.trigger = Expr::call(ExprOp::Geq, {Expr::time(), Expr::constant(2)});
  event.assignments.push_back(EventAssignmentDesc{"A", Expr::constant(100)});
  model.events.push_back(event);
  const ReactionNetwork net = compile(model);

  const Run run = run_script({1.0, 2.0, 3.0}, spec_of(0, 4, 4), -1, net);
  CHECK(run.status == TrajectoryStatus::NothingCanFire);
  CHECK(run.events == 3);
  CHECK(run.samples ==
        std::vector<Sample>{{0, 0.0, 0}, {1, 1.0, 1}, {2, 2.0, 101}, {3, 3.0, 102}, {4, 3.0, 102}});

  // Without the reaction at 2 the sample at 2 shows the model event alone.
  const Run alone = run_script({1.0, 3.0}, spec_of(0, 4, 4), -1, net);
  CHECK(alone.samples ==
        std::vector<Sample>{{0, 0.0, 0}, {1, 1.0, 1}, {2, 2.0, 100}, {3, 3.0, 101}, {4, 3.0, 101}});
}

TEST_CASE("trajectory: an event after t_end ends the run with every sample emitted") {
  const Run run = run_script({0.5, 4.5, 9.0}, spec_of(0, 4, 2));
  CHECK(run.status == TrajectoryStatus::ReachedEnd);
  CHECK(run.events == 1);  // the event at 4.5 is drawn but not fired
  CHECK(run.samples == std::vector<Sample>{{0, 0.0, 0}, {1, 0.5, 1}, {2, 0.5, 1}});
}

TEST_CASE("trajectory: t_start > 0 emits nothing for the events before it") {
  const Run run = run_script({1.0, 2.0, 3.0, 6.0, 7.5}, spec_of(5, 7, 2));  // outputs 5 6 7
  CHECK(run.status == TrajectoryStatus::ReachedEnd);
  CHECK(run.samples == std::vector<Sample>{{0, 3.0, 3}, {1, 6.0, 4}, {2, 6.0, 4}});
}

TEST_CASE("trajectory: the event limit stops before the samples it has not reached") {
  RunSpec spec = spec_of(0, 4, 4);
  spec.max_events = 2;
  const Run run = run_script({0.5, 1.5, 2.5, 3.5}, spec);
  CHECK(run.status == TrajectoryStatus::EventLimit);
  CHECK(run.events == 2);
  // The third event (2.5) is not fired; the samples before it show the two that were.
  CHECK(run.samples == std::vector<Sample>{{0, 0.0, 0}, {1, 0.5, 1}, {2, 1.5, 2}});
}

TEST_CASE("trajectory: an invalid propensity stops the run before any further sample") {
  const Run run = run_script({0.5, 1.5, 2.5}, spec_of(0, 4, 4), /*invalid_at=*/2);
  CHECK(run.status == TrajectoryStatus::InvalidPropensity);
  CHECK(run.events == 2);
  CHECK(run.samples == std::vector<Sample>{{0, 0.0, 0}, {1, 0.5, 1}});
}

}  // namespace nkappa
