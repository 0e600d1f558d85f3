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
  CHECK(text.output.find("propensity used:          0.05 * X") != std::string::npos);
  CHECK(text.output.find("no unit conversion") != std::string::npos);

  const auto json = run_command(cli_path() + " inspect --format json " +
                                (cases / "00019/00019-sbml-l3v2.xml").string());
  CAPTURE(json.output);
  REQUIRE(json.status == 0);
  CHECK(json.output.find(R"("id": "y", "initial_count": "200", "fixed": true)") !=
        std::string::npos);
  CHECK(json.output.find(R"("classification": "mass action of order 1")") != std::string::npos);
  CHECK(json.output.find(R"("assignment_rules": 1)") != std::string::npos);

  const auto bad = run_command(cli_path() + " inspect " + (cases / "absent.xml").string());
  CHECK(bad.status == 2);
  CHECK(bad.output.find("absent.xml") != std::string::npos);
}

}  // namespace nkappa::test
