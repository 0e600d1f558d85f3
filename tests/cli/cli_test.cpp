// The nkappa executable as a user runs it: exit codes, messages that name the file and the
// element, complete-or-absent output files, provenance, thread-count invariance.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "tests/support/test_support.hpp"

namespace nkappa::test {
namespace {

std::string quote(const std::filesystem::path& p) {
  return "'" + p.string() + "'";
}

// A small SBML L3V2 model: A -> 0 with a law given as infix text.
void write_decay_model(const std::filesystem::path& file, const std::string& law_mathml,
                       const std::string& species_a = "A", double initial = 200) {
  std::ofstream(file)
      << R"(<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2">
  <model id="decay" substanceUnits="item" timeUnits="second" extentUnits="item">
    <listOfCompartments>
      <compartment id="cell" spatialDimensions="3" size="1" constant="true"/>
    </listOfCompartments>
    <listOfSpecies>
      <species id=")"
      << species_a << R"(" compartment="cell" initialAmount=")" << initial
      << R"(" hasOnlySubstanceUnits="true" boundaryCondition="false" constant="false"/>
    </listOfSpecies>
    <listOfParameters>
      <parameter id="k" value="0.5" constant="true"/>
    </listOfParameters>
    <listOfReactions>
      <reaction id="R1" reversible="false">
        <listOfReactants>
          <speciesReference species=")"
      << species_a << R"(" stoichiometry="1" constant="true"/>
        </listOfReactants>
        <kineticLaw>
          <math xmlns="http://www.w3.org/1998/Math/MathML">)"
      << law_mathml << R"(</math>
        </kineticLaw>
      </reaction>
    </listOfReactions>
  </model>
</sbml>
)";
}

const char* kDecayLaw = "<apply><times/><ci> k </ci><ci> A </ci></apply>";

}  // namespace

TEST_CASE("--version and methods") {
  auto v = run_command(cli_path() + " --version");
  CHECK(v.status == 0);
  CHECK(v.output.find("nkappa ") == 0);
  CHECK(v.output.find("git") != std::string::npos);
  auto m = run_command(cli_path() + " methods");
  CHECK(m.status == 0);
  CHECK(m.output.find("direct") != std::string::npos);
  CHECK(m.output.find("KISAO:") != std::string::npos);
  CHECK(m.output.find("auto") != std::string::npos);
}

TEST_CASE("simulate writes mean.csv, sd.csv and run.json with provenance") {
  const auto dir = temp_dir("cli-simulate");
  write_decay_model(dir / "decay.xml", kDecayLaw);
  auto r = run_command(cli_path() + " simulate " + quote(dir / "decay.xml") +
                       " --t-end 4 --samples 8 -n 300 --seed 7 -j 2 --out " + quote(dir / "out"));
  REQUIRE_MESSAGE(r.status == 0, r.output);
  const std::string mean = read_text(dir / "out/mean.csv");
  const std::string sd = read_text(dir / "out/sd.csv");
  CHECK(mean.rfind("time,A\n0,200\n", 0) == 0);
  CHECK(sd.rfind("time,A\n0,0\n", 0) == 0);
  CHECK(std::count(mean.begin(), mean.end(), '\n') == 10);  // header + 9 rows
  const std::string json = read_text(dir / "out/run.json");
  for (const char* key :
       {"\"nkappa_version\"", "\"git_revision\"", "\"model_sha256\"", "\"seed\": 7",
        "\"trajectories\": 300", "\"threads\": 2", "\"total_events\"", "\"events_per_second\"",
        // auto's choice for a tiny elementary mass-action network (methods.cpp)
        "\"method\": \"direct\""})
    CHECK_MESSAGE(json.find(key) != std::string::npos, key);
  // The hash is the file's: recompute it with sha256sum where available.
  auto sum = run_command("sha256sum " + quote(dir / "decay.xml"));
  if (sum.status == 0) CHECK(json.find(sum.output.substr(0, 64)) != std::string::npos);
  // The mean at t = 4 is about 200 e^{-2} = 27.1 (sd of the mean ~0.3).
  std::istringstream lines(mean);
  std::string line, last;
  while (std::getline(lines, line)) last = line;
  const double a_end = std::stod(last.substr(last.find(',') + 1));
  CHECK(a_end == doctest::Approx(200 * std::exp(-2.0)).epsilon(0.05));
}

TEST_CASE("same seed gives identical files on 1, 2 and 3 threads; another seed differs") {
  const auto dir = temp_dir("cli-threads");
  write_decay_model(dir / "decay.xml", kDecayLaw);
  std::vector<std::string> means;
  for (const char* threads : {"1", "2", "3"}) {
    const auto out = dir / (std::string("out") + threads);
    auto r = run_command(cli_path() + " simulate " + quote(dir / "decay.xml") +
                         " --t-end 3 --samples 6 -n 500 --seed 11 -j " + threads + " --out " +
                         quote(out));
    REQUIRE(r.status == 0);
    means.push_back(read_text(out / "mean.csv") + read_text(out / "sd.csv"));
  }
  CHECK(means[0] == means[1]);
  CHECK(means[0] == means[2]);
  auto other = run_command(cli_path() + " simulate " + quote(dir / "decay.xml") +
                           " --t-end 3 --samples 6 -n 500 --seed 12 --out " + quote(dir / "other"));
  REQUIRE(other.status == 0);
  CHECK(read_text(dir / "other/mean.csv") != read_text(dir / "out1/mean.csv"));
}

TEST_CASE("bad input exits 2 with file and element, and writes nothing") {
  const auto dir = temp_dir("cli-bad");
  SUBCASE("missing file") {
    auto r = run_command(cli_path() + " simulate " + quote(dir / "absent.xml") +
                         " --t-end 1 --out " + quote(dir / "out"));
    CHECK(r.status == 2);
    CHECK(r.output.find("absent.xml") != std::string::npos);
    CHECK(r.output.find("does not exist") != std::string::npos);
  }
  SUBCASE("not XML") {
    std::ofstream(dir / "junk.xml") << "this is not xml\n";
    auto r = run_command(cli_path() + " simulate " + quote(dir / "junk.xml") + " --t-end 1 --out " +
                         quote(dir / "out"));
    CHECK(r.status == 2);
    CHECK(r.output.find("junk.xml:") != std::string::npos);
    CHECK(r.output.find("libSBML error") != std::string::npos);
  }
  SUBCASE("unknown symbol in a rate law names the reaction and the symbol") {
    write_decay_model(dir / "bad.xml", "<apply><times/><ci> k </ci><ci> B </ci></apply>");
    auto r = run_command(cli_path() + " simulate " + quote(dir / "bad.xml") + " --t-end 1 --out " +
                         quote(dir / "out"));
    CHECK(r.status == 2);
    CHECK(r.output.find("bad.xml") != std::string::npos);
    CHECK(r.output.find("'R1'") != std::string::npos);
    CHECK(r.output.find("'B'") != std::string::npos);
  }
  SUBCASE("usage errors") {
    auto r = run_command(cli_path() + " simulate --samples 3");
    CHECK(r.status == 2);
    auto m = run_command(cli_path() + " simulate " + quote(dir / "x.xml") +
                         " --t-end 1 --method nonsense --out " + quote(dir / "out"));
    CHECK(m.status == 2);
  }
  CHECK_FALSE(std::filesystem::exists(dir / "out/mean.csv"));
}

TEST_CASE("a propensity that goes negative is a runtime failure (exit 1), with no partial output") {
  const auto dir = temp_dir("cli-negative");
  // k (A - 150.5): negative once A reaches 150 (a net law that can go negative).
  write_decay_model(
      dir / "net.xml",
      "<apply><times/><ci> k </ci><apply><minus/><ci> A </ci><cn> 150.5 </cn></apply></apply>");
  auto r = run_command(cli_path() + " simulate " + quote(dir / "net.xml") +
                       " --t-end 50 --samples 5 -n 10 --out " + quote(dir / "out"));
  CHECK(r.status == 1);
  CHECK(r.output.find("'R1'") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "out/mean.csv"));
  CHECK_FALSE(std::filesystem::exists(dir / "out/run.json"));
  for (const auto& entry : std::filesystem::directory_iterator(dir / "out"))
    FAIL_CHECK("left behind: " << entry.path().string());
}

TEST_CASE("a law that reads time runs with the direct method; other methods refuse it") {
  const auto dir = temp_dir("cli-time");
  // A -> 0 with rate k t A: each molecule survives to t with probability exp(-k t^2 / 2).
  write_decay_model(dir / "timed.xml",
                    "<apply><times/><ci> k </ci><ci> A </ci><csymbol encoding=\"text\" "
                    "definitionURL=\"http://www.sbml.org/sbml/symbols/time\"> t </csymbol>"
                    "</apply>");
  auto methods = run_command(cli_path() + " methods");
  REQUIRE(methods.status == 0);
  std::istringstream listing(methods.output);
  std::string line;
  bool direct_listed = false;
  while (std::getline(listing, line))
    if (line.rfind("direct", 0) == 0) {
      direct_listed = true;
      CHECK_MESSAGE(line.find(", time-dependent rates") != std::string::npos, line);
    }
  CHECK(direct_listed);
  auto refused = run_command(cli_path() + " simulate " + quote(dir / "timed.xml") +
                             " --t-end 2 --method sorting-direct --out " + quote(dir / "no"));
  CHECK(refused.status == 2);
  CHECK_MESSAGE(refused.output.find("reads time") != std::string::npos, refused.output);
  CHECK_MESSAGE(refused.output.find("R1") != std::string::npos, refused.output);
  CHECK_FALSE(std::filesystem::exists(dir / "no/mean.csv"));
  auto r = run_command(cli_path() + " simulate " + quote(dir / "timed.xml") +
                       " --t-end 2 --samples 4 -n 300 --seed 11 --out " + quote(dir / "out"));
  REQUIRE_MESSAGE(r.status == 0, r.output);
  CHECK(read_text(dir / "out/run.json").find("\"method\": \"direct\"") != std::string::npos);
  // A(2) ~ Binomial(200, e^{-1}): mean 73.58, sd 6.82, SE of the mean over 300 runs 0.394. The
  // limit is z = 4 standard errors (false alarm 6e-5); a rate read at t = 0 (no decay) or with
  // time frozen at any output time would be off by tens of standard errors.
  const std::string mean = read_text(dir / "out/mean.csv");
  std::istringstream rows(mean);
  std::string last;
  while (std::getline(rows, line)) last = line;
  REQUIRE(last.rfind("2,", 0) == 0);
  const double a_end = std::stod(last.substr(last.find(',') + 1));
  const double p = std::exp(-1.0);
  const double se = std::sqrt(200.0 * p * (1.0 - p) / 300.0);
  CHECK_MESSAGE(std::abs(a_end - 200.0 * p) <= 4.0 * se, "A(2) mean " << a_end);
}

}  // namespace nkappa::test
