// The deterministic path as a user runs it: `nkappa simulate --method ode` with --t-start and
// the tolerances recorded in run.json, and `nkappa sbml-test-case` on a semantic case (the SBML
// Test Runner's wrapper convention) writing the variables as the settings ask. Expected values
// are the exact solution of A -> 0 at rate k A: A(t) = A(0) e^{-k t}.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/test_support.hpp"

namespace nkappa::test {
namespace {

std::string quote(const std::filesystem::path& p) {
  return "'" + p.string() + "'";
}

// A -> 0, law k [A] cell with A a concentration species (200 items in a compartment of size 2).
void write_model(const std::filesystem::path& file) {
  std::ofstream(file) << R"(<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2">
  <model id="decay">
    <listOfCompartments>
      <compartment id="cell" spatialDimensions="3" size="2" constant="true"/>
    </listOfCompartments>
    <listOfSpecies>
      <species id="A" compartment="cell" initialConcentration="100"
               hasOnlySubstanceUnits="false" boundaryCondition="false" constant="false"/>
    </listOfSpecies>
    <listOfParameters>
      <parameter id="k" value="0.5" constant="true"/>
    </listOfParameters>
    <listOfReactions>
      <reaction id="R1" reversible="false">
        <listOfReactants>
          <speciesReference species="A" stoichiometry="1" constant="true"/>
        </listOfReactants>
        <kineticLaw>
          <math xmlns="http://www.w3.org/1998/Math/MathML">
            <apply><times/><ci> k </ci><ci> A </ci><ci> cell </ci></apply>
          </math>
        </kineticLaw>
      </reaction>
    </listOfReactions>
  </model>
</sbml>
)";
}

std::vector<std::vector<double>> read_rows(const std::filesystem::path& csv, std::string& header) {
  std::ifstream in(csv);
  std::getline(in, header);
  std::vector<std::vector<double>> rows;
  for (std::string line; std::getline(in, line);) {
    std::vector<double> row;
    std::istringstream fields(line);
    for (std::string f; std::getline(fields, f, ',');) row.push_back(std::stod(f));
    rows.push_back(row);
  }
  return rows;
}

double amount(double t) {
  return 200.0 * std::exp(-0.5 * t);
}

}  // namespace

TEST_CASE("simulate --method ode --t-start: grid from t-start, tolerances in run.json") {
  const auto dir = temp_dir("cli-ode");
  write_model(dir / "decay.xml");
  auto r = run_command(cli_path() + " simulate " + quote(dir / "decay.xml") +
                       " --method ode --t-start 2 --t-end 4 --samples 4 --rtol 1e-10 --atol "
                       "1e-9 --out " +
                       quote(dir / "out"));
  REQUIRE_MESSAGE(r.status == 0, r.output);
  std::string header;
  const auto rows = read_rows(dir / "out/mean.csv", header);
  CHECK(header == "time,A");
  REQUIRE(rows.size() == 5);
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const double t = 2.0 + 0.5 * static_cast<double>(k);
    CHECK(rows[k][0] == doctest::Approx(t).epsilon(1e-15));
    CHECK(rows[k][1] == doctest::Approx(amount(t)).epsilon(1e-7));
  }
  const std::string json = read_text(dir / "out/run.json");
  for (const char* key : {"\"t_start\": 2.0", "\"t_end\": 4.0", "\"relative_tolerance\": 1e-10",
                          "\"absolute_tolerance\": 1e-09", "\"method\": \"ode\""})
    CHECK_MESSAGE(json.find(key) != std::string::npos, key << " in " << json);

  auto s = run_command(cli_path() + " simulate " + quote(dir / "decay.xml") +
                       " --t-start 1 --t-end 3 --samples 2 -n 20 --out " + quote(dir / "ssa"));
  REQUIRE_MESSAGE(s.status == 0, s.output);
  const auto ssa = read_rows(dir / "ssa/mean.csv", header);
  REQUIRE(ssa.size() == 3);
  CHECK(ssa[0][0] == 1.0);
  CHECK(ssa[2][0] == 3.0);
  const std::string ssa_json = read_text(dir / "ssa/run.json");
  CHECK(ssa_json.find("\"t_start\": 1.0") != std::string::npos);
  CHECK(ssa_json.find("relative_tolerance") == std::string::npos);  // stochastic: no tolerances

  auto bad = run_command(cli_path() + " simulate " + quote(dir / "decay.xml") +
                         " --method ode --t-start 4 --t-end 4 --out " + quote(dir / "bad"));
  CHECK(bad.status == 2);
  CHECK(bad.output.find("--t-start") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "bad/mean.csv"));
}

TEST_CASE("sbml-test-case runs a semantic case through the ODE path as its settings ask") {
  const auto dir = temp_dir("cli-semantic");
  for (const char* name : {"00001", "00002"}) {
    std::filesystem::create_directories(dir / name);
    write_model(dir / name / (std::string(name) + "-sbml-l3v2.xml"));
  }
  // Concentration of A, a constant parameter, a compartment size and a reaction's rate.
  std::ofstream(dir / "00001/00001-settings.txt")
      << "start: 0\nduration: 4\nsteps: 8\nvariables: A, k, cell, R1\nabsolute: 1e-7\n"
         "relative: 1e-4\namount: \nconcentration: A\n";
  // The same species as an amount.
  std::ofstream(dir / "00002/00002-settings.txt")
      << "start: 0\nduration: 4\nsteps: 8\nvariables: A\nabsolute: 1e-7\nrelative: 1e-4\n"
         "amount: A\nconcentration: \n";
  for (const char* name : {"00001", "00002"}) {
    auto r = run_command(cli_path() + " sbml-test-case " + quote(dir) + " " + name + " " +
                         quote(dir / "out") + " 3 2");
    REQUIRE_MESSAGE(r.status == 0, r.output);
  }
  std::string header;
  const auto c = read_rows(dir / "out/00001.csv", header);
  CHECK(header == "time,A,k,cell,R1");
  REQUIRE(c.size() == 9);
  for (const auto& row : c) {
    CHECK(row[1] == doctest::Approx(amount(row[0]) / 2).epsilon(1e-7));
    CHECK(row[2] == 0.5);
    CHECK(row[3] == 2.0);
    CHECK(row[4] == doctest::Approx(0.5 * amount(row[0])).epsilon(1e-7));  // k [A] cell
  }
  const auto a = read_rows(dir / "out/00002.csv", header);
  CHECK(header == "time,A");
  REQUIRE(a.size() == 9);
  CHECK(a[8][0] == 4.0);
  CHECK(a[8][1] == doctest::Approx(amount(4.0)).epsilon(1e-7));

  // An id the model does not have is refused (exit 2) naming it, with no output file.
  std::filesystem::create_directories(dir / "00003");
  write_model(dir / "00003/00003-sbml-l3v2.xml");
  std::ofstream(dir / "00003/00003-settings.txt")
      << "start: 0\nduration: 4\nsteps: 8\nvariables: B\nabsolute: 1e-7\nrelative: 1e-4\n"
         "amount: B\nconcentration: \n";
  auto bad = run_command(cli_path() + " sbml-test-case " + quote(dir) + " 00003 " +
                         quote(dir / "out") + " 3 2");
  CHECK(bad.status == 2);
  CHECK(bad.output.find("'B'") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "out/00003.csv"));
}

}  // namespace nkappa::test
