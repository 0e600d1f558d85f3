// SBML algebraic rules in the ODE path (engine/network/rules.hpp matches each rule to its
// variable; engine/ode/algebraic_system.hpp solves them): closed-form answers, the initial state
// solving the rules, fast reactions as equilibria, and the errors (overdetermined, unsolvable,
// stochastic methods).
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "engine/error.hpp"
#include "engine/model/builder.hpp"
#include "engine/network/compile.hpp"
#include "engine/ode/cvode_solver.hpp"
#include "engine/run/method.hpp"

namespace nkappa {
namespace {

OdeSolution solve(const ReactionNetwork& net, double t_end, std::int32_t samples) {
  OdeSpec spec;
  spec.t_end = t_end;
  spec.samples = samples;
  spec.relative_tolerance = 1e-10;
  return solve_ode(net, spec);
}

// A -> B (k A), A(0) = 10; 0 = C + A - T determines C = T - A0 exp(-k t) (T = 15), and
// D is made at rate k2 C: D(t) = k2 (T t - A0 (1 - exp(-k t)) / k). C is declared 0, so the
// initial state comes from the rule, and the law of D reads C only through the solved rule.
ModelDescription conserved_sum() {
  ModelBuilder b;
  b.species("A", 10).species("B", 0).species("C", 0).species("D", 0);
  b.parameter("k", 0.5).parameter("k2", 0.2).parameter("T", 15);
  b.mass_action("R1", {{"A", 1}}, {{"B", 1}}, "k");
  b.reaction("R2", {}, {{"D", 1}}, Expr::name("k2") * Expr::name("C"));
  ModelDescription m = b.build();
  m.algebraic_rules.push_back(
      RuleDesc{"sum", Expr::name("C") + Expr::name("A") - Expr::name("T"), {}});
  return m;
}

}  // namespace

TEST_CASE("algebraic rules: 0 = C + A - T gives C and the law reading C its closed form") {
  const ReactionNetwork net = compile(conserved_sum());
  REQUIRE(net.algebraic.size() == 1);
  CHECK(net.algebraic[0].to_species);
  CHECK(net.algebraic[0].index == net.species_index("C"));
  const OdeSolution ode = solve(net, 4.0, 4);
  const auto c = static_cast<std::size_t>(net.species_index("C"));
  const auto d = static_cast<std::size_t>(net.species_index("D"));
  for (const State& s : ode.samples) {
    const double a = 10.0 * std::exp(-0.5 * s.time);
    CHECK(s.counts[c] == doctest::Approx(15.0 - a).epsilon(1e-8));
    CHECK(s.counts[d] ==
          doctest::Approx(0.2 * (15.0 * s.time - 10.0 * (1.0 - std::exp(-0.5 * s.time)) / 0.5))
              .epsilon(1e-7));
  }
  CHECK(ode.samples.front().counts[c] == doctest::Approx(5.0).epsilon(1e-12));
}

TEST_CASE("algebraic rules: a nonlinear rule determines a parameter through an assignment rule") {
  // A -> 0 (k A), A(0) = 4; q := 2 A (assignment rule); 0 = p^2 - q / 2 with p declared 1:
  // p = sqrt(A) = 2 exp(-k t / 2) from t = 0 on (Newton from the positive guess stays on the
  // positive root).
  ModelBuilder b;
  b.species("A", 4).parameter("k", 0.3);
  b.mass_action("R1", {{"A", 1}}, {}, "k");
  ModelDescription m = b.build();
  m.parameters.push_back(ParameterDesc{"p", 1.0, false, {}});
  m.parameters.push_back(ParameterDesc{"q", 0.0, false, {}});
  m.assignment_rules.push_back(RuleDesc{"q", Expr::constant(2.0) * Expr::name("A"), {}});
  m.algebraic_rules.push_back(RuleDesc{
      "root", Expr::name("p") * Expr::name("p") - Expr::name("q") / Expr::constant(2.0), {}});
  const ReactionNetwork net = compile(m);
  REQUIRE(net.algebraic.size() == 1);
  CHECK_FALSE(net.algebraic[0].to_species);
  const auto p = static_cast<std::size_t>(net.algebraic[0].index);
  CHECK(net.parameter_ids[p] == "p");
  const OdeSolution ode = solve(net, 3.0, 3);
  for (const State& s : ode.samples)
    CHECK(s.parameters[p] == doctest::Approx(2.0 * std::exp(-0.15 * s.time)).epsilon(1e-8));
}

TEST_CASE("fast reactions: A <-> B at equilibrium while 0 -> A feeds the pair") {
  // Fast A <-> B (kf A - kr B), slow 0 -> A at rate p: A + B = 6 + p t and kf A = kr B at every
  // time, t = 0 included, so A = kr / (kf + kr) (6 + p t) although A(0) is declared 1.
  ModelBuilder b;
  b.species("A", 1).species("B", 5).parameter("kf", 3).parameter("kr", 1).parameter("p", 0.5);
  b.reaction("fast", {{"A", 1}}, {{"B", 1}},
             Expr::name("kf") * Expr::name("A") - Expr::name("kr") * Expr::name("B"));
  b.reaction("feed", {}, {{"A", 1}}, Expr::name("p"));
  ModelDescription m = b.build();
  m.reactions[0].fast = true;
  const ReactionNetwork net = compile(m);
  REQUIRE(net.algebraic.size() == 1);
  CHECK(net.reaction_count() == 1);
  const OdeSolution ode = solve(net, 4.0, 4);
  const auto a = static_cast<std::size_t>(net.species_index("A"));
  const auto bi = static_cast<std::size_t>(net.species_index("B"));
  for (const State& s : ode.samples) {
    CHECK(s.counts[a] == doctest::Approx(0.25 * (6.0 + 0.5 * s.time)).epsilon(1e-8));
    CHECK(s.counts[bi] == doctest::Approx(0.75 * (6.0 + 0.5 * s.time)).epsilon(1e-8));
  }
  std::string message;
  try {
    check_capabilities(all_methods().front(), net);
  } catch (const InputError& e) {
    message = e.what();
  }
  CHECK(message.find("a fast reaction") != std::string::npos);
}

TEST_CASE("algebraic rules: errors name the rule") {
  SUBCASE("a rule with no variable left is overdetermined") {
    ModelDescription m = conserved_sum();
    m.algebraic_rules.push_back(RuleDesc{"again", Expr::name("C") - Expr::name("T"), {}});
    std::string message;
    try {
      (void)compile(m);
    } catch (const InputError& e) {
      message = e.what();
    }
    CHECK(message.find("'again'") != std::string::npos);
    CHECK(message.find("overdetermined") != std::string::npos);
  }
  SUBCASE("a rule without a real solution stops the run at t = 0 (exit 1)") {
    ModelDescription m = conserved_sum();
    m.algebraic_rules[0].value = Expr::name("C") * Expr::name("C") + Expr::constant(1.0);
    const ReactionNetwork net = compile(m);
    std::string message;
    try {
      (void)solve(net, 1.0, 1);
    } catch (const RuntimeError& e) {
      message = e.what();
    }
    CHECK(message.find("algebraic rule 'sum'") != std::string::npos);
    CHECK(message.find("t = 0") != std::string::npos);
  }
  SUBCASE("stochastic methods refuse it: only the ODE path solves algebraic rules") {
    const ReactionNetwork net = compile(conserved_sum());
    for (const MethodInfo& method : all_methods()) {
      std::string message;
      try {
        check_capabilities(method, net);
      } catch (const InputError& e) {
        message = e.what();
      }
      CHECK(message.find("algebraic rule 'sum'") != std::string::npos);
      CHECK(message.find("only by the ODE path") != std::string::npos);
    }
  }
}

}  // namespace nkappa
