// nkappa simulate with the conversion to molecules: run.json says what the columns count, and
// the ODE path keeps the model's own units.
#include <doctest/doctest.h>

#include <string>

#include "tests/support/test_support.hpp"

namespace nkappa::test {

TEST_CASE("simulate: Ashall 2009 (µmol in pL) runs in molecules; run.json says so") {
  // MODEL1509020000: 1e5 NF-kB (species_2) and 1e5 IKK (species_8) molecules as µmol amounts
  // in a 2.07 pL cytoplasm; auto reads it in molecules.
  const auto model = (shared_dir() / "models-reference" / "MODEL1509020000.xml").string();
  const auto dir = temp_dir("units_cli");
  const auto run = run_command(cli_path() + " simulate " + model +
                               " --t-end 60 --samples 2 -n 2 -j 1 --out " + (dir / "m").string());
  CAPTURE(run.output);
  REQUIRE(run.status == 0);
  CHECK(run.output.find("propensities: mass action in molecules") != std::string::npos);
  const std::string json = read_text(dir / "m" / "run.json");
  CAPTURE(json);
  CHECK(json.find(R"("propensity_reading": "mass action in molecules")") != std::string::npos);
  CHECK(json.find(R"("species_unit": "molecules")") != std::string::npos);
  const std::string mean = read_text(dir / "m" / "mean.csv");
  CAPTURE(mean);
  // The first row: t = 0, species_2 = 1e5 molecules (1.66054e-13 µmol).
  CHECK(mean.find("\n0,0,100000,") != std::string::npos);

  const auto ode =
      run_command(cli_path() + " simulate " + model +
                  " --method ode --t-end 60 --samples 2 --out " + (dir / "o").string());
  REQUIRE(ode.status == 0);
  const std::string ode_json = read_text(dir / "o" / "run.json");
  CHECK(ode_json.find(R"x("species_unit": "model amount: mole * 1e-06 (unit 'substance')")x") !=
        std::string::npos);

  // Unit options are for stochastic runs; a model in items cannot take a volume.
  const auto refused =
      run_command(cli_path() + " simulate " + model +
                  " --method ode --volume-litres 1e-12 --t-end 60 --out " + (dir / "r").string());
  CHECK(refused.status == 2);
  CHECK(refused.output.find("--volume-litres") != std::string::npos);
  const auto items =
      run_command(cli_path() + " inspect --volume-litres 1e-12 " +
                  (shared_dir() / "models-reference" / "BIOMD0000000893.xml").string());
  CHECK(items.status == 2);
  CHECK(items.output.find("--volume-litres applies to models in moles only") != std::string::npos);
}

}  // namespace nkappa::test
