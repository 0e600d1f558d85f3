#pragma once
// Shared helpers for nkappa's tests.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "engine/model/model_description.hpp"
#include "engine/network/reaction_network.hpp"
#include "engine/observe/moments.hpp"
#include "engine/run/ensemble.hpp"
#include "engine/run/run_spec.hpp"

namespace nkappa::test {

// ../shared, or exit(77) (ctest: skipped) with the reason when it is absent.
std::filesystem::path shared_dir();
std::filesystem::path source_dir();
std::string cli_path();

// The element of `list` whose `name` is `name`; the test fails when there is none.
template <class Item>
const Item& named(const std::vector<Item>& list, const std::string& name) {
  const auto it =
      std::find_if(list.begin(), list.end(), [&](const Item& item) { return item.name == name; });
  REQUIRE_MESSAGE(it != list.end(), "no item named " << name);
  return *it;
}

// A fresh empty directory under the system temp folder, removed at exit of the process.
std::filesystem::path temp_dir(const std::string& tag);

// Runs a shell command; returns its exit status and captures stdout+stderr.
struct CommandResult {
  int status = -1;
  std::string output;
};
CommandResult run_command(const std::string& command);

std::string read_text(const std::filesystem::path& path);

// Writes `text` to <a fresh temp dir tagged `tag`>/name and returns the path.
std::filesystem::path write_temp_file(const std::string& tag, const std::string& name,
                                      const std::string& text);

// The message of the InputError `f` throws, or "(no InputError)".
std::string input_error_of(const std::function<void()>& f);

// The highest SBML Level/Version an SBML Test Suite case offers (the Test Runner's default):
// the first of L3V2, L3V1, L2V5 ... L1V2 whose <name>-sbml-l<L>v<V>.xml exists in case_dir.
std::pair<int, int> highest_sbml_level(const std::filesystem::path& case_dir,
                                       const std::string& name);

// The |Z| limit of `tests` two-sided normal tests that together fail a correct implementation with
// probability at most `budget` (Bonferroni: each test gets budget / tests, split over both tails).
double bonferroni_two_sided_z(double budget, double tests);

// Writes a human-readable report to <build>/reports/<name> (scripts/test.sh prints them).
void write_report(const std::string& name, const std::string& text);

// Ensemble moments of all species of a network with the named method.
struct EnsembleMoments {
  std::vector<double> times;
  Moments moments;
  EnsembleResult result;
};
EnsembleMoments run_moments(const ReactionNetwork& net, const std::string& method,
                            const RunSpec& spec);

}  // namespace nkappa::test
