// A dimerisation 2A -> B written in concentrations (µM, law k [A]^2 V), converted to molecules
// by --propensity mass-action (sbml/amounts.cpp), is the same process as the model written in
// items with the propensity c A (A - 1), c = k / (N_A V): its ensemble mean of A matches the
// exact mean of that process (the chemical master equation, a pure-death chain of 51 states,
// integrated here) within z * SE at every output time.
//
// False-alarm budget: 1e-4 for the test; 16 output times after t = 0 (t = 0 is exact), each a
// two-sided z test, Bonferroni: z_limit = Phi^{-1}(1 - 1e-4 / 32) = 4.52, used as 4.6.
// Power: the same model read with x^2 in place of x (x - 1) (the law as written in items,
// c A^2) is run with the same seed and must leave the limit at some time; the predicted
// largest |Z| of that error is printed beside.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "engine/network/compile.hpp"
#include "sbml/read_sbml.hpp"
#include "tests/support/test_support.hpp"

namespace nkappa::test {
namespace {

constexpr double kAvogadro = 6.02214076e23;
constexpr double kZLimit = 4.6;
constexpr int kMolecules = 100;  // initial A
constexpr double kC = 0.01;      // per pair of molecules per second
constexpr double kTEnd = 4.0;
constexpr int kSamples = 16;

std::string number(double x) {
  char text[64];
  std::snprintf(text, sizeof text, "%.17g", x);
  return text;
}

// 1 µM of A in the volume that holds 100 molecules at 1 µM; k = c N_A V in /(µM s).
std::string dimerisation(const std::string& substance, double size, double initial,
                         const std::string& law) {
  return R"(<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2">
  <model id="dimerisation" substanceUnits=")" +
         substance + R"(" volumeUnits="litre" timeUnits="second" extentUnits=")" + substance +
         R"(">
    <listOfUnitDefinitions>
      <unitDefinition id="umol"><listOfUnits>
        <unit kind="mole" exponent="1" scale="-6" multiplier="1"/></listOfUnits></unitDefinition>
    </listOfUnitDefinitions>
    <listOfCompartments>
      <compartment id="cell" spatialDimensions="3" size=")" +
         number(size) + R"(" constant="true"/>
    </listOfCompartments>
    <listOfSpecies>
      <species id="A" compartment="cell" initialAmount=")" +
         number(initial) + R"(" hasOnlySubstanceUnits=")" +
         (substance == "item" ? "true" : "false") +
         R"(" boundaryCondition="false" constant="false"/>
      <species id="B" compartment="cell" initialAmount="0" hasOnlySubstanceUnits=")" +
         (substance == "item" ? "true" : "false") +
         R"(" boundaryCondition="false" constant="false"/>
    </listOfSpecies>
    <listOfParameters><parameter id="k" value=")" +
         number(substance == "item" ? kC : kC * kMolecules) +
         R"(" constant="true"/></listOfParameters>
    <listOfReactions>
      <reaction id="dimerise" reversible="false">
        <listOfReactants><speciesReference species="A" stoichiometry="2" constant="true"/></listOfReactants>
        <listOfProducts><speciesReference species="B" stoichiometry="1" constant="true"/></listOfProducts>
        <kineticLaw><math xmlns="http://www.w3.org/1998/Math/MathML">)" +
         law + R"(</math></kineticLaw>
      </reaction>
    </listOfReactions>
  </model>
</sbml>
)";
}

// E[A(t)] of the pure-death chain A -> A - 2 at rate c A (A - 1) (or c A^2 with `squared`),
// by classical RK4 on the master equation with a step far below 1 / (largest rate).
std::vector<double> exact_mean(const std::vector<double>& times, bool squared) {
  const int states = kMolecules / 2 + 1;  // A = 100, 98, ..., 0
  std::vector<double> rate(states), p(states, 0.0);
  for (int j = 0; j < states; ++j) {
    const double a = kMolecules - 2.0 * j;
    rate[j] = squared ? kC * a * a : kC * a * (a - 1.0);
  }
  p[0] = 1.0;
  auto derivative = [&](const std::vector<double>& q) {
    std::vector<double> d(states);
    for (int j = 0; j < states; ++j)
      d[j] = -rate[j] * q[j] + (j > 0 ? rate[j - 1] * q[j - 1] : 0.0);
    return d;
  };
  const double dt = 1e-4;
  std::vector<double> means;
  double t = 0.0;
  for (double target : times) {
    while (t < target - 1e-12) {
      const double h = std::min(dt, target - t);
      auto k1 = derivative(p);
      std::vector<double> q(states);
      for (int j = 0; j < states; ++j) q[j] = p[j] + 0.5 * h * k1[j];
      auto k2 = derivative(q);
      for (int j = 0; j < states; ++j) q[j] = p[j] + 0.5 * h * k2[j];
      auto k3 = derivative(q);
      for (int j = 0; j < states; ++j) q[j] = p[j] + h * k3[j];
      auto k4 = derivative(q);
      for (int j = 0; j < states; ++j) p[j] += h / 6.0 * (k1[j] + 2 * k2[j] + 2 * k3[j] + k4[j]);
      t += h;
    }
    double mean = 0.0;
    for (int j = 0; j < states; ++j) mean += (kMolecules - 2.0 * j) * p[j];
    means.push_back(mean);
  }
  return means;
}

double largest_abs_z(const EnsembleMoments& run, const std::vector<double>& exact,
                     std::int32_t column, std::int64_t n) {
  double worst = 0.0;
  for (std::int32_t ti = 1; ti < static_cast<std::int32_t>(exact.size()); ++ti) {
    const double se = std::sqrt(run.moments.variance(ti, column) / static_cast<double>(n));
    worst = std::max(worst, std::abs(run.moments.mean(ti, column) - exact[ti]) / se);
  }
  return worst;
}

}  // namespace

TEST_CASE("units: dimerisation in µM converted to molecules has the mean of the items model") {
  const double litres = kMolecules / (kAvogadro * 1e-6);  // 100 molecules at 1 µM
  const std::string square =
      "<apply><times/><ci>cell</ci><ci>k</ci><apply><power/><ci>A</ci><cn>2</cn></apply></apply>";
  const std::string concentration =
      write_temp_file("units_stat", "micromolar.xml",
                      dimerisation("umol", litres, 1.0 * litres, square))
          .string();
  const std::string items =
      write_temp_file(
          "units_stat", "items.xml",
          dimerisation("item", 1.0, kMolecules,
                       "<apply><times/><ci>k</ci><ci>A</ci><apply><minus/><ci>A</ci><cn>1</cn>"
                       "</apply></apply>"))
          .string();
  const std::string items_squared =
      write_temp_file(
          "units_stat", "items_squared.xml",
          dimerisation(
              "item", 1.0, kMolecules,
              "<apply><times/><ci>k</ci><apply><power/><ci>A</ci><cn>2</cn></apply></apply>"))
          .string();

  SbmlReadOptions mass_action;
  mass_action.units.propensity = PropensityReading::MassAction;
  const ReactionNetwork converted = compile(read_sbml(concentration, mass_action));
  const ReactionNetwork written = compile(read_sbml(items));
  REQUIRE(converted.initial_counts[0] == kMolecules);
  REQUIRE(converted.propensity_terms[0].shape == MassActionShape::XX);
  REQUIRE(written.propensity_terms[0].shape == MassActionShape::XX);
  CHECK(converted.rate_constant[0] == doctest::Approx(written.rate_constant[0]).epsilon(1e-12));

  RunSpec spec;
  spec.t_end = kTEnd;
  spec.samples = kSamples;
  spec.trajectories = 4000;
  spec.seed = 20261127;
  const EnsembleMoments run = run_moments(converted, "direct", spec);
  const std::vector<double> exact = exact_mean(run.times, false);
  CHECK(run.moments.mean(0, 0) == kMolecules);
  const double worst = largest_abs_z(run, exact, 0, spec.trajectories);
  CHECK_MESSAGE(worst <= kZLimit, "largest |Z| " << worst << ", limit " << kZLimit);

  // Power: x^2 instead of x (x - 1) must be seen.
  const ReactionNetwork squared = compile(read_sbml(items_squared));
  const EnsembleMoments wrong = run_moments(squared, "direct", spec);
  const std::vector<double> exact_squared = exact_mean(run.times, true);
  double predicted = 0.0;
  for (std::size_t ti = 1; ti < exact.size(); ++ti)
    predicted =
        std::max(predicted, std::abs(exact_squared[ti] - exact[ti]) /
                                std::sqrt(wrong.moments.variance(static_cast<std::int32_t>(ti), 0) /
                                          static_cast<double>(spec.trajectories)));
  const double wrong_worst = largest_abs_z(wrong, exact, 0, spec.trajectories);
  MESSAGE("x(x-1): largest |Z| " << worst << "; x^2: largest |Z| " << wrong_worst << " (predicted "
                                 << predicted << ", limit " << kZLimit << ")");
  CHECK(wrong_worst > kZLimit);
}

}  // namespace nkappa::test
