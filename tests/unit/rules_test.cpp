// SBML rules, initial assignments and random draws (engine/network/rules.hpp, ModelEvents'
// moving breakpoints, OpCode::Draw) in both the stochastic and the ODE path, and their error
// messages. Values checked here are exact (deterministic outputs, or identities that hold in
// every trajectory); the one statistical check states its bound.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>

#include "engine/error.hpp"
#include "engine/model/builder.hpp"
#include "engine/network/compile.hpp"
#include "engine/ode/cvode_solver.hpp"
#include "engine/run/method.hpp"
#include "report/sbml_values.hpp"
#include "sbml/read_sbml.hpp"
#include "tests/support/test_support.hpp"

namespace nkappa {
namespace {

RuleDesc rule(std::string target, Expr value) {
  return RuleDesc{std::move(target), std::move(value), {}};
}

// Birth-death X -> 2X (k1 X), X -> 0 (k2 X) from X0 = 100.
ModelBuilder birth_death() {
  ModelBuilder b;
  b.species("X", 100).parameter("k1", 0.1).parameter("k2", 0.11);
  b.mass_action("Birth", {{"X", 1}}, {{"X", 2}}, "k1");
  b.mass_action("Death", {{"X", 1}}, {}, "k2");
  return b;
}

RunSpec small_run(std::int64_t trajectories, double t_end) {
  RunSpec spec;
  spec.t_end = t_end;
  spec.samples = static_cast<std::int32_t>(t_end);
  spec.trajectories = trajectories;
  spec.threads = 1;
  return spec;
}

std::filesystem::path write_file(const std::string& name, const std::string& text) {
  return test::write_temp_file("rules", name, text);
}

}  // namespace

TEST_CASE("rules: initial assignments are evaluated in dependency order at t = 0") {
  ModelDescription m = birth_death().build();
  m.parameters.push_back(ParameterDesc{"k3", 0.0, true, {}});
  // X0 = 10 k3, k3 = 2 k1 + time: listed before the assignment it depends on.
  m.initial_assignments.push_back(rule("X", Expr::constant(10.0) * Expr::name("k3")));
  m.initial_assignments.push_back(
      rule("k3", Expr::constant(2.0) * Expr::name("k1") + Expr::time()));
  const ReactionNetwork net = compile(m);
  CHECK(net.initial_counts[0] == doctest::Approx(2.0).epsilon(1e-15));
}

TEST_CASE("rules: a cycle of initial assignments and rules is refused naming it") {
  ModelDescription m = birth_death().build();
  m.parameters.push_back(ParameterDesc{"p", 0.0, false, {}});
  m.initial_assignments.push_back(rule("X", Expr::name("p")));
  m.assignment_rules.push_back(rule("p", Expr::name("X")));
  const std::string message = test::input_error_of([&] { compile(m); });
  CHECK(message.find("cycle") != std::string::npos);
  CHECK(message.find("X -> p -> X") != std::string::npos);
}

TEST_CASE("rules: an assignment rule on a parameter is substituted into the laws that read it") {
  ModelBuilder b;
  b.species("A", 10).species("B", 5).parameter("k", 0.5);
  ModelDescription m = b.build();
  m.parameters.push_back(ParameterDesc{"p", 0.0, false, {}});
  m.assignment_rules.push_back(rule("p", Expr::name("k") * Expr::name("A")));
  ReactionDesc r;
  r.id = "R";
  r.reactants = {{"B", 1, ""}};
  r.propensity = Expr::name("p") * Expr::name("B");
  m.reactions.push_back(r);
  const ReactionNetwork net = compile(m);
  // The law reads A through the rule: A's readers include R, so firing anything that changes A
  // recomputes R (and the ODE's Jacobian has the d/dA column).
  const auto readers_of_a = net.species_readers.row_index(net.species_index("A"));
  CHECK(std::find(readers_of_a.begin(), readers_of_a.end(), 0) != readers_of_a.end());
  CHECK(net.rate_kind[0] == RateKind::MassAction);
  CHECK(net.rate_constant[0] == doctest::Approx(0.5));
  REQUIRE(net.assigned.size() == 1);
  CHECK_FALSE(net.assigned[0].to_species);
}

TEST_CASE("rules: an assignment rule on a species is shown at every output time, SSA and ODE") {
  // SBML Test Suite case 00019: y = 2 X beside a birth-death process.
  ModelDescription m = birth_death().species("y", 0).build();
  m.assignment_rules.push_back(rule("y", Expr::constant(2.0) * Expr::name("X")));
  const ReactionNetwork net = compile(m);
  const std::int32_t x = net.species_index("X");
  const std::int32_t y = net.species_index("y");
  CHECK(net.initial_counts[static_cast<std::size_t>(y)] == 200.0);
  // In every trajectory y = 2 X, so mean and variance are exactly 2 and 4 times X's.
  const auto run = test::run_moments(net, "direct", small_run(200, 10.0));
  for (std::int32_t t = 0; t < run.moments.time_points(); ++t) {
    CHECK(run.moments.mean(t, y) == doctest::Approx(2.0 * run.moments.mean(t, x)));
    CHECK(run.moments.variance(t, y) == doctest::Approx(4.0 * run.moments.variance(t, x)));
  }
  OdeSpec spec;
  spec.t_end = 10.0;
  spec.samples = 10;
  const OdeSolution ode = solve_ode(net, spec);
  for (const State& s : ode.samples) {
    CHECK(s.counts[static_cast<std::size_t>(y)] == 2.0 * s.counts[static_cast<std::size_t>(x)]);
    CHECK(s.counts[static_cast<std::size_t>(x)] ==
          doctest::Approx(100.0 * std::exp(-0.01 * s.time)).epsilon(1e-6));
  }
}

TEST_CASE("rules: outputs of constants set by initial assignments have the assigned values") {
  // SBML Test Suite cases 00920, 01112: a constant parameter with no value of its own, and a
  // compartment whose size only an initial assignment gives. The model as read keeps them NaN;
  // the outputs must report the values at t = 0 (they were NaN before the network kept them).
  const double unset = std::numeric_limits<double>::quiet_NaN();
  ModelDescription m = birth_death().build();
  m.compartments[0].size = unset;
  m.parameters.push_back(ParameterDesc{"k3", unset, true, {}});
  m.initial_assignments.push_back(rule("k3", Expr::constant(2.0) * Expr::name("k1")));
  m.initial_assignments.push_back(rule("cell", Expr::constant(4.0)));
  const ReactionNetwork net = compile(m);
  const std::vector<ValueColumn> columns = value_columns(m, net, {"k3", "cell", "X"}, {"X"});
  OdeSpec spec;
  spec.t_end = 1.0;
  spec.samples = 1;
  const OdeSolution ode = solve_ode(net, spec);
  const State& first = ode.samples.front();
  CHECK(column_value(net, columns[0], first) == doctest::Approx(0.2).epsilon(1e-15));
  CHECK(column_value(net, columns[1], first) == 4.0);
  CHECK(column_value(net, columns[2], first) == 25.0);  // 100 molecules in a size of 4
}

TEST_CASE(
    "rules: an initial concentration is in the size the compartment's initial assignment gives") {
  // SBML Test Suite case 00794: declared size 2, initial assignment 3, so 5 per volume is 15
  // items, not the 10 the declared size gives.
  const std::string math = R"(<math xmlns="http://www.w3.org/1998/Math/MathML">)";
  const auto path = write_file("resized.xml", std::string(R"(<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2">
  <model id="m">
    <listOfCompartments>
      <compartment id="cell" spatialDimensions="3" size="2" constant="true"/>
    </listOfCompartments>
    <listOfSpecies>
      <species id="A" compartment="cell" initialConcentration="5" hasOnlySubstanceUnits="false" boundaryCondition="false" constant="false"/>
    </listOfSpecies>
    <listOfInitialAssignments>
      <initialAssignment symbol="cell">)") + math +
                                                  R"(<cn> 3 </cn></math></initialAssignment>
    </listOfInitialAssignments>
  </model>
</sbml>
)");
  const ModelDescription m = read_sbml(path.string());
  const ReactionNetwork net = compile(m);
  CHECK(net.initial_counts[0] == 15.0);
  const std::vector<ValueColumn> columns = value_columns(m, net, {"A"}, {"A"});
  OdeSpec spec;
  spec.t_end = 1.0;
  spec.samples = 1;
  CHECK(column_value(net, columns[0], solve_ode(net, spec).samples.front()) == 5.0);
}

TEST_CASE("rules: a species set by a rule and changed by a reaction is refused naming both") {
  ModelDescription m = birth_death().build();
  m.assignment_rules.push_back(rule("X", Expr::constant(3.0)));
  const std::string message = test::input_error_of([&] { compile(m); });
  CHECK(message.find("species 'X'") != std::string::npos);
  CHECK(message.find("is set by an assignment rule and changed by reaction 'Birth'") !=
        std::string::npos);
}

TEST_CASE("rules: a rate rule is ODE state; stochastic methods refuse it naming the variable") {
  // dp/dt = -0.5 p, p(0) = 4, read by nothing: p(t) = 4 exp(-t/2).
  ModelDescription m = birth_death().build();
  m.parameters.push_back(ParameterDesc{"p", 4.0, false, {}});
  m.rate_rules.push_back(rule("p", Expr::constant(-0.5) * Expr::name("p")));
  const ReactionNetwork net = compile(m);
  OdeSpec spec;
  spec.t_end = 4.0;
  spec.samples = 4;
  spec.relative_tolerance = 1e-10;
  const OdeSolution ode = solve_ode(net, spec);
  const std::int32_t p = net.species_index("p");
  REQUIRE(p >= 0);
  for (const State& s : ode.samples)
    CHECK(s.counts[static_cast<std::size_t>(p)] ==
          doctest::Approx(4.0 * std::exp(-0.5 * s.time)).epsilon(1e-7));
  for (const MethodInfo& method : all_methods()) {
    const std::string message = test::input_error_of([&] { check_capabilities(method, net); });
    CHECK(message.find("rate rule 'p'") != std::string::npos);
    CHECK(message.find("method '" + method.name + "'") != std::string::npos);
  }
}

TEST_CASE("rules: a clock parameter (dt/dt = 1) reset by its event fires it every time unit") {
  // The pattern of the distrib cases: t' = 1; when t >= 0.5: t := -0.5, X := X + 1. Events at
  // 0.5, 1.5, ...: X(t) = floor(t + 0.5) in every trajectory and in the ODE.
  ModelBuilder b;
  b.species("X", 0);
  ModelDescription m = b.build();
  m.parameters.push_back(ParameterDesc{"t", 0.0, false, {}});
  m.rate_rules.push_back(rule("t", Expr::constant(1.0)));
  EventDesc e;
  e.id = "E0";
  e.initial_value = true;
  e.trigger = Expr::call(ExprOp::Geq, {Expr::name("t"), Expr::constant(0.5)});
  e.assignments = {{"X", Expr::name("X") + Expr::constant(1.0)}, {"t", Expr::constant(-0.5)}};
  m.events.push_back(e);
  const ReactionNetwork net = compile(m);
  REQUIRE(net.events.size() == 1);
  CHECK(net.events[0].moving_breakpoints.size() == 1);
  const auto run = test::run_moments(net, "direct", small_run(4, 20.0));
  for (std::int32_t k = 0; k < run.moments.time_points(); ++k) {
    CHECK(run.moments.mean(k, 0) == std::floor(run.times[static_cast<std::size_t>(k)] + 0.5));
    CHECK(run.moments.variance(k, 0) == 0.0);
  }
  OdeSpec spec;
  spec.t_end = 20.0;
  spec.samples = 20;
  const OdeSolution ode = solve_ode(net, spec);
  for (const State& s : ode.samples) {
    CHECK(s.counts[0] == std::floor(s.time + 0.5));
    // The clock itself, for output: t = time - (number of resets) ... in (-0.5, 0.5].
    const auto it = std::find(net.parameter_ids.begin(), net.parameter_ids.end(), "t");
    REQUIRE(it != net.parameter_ids.end());
    const double clock = s.parameters[static_cast<std::size_t>(it - net.parameter_ids.begin())];
    CHECK(clock == doctest::Approx(s.time - std::floor(s.time + 0.5)));
  }
}

TEST_CASE("rules: a clock crossing its threshold fires the event there despite rounding") {
  // SBML Test Suite 01532's pattern: trig' = 1 from -5.3; when trig > -5.2: X := 1, T := time.
  // In doubles -5.3 + t at the computed crossing (and the double after it) still rounds to
  // -5.2, so the trigger read there was false and the event never fired (SSA and ODE alike).
  ModelBuilder b;
  b.species("X", 0);
  ModelDescription m = b.build();
  m.parameters.push_back(ParameterDesc{"trig", -5.3, false, {}});
  m.parameters.push_back(ParameterDesc{"T", -1.0, false, {}});
  m.rate_rules.push_back(rule("trig", Expr::constant(1.0)));
  EventDesc e;
  e.id = "E0";
  e.initial_value = true;
  e.trigger = Expr::call(ExprOp::Gt, {Expr::name("trig"), Expr::constant(-5.2)});
  e.assignments = {{"X", Expr::constant(1.0)}, {"T", Expr::time()}};
  m.events.push_back(e);
  const ReactionNetwork net = compile(m);
  REQUIRE(net.events.size() == 1);
  REQUIRE(net.events[0].moving_breakpoints.size() == 1);
  const auto t_of = std::find(net.parameter_ids.begin(), net.parameter_ids.end(), "T");
  REQUIRE(t_of != net.parameter_ids.end());
  const auto T = static_cast<std::size_t>(t_of - net.parameter_ids.begin());
  const auto run = test::run_moments(net, "direct", small_run(2, 2.0));
  for (std::int32_t k = 0; k < run.moments.time_points(); ++k)
    CHECK(run.moments.mean(k, 0) == (run.times[static_cast<std::size_t>(k)] > 0.1 ? 1.0 : 0.0));
  OdeSpec spec;
  spec.t_end = 2.0;
  spec.samples = 2;
  const OdeSolution ode = solve_ode(net, spec);
  for (const State& s : ode.samples) {
    CHECK(s.counts[0] == (s.time > 0.1 ? 1.0 : 0.0));
    if (s.time > 0.1) CHECK(s.parameters[T] == doctest::Approx(0.1).epsilon(1e-9));
  }
}

TEST_CASE("rules: SBML rules, initial assignments and algebraic rules are read") {
  const std::string head = R"(<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2">
  <model id="m">
    <listOfCompartments>
      <compartment id="cell" spatialDimensions="3" size="2" constant="true"/>
    </listOfCompartments>
    <listOfSpecies>
      <species id="A" compartment="cell" initialAmount="10" hasOnlySubstanceUnits="false" boundaryCondition="true" constant="false"/>
    </listOfSpecies>
    <listOfParameters>
      <parameter id="x" value="0" constant="false"/>
    </listOfParameters>
)";
  const std::string tail = "  </model>\n</sbml>\n";
  const std::string math = R"(<math xmlns="http://www.w3.org/1998/Math/MathML">)";
  {
    // A is a concentration species: its initial assignment 3 means 3 per volume 2, 6 items; the
    // rule x = A reads its concentration.
    const auto path =
        write_file("rules.xml",
                   head + "    <listOfInitialAssignments>\n      <initialAssignment symbol=\"A\">" +
                       math + "<cn> 3 </cn></math></initialAssignment>\n" +
                       "    </listOfInitialAssignments>\n    <listOfRules>\n" +
                       "      <assignmentRule variable=\"x\">" + math +
                       "<ci> A </ci></math></assignmentRule>\n    </listOfRules>\n" + tail);
    const ModelDescription m = read_sbml(path.string());
    REQUIRE(m.initial_assignments.size() == 1);
    REQUIRE(m.assignment_rules.size() == 1);
    const ReactionNetwork net = compile(m);
    CHECK(net.initial_counts[0] == 6.0);
    CHECK(net.initial_parameters[0] == 3.0);
  }
  {
    // A parameter without a value and a species without an initial amount, both given by
    // initial assignments (as in BIOMD0000000139 and MODEL1008110000).
    std::string text = head;
    text.replace(text.find(R"(initialAmount="10" )"), 19, "");
    text.replace(text.find(R"(value="0" )"), 10, "");
    text += "    <listOfInitialAssignments>\n      <initialAssignment symbol=\"x\">" + math +
            "<cn> 4 </cn></math></initialAssignment>\n      <initialAssignment symbol=\"A\">" +
            math + "<ci> x </ci></math></initialAssignment>\n    </listOfInitialAssignments>\n" +
            tail;
    const auto path = write_file("unset.xml", text);
    const ReactionNetwork net = compile(read_sbml(path.string()));
    CHECK(net.initial_parameters[0] == 4.0);
    CHECK(net.initial_counts[0] == 8.0);  // concentration 4 in volume 2
  }
  {
    // 0 = x - A: the rule reads A's concentration (10 items in volume 2), and A, now constant,
    // leaves x as the only variable the rule can determine: x = 5 from t = 0 on.
    std::string text = head;
    text.replace(text.find(R"(constant="false"/>)"), 18, R"(constant="true"/>)");
    const auto path =
        write_file("algebraic.xml", text + "    <listOfRules>\n      <algebraicRule>" + math +
                                        "<apply><minus/><ci> x </ci><ci> A </ci></apply></math>" +
                                        "</algebraicRule>\n    </listOfRules>\n" + tail);
    const ReactionNetwork net = compile(read_sbml(path.string()));
    REQUIRE(net.algebraic.size() == 1);
    CHECK(net.algebraic[0].id == "#1");
    CHECK_FALSE(net.algebraic[0].to_species);
    OdeSpec spec;
    spec.t_end = 1.0;
    spec.samples = 1;
    const OdeSolution ode = solve_ode(net, spec);
    for (const State& s : ode.samples)
      CHECK(s.parameters[static_cast<std::size_t>(net.algebraic[0].index)] ==
            doctest::Approx(5.0).epsilon(1e-12));
  }
}

TEST_CASE("rules: a distrib case is read through libSBML's own API and draws per trajectory") {
  // 00041: X := normal(0, sqrt(1.5)) at t = 0.5, 1.5, ... The sample mean of 4,000 independent
  // draws at t = 1 lies within 4.6 standard errors of 0 (false alarm 4e-6), and its sample
  // variance within 4.6 standard errors (sd of s^2 = sigma^2 sqrt(2/(n-1)) for a normal law).
  const auto path = test::shared_dir() / "sbml-test-suite/stochastic/00041/00041-sbml-l3v2.xml";
  const ReactionNetwork net = compile(read_sbml(path.string()));
  REQUIRE(net.events.size() == 1);
  bool draws = false;
  for (const auto& a : net.events[0].assignments) draws = draws || a.draws;
  CHECK(draws);
  const std::int64_t n = 4000;
  const auto run = test::run_moments(net, "direct", small_run(n, 2.0));
  const double mean = run.moments.mean(1, 0);
  const double variance = run.moments.variance(1, 0);
  CHECK(std::fabs(mean) < 4.6 * std::sqrt(1.5 / n));
  CHECK(std::fabs(variance - 1.5) < 4.6 * 1.5 * std::sqrt(2.0 / (n - 1)));
  CHECK(run.moments.mean(0, 0) == 0.0);  // before the first event
  // Draws need a generator: the ODE path refuses them by name.
  OdeSpec spec;
  const std::string message = test::input_error_of([&] { solve_ode(net, spec); });
  CHECK(message.find("event 'E0'") != std::string::npos);
  CHECK(message.find("not supported by the ODE path") != std::string::npos);
}

}  // namespace nkappa
