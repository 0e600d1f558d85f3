// Scenario files: the bundled scenarios load and apply; every error path of the YAML reader
// names the file, the line and what is wrong.
#include <doctest/doctest.h>

#include <fstream>

#include "engine/error.hpp"
#include "engine/model/builder.hpp"
#include "engine/network/compile.hpp"
#include "sbml/read_sbml.hpp"
#include "scenario/extrinsic.hpp"
#include "scenario/scenario.hpp"
#include "tests/support/test_support.hpp"

namespace nkappa::test {
namespace {

const char* kValid = R"(title: test
model: model.xml
run:
  t_end: 100
  record_from: 10
  record_step: 10
  stimulus_time: 20
  cells: 8
  seed: 3
observables:
  total: A + B
  fraction: A / (A + B)
readout:
  observable: fraction
  test_times: [10, 20]
variants:
  base_case:
    parameters: {k: 2}
  other:
    base: base_case
    initial: {A: 5}
    events:
      - {at: 30, set: {k: 4}}
comparisons:
  - [base_case, other]
)";

std::filesystem::path write_scenario(const std::filesystem::path& dir, const std::string& text) {
  const auto path = dir / "scenario.yaml";
  std::ofstream(path) << text;
  return path;
}

// Loads text that must fail; returns the message.
std::string load_error(const std::string& text) {
  const auto dir = temp_dir("scenario-error");
  const auto path = write_scenario(dir, text);
  try {
    load_scenario(path.string());
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find(path.string()) == 0);
    return e.what();
  }
  FAIL("no error for:\n" << text);
  return "";
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

ModelDescription small_model() {
  ModelBuilder b;
  b.species("A", 10).species("B", 0).parameter("k", 1);
  b.mass_action("R1", {{"A", 1}}, {{"B", 1}}, "k");
  return b.build();
}

}  // namespace

TEST_CASE("scenario: a valid file loads with every field") {
  const auto dir = temp_dir("scenario-valid");
  const Scenario s = load_scenario(write_scenario(dir, kValid).string());
  CHECK(s.model_file == (dir / "model.xml").string());
  CHECK(s.run.t_end == 100);
  CHECK(s.run.cells == 8);
  CHECK(s.run.seed == 3);
  CHECK(s.run.epsilon == 0.03);  // the default
  REQUIRE(s.observables.size() == 2);
  CHECK(to_string(s.observables[1].expr) == "A / (A + B)");
  CHECK(s.readout.observable == "fraction");
  CHECK(s.readout.test_times == std::vector<double>{10, 20});
  REQUIRE(s.variants.size() == 2);
  CHECK(s.variants[1].base == "base_case");
  REQUIRE(s.comparisons.size() == 1);
  CHECK(s.comparisons[0].other == "other");
}

TEST_CASE("scenario: apply_variant follows bases, sets parameters and amounts, adds events") {
  const auto dir = temp_dir("scenario-apply");
  const Scenario s = load_scenario(write_scenario(dir, kValid).string());
  const ModelDescription base = small_model();
  check_scenario_against_model(s, base);
  const ModelDescription m = apply_variant(base, s, *s.find_variant("other"));
  CHECK(m.find_parameter("k")->value == 2);      // from the base variant
  CHECK_FALSE(m.find_parameter("k")->constant);  // an event sets it
  CHECK(m.find_species("A")->initial_amount == 5);
  REQUIRE(m.events.size() == 1);
  CHECK(to_string(m.events[0].trigger) == "time >= 30");
  CHECK(base.find_parameter("k")->value == 1);  // the original is untouched
  // The event really switches k at t = 30 in a compiled network.
  const ReactionNetwork net = compile(m);
  REQUIRE(net.events.size() == 1);
  CHECK(net.events[0].breakpoints == std::vector<double>{30});
}

TEST_CASE("scenario: error paths name the line and the problem") {
  CHECK(
      load_error(replace(kValid, "title: test", "title: test\ncolour: blue")).find("unknown key") !=
      std::string::npos);
  CHECK(load_error(replace(kValid, "  cells: 8", "  cells: eight"))
            .find(":8: key 'cells': expected a whole number, got 'eight'") != std::string::npos);
  CHECK(load_error(replace(kValid, "  t_end: 100", "  t_end: -1")).find("must be > 0") !=
        std::string::npos);
  CHECK(load_error(replace(kValid, "  cells: 8", "  cells: 8\n  epsilon: 0"))
            .find("key 'epsilon': must lie in (0, 1]") != std::string::npos);
  {
    const auto dir = temp_dir("scenario-epsilon");
    const Scenario s = load_scenario(
        write_scenario(dir, replace(kValid, "  cells: 8", "  cells: 8\n  epsilon: 0.01")).string());
    CHECK(s.run.epsilon == 0.01);
  }
  CHECK(load_error(replace(kValid, "  record_step: 10", "  record_step: 7"))
            .find("whole number of record steps") != std::string::npos);
  CHECK(load_error(replace(kValid, "    base: base_case", "    base: nowhere"))
            .find("unknown base variant 'nowhere'") != std::string::npos);
  CHECK(load_error(replace(kValid, "  - [base_case, other]", "  - [base_case, ghost]"))
            .find("unknown variant 'ghost'") != std::string::npos);
  CHECK(load_error(replace(kValid, "  observable: fraction", "  observable: missing"))
            .find("is not one of the observables") != std::string::npos);
  CHECK(load_error(replace(kValid, "  fraction: A / (A + B)", "  fraction: A / (A + "))
            .find("cannot parse formula") != std::string::npos);
  CHECK(load_error(replace(kValid, "    parameters: {k: 2}", "    parameters: {k: two}"))
            .find("expected a number") != std::string::npos);
  CHECK(load_error(replace(kValid, "      - {at: 30, set: {k: 4}}", "      - {set: {k: 4}}"))
            .find("'at': missing") != std::string::npos);
  CHECK(load_error(replace(kValid, "  base_case:\n    parameters: {k: 2}",
                           "  base_case:\n    base: other\n    parameters: {k: 2}"))
            .find("cycle") != std::string::npos);
  CHECK(load_error(std::string(kValid) + "  - [base_case\n").find("not valid YAML") !=
        std::string::npos);
  CHECK(load_error(replace(kValid, "model: model.xml\n", "")).find("'model': missing") !=
        std::string::npos);
  {
    const auto dir = temp_dir("scenario-missing");
    CHECK_THROWS_AS(load_scenario((dir / "absent.yaml").string()), InputError);
  }
}

TEST_CASE("scenario: ids unknown to the model are errors with the scenario's line") {
  const auto dir = temp_dir("scenario-ids");
  auto check_message = [&](const std::string& text, const std::string& expected) {
    const Scenario s = load_scenario(write_scenario(dir, text).string());
    try {
      check_scenario_against_model(s, small_model());
      FAIL("no error, expected: " << expected);
    } catch (const InputError& e) {
      CHECK_MESSAGE(std::string(e.what()).find(expected) != std::string::npos, e.what());
      CHECK(e.line() > 0);
    }
  };
  check_message(replace(kValid, "{k: 2}", "{kk: 2}"), "unknown parameter 'kk'");
  check_message(replace(kValid, "{A: 5}", "{C: 5}"), "unknown species 'C'");
  check_message(replace(kValid, "{A: 5}", "{A: 2.5}"), "whole number of molecules");
  check_message(replace(kValid, "  total: A + B", "  total: A + Z"), "'Z' is not a species");
  check_message(replace(kValid, "set: {k: 4}", "set: {q: 4}"), "sets 'q'");
}

TEST_CASE("scenario: the bundled NF-kB scenarios load and every variant compiles") {
  const Scenario s = load_scenario((source_dir() / "models/nfkb_nemo/scenarios.yaml").string());
  const ModelDescription model = read_sbml(s.model_file);
  check_scenario_against_model(s, model);
  CHECK(s.variants.size() >= 10);
  for (const Variant& v : s.variants) CHECK_NOTHROW(compile(apply_variant(model, s, v)));
}

TEST_CASE(
    "extrinsic noise: totals are lognormal with the stated mean and CV, remainders keep the "
    "total") {
  ModelBuilder b;
  b.species("R", 2000).species("Ra", 0).species("N1", 7000).species("N2", 3000).parameter("k", 1);
  b.mass_action("R1", {{"R", 1}}, {{"Ra", 1}}, "k");
  const ModelDescription m = b.build();
  const ReactionNetwork net = compile(m);
  Scenario s;
  s.extrinsic.push_back(ExtrinsicGroup{"receptor", {"R", "Ra"}, 2.5277, 10.0, "R", 0});
  s.extrinsic.push_back(ExtrinsicGroup{"nfkb", {"N1", "N2"}, 0.80502, 10.0, "N1", 0});
  const auto draw = make_extrinsic_initializer(s, net);
  // Fixed seed; 20,000 cells. The NF-kB total (CV 0.805, untruncated to a good approximation:
  // P(> 10 x mean) ~ 1e-4) has mean 10,000 and sd 8,050: the sample mean's SE is 57, so a
  // bound of 4.5 SE (false-alarm ~7e-6) is 256.
  double sum = 0, sum_sq = 0;
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    State st{0.0, net.initial_counts, net.initial_parameters};
    Rng rng = trajectory_stream(5, static_cast<std::uint64_t>(i));
    draw(st, rng);
    const double total = st.counts[2] + st.counts[3];
    CHECK(total == std::round(total));
    CHECK(st.counts[1] == 0);      // Ra stays 0: scaled from 0
    CHECK(st.counts[0] <= 20000);  // truncated at 10 x the mean
    sum += total;
    sum_sq += total * total;
  }
  const double mean = sum / n;
  const double sd = std::sqrt(sum_sq / n - mean * mean);
  CHECK(std::fabs(mean - 10000) < 4.5 * 8050 / std::sqrt(double(n)));
  CHECK(sd / mean == doctest::Approx(0.805).epsilon(0.05));
}

}  // namespace nkappa::test
