#pragma once
// Compressed sparse rows: row r holds index[offsets[r] .. offsets[r+1]) with matching values.
// The stoichiometry, the dependency graph and the readers of each species are all stored so.
#include <algorithm>
#include <cstdint>
#include <span>
#include <tuple>
#include <vector>

namespace nkappa {

template <class T>
struct Csr {
  std::vector<std::int32_t> offsets{0};
  std::vector<std::int32_t> index;
  std::vector<T> value;

  std::int32_t rows() const { return static_cast<std::int32_t>(offsets.size()) - 1; }
  std::int32_t row_size(std::int32_t r) const { return offsets[r + 1] - offsets[r]; }
  std::span<const std::int32_t> row_index(std::int32_t r) const {
    return {index.data() + offsets[r], static_cast<std::size_t>(offsets[r + 1] - offsets[r])};
  }
  std::span<const T> row_value(std::int32_t r) const {
    return {value.data() + offsets[r], static_cast<std::size_t>(offsets[r + 1] - offsets[r])};
  }
  // Appends the next row; entries are kept in the given order.
  void push_row(std::span<const std::int32_t> idx, std::span<const T> val) {
    index.insert(index.end(), idx.begin(), idx.end());
    value.insert(value.end(), val.begin(), val.end());
    offsets.push_back(static_cast<std::int32_t>(index.size()));
  }
  void push_row(std::span<const std::int32_t> idx) {
    index.insert(index.end(), idx.begin(), idx.end());
    value.resize(index.size());
    offsets.push_back(static_cast<std::int32_t>(index.size()));
  }
};

// Builds a Csr with `rows` rows from (row, column, value) entries; rows sorted by column,
// duplicates kept in input order.
template <class T>
Csr<T> csr_from_entries(std::int32_t rows,
                        std::vector<std::tuple<std::int32_t, std::int32_t, T>> entries) {
  std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    return std::tie(std::get<0>(a), std::get<1>(a)) < std::tie(std::get<0>(b), std::get<1>(b));
  });
  Csr<T> m;
  m.offsets.assign(static_cast<std::size_t>(rows) + 1, 0);
  for (const auto& e : entries) ++m.offsets[static_cast<std::size_t>(std::get<0>(e)) + 1];
  for (std::int32_t r = 0; r < rows; ++r) m.offsets[r + 1] += m.offsets[r];
  m.index.reserve(entries.size());
  m.value.reserve(entries.size());
  for (const auto& e : entries) {
    m.index.push_back(std::get<1>(e));
    m.value.push_back(std::get<2>(e));
  }
  return m;
}

}  // namespace nkappa
