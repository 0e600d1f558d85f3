#pragma once
// The SBML Test Suite's case files: NNNNN-settings.txt and NNNNN-results.csv
// (see ../shared/sbml-test-suite/README.md, sections 2 and 5).
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace nkappa {

struct TestCaseSettings {
  double start = 0.0;
  double duration = 0.0;
  int steps = 0;
  std::vector<std::string> variables;
  std::vector<std::string> amount;
  std::vector<std::string> concentration;
  std::vector<std::string> output;  // stochastic: "X-mean", "X-sd", "ln(X)-mean"...
  std::optional<double> absolute, relative;
  std::pair<double, double> mean_range{-3, 3};
  std::pair<double, double> sd_range{-5, 5};
  bool stochastic() const { return !output.empty(); }
};

// InputError naming the file and line for anything unreadable.
TestCaseSettings read_test_case_settings(const std::string& path);

struct ResultsTable {
  std::vector<std::string> header;        // as written, trimmed
  std::vector<std::vector<double>> rows;  // NaN, INF, -INF spelled any case
  // Column index by name, case-insensitive, or -1.
  int column(const std::string& name) const;
};
ResultsTable read_results_csv(const std::string& path);

}  // namespace nkappa
