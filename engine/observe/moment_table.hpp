#pragma once
// Streaming mean and variance of a time x column table of values: Welford's update per sample
// and the pairwise merge of Chan, Golub & LeVeque (1979) across blocks, so that blocks of
// trajectories merged in a fixed order give the same numbers for any thread count. Memory:
// times x columns, whatever the number of samples. The one implementation behind `simulate`'s
// Moments and `compare`'s CellRecorder.
#include <cmath>
#include <cstdint>
#include <vector>

namespace nkappa {

class MomentTable {
 public:
  MomentTable(std::int32_t times, std::int32_t columns)
      : columns_(columns),
        n_(static_cast<std::size_t>(times), 0),
        mean_(static_cast<std::size_t>(times) * static_cast<std::size_t>(columns), 0.0),
        m2_(mean_.size(), 0.0) {}

  // Starts sample number n at time t; add() each of its columns next.
  void count_sample(std::int32_t t) { ++n_[static_cast<std::size_t>(t)]; }
  void add(std::int32_t t, std::int32_t column, double x) {
    const auto n = static_cast<double>(n_[static_cast<std::size_t>(t)]);
    const std::size_t i = at(t, column);
    const double delta = x - mean_[i];
    mean_[i] += delta / n;
    m2_[i] += delta * (x - mean_[i]);
  }

  // Folds in the samples of `later` (same shape).
  void merge(const MomentTable& later) {
    for (std::size_t t = 0; t < n_.size(); ++t) {
      const auto na = static_cast<double>(n_[t]);
      const auto nb = static_cast<double>(later.n_[t]);
      if (nb == 0) continue;
      const double n = na + nb;
      for (std::int32_t c = 0; c < columns_; ++c) {
        const std::size_t i = at(static_cast<std::int32_t>(t), c);
        if (na == 0) {  // copy: x * nb / nb is not always x in floating point
          mean_[i] = later.mean_[i];
          m2_[i] = later.m2_[i];
        } else {
          const double delta = later.mean_[i] - mean_[i];
          mean_[i] += delta * nb / n;
          m2_[i] += later.m2_[i] + delta * delta * na * nb / n;
        }
      }
      n_[t] += later.n_[t];
    }
  }

  bool same_shape(const MomentTable& other) const {
    return columns_ == other.columns_ && n_.size() == other.n_.size();
  }
  std::int64_t count(std::int32_t t) const { return n_[static_cast<std::size_t>(t)]; }
  double mean(std::int32_t t, std::int32_t column) const { return mean_[at(t, column)]; }
  // Sample variance (divisor n - 1); 0 for fewer than two samples.
  double variance(std::int32_t t, std::int32_t column) const {
    const std::int64_t n = count(t);
    return n < 2 ? 0.0 : m2_[at(t, column)] / static_cast<double>(n - 1);
  }

 private:
  std::size_t at(std::int32_t t, std::int32_t c) const {
    return static_cast<std::size_t>(t) * static_cast<std::size_t>(columns_) +
           static_cast<std::size_t>(c);
  }
  std::int32_t columns_;
  std::vector<std::int64_t> n_;
  std::vector<double> mean_;
  std::vector<double> m2_;  // sum of squared deviations from the mean
};

}  // namespace nkappa
