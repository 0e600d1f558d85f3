#include "engine/observe/moments.hpp"

#include <cmath>
#include <stdexcept>

#include "engine/run/state.hpp"

namespace nkappa {

Moments::Moments(std::vector<OutputColumn> columns, std::int32_t time_points)
    : columns_(std::move(columns)),
      time_points_(time_points),
      n_(static_cast<std::size_t>(time_points), 0),
      mean_(static_cast<std::size_t>(time_points) * columns_.size(), 0.0),
      m2_(mean_.size(), 0.0) {}

void Moments::on_sample(std::int64_t, std::int32_t t, const State& state) {
  const auto n = static_cast<double>(++n_[t]);
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    const OutputColumn& col = columns_[c];
    const double value =
        col.scale * (col.source == OutputColumn::Source::Species ? state.counts[col.index]
                                                                 : state.parameters[col.index]);
    const double x = col.logarithm ? std::log(value) : value;
    const std::size_t i = at(t, static_cast<std::int32_t>(c));
    const double delta = x - mean_[i];
    mean_[i] += delta / n;
    m2_[i] += delta * (x - mean_[i]);
  }
}

void Moments::merge_from(MergeableSink& later_sink) {
  auto* later = dynamic_cast<Moments*>(&later_sink);
  if (later == nullptr || later->mean_.size() != mean_.size())
    throw std::logic_error("Moments::merge_from: sinks of different shape");
  for (std::int32_t t = 0; t < time_points_; ++t) {
    const auto na = static_cast<double>(n_[t]);
    const auto nb = static_cast<double>(later->n_[t]);
    if (nb == 0) continue;
    if (na == 0) {  // copy: x * nb / nb is not always x in floating point
      for (std::size_t c = 0; c < columns_.size(); ++c) {
        const std::size_t i = at(t, static_cast<std::int32_t>(c));
        mean_[i] = later->mean_[i];
        m2_[i] = later->m2_[i];
      }
      n_[t] = later->n_[t];
      continue;
    }
    const double n = na + nb;
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      const std::size_t i = at(t, static_cast<std::int32_t>(c));
      const double delta = later->mean_[i] - mean_[i];
      mean_[i] += delta * nb / n;
      m2_[i] += later->m2_[i] + delta * delta * na * nb / n;
    }
    n_[t] += later->n_[t];
  }
}

double Moments::variance(std::int32_t t, std::int32_t c) const {
  return n_[t] < 2 ? 0.0 : m2_[at(t, c)] / static_cast<double>(n_[t] - 1);
}

}  // namespace nkappa
