#pragma once
// Observers: called once per output sample (never per event) and once per finished trajectory.
// The only interface level of the engine.
#include <cstdint>

namespace nkappa {

struct State;
enum class TrajectoryStatus : std::uint8_t;

class SampleSink {
 public:
  virtual ~SampleSink() = default;
  virtual void on_sample(std::int64_t trajectory, std::int32_t time_index, const State& state) = 0;
  virtual void on_trajectory_end(std::int64_t /*trajectory*/, TrajectoryStatus /*status*/,
                                 std::int64_t /*events*/) {}
};

// A sink whose per-block partial results can be merged, in block order, into a total.
class MergeableSink : public SampleSink {
 public:
  // Folds `later` (results of trajectories after this one's) into this sink.
  virtual void merge_from(MergeableSink& later) = 0;
};

}  // namespace nkappa
