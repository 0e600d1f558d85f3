#include "engine/observe/moments.hpp"

#include <cmath>
#include <stdexcept>

#include "engine/run/state.hpp"

namespace nkappa {

Moments::Moments(std::vector<OutputColumn> columns, std::int32_t time_points)
    : columns_(std::move(columns)),
      time_points_(time_points),
      table_(time_points, static_cast<std::int32_t>(columns_.size())) {}

void Moments::on_sample(std::int64_t, std::int32_t t, const State& state) {
  table_.count_sample(t);
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    const OutputColumn& col = columns_[c];
    const double value =
        col.scale * (col.source == OutputColumn::Source::Species ? state.counts[col.index]
                                                                 : state.parameters[col.index]);
    table_.add(t, static_cast<std::int32_t>(c), col.logarithm ? std::log(value) : value);
  }
}

void Moments::merge_from(MergeableSink& later_sink) {
  auto* later = dynamic_cast<Moments*>(&later_sink);
  if (later == nullptr || !later->table_.same_shape(table_))
    throw std::logic_error("Moments::merge_from: sinks of different shape");
  table_.merge(later->table_);
}

}  // namespace nkappa
