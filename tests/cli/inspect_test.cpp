// nkappa inspect: the conversion report of a model, as text and as JSON.
#include <doctest/doctest.h>

#include <string>

#include "tests/support/test_support.hpp"

namespace nkappa::test {

TEST_CASE("inspect: each reaction's law, classification and propensity; rules substituted") {
  // SBML Test Suite 00011: X -> 2X, X -> 0 with laws on the concentration X / Cell, Cell = 2;
  // 00019: an assignment rule y = 2 X beside the reactions.
  const auto cases = shared_dir() / "sbml-test-suite" / "stochastic";
  const auto text =
      run_command(cli_path() + " inspect " + (cases / "00011/00011-sbml-l3v2.xml").string());
  CAPTURE(text.output);
  REQUIRE(text.status == 0);
  CHECK(text.output.find("law (species as amounts): Lambda * (X / Cell)") != std::string::npos);
  CHECK(text.output.find("mass action of order 1") != std::string::npos);
  CHECK(text.output.find("evaluated as:             0.05 * X") != std::string::npos);
  CHECK(text.output.find("no unit conversion") != std::string::npos);

  const auto json = run_command(cli_path() + " inspect --format json " +
                                (cases / "00019/00019-sbml-l3v2.xml").string());
  CAPTURE(json.output);
  REQUIRE(json.status == 0);
  CHECK(json.output.find(R"("initial_count": 200, "fixed": true, "note": "given by a rule")") !=
        std::string::npos);
  CHECK(json.output.find(R"("classification": "mass action of order 1")") != std::string::npos);
  CHECK(json.output.find(R"("assignment_rules": 1)") != std::string::npos);

  const auto bad = run_command(cli_path() + " inspect " + (cases / "absent.xml").string());
  CHECK(bad.status == 2);
  CHECK(bad.output.find("absent.xml") != std::string::npos);
}

TEST_CASE("inspect: Hoffmann 2002 (BIOMD0000000140) in µM converted to molecules in 1.66 pL") {
  const auto model = shared_dir() / "models-reference" / "BIOMD0000000140.xml";
  // Its compartments are 1 litre: a model volume, refused without the cell's.
  const auto refused = run_command(cli_path() + " inspect " + model.string());
  CAPTURE(refused.output);
  CHECK(refused.status == 2);
  CHECK(refused.output.find("--volume-litres") != std::string::npos);

  const auto text = run_command(cli_path() + " inspect --volume-litres 1.66e-12 " + model.string());
  CAPTURE(text.output);
  REQUIRE(text.status == 0);
  CHECK(text.output.find("propensities: mass action in molecules") != std::string::npos);
  // u = N_A * 1e-6 (µmol) * 1.66e-12 (litres per unit size, the file's unit being the litre).
  CHECK(text.output.find("u:               999675 molecules per model amount unit") !=
        std::string::npos);
  CHECK(text.output.find("cytoplasm            size 1 (3D), 1.66e-12 L") != std::string::npos);
  // Minutes: the per-second constant is shown beside.
  CHECK(text.output.find("second * 60 (unit 'time')") != std::string::npos);
  CHECK(text.output.find("per second)") != std::string::npos);
  // A net reversible law is split into a forward and a backward reaction.
  CHECK(text.output.find("__backward (from SBML reaction") != std::string::npos);
  CHECK(text.output.find("mass action of order 2") != std::string::npos);
  CHECK(text.output.find("methods: For stochastic simulation of model") != std::string::npos);

  const auto json =
      run_command(cli_path() + " inspect --format json --volume-litres 1.66e-12 " + model.string());
  REQUIRE(json.status == 0);
  CHECK(json.output.find(R"("reading": "mass action in molecules")") != std::string::npos);
  CHECK(json.output.find(R"("seconds_per_time_unit": 60)") != std::string::npos);
  CHECK(json.output.find(R"("litres": 1.66e-12)") != std::string::npos);
}

}  // namespace nkappa::test
