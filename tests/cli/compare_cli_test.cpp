// `nkappa compare` as a user runs it on the flagship scenario file: options reach the run and its
// provenance, and a bad variant name is an input error with nothing written.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "tests/support/test_support.hpp"

namespace nkappa::test {
namespace {

std::string quote(const std::filesystem::path& p) {
  return "'" + p.string() + "'";
}

std::string scenario_file() {
  return quote(source_dir() / "models/nfkb_nemo/scenarios.yaml");
}

}  // namespace

TEST_CASE("compare --method tau-leaping --epsilon: the run uses them and run.json records them") {
  const auto dir = temp_dir("cli-compare-eps");
  // Four cells of two variants by tau-leaping at a loose epsilon: a few seconds of CPU.
  const auto r = run_command(cli_path() + " compare " + scenario_file() +
                             " --variants wt,hypo_ub --cells 4 --method tau-leaping --epsilon 0.1"
                             " --no-ode -j 1 --out " +
                             quote(dir / "out"));
  INFO(r.output);
  REQUIRE(r.status == 0);
  const std::string run_json = read_text(dir / "out/run.json");
  CHECK(run_json.find("\"epsilon_for_approximate_methods\": 0.1") != std::string::npos);
  CHECK(run_json.find("\"method\": \"tau-leaping\"") != std::string::npos);
  CHECK(run_json.find("\"cells_per_variant\": 4") != std::string::npos);
  CHECK(std::filesystem::exists(dir / "out/summary.csv"));
  CHECK(std::filesystem::exists(dir / "out/variants/hypo_ub_cells.csv"));
}

TEST_CASE("compare: an unknown variant or an epsilon out of range exits 2 and writes nothing") {
  const auto dir = temp_dir("cli-compare-bad");
  const auto unknown =
      run_command(cli_path() + " compare " + scenario_file() +
                  " --variants wt,no_such_variant --cells 4 --out " + quote(dir / "out"));
  CHECK(unknown.status == 2);
  CHECK(unknown.output.find("no_such_variant") != std::string::npos);
  CHECK(unknown.output.find("scenarios.yaml") != std::string::npos);
  const auto eps = run_command(cli_path() + " compare " + scenario_file() +
                               " --epsilon 2 --cells 4 --out " + quote(dir / "out"));
  CHECK(eps.status == 2);
  CHECK_FALSE(std::filesystem::exists(dir / "out/summary.csv"));
}

}  // namespace nkappa::test
