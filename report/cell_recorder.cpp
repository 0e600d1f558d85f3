#include "report/cell_recorder.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace nkappa {

CellRecorder::CellRecorder(const CellRecorderSetup& setup)
    : setup_(&setup),
      n_(setup.times.size(), 0),
      mean_(setup.times.size() * setup.observable_ids.size(), 0.0),
      m2_(mean_.size(), 0.0),
      sketches_(mean_.size(), QuantileSketch(setup.sketch_bins)),
      values_(setup.observable_ids.size(), 0.0),
      trace_(setup.times.size(), std::numeric_limits<double>::quiet_NaN()) {}

void CellRecorder::on_sample(std::int64_t, std::int32_t t, const State& state) {
  const auto n = static_cast<double>(++n_[static_cast<std::size_t>(t)]);
  for (std::int32_t o = 0; o < observables(); ++o) {
    const double x =
        setup_->observables->evaluate(o, state.counts.data(), state.parameters.data(), state.time);
    const std::size_t i = at(t, o);
    const double delta = x - mean_[i];
    mean_[i] += delta / n;
    m2_[i] += delta * (x - mean_[i]);
    sketches_[i].add(x);
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
  for (std::int32_t t = 0; t < time_points(); ++t) {
    const auto na = static_cast<double>(n_[static_cast<std::size_t>(t)]);
    const auto nb = static_cast<double>(later->n_[static_cast<std::size_t>(t)]);
    if (nb == 0) continue;
    const double n = na + nb;
    for (std::int32_t o = 0; o < observables(); ++o) {
      const std::size_t i = at(t, o);
      if (na == 0) {  // copy: x * nb / nb is not always x in floating point
        mean_[i] = later->mean_[i];
        m2_[i] = later->m2_[i];
      } else {
        const double delta = later->mean_[i] - mean_[i];
        mean_[i] += delta * nb / n;
        m2_[i] += later->m2_[i] + delta * delta * na * nb / n;
      }
      sketches_[i].merge(later->sketches_[i]);
    }
    n_[static_cast<std::size_t>(t)] += later->n_[static_cast<std::size_t>(t)];
  }
  cells_.insert(cells_.end(), later->cells_.begin(), later->cells_.end());
  traces_.insert(traces_.end(), later->traces_.begin(), later->traces_.end());
}

double CellRecorder::sd(std::int32_t t, std::int32_t o) const {
  const std::int64_t n = n_[static_cast<std::size_t>(t)];
  return n < 2 ? 0.0 : std::sqrt(m2_[at(t, o)] / static_cast<double>(n - 1));
}

}  // namespace nkappa
