// Events per trajectory of the benchmark models against their reference counts
// (../shared/bench-models/models.tsv, measured with an independent direct-method loop). The mean
// number of events depends only on the propensities, so an exact method that reads the SBML file
// correctly reproduces it; a wrong A + A factor, a volume factor or a misread parameter moves it
// by far more than the band. The rule is the one of ../shared/bench-models/README.md:
//   |m - M| <= 4 s sqrt(1/n + 1/n_ref)
// with M, s, n_ref the reference mean, sd and number of trajectories and m the mean over our n
// (a two-sided 4-sigma band: false-alarm probability 6e-5 per model and method).
// Every exact method of the registry that accepts the model is checked.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "engine/error.hpp"
#include "engine/network/compile.hpp"
#include "engine/run/method.hpp"
#include "sbml/read_sbml.hpp"
#include "tests/support/test_support.hpp"

namespace nkappa {
namespace {

constexpr std::int64_t kTrajectories = 1000;
constexpr std::uint64_t kSeed = 31415;
constexpr double kBandSigmas = 4.0;

struct Reference {
  double t_end = 0.0;
  double events_mean = 0.0;
  double events_sd = 0.0;
  double trajectories = 0.0;
};

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> fields;
  std::istringstream in(line);
  std::string field;
  while (std::getline(in, field, '\t')) fields.push_back(field);
  return fields;
}

// The row of `model` in models.tsv, read by column name.
Reference read_reference(const std::filesystem::path& tsv, const std::string& model) {
  std::ifstream in(tsv);
  REQUIRE_MESSAGE(in.good(), "cannot read " << tsv.string());
  std::string line;
  REQUIRE(std::getline(in, line));
  std::map<std::string, std::size_t> column;
  const std::vector<std::string> header = split_tabs(line);
  for (std::size_t i = 0; i < header.size(); ++i) column[header[i]] = i;
  for (const char* name : {"model", "t_end", "events_mean", "events_sd", "n_trajectories"})
    REQUIRE_MESSAGE(column.count(name) == 1, tsv.string() << " has no column " << name);
  while (std::getline(in, line)) {
    const std::vector<std::string> f = split_tabs(line);
    if (f.size() != header.size() || f[column["model"]] != model) continue;
    return {std::stod(f[column["t_end"]]), std::stod(f[column["events_mean"]]),
            std::stod(f[column["events_sd"]]), std::stod(f[column["n_trajectories"]])};
  }
  FAIL(tsv.string() << " has no row for " << model);
  return {};
}

void check_event_count(const std::string& model) {
  const std::filesystem::path dir = test::shared_dir() / "bench-models";
  const Reference ref = read_reference(dir / "models.tsv", model);
  const ReactionNetwork net = compile(read_sbml((dir / (model + ".xml")).string()));
  RunSpec spec;
  spec.t_end = ref.t_end;
  spec.samples = 1;
  spec.trajectories = kTrajectories;
  spec.seed = kSeed;
  spec.threads = 2;
  const auto n = static_cast<double>(kTrajectories);
  const double band = kBandSigmas * ref.events_sd * std::sqrt(1.0 / n + 1.0 / ref.trajectories);
  int tested = 0;
  for (const MethodInfo& method : all_methods()) {
    if (!method.exact) continue;
    CAPTURE(method.name);
    try {
      check_capabilities(method, net);
    } catch (const InputError& e) {
      MESSAGE(method.name << " refuses " << model
                          << " (tested in the unit capability tests): " << e.what());
      continue;
    }
    const test::EnsembleMoments run = test::run_moments(net, method.name, spec);
    const auto& status = run.result.status_counts;
    CHECK(status[static_cast<std::size_t>(TrajectoryStatus::EventLimit)] == 0);
    CHECK(status[static_cast<std::size_t>(TrajectoryStatus::InvalidPropensity)] == 0);
    const double mean = static_cast<double>(run.result.events) / n;
    CHECK_MESSAGE(std::abs(mean - ref.events_mean) <= band,
                  model << ": " << mean << " events per trajectory, reference " << ref.events_mean
                        << " +- " << band);
    MESSAGE(method.name << " on " << model << ": " << mean << " events per trajectory (n = "
                        << kTrajectories << "), reference " << ref.events_mean << " (sd "
                        << ref.events_sd << ", n = " << ref.trajectories << "), |m - M| = "
                        << std::abs(mean - ref.events_mean) << " <= band " << band << " ("
                        << kBandSigmas << " sigma); " << run.result.wall_seconds << " s");
    ++tested;
  }
  CHECK(tested > 0);
}

TEST_CASE("bench models: dimer_decay fires the reference number of events") {
  check_event_count("dimer_decay");
}

TEST_CASE("bench models: multistate fires the reference number of events") {
  check_event_count("multistate");
}

}  // namespace
}  // namespace nkappa
