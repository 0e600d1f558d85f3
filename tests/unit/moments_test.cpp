// Moments (engine/observe/moments.hpp): Welford within a block and the pairwise merge across
// blocks give the two-pass mean and variance of the same data.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <vector>

#include "engine/observe/moments.hpp"
#include "engine/run/state.hpp"
#include "tests/unit/expr_reference.hpp"

namespace nkappa {
namespace {

std::int32_t pick(std::mt19937_64& rng, std::int32_t n) {
  return static_cast<std::int32_t>(rng() % static_cast<std::uint64_t>(n));
}
double uniform(std::mt19937_64& rng) {
  return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

std::vector<OutputColumn> species_columns(std::int32_t n) {
  std::vector<OutputColumn> columns;
  for (std::int32_t c = 0; c < n; ++c)
    columns.push_back(OutputColumn{OutputColumn::Source::Species, c, 1.0, "S"});
  return columns;
}

// data[i][t][c]: trajectory i, output time t, column c.
using Data = std::vector<std::vector<std::vector<double>>>;

// Feeds trajectories [first, last) into a sink, as one block of run_ensemble does.
void feed(Moments& sink, const Data& data, std::size_t first, std::size_t last) {
  for (std::size_t i = first; i < last; ++i)
    for (std::size_t t = 0; t < data[i].size(); ++t) {
      const State state{0.0, data[i][t], {}};
      sink.on_sample(static_cast<std::int64_t>(i), static_cast<std::int32_t>(t), state);
    }
}

// Random contiguous blocks (some empty), each in its own sink, merged in order into an empty
// total, as run_ensemble merges.
Moments merged_in_blocks(const Data& data, std::int32_t columns, std::int32_t times,
                         std::mt19937_64& rng) {
  Moments total(species_columns(columns), times);
  std::size_t first = 0;
  while (first < data.size()) {
    const std::size_t size = static_cast<std::size_t>(pick(rng, 9));  // 0: an empty block
    const std::size_t last = std::min(data.size(), first + size);
    Moments block(species_columns(columns), times);
    feed(block, data, first, last);
    total.merge_from(block);
    first = last;
  }
  return total;
}

}  // namespace

TEST_CASE("moments: Welford with block merges equals the two-pass mean and variance") {
  std::mt19937_64 rng(77);
  for (int trial = 0; trial < 40; ++trial) {
    CAPTURE(trial);
    const std::int32_t columns = 1 + pick(rng, 4);
    const std::int32_t times = 1 + pick(rng, 5);
    const std::size_t n = static_cast<std::size_t>(2 + pick(rng, 300));
    // Counts around a column-dependent level, some far from zero so that a naive
    // sum-of-squares formula would lose digits.
    Data data(n, std::vector<std::vector<double>>(
                     static_cast<std::size_t>(times),
                     std::vector<double>(static_cast<std::size_t>(columns))));
    for (auto& trajectory : data)
      for (auto& sample : trajectory)
        for (std::size_t c = 0; c < sample.size(); ++c)
          sample[c] =
              std::floor(std::pow(10.0, static_cast<double>(c)) * (50.0 + 20.0 * uniform(rng)));

    const Moments total = merged_in_blocks(data, columns, times, rng);
    Moments single(species_columns(columns), times);
    feed(single, data, 0, n);
    for (std::int32_t t = 0; t < times; ++t)
      for (std::int32_t c = 0; c < columns; ++c) {
        double sum = 0.0;
        for (const auto& trajectory : data)
          sum += trajectory[static_cast<std::size_t>(t)][static_cast<std::size_t>(c)];
        const double mean = sum / static_cast<double>(n);
        double squares = 0.0;
        for (const auto& trajectory : data) {
          const double d =
              trajectory[static_cast<std::size_t>(t)][static_cast<std::size_t>(c)] - mean;
          squares += d * d;
        }
        const double variance = squares / static_cast<double>(n - 1);
        CAPTURE(t);
        CAPTURE(c);
        CHECK(total.count(t) == static_cast<std::int64_t>(n));
        CHECK(test::same_value(total.mean(t, c), mean, 1e-12));
        CHECK(test::same_value(total.variance(t, c), variance, 1e-12));
        CHECK(test::same_value(single.mean(t, c), mean, 1e-12));
        CHECK(test::same_value(single.variance(t, c), variance, 1e-12));
      }
  }
}

TEST_CASE("moments: constant data give exactly the value and variance 0") {
  std::mt19937_64 rng(5);
  // One sink: any value, including those that are not dyadic fractions.
  for (double value : {0.0, 1.0, 37.0, 0.1, 1.0 / 3.0, 2.5e-7, 123456.789}) {
    CAPTURE(value);
    const Data data(200, std::vector<std::vector<double>>(3, std::vector<double>(2, value)));
    Moments single(species_columns(2), 3);
    feed(single, data, 0, data.size());
    for (std::int32_t t = 0; t < 3; ++t)
      for (std::int32_t c = 0; c < 2; ++c) {
        CHECK(single.mean(t, c) == value);
        CHECK(single.variance(t, c) == 0.0);
      }
  }
  // Merged blocks: values whose small multiples are exact. The first merge into the empty
  // total computes mean * n / n, which for a value such as 0.1 and n = 3 is one ulp off
  // (reported; blocks of run_ensemble hold 64 trajectories, where it is exact).
  for (double value : {0.0, 1.0, 37.0, 0.375, 123456.0, 0x1.0p-20}) {
    CAPTURE(value);
    const Data data(200, std::vector<std::vector<double>>(3, std::vector<double>(2, value)));
    const Moments total = merged_in_blocks(data, 2, 3, rng);
    for (std::int32_t t = 0; t < 3; ++t)
      for (std::int32_t c = 0; c < 2; ++c) {
        CHECK(total.count(t) == 200);
        CHECK(total.mean(t, c) == value);
        CHECK(total.variance(t, c) == 0.0);
      }
  }
}

TEST_CASE("moments: variance 0 below two samples, scaled species and parameter columns") {
  std::vector<OutputColumn> columns{{OutputColumn::Source::Species, 1, 0.5, "B per volume"},
                                    {OutputColumn::Source::Parameter, 0, 1.0, "p"}};
  Moments m(columns, 2);
  m.on_sample(0, 0, State{0.0, {7.0, 9.0}, {3.0}});
  CHECK(m.count(0) == 1);
  CHECK(m.count(1) == 0);
  CHECK(m.mean(0, 0) == 4.5);
  CHECK(m.mean(0, 1) == 3.0);
  CHECK(m.variance(0, 0) == 0.0);
  m.on_sample(1, 0, State{0.0, {7.0, 13.0}, {5.0}});
  CHECK(m.mean(0, 0) == 5.5);
  CHECK(m.variance(0, 0) == 2.0);  // (4.5 - 5.5)^2 + (6.5 - 5.5)^2, over 1
  CHECK(m.variance(0, 1) == 2.0);
}

TEST_CASE("moments: merging sinks of different shape is refused") {
  Moments a(species_columns(2), 3);
  Moments b(species_columns(2), 4);
  CHECK_THROWS_AS(a.merge_from(b), std::logic_error);
}

}  // namespace nkappa

namespace nkappa {

TEST_CASE("moments: a logarithm column gives the moments of ln(scale * value)") {
  std::vector<OutputColumn> columns{OutputColumn{OutputColumn::Source::Species, 0, 2.0, "X"},
                                    OutputColumn{OutputColumn::Source::Species, 0, 2.0, "X"}};
  columns[1].logarithm = true;
  Moments sink(columns, 1);
  for (const double x : {0.5, 1.5, 4.0}) sink.on_sample(0, 0, State{0.0, {x}, {}});
  const double logs[] = {std::log(1.0), std::log(3.0), std::log(8.0)};
  const double mean = (logs[0] + logs[1] + logs[2]) / 3.0;
  double m2 = 0.0;
  for (const double l : logs) m2 += (l - mean) * (l - mean);
  CHECK(sink.mean(0, 0) == doctest::Approx(4.0));
  CHECK(sink.mean(0, 1) == doctest::Approx(mean));
  CHECK(sink.variance(0, 1) == doctest::Approx(m2 / 2.0));
}

}  // namespace nkappa
