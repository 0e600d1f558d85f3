#pragma once
// Output times t_start + k (t_end - t_start) / samples, k = 0 .. samples. A sample at time t
// shows the state after every event with time <= t: before an event at time e fires, every
// output time < e is emitted with the current state.
#include <cstdint>
#include <limits>
#include <vector>

#include "engine/observe/sample_sink.hpp"
#include "engine/run/state.hpp"

namespace nkappa {

class OutputGrid {
 public:
  OutputGrid(double t_start, double t_end, std::int32_t samples);
  const std::vector<double>& times() const { return times_; }
  std::int32_t size() const { return static_cast<std::int32_t>(times_.size()); }
  void restart() { next_ = 0; }
  double next_time() const {
    return next_ < times_.size() ? times_[next_] : std::numeric_limits<double>::infinity();
  }
  // The first output time > t (not yet emitted), or +inf: a method that must not step over an
  // output time (tau-leaping) stops there. An output time equal to t is still to be emitted,
  // with the state at t, so it is no limit for a step that starts at t.
  double next_time_after(double t) const {
    std::size_t k = next_;
    while (k < times_.size() && times_[k] <= t) ++k;
    return k < times_.size() ? times_[k] : std::numeric_limits<double>::infinity();
  }
  // Emits every output time < t with the state as it is.
  void emit_before(double t, const State& s, SampleSink& sink, std::int64_t trajectory) {
    while (next_ < times_.size() && times_[next_] < t) {
      sink.on_sample(trajectory, static_cast<std::int32_t>(next_), s);
      ++next_;
    }
  }
  // The same, calling prepare(s, time) before each sample (assignment rules that read time).
  template <class Prepare>
  void emit_before(double t, State& s, SampleSink& sink, std::int64_t trajectory,
                   Prepare&& prepare) {
    while (next_ < times_.size() && times_[next_] < t) {
      prepare(s, times_[next_]);
      sink.on_sample(trajectory, static_cast<std::int32_t>(next_), s);
      ++next_;
    }
  }
  bool done() const { return next_ == times_.size(); }

 private:
  std::vector<double> times_;
  std::size_t next_ = 0;
};

}  // namespace nkappa
