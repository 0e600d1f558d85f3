#pragma once
// Streaming mean and variance per output time and output column (a MomentTable). Memory: output
// times x columns, whatever the number of trajectories.
#include <cstdint>
#include <string>
#include <vector>

#include "engine/observe/moment_table.hpp"
#include "engine/observe/sample_sink.hpp"

namespace nkappa {

// One output column: a species count or a variable parameter, times a scale (1, or 1/volume
// for a concentration).
struct OutputColumn {
  enum class Source : std::uint8_t { Species, Parameter } source = Source::Species;
  std::int32_t index = 0;
  double scale = 1.0;
  std::string name;
  bool logarithm = false;  // moments of ln(scale * value) (the SBML Test Suite's ln(X) outputs)
};

class Moments : public MergeableSink {
 public:
  Moments(std::vector<OutputColumn> columns, std::int32_t time_points);

  void on_sample(std::int64_t trajectory, std::int32_t time_index, const State& state) override;
  void merge_from(MergeableSink& later) override;

  std::int32_t time_points() const { return time_points_; }
  const std::vector<OutputColumn>& columns() const { return columns_; }
  std::int64_t count(std::int32_t time_index) const { return table_.count(time_index); }
  double mean(std::int32_t time_index, std::int32_t column) const {
    return table_.mean(time_index, column);
  }
  // Sample variance (divisor n - 1); 0 for fewer than two samples.
  double variance(std::int32_t time_index, std::int32_t column) const {
    return table_.variance(time_index, column);
  }

 private:
  std::vector<OutputColumn> columns_;
  std::int32_t time_points_;
  MomentTable table_;
};

}  // namespace nkappa
