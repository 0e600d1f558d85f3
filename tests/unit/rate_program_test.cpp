// The bytecode compile() makes of a rate law (engine/network/rate_program.hpp) against a direct
// recursive evaluation of the Expr tree, on many random trees over every operator, and on the
// piecewise and error cases written out.
#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "engine/error.hpp"
#include "engine/model/builder.hpp"
#include "engine/network/compile.hpp"
#include "engine/network/propensity.hpp"
#include "tests/unit/expr_reference.hpp"

namespace nkappa {
namespace {

std::int32_t pick(std::mt19937_64& rng, std::int32_t n) {
  return static_cast<std::int32_t>(rng() % static_cast<std::uint64_t>(n));
}

// Leaves: numbers (some making functions leave their domain), species, constant parameters
// (folded), a variable parameter (read at run time), a compartment, time.
Expr random_leaf(std::mt19937_64& rng) {
  static const std::array<double, 10> numbers{0.0,  1.0,  2.0,   3.0,  0.5,
                                              -1.5, 10.0, -0.25, 1e-3, 0.75};
  static const std::array<const char*, 7> symbols{"A", "B", "C", "k", "K", "v", "V"};
  switch (pick(rng, 6)) {
    case 0:
      return Expr::constant(numbers[static_cast<std::size_t>(pick(rng, numbers.size()))]);
    case 1:
      return Expr::time();
    default:
      return Expr::name(symbols[static_cast<std::size_t>(pick(rng, symbols.size()))]);
  }
}

Expr random_expr(std::mt19937_64& rng, int depth) {
  if (depth == 0 || pick(rng, 5) == 0) return random_leaf(rng);
  // Every operator except the leaves.
  const auto op = static_cast<ExprOp>(
      static_cast<int>(ExprOp::Add) +
      pick(rng, static_cast<int>(ExprOp::Piecewise) - static_cast<int>(ExprOp::Add) + 1));
  std::vector<Expr> args;
  if (op == ExprOp::Piecewise) {
    // One to three (value, condition) pairs, with or without `otherwise`.
    const std::int32_t pairs = 1 + pick(rng, 3);
    for (std::int32_t i = 0; i < 2 * pairs; ++i) args.push_back(random_expr(rng, depth - 1));
    if (pick(rng, 2) == 0) args.push_back(random_expr(rng, depth - 1));
    return Expr::call(op, std::move(args));
  }
  const int arity = expr_arity(op);
  // Variadic operators get two to four arguments. Fewer are left out on purpose: with one,
  // compile() returns And/Or/Xor's argument itself rather than 0 or 1, and with none it folds
  // an empty stack (both reported to the lead, not yet decided).
  const int count = arity >= 0 ? arity : 2 + pick(rng, 3);
  for (int i = 0; i < count; ++i) args.push_back(random_expr(rng, depth - 1));
  return Expr::call(op, std::move(args));
}

constexpr double kRate = 0.7;
constexpr double kSaturation = 5.0;
constexpr double kVolume = 2.5;

// A model with species A, B, C, constant parameters k and K, the variable parameter v
// (parameters[0] at run time), the compartment V, and one reaction per law.
ModelDescription model_with_laws(const std::vector<Expr>& laws) {
  ModelBuilder b;
  b.species("A", 0)
      .species("B", 0)
      .species("C", 0)
      .parameter("k", kRate)
      .parameter("K", kSaturation);
  for (std::size_t r = 0; r < laws.size(); ++r)
    b.reaction("R" + std::to_string(r), {}, {{"A", 1}}, laws[r]);
  ModelDescription model = b.build();
  model.parameters.push_back(ParameterDesc{"v", 1.25, false, {}});
  model.compartments.push_back(CompartmentDesc{"V", kVolume, 3, {}});
  return model;
}

test::SymbolValues values_at(const std::array<double, 3>& counts, double v) {
  return {{"A", counts[0]},   {"B", counts[1]}, {"C", counts[2]}, {"k", kRate},
          {"K", kSaturation}, {"v", v},         {"V", kVolume},   {"cell", 1.0}};
}

double evaluate(const ReactionNetwork& net, std::int32_t r, const std::array<double, 3>& counts,
                double v, double time) {
  return propensity(net, r, counts.data(), &v, time);
}

// The single-reaction value of `law` at these counts, through compile().
double compiled_value(const Expr& law, const std::array<double, 3>& counts, double v = 1.25,
                      double time = 0.0) {
  const ReactionNetwork net = compile(model_with_laws({law}));
  return evaluate(net, 0, counts, v, time);
}

Expr piecewise(std::vector<Expr> args) {
  return Expr::call(ExprOp::Piecewise, std::move(args));
}
Expr lt(Expr a, Expr b) {
  return Expr::call(ExprOp::Lt, {std::move(a), std::move(b)});
}
Expr gt(Expr a, Expr b) {
  return Expr::call(ExprOp::Gt, {std::move(a), std::move(b)});
}

}  // namespace

TEST_CASE("rate program: random expression trees evaluate as the tree does") {
  static const std::array<double, 9> count_values{0.0, 1.0, 2.0, 3.0, 10.0, 0.5, -2.0, 7.25, 1e-3};
  int programs = 0;
  int nan_results = 0;
  int evaluations = 0;
  for (std::uint64_t seed = 1; seed <= 60; ++seed) {
    std::mt19937_64 rng(seed);
    // Many laws in one network, so that each program is found at its place in the flat code.
    std::vector<Expr> laws;
    for (int r = 0; r < 40; ++r) laws.push_back(random_expr(rng, 1 + pick(rng, 5)));
    const ModelDescription model = model_with_laws(laws);
    const ReactionNetwork net = compile(model);
    for (std::int32_t r = 0; r < net.reaction_count(); ++r)
      if (net.rate_kind[static_cast<std::size_t>(r)] == RateKind::Program) ++programs;
    for (int point = 0; point < 20; ++point) {
      std::array<double, 3> counts{};
      for (double& x : counts)
        x = count_values[static_cast<std::size_t>(pick(rng, count_values.size()))];
      const double v = count_values[static_cast<std::size_t>(pick(rng, count_values.size()))];
      const double time = static_cast<double>(pick(rng, 40)) / 4.0;
      const test::SymbolValues values = values_at(counts, v);
      for (std::int32_t r = 0; r < net.reaction_count(); ++r) {
        const Expr& law = laws[static_cast<std::size_t>(r)];
        const double want = test::reference_value(law, values, time);
        const double got = evaluate(net, r, counts, v, time);
        CAPTURE(seed);
        CAPTURE(to_string(law));
        CAPTURE(counts[0]);
        CAPTURE(counts[1]);
        CAPTURE(counts[2]);
        CAPTURE(v);
        CAPTURE(time);
        REQUIRE(test::same_value(got, want));
        if (std::isnan(want)) ++nan_results;
        ++evaluations;
      }
    }
  }
  CHECK(evaluations == 60 * 40 * 20);
  CHECK(programs > 60 * 40 / 2);  // most random laws are not mass action
  CHECK(nan_results > 1000);      // domains, undefined piecewise: NaN must match NaN
  CHECK(nan_results < evaluations / 2);
}

TEST_CASE("rate program: piecewise takes the first branch that holds") {
  const Expr A = Expr::name("A");
  // A < 2 -> 10; A < 5 -> 20; otherwise 30
  const Expr with_otherwise =
      piecewise({Expr::constant(10), lt(A, Expr::constant(2)), Expr::constant(20),
                 lt(A, Expr::constant(5)), Expr::constant(30)});
  CHECK(compiled_value(with_otherwise, {0, 0, 0}) == 10.0);
  CHECK(compiled_value(with_otherwise, {1, 0, 0}) == 10.0);  // both hold: the first wins
  CHECK(compiled_value(with_otherwise, {2, 0, 0}) == 20.0);
  CHECK(compiled_value(with_otherwise, {5, 0, 0}) == 30.0);

  // Without otherwise the value is undefined (NaN) when no condition holds.
  const Expr without_otherwise =
      piecewise({A * Expr::constant(3), lt(A, Expr::constant(2)), A, gt(A, Expr::constant(4))});
  CHECK(compiled_value(without_otherwise, {1, 0, 0}) == 3.0);
  CHECK(std::isnan(compiled_value(without_otherwise, {3, 0, 0})));
  CHECK(compiled_value(without_otherwise, {7, 0, 0}) == 7.0);

  // Only `otherwise`.
  CHECK(compiled_value(piecewise({Expr::name("B") + Expr::constant(1)}), {0, 4, 0}) == 5.0);

  // Conditions and values that are piecewise themselves, and constant conditions (folded).
  const Expr nested = piecewise(
      {piecewise({Expr::constant(1), gt(A, Expr::constant(0)), Expr::constant(2)}),
       piecewise({Expr::constant(0), gt(Expr::name("B"), Expr::constant(0)), Expr::constant(1)}),
       Expr::constant(9)});
  CHECK(compiled_value(nested, {3, 0, 0}) == 1.0);
  CHECK(compiled_value(nested, {0, 0, 0}) == 2.0);
  CHECK(compiled_value(nested, {0, 5, 0}) == 9.0);
  CHECK(compiled_value(piecewise({Expr::constant(4), Expr::constant(0), Expr::constant(6)}),
                       {0, 0, 0}) == 6.0);
  CHECK(std::isnan(compiled_value(piecewise({Expr::constant(4), Expr::constant(0)}), {0, 0, 0})));
}

TEST_CASE("rate program: time and variable parameters are read at run time") {
  const Expr law = Expr::name("v") * Expr::time() + Expr::name("k");
  const ReactionNetwork net = compile(model_with_laws({law}));
  REQUIRE(net.rate_kind[0] == RateKind::Program);
  CHECK(net.time_dependent[0] == 1);
  CHECK(net.any_time_dependent());
  CHECK(evaluate(net, 0, {0, 0, 0}, 2.0, 3.0) == 2.0 * 3.0 + kRate);
  CHECK(evaluate(net, 0, {0, 0, 0}, -1.0, 0.5) == -0.5 + kRate);
}

TEST_CASE(
    "rate program: malformed and too deeply nested laws are input errors naming the reaction") {
  auto message_of = [](const Expr& law) -> std::string {
    try {
      compile(model_with_laws({law}));
    } catch (const InputError& e) {
      CHECK(e.element() == "reaction");
      CHECK(e.element_id() == "R0");
      return e.problem();
    }
    return "no error";
  };
  const Expr A = Expr::name("A");
  CHECK(message_of(Expr::call(ExprOp::Sub, {A, A, A})) == "'-' takes 2 argument(s)");
  CHECK(message_of(Expr::call(ExprOp::Exp, {A, A})) == "'exp' takes 1 argument(s)");

  // A right-leaning sum A + (A + (A + ...)) needs one stack slot per level.
  Expr deep = A;
  for (int i = 0; i < 80; ++i) deep = Expr::call(ExprOp::Add, {A, deep});
  CHECK(message_of(deep).find("nested too deeply") != std::string::npos);

  // The same depth leaning left needs two slots: it compiles and sums correctly.
  Expr wide = A;
  for (int i = 0; i < 80; ++i) wide = Expr::call(ExprOp::Add, {wide, A});
  CHECK(compiled_value(wide, {2, 0, 0}) == 162.0);
}

}  // namespace nkappa
