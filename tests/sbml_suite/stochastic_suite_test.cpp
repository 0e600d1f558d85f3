// The stochastic part of the SBML Test Suite (../shared/sbml-test-suite/stochastic), run
// through `nkappa sbml-test-case` exactly as the suite's Test Runner calls a wrapper, and judged
// by the suite's own Z and Y statistics (README section 5).
//
// Verdict per case (false-alarm budget about 1 % for the whole suite at a fixed seed, a bound
// that holds under any correlation between the points of a case, following the suite README):
//  - a case fails if any testable mean point has |Z| > 4.6, Z = sqrt(n) (mean - mu) / sigma
//    (P(|Z| > 4.6) = 4.2e-6 per point; about 1 % over the 2,297 DSMTS mean points);
//  - or if any sd point has |Y| / s > 4.6, Y = sqrt(n/2) (S^2 / sigma^2 - 1), s = sqrt((k - 1)/2)
//    with kurtosis k = 7 for the DSMTS cases (a safe bound: batch immigration-death, 00039,
//    reaches it) and k = 9 for the distrib cases (kDistribKurtosis); the sd points of 00003
//    are not judged (kurtosis up to 96 at t = 50);
//  - points with sigma = 0 are exact: the mean must equal mu and the sd must be 0.
// Reported, not asserted: points outside meanRange / sdRange beside the README's expectation
// for 00001-00039 (about 6.2 mean points and 5 sd points, nearly all in 00003).
// n = 10,000 trajectories, one fixed seed, never a rerun of a failing case.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "report/sbml_test_suite.hpp"
#include "tests/support/test_support.hpp"

namespace nkappa::test {
namespace {

constexpr int kTrajectories = 10000;
constexpr unsigned long long kSeed = 20240223;  // fixed; the suite commit's date
constexpr double kPointLimit = 4.6;
constexpr double kDsmtsKurtosis = 7.0;
// The distrib cases (00040-00100) draw each output from one law; the heaviest-tailed ones are
// the exponential, gamma with shape 1 and chi-square with 2 degrees of freedom (kurtosis 9;
// Laplace 6, Poisson(1.5) 3.7, normal 3; truncation to the cases' bounds only removes tail),
// so 9 bounds every case's kurtosis (README section 5: the exact kurtosis per case would be
// sharper; the bound keeps the false-alarm budget).
constexpr double kDistribKurtosis = 9.0;

struct CaseVerdict {
  enum class Kind { Passed, Failed, Refused } kind = Kind::Passed;
  std::string reason;
  double worst_z = 0.0;  // largest |Z|
  double worst_y = 0.0;  // largest |Y| / s over judged sd points
  int mean_outside_range = 0;
  int sd_outside_range = 0;
  int mean_points = 0;
  int sd_points = 0;
};

std::map<std::string, std::string> read_unsupported() {
  std::map<std::string, std::string> list;
  std::ifstream in(source_dir() / "tests/sbml_suite/stochastic_unsupported.tsv");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto tab = line.find('\t');
    list[line.substr(0, tab)] = tab == std::string::npos ? "" : line.substr(tab + 1);
  }
  return list;
}

CaseVerdict judge_case(const std::filesystem::path& cases, const std::string& name,
                       const std::filesystem::path& out_dir) {
  CaseVerdict verdict;
  const auto [level, version] = test::highest_sbml_level(cases / name, name);
  const std::string command =
      cli_path() + " sbml-test-case " + cases.string() + " " + name + " " + out_dir.string() + " " +
      std::to_string(level) + " " + std::to_string(version) + " --trajectories " +
      std::to_string(kTrajectories) + " --seed " + std::to_string(kSeed) + " --threads 2";
  const CommandResult run = run_command(command);
  if (run.status == 2) {
    verdict.kind = CaseVerdict::Kind::Refused;
    verdict.reason = run.output.substr(0, run.output.find('\n'));
    return verdict;
  }
  if (run.status != 0) {
    verdict.kind = CaseVerdict::Kind::Failed;
    verdict.reason = "exit " + std::to_string(run.status) + ": " + run.output;
    return verdict;
  }
  const TestCaseSettings settings =
      read_test_case_settings((cases / name / (name + "-settings.txt")).string());
  const ResultsTable expected = read_results_csv((cases / name / (name + "-results.csv")).string());
  const ResultsTable actual = read_results_csv((out_dir / (name + ".csv")).string());
  if (actual.rows.size() < expected.rows.size()) {
    verdict.kind = CaseVerdict::Kind::Failed;
    verdict.reason = "too few rows";
    return verdict;
  }
  const double n = kTrajectories;
  const double kurtosis = name <= "00039" ? kDsmtsKurtosis : kDistribKurtosis;
  const double s = std::sqrt((kurtosis - 1.0) / 2.0);
  std::vector<std::string> failures;
  for (const std::string& column : settings.output) {
    if (!column.ends_with("-mean")) continue;
    const std::string variable = column.substr(0, column.size() - 5);
    const int mean_col = expected.column(variable + "-mean");
    const int sd_col = expected.column(variable + "-sd");
    const int our_mean = actual.column(variable + "-mean");
    const int our_sd = actual.column(variable + "-sd");
    if (our_mean < 0 || (sd_col >= 0 && our_sd < 0)) {
      failures.push_back("missing column for " + variable);
      continue;
    }
    if (sd_col < 0) continue;  // no sigma (Cauchy): untestable
    for (std::size_t row = 0; row < expected.rows.size(); ++row) {
      const double mu = expected.rows[row][static_cast<std::size_t>(mean_col)];
      const double sigma = expected.rows[row][static_cast<std::size_t>(sd_col)];
      const double mean = actual.rows[row][static_cast<std::size_t>(our_mean)];
      const double sd = actual.rows[row][static_cast<std::size_t>(our_sd)];
      if (sigma == 0.0) {
        // ln(X) columns (00056, 00064): X = 0 at t = 0, whose logarithm is -infinity (our
        // output: NaN, the mean of -infinities); the expected file writes 0 there, which is no
        // logarithm of the model's X: not judged.
        if (variable.starts_with("ln(")) continue;
        if (mean != mu || sd != 0.0)
          failures.push_back(variable + " row " + std::to_string(row) + ": exact point, expected " +
                             std::to_string(mu) + " sd 0, got " + std::to_string(mean) + " sd " +
                             std::to_string(sd));
        continue;
      }
      const double z = std::sqrt(n) * (mean - mu) / sigma;
      const double y = std::sqrt(n / 2.0) * (sd * sd / (sigma * sigma) - 1.0);
      ++verdict.mean_points;
      ++verdict.sd_points;
      if (z <= settings.mean_range.first || z >= settings.mean_range.second)
        ++verdict.mean_outside_range;
      if (y <= settings.sd_range.first || y >= settings.sd_range.second) ++verdict.sd_outside_range;
      verdict.worst_z = std::max(verdict.worst_z, std::fabs(z));
      if (std::fabs(z) > kPointLimit)
        failures.push_back(variable + " row " + std::to_string(row) + ": Z = " + std::to_string(z));
      if (name == "00003") continue;  // sd not judged (see the file comment)
      verdict.worst_y = std::max(verdict.worst_y, std::fabs(y) / s);
      if (std::fabs(y) / s > kPointLimit)
        failures.push_back(variable + " row " + std::to_string(row) +
                           ": Y/s = " + std::to_string(y / s));
    }
  }
  if (!failures.empty()) {
    verdict.kind = CaseVerdict::Kind::Failed;
    verdict.reason =
        failures.front() +
        (failures.size() > 1 ? " (+" + std::to_string(failures.size() - 1) + " more)" : "");
  }
  return verdict;
}

}  // namespace

TEST_CASE(
    "SBML Test Suite, stochastic cases: pass by the suite's Z and Y tests or are listed as "
    "unsupported") {
  const std::filesystem::path cases = shared_dir() / "sbml-test-suite" / "stochastic";
  const auto unsupported = read_unsupported();
  const auto out_dir = temp_dir("stochastic-suite");
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(cases))
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());

  int passed = 0, failed = 0, refused = 0, dsmts_mean_outside = 0, dsmts_sd_outside = 0;
  std::ostringstream table;
  for (const std::string& name : names) {
    const CaseVerdict v = judge_case(cases, name, out_dir);
    const bool listed = unsupported.count(name) > 0;
    char line[512];
    switch (v.kind) {
      case CaseVerdict::Kind::Passed:
        ++passed;
        std::snprintf(
            line, sizeof line,
            "%s passed   worst |Z| %.2f, worst |Y|/s %.2f, outside ranges: %d mean, %d sd",
            name.c_str(), v.worst_z, v.worst_y, v.mean_outside_range, v.sd_outside_range);
        break;
      case CaseVerdict::Kind::Failed:
        ++failed;
        std::snprintf(line, sizeof line, "%s FAILED   worst |Z| %.2f, worst |Y|/s %.2f: %s",
                      name.c_str(), v.worst_z, v.worst_y, v.reason.substr(0, 300).c_str());
        break;
      case CaseVerdict::Kind::Refused:
        ++refused;
        std::snprintf(line, sizeof line, "%s refused  %s", name.c_str(),
                      v.reason.substr(0, 300).c_str());
        break;
    }
    table << line << "\n";
    if (name <= "00039") {
      dsmts_mean_outside += v.mean_outside_range;
      dsmts_sd_outside += v.sd_outside_range;
    }
    if (listed && v.kind != CaseVerdict::Kind::Refused)
      FAIL_CHECK(name << " is listed as unsupported but was not refused (update the list): "
                      << line);
    if (listed && v.kind == CaseVerdict::Kind::Refused &&
        v.reason.find(unsupported.at(name)) == std::string::npos)
      FAIL_CHECK(name << " was refused for another reason than listed: " << v.reason);
    if (!listed && v.kind != CaseVerdict::Kind::Passed) FAIL_CHECK(line);
  }
  table << "cases: " << names.size() << "; passed " << passed << ", failed " << failed
        << ", refused " << refused << "\n";
  table << "DSMTS 00001-00039 points outside meanRange: " << dsmts_mean_outside
        << " (a correct simulator expects about 6.2; the guide says '2 or 3'); outside sdRange: "
        << dsmts_sd_outside
        << " (expected about 5, nearly all in 00003; the guide says '5 or 6')\n";
  MESSAGE(table.str());
  write_report("stochastic_suite.txt", table.str());
  std::filesystem::remove_all(out_dir);
}

}  // namespace nkappa::test
