// The pieces of the deterministic path that need no integrator: the right-hand side and Jacobian
// of the mean-field ODE (engine/ode/mean_field.hpp) and the reading of compiled programs
// (engine/ode/program_structure.hpp).
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "engine/model/builder.hpp"
#include "engine/network/compile.hpp"
#include "engine/network/propensity.hpp"
#include "engine/ode/mean_field.hpp"
#include "engine/ode/program_structure.hpp"

namespace nkappa {
namespace {

Expr relation(ExprOp op, Expr lhs, Expr rhs) {
  return Expr::call(op, {std::move(lhs), std::move(rhs)});
}

// One reaction of every mass-action shape, and two laws that are programs.
ReactionNetwork all_shapes_network() {
  ModelBuilder b;
  b.species("A", 0.0).species("B", 0.0).species("C", 0.0).species("F", 0.0, /*boundary=*/true);
  b.parameter("k", 0.3);
  b.mass_action("order0", {}, {{"A", 1}}, "k");
  b.mass_action("x", {{"A", 1}}, {{"B", 1}}, "k");
  b.mass_action("xy", {{"A", 1}, {"B", 1}}, {{"C", 1}}, "k");
  b.mass_action("xx", {{"A", 2}}, {{"B", 1}}, "k");
  b.mass_action("xyz", {{"A", 1}, {"B", 1}, {"C", 1}}, {{"A", 2}}, "k");
  b.mass_action("xxy", {{"A", 2}, {"B", 1}}, {{"C", 3}}, "k");
  b.mass_action("xxx", {{"C", 3}}, {{"A", 1}}, "k");
  b.mass_action("general", {{"A", 2}, {"C", 2}}, {{"B", 1}}, "k");
  b.mass_action("fixed_reader", {{"F", 1}, {"A", 1}}, {{"B", 1}}, "k");
  b.reaction("hill", {}, {{"C", 1}},
             Expr::name("k") * Expr::name("A") * Expr::name("A") /
                 (Expr::constant(4.0) + Expr::name("A") * Expr::name("B")));
  b.reaction("michaelis", {{"B", 1}}, {},
             Expr::constant(2.0) * Expr::name("B") / (Expr::constant(7.0) + Expr::name("B")));
  return compile(b.build());
}

TEST_CASE("mean field: the network covers every mass-action shape") {
  const ReactionNetwork net = all_shapes_network();
  std::vector<MassActionShape> shapes;
  for (const PropensityTerm& t : net.propensity_terms) shapes.push_back(t.shape);
  const std::vector<MassActionShape> expected = {
      MassActionShape::Order0,  MassActionShape::X,       MassActionShape::XY,
      MassActionShape::XX,      MassActionShape::XYZ,     MassActionShape::XXY,
      MassActionShape::XXX,     MassActionShape::General, MassActionShape::XY,
      MassActionShape::Program, MassActionShape::Program};
  CHECK(shapes == expected);
}

TEST_CASE("mean field: dx/dt is the sum of net change times propensity") {
  const ReactionNetwork net = all_shapes_network();
  const std::vector<double> x = {5.5, 3.25, 7.0, 2.0};
  const MeanFieldSystem system(net, 1e-4);
  std::vector<double> rate(4, -1.0);
  REQUIRE(!system.derivative(0.0, x.data(), nullptr, rate.data()).failed());
  std::vector<double> expected(4, 0.0);
  for (std::int32_t r = 0; r < net.reaction_count(); ++r) {
    const double a = propensity(net, r, x.data(), nullptr, 0.0);
    for (std::int32_t i = net.net_change.offsets[r]; i < net.net_change.offsets[r + 1]; ++i)
      expected[net.net_change.index[i]] += net.net_change.value[i] * a;
  }
  for (std::size_t s = 0; s < 4; ++s) CHECK(rate[s] == doctest::Approx(expected[s]).epsilon(1e-14));
  CHECK(rate[3] == 0.0);  // F is a boundary species
}

TEST_CASE("mean field: the Jacobian matches central differences of the right-hand side") {
  const ReactionNetwork net = all_shapes_network();
  const std::vector<double> x = {5.5, 3.25, 7.0, 2.0};
  const std::size_t n = x.size();
  const MeanFieldSystem system(net, 1e-4);
  CHECK(system.difference_quotient_reactions() == 2);
  std::vector<double> jacobian(n * n, -1.0), scratch(n);
  REQUIRE(system.jacobian(0.0, x.data(), nullptr, jacobian.data(), scratch.data()));
  CHECK(scratch == x);  // the perturbations were undone
  // The right-hand side is a polynomial of degree <= 4 in each amount, or smooth: central
  // differences with h = 1e-5 are exact to about 1e-9 relative.
  for (std::size_t j = 0; j + 1 < n; ++j) {  // F (fixed) has no column of interest
    std::vector<double> up = x, down = x, rate_up(n), rate_down(n);
    const double h = 1e-5;
    up[j] += h;
    down[j] -= h;
    system.derivative(0.0, up.data(), nullptr, rate_up.data());
    system.derivative(0.0, down.data(), nullptr, rate_down.data());
    for (std::size_t i = 0; i < n; ++i) {
      CAPTURE(i);
      CAPTURE(j);
      const double numeric = (rate_up[i] - rate_down[i]) / (2 * h);
      // Program laws come from one-sided quotients: accurate to about sqrt(epsilon).
      CHECK(jacobian[j * n + i] == doctest::Approx(numeric).epsilon(1e-6).scale(1.0));
    }
  }
}

TEST_CASE("mean field: a non-finite law is reported with its species and reaction") {
  ModelBuilder b;
  b.species("A", 10.0).species("B", 0.0);
  b.reaction("bad", {{"A", 1}}, {{"B", 1}}, Expr::call(ExprOp::Ln, {Expr::name("A")}));
  const ReactionNetwork net = compile(b.build());
  const MeanFieldSystem system(net, 1e-4);
  const std::vector<double> x = {-1.0, 0.0};
  std::vector<double> rate(2);
  const DerivativeFailure failure = system.derivative(0.0, x.data(), nullptr, rate.data());
  CHECK(failure.species == 0);
  CHECK(failure.reaction == 0);
  CHECK(std::isnan(failure.propensity));
}

TEST_CASE("program structure: programs are recovered and comparisons located") {
  ModelBuilder b;
  b.species("A", 10.0).species("B", 0.0).species("F", 5.0, /*boundary=*/true).parameter("k", 1.0);
  b.reaction("law", {{"A", 1}}, {}, Expr::name("k") * Expr::name("A") + Expr::name("B"));
  b.reaction("timed", {}, {{"B", 1}},
             Expr::call(ExprOp::Piecewise, {Expr::constant(1.0),
                                            relation(ExprOp::Gt, Expr::constant(3.0), Expr::time()),
                                            Expr::constant(0.0)}));
  ModelDescription model = b.build();
  EventDesc e;
  e.id = "e";
  // (A + 1 > 2 B) and (F < 4) and (time >= 7)
  e.trigger = Expr::call(ExprOp::And, {relation(ExprOp::Gt, Expr::name("A") + Expr::constant(1.0),
                                                Expr::constant(2.0) * Expr::name("B")),
                                       relation(ExprOp::Lt, Expr::name("F"), Expr::constant(4.0)),
                                       relation(ExprOp::Geq, Expr::time(), Expr::constant(7.0))});
  e.assignments = {{"A", Expr::name("A") * Expr::constant(0.5)}};
  model.events.push_back(e);
  const ReactionNetwork net = compile(model);

  const std::vector<CodeRange> ranges = program_ranges(net.programs);
  REQUIRE(static_cast<std::int32_t>(ranges.size()) == net.programs.size());
  CHECK(ranges.front().begin == 0);
  CHECK(ranges.back().end == net.programs.code().size());
  for (std::size_t p = 0; p + 1 < ranges.size(); ++p) CHECK(ranges[p].end == ranges[p + 1].begin);

  const auto& code = net.programs.code();
  const ProgramStructure trigger = analyse_program(
      code, ranges[static_cast<std::size_t>(net.events[0].trigger_program)], net.species_fixed);
  REQUIRE(trigger.comparisons.size() == 3);
  CHECK(trigger.species_outside_comparisons == -1);
  CHECK(trigger.comparisons[0].op == OpCode::Gt);
  CHECK(trigger.comparisons[0].reads_changing_species);
  CHECK(trigger.comparisons[0].lhs.size() == 3);          // A 1 +
  CHECK(trigger.comparisons[0].rhs.size() == 3);          // 2 B *
  CHECK(!trigger.comparisons[1].reads_changing_species);  // F is fixed between events
  CHECK(!trigger.comparisons[2].reads_changing_species);
  CHECK(time_breakpoint(code, trigger.comparisons[2]) == 7.0);
  CHECK(!time_breakpoint(code, trigger.comparisons[0]));

  const std::int32_t timed = net.propensity_terms[1].program;
  const ProgramStructure law =
      analyse_program(code, ranges[static_cast<std::size_t>(timed)], net.species_fixed);
  REQUIRE(law.comparisons.size() == 1);
  CHECK(time_breakpoint(code, law.comparisons[0]) == 3.0);

  const std::int32_t plain = net.propensity_terms[0].program;
  const ProgramStructure sum =
      analyse_program(code, ranges[static_cast<std::size_t>(plain)], net.species_fixed);
  CHECK(sum.comparisons.empty());
  CHECK(sum.species_outside_comparisons == 0);  // A, read directly
}

}  // namespace
}  // namespace nkappa
