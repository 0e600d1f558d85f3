// Propensity evaluation (engine/network/propensity.hpp) against values written by hand, for
// every mass-action shape compile() chooses and for laws that must go to the program path,
// over populations 0, 1, 2, 3 and 10 of every species.
#include <doctest/doctest.h>

#include <array>
#include <functional>
#include <string>
#include <vector>

#include "engine/model/builder.hpp"
#include "engine/network/compile.hpp"
#include "engine/network/propensity.hpp"
#include "tests/unit/expr_reference.hpp"

namespace nkappa {
namespace {

constexpr double kRate = 0.7;
constexpr double kSaturation = 5.0;
constexpr double kVolume = 2.5;

Expr n(double v) {
  return Expr::constant(v);
}
Expr sym(const char* id) {
  return Expr::name(id);
}
Expr power(Expr a, Expr b) {
  return Expr::call(ExprOp::Pow, {std::move(a), std::move(b)});
}
Expr mul(std::vector<Expr> factors) {
  return Expr::call(ExprOp::Mul, std::move(factors));
}

using Populations = std::array<double, 4>;  // A, B, C, D

struct LawCase {
  std::string description;
  Expr law;
  RateKind kind;
  MassActionShape shape;
  double coefficient;  // mass action only: the rate constant compile() must find
  std::array<std::int32_t, 3> shape_species;  // mass action only
  std::function<double(const Populations&)> by_hand;
};

// One reaction A + B -> C reading `law`, in a model with species A, B, C, D (indices 0..3),
// parameters k and K and a compartment V besides the builder's.
ReactionNetwork network_with_law(const Expr& law) {
  ModelBuilder b;
  b.species("A", 0).species("B", 0).species("C", 0).species("D", 0);
  b.parameter("k", kRate).parameter("K", kSaturation);
  b.reaction("R", {{"A", 1}, {"B", 1}}, {{"C", 1}}, law);
  ModelDescription model = b.build();
  model.compartments.push_back(CompartmentDesc{"V", kVolume, 3, {}});
  return compile(model);
}

using ByHand = std::function<double(const Populations&)>;
using ShapeSpecies = std::array<std::int32_t, 3>;

LawCase mass_action_case(std::string description, Expr law, MassActionShape shape,
                         double coefficient, ShapeSpecies species, ByHand by_hand) {
  return {std::move(description), std::move(law), RateKind::MassAction, shape, coefficient, species,
          std::move(by_hand)};
}

LawCase program_case(std::string description, Expr law, ByHand by_hand) {
  LawCase c = mass_action_case(std::move(description), std::move(law), MassActionShape::Program,
                               0.0, {-1, -1, -1}, std::move(by_hand));
  c.kind = RateKind::Program;
  return c;
}

std::vector<LawCase> law_cases() {
  using S = MassActionShape;
  const double k = kRate;
  const ShapeSpecies any{-1, -1, -1};  // General: the species are in law_factors
  const ShapeSpecies x{0, -1, -1};
  auto A = [] { return sym("A"); };
  auto B = [] { return sym("B"); };
  auto C = [] { return sym("C"); };
  auto D = [] { return sym("D"); };
  std::vector<LawCase> cases;
  cases.push_back(mass_action_case("order 0: k", sym("k"), S::Order0, k, any,
                                   [=](const Populations&) { return k; }));
  cases.push_back(mass_action_case("order 1: k A", sym("k") * A(), S::X, k, x,
                                   [=](const Populations& p) { return k * p[0]; }));
  cases.push_back(mass_action_case("order 2 distinct: k A B", sym("k") * A() * B(), S::XY, k,
                                   {0, 1, -1},
                                   [=](const Populations& p) { return k * p[0] * p[1]; }));
  cases.push_back(mass_action_case("order 2 same: k A (A-1)", sym("k") * A() * (A() - n(1)), S::XX,
                                   k, x,
                                   [=](const Populations& p) { return k * p[0] * (p[0] - 1); }));
  cases.push_back(mass_action_case("order 3: k A B C", sym("k") * A() * B() * C(), S::XYZ, k,
                                   {0, 1, 2},
                                   [=](const Populations& p) { return k * p[0] * p[1] * p[2]; }));
  cases.push_back(mass_action_case(
      "order 3: k A (A-1) B", sym("k") * A() * (A() - n(1)) * B(), S::XXY, k, {0, 1, -1},
      [=](const Populations& p) { return k * p[0] * (p[0] - 1) * p[1]; }));
  // The doubled species comes first in the shape's species whatever its index.
  cases.push_back(mass_action_case(
      "order 3: k A B (B-1)", sym("k") * A() * B() * (B() - n(1)), S::XXY, k, {1, 0, -1},
      [=](const Populations& p) { return k * p[1] * (p[1] - 1) * p[0]; }));
  cases.push_back(mass_action_case(
      "order 3: k A (A-1) (A-2)", sym("k") * A() * (A() - n(1)) * (A() - n(2)), S::XXX, k, x,
      [=](const Populations& p) { return k * p[0] * (p[0] - 1) * (p[0] - 2); }));
  cases.push_back(mass_action_case(
      "order 4 one species", mul({sym("k"), A(), A() - n(1), A() - n(2), A() - n(3)}), S::General,
      k, any,
      [=](const Populations& p) { return k * p[0] * (p[0] - 1) * (p[0] - 2) * (p[0] - 3); }));
  cases.push_back(mass_action_case(
      "order 4 two pairs", mul({sym("k"), A(), A() - n(1), B(), B() - n(1)}), S::General, k, any,
      [=](const Populations& p) { return k * p[0] * (p[0] - 1) * p[1] * (p[1] - 1); }));
  cases.push_back(
      mass_action_case("order 4 four species", mul({sym("k"), A(), B(), C(), D()}), S::General, k,
                       any, [=](const Populations& p) { return k * p[0] * p[1] * p[2] * p[3]; }));
  cases.push_back(mass_action_case(
      "order 4 mixed", mul({sym("k"), C(), A(), C() - n(1), D()}), S::General, k, any,
      [=](const Populations& p) { return k * p[0] * p[2] * (p[2] - 1) * p[3]; }));
  // Combinatorial factors written into the law belong to the coefficient.
  cases.push_back(
      mass_action_case("k A (A-1) / 2", sym("k") * A() * (A() - n(1)) / n(2), S::XX, k / 2, x,
                       [=](const Populations& p) { return k * p[0] * (p[0] - 1) / 2; }));
  cases.push_back(
      mass_action_case("(A-1) A k / 2", (A() - n(1)) * A() * sym("k") / n(2), S::XX, k / 2, x,
                       [=](const Populations& p) { return k * p[0] * (p[0] - 1) / 2; }));
  cases.push_back(mass_action_case(
      "k A (A-1) (A-2) / 6", sym("k") * A() * (A() - n(1)) * (A() - n(2)) / n(6), S::XXX, k / 6, x,
      [=](const Populations& p) { return k * p[0] * (p[0] - 1) * (p[0] - 2) / 6; }));
  cases.push_back(mass_action_case("k A (A + -1)", sym("k") * A() * (A() + n(-1)), S::XX, k, x,
                                   [=](const Populations& p) { return k * p[0] * (p[0] - 1); }));
  cases.push_back(mass_action_case("k A^1", sym("k") * power(A(), n(1)), S::X, k, x,
                                   [=](const Populations& p) { return k * p[0]; }));
  cases.push_back(mass_action_case("V k A", sym("V") * sym("k") * A(), S::X, kVolume * k, x,
                                   [=](const Populations& p) { return kVolume * k * p[0]; }));
  cases.push_back(
      mass_action_case("k A B / V", sym("k") * A() * B() / sym("V"), S::XY, k / kVolume, {0, 1, -1},
                       [=](const Populations& p) { return k * p[0] * p[1] / kVolume; }));
  // Not of the mass-action shape: evaluated by the program, still exactly.
  cases.push_back(program_case("k A^2", sym("k") * power(A(), n(2)),
                               [=](const Populations& p) { return k * p[0] * p[0]; }));
  cases.push_back(program_case("k A A", sym("k") * A() * A(),
                               [=](const Populations& p) { return k * p[0] * p[0]; }));
  cases.push_back(
      program_case("k A / (K + A)", sym("k") * A() / (sym("K") + A()),
                   [=](const Populations& p) { return k * p[0] / (kSaturation + p[0]); }));
  cases.push_back(program_case("A (A-2)", A() * (A() - n(2)),
                               [=](const Populations& p) { return p[0] * (p[0] - 2); }));
  cases.push_back(program_case("k (A-1)", sym("k") * (A() - n(1)),
                               [=](const Populations& p) { return k * (p[0] - 1); }));
  cases.push_back(program_case("k A (A-1.5)", sym("k") * A() * (A() - n(1.5)),
                               [=](const Populations& p) { return k * p[0] * (p[0] - 1.5); }));
  cases.push_back(program_case("-k A", Expr::call(ExprOp::Neg, {sym("k")}) * A(),
                               [=](const Populations& p) { return -k * p[0]; }));
  cases.push_back(program_case("k A + k B", sym("k") * A() + sym("k") * B(),
                               [=](const Populations& p) { return k * p[0] + k * p[1]; }));
  return cases;
}

}  // namespace

TEST_CASE("propensity: every law shape against hand values over populations 0, 1, 2, 3, 10") {
  const std::array<double, 5> populations{0, 1, 2, 3, 10};
  for (const LawCase& c : law_cases()) {
    CAPTURE(c.description);
    const ReactionNetwork net = network_with_law(c.law);
    REQUIRE(net.rate_kind[0] == c.kind);
    const PropensityTerm& term = net.propensity_terms[0];
    CHECK(term.shape == c.shape);
    if (c.kind == RateKind::MassAction) {
      CHECK(test::same_value(net.rate_constant[0], c.coefficient, 1e-15));
      CHECK(term.k == net.rate_constant[0]);
      if (c.shape != MassActionShape::General) CHECK(term.species == c.shape_species);
      CHECK(term.program == -1);
    } else {
      CHECK(term.program >= 0);
    }
    int evaluated = 0;
    for (double a : populations)
      for (double b : populations)
        for (double cc : populations)
          for (double d : populations) {
            const Populations p{a, b, cc, d};
            CAPTURE(a);
            CAPTURE(b);
            CAPTURE(cc);
            CAPTURE(d);
            const double got = propensity(net, 0, p.data(), nullptr, 0.0);
            REQUIRE(test::same_value(got, c.by_hand(p), 1e-14));
            ++evaluated;
          }
    CHECK(evaluated == 625);
  }
}

TEST_CASE("propensity: the general shape records each species with its multiplicity") {
  const ReactionNetwork net =
      network_with_law(mul({sym("k"), sym("C"), sym("A"), sym("C") - n(1), sym("D")}));
  REQUIRE(net.propensity_terms[0].shape == MassActionShape::General);
  const auto index = net.law_factors.row_index(0);
  const auto multiplicity = net.law_factors.row_value(0);
  CHECK(std::vector<std::int32_t>(index.begin(), index.end()) ==
        std::vector<std::int32_t>{0, 2, 3});
  CHECK(std::vector<std::int32_t>(multiplicity.begin(), multiplicity.end()) ==
        std::vector<std::int32_t>{1, 2, 1});
}

TEST_CASE("propensity: the builder's mass_action law is k times falling factorials") {
  // Reactant lists as a model author writes them: 2A + B, 3A, 4A.
  struct Case {
    std::vector<std::pair<std::string, double>> reactants;
    MassActionShape shape;
    std::function<double(double, double)> by_hand;
  };
  const std::vector<Case> cases = {
      {{{"A", 2}, {"B", 1}},
       MassActionShape::XXY,
       [](double a, double b) { return kRate * a * (a - 1) * b; }},
      {{{"A", 3}},
       MassActionShape::XXX,
       [](double a, double) { return kRate * a * (a - 1) * (a - 2); }},
      {{{"A", 4}},
       MassActionShape::General,
       [](double a, double) { return kRate * a * (a - 1) * (a - 2) * (a - 3); }},
  };
  for (const Case& c : cases) {
    ModelBuilder b;
    b.species("A", 0).species("B", 0).parameter("k", kRate);
    b.mass_action("R", c.reactants, {}, "k");
    const ReactionNetwork net = compile(b.build());
    CAPTURE(net.law_text[0]);
    REQUIRE(net.rate_kind[0] == RateKind::MassAction);
    CHECK(net.propensity_terms[0].shape == c.shape);
    for (double a : {0.0, 1.0, 2.0, 3.0, 10.0})
      for (double bb : {0.0, 1.0, 2.0, 3.0, 10.0}) {
        const std::array<double, 2> counts{a, bb};
        CHECK(propensity(net, 0, counts.data(), nullptr, 0.0) ==
              doctest::Approx(c.by_hand(a, bb)).epsilon(1e-14));
      }
  }
}

TEST_CASE("falling_factorial") {
  CHECK(falling_factorial(10, 0) == 1.0);
  CHECK(falling_factorial(10, 1) == 10.0);
  CHECK(falling_factorial(10, 3) == 720.0);
  CHECK(falling_factorial(2, 3) == 0.0);
  CHECK(falling_factorial(0, 1) == 0.0);
  CHECK(falling_factorial(5, 5) == 120.0);
}

}  // namespace nkappa
