#include "report/cell_recorder.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace nkappa {

CellRecorder::CellRecorder(const CellRecorderSetup& setup)
    : setup_(&setup),
      moments_(static_cast<std::int32_t>(setup.times.size()),
               static_cast<std::int32_t>(setup.observable_ids.size())),
      sketches_(setup.times.size() * setup.observable_ids.size(),
                QuantileSketch(setup.sketch_bins)),
      values_(setup.observable_ids.size(), 0.0),
      trace_(setup.times.size(), std::numeric_limits<double>::quiet_NaN()) {}

void CellRecorder::on_sample(std::int64_t, std::int32_t t, const State& state) {
  moments_.count_sample(t);
  for (std::int32_t o = 0; o < observables(); ++o) {
    const double x =
        setup_->observables->evaluate(o, state.counts.data(), state.parameters.data(), state.time);
    moments_.add(t, o, x);
    sketches_[at(t, o)].add(x);
    if (o == setup_->readout) trace_[static_cast<std::size_t>(t)] = x;
  }
}

void CellRecorder::on_trajectory_end(std::int64_t trajectory, TrajectoryStatus status,
                                     std::int64_t events) {
  CellRecord cell;
  cell.id = trajectory;
  cell.status = status;
  cell.events = events;
  cell.summary = summarise_cell(setup_->tau, trace_, setup_->stats);
  for (std::int32_t i : setup_->test_time_index)
    cell.at_test_times.push_back(trace_[static_cast<std::size_t>(i)]);
  cells_.push_back(std::move(cell));
  if (trajectory < setup_->stored_traces) traces_.push_back(trace_);
  std::fill(trace_.begin(), trace_.end(), std::numeric_limits<double>::quiet_NaN());
}

void CellRecorder::merge_from(MergeableSink& later_sink) {
  auto* later = dynamic_cast<CellRecorder*>(&later_sink);
  if (later == nullptr) throw std::logic_error("CellRecorder::merge_from: different sink type");
  moments_.merge(later->moments_);
  for (std::size_t i = 0; i < sketches_.size(); ++i) sketches_[i].merge(later->sketches_[i]);
  cells_.insert(cells_.end(), later->cells_.begin(), later->cells_.end());
  traces_.insert(traces_.end(), later->traces_.begin(), later->traces_.end());
}

}  // namespace nkappa
