#pragma once
// The observer of `nkappa compare`: per output time and observable, streaming moments and a
// quantile sketch; per cell, the readout's summary statistics (design §6) and its values at the
// test times; and the first few cells' readout traces for plots. Memory: O(times x observables)
// for the sketches plus O(cells) numbers, never whole trajectories beyond the stored few.
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/network/rate_program.hpp"
#include "engine/observe/moment_table.hpp"
#include "engine/observe/sample_sink.hpp"
#include "engine/run/state.hpp"
#include "report/statistics.hpp"

namespace nkappa {

struct CellRecorderSetup {
  const RateProgram* observables = nullptr;  // program i = observable i
  std::vector<std::string> observable_ids;
  std::int32_t readout = 0;   // index of the readout observable
  std::vector<double> times;  // output times (model time)
  std::vector<double> tau;    // the same, relative to the stimulus, in the reported unit
  CellStatsSettings stats;
  std::vector<std::int32_t> test_time_index;  // output-time indices of the test times
  std::int64_t stored_traces = 6;             // cells whose readout trace is kept for plots
  int sketch_bins = 256;
};

struct CellRecord {
  std::int64_t id = 0;
  CellSummary summary;
  std::vector<double> at_test_times;  // readout at each test time
  TrajectoryStatus status = TrajectoryStatus::ReachedEnd;
  std::int64_t events = 0;
};

class CellRecorder : public MergeableSink {
 public:
  explicit CellRecorder(const CellRecorderSetup& setup);

  void on_sample(std::int64_t trajectory, std::int32_t time_index, const State& state) override;
  void on_trajectory_end(std::int64_t trajectory, TrajectoryStatus status,
                         std::int64_t events) override;
  void merge_from(MergeableSink& later) override;

  std::int32_t observables() const {
    return static_cast<std::int32_t>(setup_->observable_ids.size());
  }
  std::int32_t time_points() const { return static_cast<std::int32_t>(setup_->times.size()); }
  double mean(std::int32_t t, std::int32_t o) const { return moments_.mean(t, o); }
  double sd(std::int32_t t, std::int32_t o) const { return std::sqrt(moments_.variance(t, o)); }
  std::int64_t count(std::int32_t t) const { return moments_.count(t); }
  const QuantileSketch& sketch(std::int32_t t, std::int32_t o) const { return sketches_[at(t, o)]; }
  const std::vector<CellRecord>& cells() const { return cells_; }
  const std::vector<double>& times() const { return setup_->times; }
  const CellRecorderSetup& setup() const { return *setup_; }
  const std::vector<std::vector<double>>& stored_traces() const { return traces_; }

 private:
  std::size_t at(std::int32_t t, std::int32_t o) const {
    return static_cast<std::size_t>(t) * setup_->observable_ids.size() +
           static_cast<std::size_t>(o);
  }
  const CellRecorderSetup* setup_;
  MomentTable moments_;
  std::vector<QuantileSketch> sketches_;
  std::vector<double> values_;  // observables of the current sample
  std::vector<double> trace_;   // readout of the current cell
  std::vector<CellRecord> cells_;
  std::vector<std::vector<double>> traces_;
};

}  // namespace nkappa
