// The deterministic path end to end on the flagship model (models/nfkb_nemo): the SBML file read,
// compiled and integrated through the stimulation event at t_stim = 21600 s, against the
// mean-field values the design specification states (shared/design/nfkb-nemo-model.md, section 7,
// T1 and T2: computed by an independent simulator, rounded to 3 decimals and whole minutes); and
// `nkappa simulate --method ode` writing the same numbers.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "engine/network/compile.hpp"
#include "engine/ode/cvode_solver.hpp"
#include "sbml/read_sbml.hpp"
#include "tests/support/test_support.hpp"

namespace nkappa {
namespace {

constexpr double kStimulation = 21600.0;  // s
constexpr double kEnd = 50400.0;          // 8 h after stimulation
constexpr std::int32_t kSamples = 840;    // one per minute
constexpr double kRounding = 5e-4;        // the specification's values have 3 decimals

std::filesystem::path flagship() {
  return test::source_dir() / "models" / "nfkb_nemo" / "nfkb_nemo.xml";
}

// f_nuc = (NFkBn + IkBan_NFkBn) / NF-kB total, at every output time (specification section 6).
struct NuclearFraction {
  std::vector<double> minutes_after_stimulation;
  std::vector<double> fraction;
};

NuclearFraction nuclear_fraction(const ReactionNetwork& net, const OdeSolution& solution) {
  auto index = [&](const char* id) {
    const std::int32_t i = net.species_index(id);
    REQUIRE_MESSAGE(i >= 0, "no species " << id);
    return static_cast<std::size_t>(i);
  };
  const std::size_t nuclear[] = {index("NFkBn"), index("IkBan_NFkBn")};
  const std::size_t total[] = {index("NFkB"), index("NFkBn"), index("IkBa_NFkB"),
                               index("IkBan_NFkBn"), index("pIkBa_NFkB")};
  NuclearFraction out;
  for (const State& s : solution.samples) {
    double in_nucleus = 0.0, all = 0.0;
    for (const std::size_t i : nuclear) in_nucleus += s.counts[i];
    for (const std::size_t i : total) all += s.counts[i];
    out.minutes_after_stimulation.push_back((s.time - kStimulation) / 60.0);
    out.fraction.push_back(in_nucleus / all);
  }
  return out;
}

// Peaks as the specification defines them (section 6): f(i) >= f(i-1), f(i) > f(i+1),
// f(i) - f0 >= 0.10, and f falls by 20 % of f(i) - f0 before exceeding f(i).
std::vector<std::size_t> peaks_after(const NuclearFraction& f, std::size_t stimulation) {
  const double f0 = f.fraction[stimulation];
  std::vector<std::size_t> peaks;
  for (std::size_t i = stimulation + 1; i + 1 < f.fraction.size();) {
    const double fi = f.fraction[i];
    if (fi >= f.fraction[i - 1] && fi > f.fraction[i + 1] && fi - f0 >= 0.10) {
      std::size_t j = i + 1;
      while (j < f.fraction.size() && f.fraction[j] <= fi && fi - f.fraction[j] < 0.2 * (fi - f0))
        ++j;
      if (j < f.fraction.size() && f.fraction[j] <= fi) {
        peaks.push_back(i);
        i = j;
        continue;
      }
    }
    ++i;
  }
  return peaks;
}

TEST_CASE("ode flagship: NF-kB/NEMO wild type matches the mean-field values of the specification") {
  const ReactionNetwork net = compile(read_sbml(flagship().string()));
  OdeSpec spec;
  spec.t_end = kEnd;
  spec.samples = kSamples;
  const OdeSolution solution = solve_ode(net, spec);
  CHECK(solution.statistics.events_fired == 1);  // the stimulation
  const NuclearFraction f = nuclear_fraction(net, solution);
  const std::size_t stimulation = 360;  // 21600 s / 60 s
  REQUIRE(f.minutes_after_stimulation[stimulation] == 0.0);

  CHECK(std::fabs(f.fraction[stimulation] - 0.0030) <= 5e-5);  // given as 0.0030
  const std::vector<std::size_t> peaks = peaks_after(f, stimulation);
  REQUIRE(peaks.size() == 3);
  CHECK(f.minutes_after_stimulation[peaks[0]] == 24.0);
  CHECK(f.minutes_after_stimulation[peaks[1]] == 129.0);
  CHECK(f.minutes_after_stimulation[peaks[2]] == 203.0);
  CHECK(std::fabs(f.fraction[peaks[0]] - 0.932) <= kRounding);
  CHECK(std::fabs(f.fraction[peaks[0]] - f.fraction[stimulation] - 0.929) <= kRounding);
  CHECK(std::fabs(f.fraction[stimulation + 240] - 0.132) <= kRounding);
  MESSAGE("f0 = " << f.fraction[stimulation] << ", first peak " << f.fraction[peaks[0]] << " at "
                  << f.minutes_after_stimulation[peaks[0]] << " min; " << solution.statistics.steps
                  << " steps in " << solution.wall_seconds << " s");
}

TEST_CASE("ode flagship: nkappa simulate --method ode writes mean.csv and run.json and no sd.csv") {
  const std::filesystem::path out = test::temp_dir("ode-cli");
  std::ofstream(out / "sd.csv") << "left by an earlier stochastic run\n";
  const test::CommandResult run = test::run_command(
      test::cli_path() + " simulate " + flagship().string() +
      " --method ode --t-end 50400 --samples 840 --species NFkBn,IkBan_NFkBn,TNF --out " +
      out.string());
  INFO(run.output);
  REQUIRE(run.status == 0);
  CHECK(!std::filesystem::exists(out / "sd.csv"));
  const std::string json = test::read_text(out / "run.json");
  CHECK(json.find("\"method\": \"ode\"") != std::string::npos);
  CHECK(json.find("\"method_kisao\": \"KISAO:0000019\"") != std::string::npos);
  std::istringstream csv(test::read_text(out / "mean.csv"));
  std::string line;
  std::getline(csv, line);
  CHECK(line == "time,NFkBn,IkBan_NFkBn,TNF");
  int rows = 0;
  std::string at_stimulation;
  while (std::getline(csv, line)) {
    if (line.rfind("21600,", 0) == 0) at_stimulation = line;
    ++rows;
  }
  CHECK(rows == kSamples + 1);
  // The sample at t_stim shows the state after the stimulation event: TNF = 10 ng/ml.
  CHECK(at_stimulation.substr(at_stimulation.rfind(',') + 1) == "10");
}

TEST_CASE("ode flagship: tolerances are refused for a stochastic method") {
  const std::filesystem::path out = test::temp_dir("ode-cli-refused");
  const test::CommandResult run =
      test::run_command(test::cli_path() + " simulate " + flagship().string() +
                        " --method direct --rtol 1e-6 --t-end 10 --out " + out.string());
  CHECK(run.status == 2);
  CHECK(run.output.find("--rtol") != std::string::npos);
  CHECK(!std::filesystem::exists(out / "mean.csv"));
}

}  // namespace
}  // namespace nkappa
