// Readers of the SBML Test Suite's case files (report/sbml_test_suite.hpp): real cases from the
// shared folder (skipped when it is absent), and written files for CRLF line ends, special
// numbers and malformed input.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "report/sbml_test_suite.hpp"
#include "tests/support/test_support.hpp"

namespace nkappa {
namespace {

std::filesystem::path stochastic_case(const std::string& number) {
  return test::shared_dir() / "sbml-test-suite" / "stochastic" / number;
}

}  // namespace

TEST_CASE("suite files: settings of stochastic case 00001") {
  const auto path = stochastic_case("00001") / "00001-settings.txt";
  const TestCaseSettings s = read_test_case_settings(path.string());
  CHECK(s.start == 0.0);
  CHECK(s.duration == 50.0);
  CHECK(s.steps == 50);
  CHECK(s.variables == std::vector<std::string>{"X"});
  CHECK(s.amount == std::vector<std::string>{"X"});
  CHECK(s.concentration.empty());
  CHECK(s.output == std::vector<std::string>{"X-mean", "X-sd"});
  CHECK_FALSE(s.absolute.has_value());
  CHECK_FALSE(s.relative.has_value());
  CHECK(s.mean_range == std::pair<double, double>{-3, 3});
  CHECK(s.sd_range == std::pair<double, double>{-5, 5});
  CHECK(s.stochastic());
}

TEST_CASE("suite files: results of stochastic case 00001") {
  const auto path = stochastic_case("00001") / "00001-results.csv";
  const ResultsTable table = read_results_csv(path.string());
  CHECK(table.header == std::vector<std::string>{"time", "X-mean", "X-sd"});
  REQUIRE(table.rows.size() == 51);  // steps + 1; the file's trailing blank line is no row
  CHECK(table.rows[0] == std::vector<double>{0, 100.0, 0.0});
  CHECK(table.rows[1] == std::vector<double>{1, 99.00498, 4.54834});
  CHECK(table.rows[50] == std::vector<double>{50, 60.65307, 22.38677});
  for (std::size_t i = 0; i < table.rows.size(); ++i)
    CHECK(table.rows[i][0] == static_cast<double>(i));
  CHECK(table.column("time") == 0);
  CHECK(table.column("x-MEAN") == 1);
  CHECK(table.column("X-sd") == 2);
  CHECK(table.column("X") == -1);
}

TEST_CASE("suite files: case 00048, whose results file has CRLF line ends") {
  const auto dir = stochastic_case("00048");
  const std::string raw = test::read_text(dir / "00048-results.csv");
  REQUIRE(raw.find("\r\n") != std::string::npos);  // the point of this case
  const ResultsTable table = read_results_csv((dir / "00048-results.csv").string());
  CHECK(table.header == std::vector<std::string>{"time", "X-mean"});
  REQUIRE(table.rows.size() == 51);
  for (std::size_t i = 0; i < table.rows.size(); ++i) {
    REQUIRE(table.rows[i].size() == 2);
    CHECK(table.rows[i][0] == static_cast<double>(i));
  }
  const TestCaseSettings s = read_test_case_settings((dir / "00048-settings.txt").string());
  CHECK(s.output == std::vector<std::string>{"X-mean"});
  CHECK(s.sd_range == std::pair<double, double>{-3, 3});
}

TEST_CASE("suite files: CRLF settings, bracketed headers and special numbers") {
  const auto settings =
      test::write_temp_file("suite-files", "crlf-settings.txt",
                            "start: 2.5\r\nduration: 10\r\nsteps: 20\r\nvariables: S1, S2\r\n"
                            "absolute: 1e-7\r\nrelative: 0.0001\r\namount: S1\r\n"
                            "concentration: S2\r\noutput: \r\nmeanRange: (-4, 4.5)\r\n");
  const TestCaseSettings s = read_test_case_settings(settings.string());
  CHECK(s.start == 2.5);
  CHECK(s.duration == 10.0);
  CHECK(s.steps == 20);
  CHECK(s.variables == std::vector<std::string>{"S1", "S2"});
  CHECK(s.absolute == 1e-7);
  CHECK(s.relative == 0.0001);
  CHECK(s.amount == std::vector<std::string>{"S1"});
  CHECK(s.concentration == std::vector<std::string>{"S2"});
  CHECK_FALSE(s.stochastic());
  CHECK(s.mean_range == std::pair<double, double>{-4, 4.5});
  CHECK(s.sd_range == std::pair<double, double>{-5, 5});  // the default

  const auto results =
      test::write_temp_file("suite-files", "special.csv",
                            "time,[S1],S2\r\n0,NaN,INF\r\n1, -inf , 1.5e3\r\n\r\n2,nan,-0\r\n");
  const ResultsTable table = read_results_csv(results.string());
  CHECK(table.header == std::vector<std::string>{"time", "[S1]", "S2"});
  CHECK(table.column("S1") == 1);
  CHECK(table.column("s2") == 2);
  REQUIRE(table.rows.size() == 3);
  CHECK(std::isnan(table.rows[0][1]));
  CHECK(table.rows[0][2] == INFINITY);
  CHECK(table.rows[1][1] == -INFINITY);
  CHECK(table.rows[1][2] == 1500.0);
  CHECK(std::isnan(table.rows[2][1]));
  CHECK(table.rows[2][0] == 2.0);
}

TEST_CASE("suite files: malformed files are input errors naming the file and line") {
  const auto no_duration =
      test::write_temp_file("suite-files", "no-duration-settings.txt", "start: 0\nsteps: 50\n");
  CHECK(test::input_error_of([&] { read_test_case_settings(no_duration.string()); }) ==
        no_duration.string() +
            ": setting 'duration': a time course needs 'duration' > 0 and 'steps' >= 1");
  const auto steady_state =
      test::write_temp_file("suite-files", "fba-settings.txt", "start:\nduration:\nsteps:\n");
  CHECK(test::input_error_of([&] { read_test_case_settings(steady_state.string()); })
            .find("not a time course ('duration' and 'steps' are empty, as in a flux-balance "
                  "steady state") != std::string::npos);

  const auto bad_number = test::write_temp_file("suite-files", "bad-number-settings.txt",
                                                "start: 0\nduration: fifty\nsteps: 50\n");
  CHECK(test::input_error_of([&] { read_test_case_settings(bad_number.string()); }) ==
        bad_number.string() + ":2: setting 'duration': not a number: 'fifty'");

  const auto no_colon =
      test::write_temp_file("suite-files", "no-colon-settings.txt", "start: 0\nduration 50\n");
  CHECK(test::input_error_of([&] { read_test_case_settings(no_colon.string()); }) ==
        no_colon.string() + ":2: setting: expected 'key: value'");

  const auto short_row =
      test::write_temp_file("suite-files", "short-row.csv", "time,X-mean,X-sd\n0,1,2\n1,2\n");
  CHECK(test::input_error_of([&] { read_results_csv(short_row.string()); }) ==
        short_row.string() + ":3: row: expected 3 fields");

  const auto text_cell =
      test::write_temp_file("suite-files", "text-cell.csv", "time,X-mean\r\n0,1\r\n1,lots\r\n");
  CHECK(test::input_error_of([&] { read_results_csv(text_cell.string()); }) ==
        text_cell.string() + ":3: row: not a number: 'lots'");

  const auto empty = test::write_temp_file("suite-files", "empty.csv", "\n\n");
  CHECK(test::input_error_of([&] { read_results_csv(empty.string()); }) ==
        empty.string() + ": empty results file");

  const auto missing = test::temp_dir("suite-files") / "absent-settings.txt";
  CHECK(test::input_error_of([&] { read_test_case_settings(missing.string()); }) ==
        missing.string() + ": cannot open the settings file");
}

}  // namespace nkappa
