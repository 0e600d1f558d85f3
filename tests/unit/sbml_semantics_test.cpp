// SBML semantics read by sbml/ and compiled by engine/network (issue 6, the semantic suite):
// hierarchical models (comp), species-reference ids, rateOf, conversion factors. Each model is
// tiny and has an exact answer (closed-form ODE solutions or exact initial values).
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <string>

#include "engine/error.hpp"
#include "engine/network/compile.hpp"
#include "engine/ode/cvode_solver.hpp"
#include "engine/run/method.hpp"
#include "sbml/read_sbml.hpp"
#include "tests/support/test_support.hpp"

namespace nkappa {
namespace {

std::filesystem::path write_file(const std::string& name, const std::string& text) {
  return test::write_temp_file("sbml-semantics", name, text);
}

// The amount of `species` at the output times 0, 1, ..., t_end of the ODE path.
std::vector<double> ode_amounts(const ReactionNetwork& net, const std::string& species, int t_end) {
  OdeSpec spec;
  spec.t_end = t_end;
  spec.samples = t_end;
  const OdeSolution solution = solve_ode(net, spec);
  const std::int32_t s = net.species_index(species);
  REQUIRE(s >= 0);
  std::vector<double> out;
  for (const State& state : solution.samples)
    out.push_back(state.counts[static_cast<std::size_t>(s)]);
  return out;
}

// The value of `id` (species amount or variable parameter) at output times 0, 1, ..., t_end.
std::vector<double> ode_values(const ReactionNetwork& net, const std::string& id, int t_end) {
  const std::int32_t p =
      static_cast<std::int32_t>(std::find(net.parameter_ids.begin(), net.parameter_ids.end(), id) -
                                net.parameter_ids.begin());
  if (net.species_index(id) >= 0 || p == static_cast<std::int32_t>(net.parameter_ids.size()))
    return ode_amounts(net, id, t_end);
  OdeSpec spec;
  spec.t_end = t_end;
  spec.samples = t_end;
  std::vector<double> out;
  for (const State& state : solve_ode(net, spec).samples)
    out.push_back(state.parameters[static_cast<std::size_t>(p)]);
  return out;
}

// The part both models below share: parameter k (= 1) and `parameters`, reaction R consuming S
// with law k S into `products` (a listOfProducts body, or none), `extra`, and the closing tags.
std::string decay_of_s_and_rest(const std::string& parameters, const std::string& products,
                                const std::string& extra) {
  const std::string product_list =
      products.empty()
          ? ""
          : "        <listOfProducts>\n          " + products + "\n        </listOfProducts>\n";
  return R"(    <listOfParameters>
      <parameter id="k" value="1" constant="true"/>
)" + parameters +
         R"(    </listOfParameters>
    <listOfReactions>
      <reaction id="R" reversible="false">
        <listOfReactants>
          <speciesReference species="S" stoichiometry="1" constant="true"/>
        </listOfReactants>
)" + product_list +
         R"(        <kineticLaw>
          <math xmlns="http://www.w3.org/1998/Math/MathML"><apply><times/><ci>k</ci><ci>S</ci></apply></math>
        </kineticLaw>
      </reaction>
    </listOfReactions>
)" + extra +
         R"(  </model>
</sbml>
)";
}

// An SBML L3V2 model: compartment `cell` of size 1, species S (amount 10) decaying by reaction
// R with law k S (k = 1) into `products` of P (amount 0); `extra` is inserted after the
// reaction list (rules, initial assignments).
std::string decay_model(const std::string& product_reference, const std::string& extra,
                        const std::string& species_attributes = "",
                        const std::string& parameters = "") {
  return R"(<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2">
  <model id="m">
    <listOfCompartments>
      <compartment id="cell" spatialDimensions="3" size="1" constant="true"/>
    </listOfCompartments>
    <listOfSpecies>
      <species id="S" compartment="cell" initialAmount="10" hasOnlySubstanceUnits="true" boundaryCondition="false" constant="false" )" +
         species_attributes + R"(/>
      <species id="P" compartment="cell" initialAmount="0" hasOnlySubstanceUnits="true" boundaryCondition="false" constant="false"/>
    </listOfSpecies>
)" + decay_of_s_and_rest(parameters, product_reference, extra);
}

const std::string kMath = R"(<math xmlns="http://www.w3.org/1998/Math/MathML">)";

bool refused_by_ssa(const ReactionNetwork& net, const std::string& why) {
  const std::string message =
      test::input_error_of([&] { check_capabilities(find_method("direct", net), net); });
  return message.find(why) != std::string::npos &&
         message.find("only by the ODE path") != std::string::npos;
}

// A model with one compartment V (size 1, not constant), a concentration species S (amount 10)
// decaying by law k S (k = 1, S its concentration) and `extra` (rules, events) after the
// reactions, and `parameters` beside k: d amount / dt = -amount / V.
std::string compartment_model(const std::string& compartment_attributes, const std::string& extra,
                              const std::string& parameters = "") {
  return R"(<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2">
  <model id="m">
    <listOfCompartments>
      <compartment id="V" spatialDimensions="3" constant="false" )" +
         compartment_attributes + R"(/>
    </listOfCompartments>
    <listOfSpecies>
      <species id="S" compartment="V" initialAmount="10" hasOnlySubstanceUnits="false" boundaryCondition="false" constant="false"/>
    </listOfSpecies>
)" + decay_of_s_and_rest(parameters, "", extra);
}

const std::string kTime =
    R"(<csymbol encoding="text" definitionURL="http://www.sbml.org/sbml/symbols/time"> t </csymbol>)";
const std::string kRateOf =
    R"(<csymbol encoding="text" definitionURL="http://www.sbml.org/sbml/symbols/rateOf"> rateOf </csymbol>)";

}  // namespace

TEST_CASE("sbml semantics: an event sets a compartment size; amounts stay, concentrations follow") {
  // V := 2 at t = 1 (SBML Test Suite 01222, 01780): the amount is 10 e^-t before, and the
  // amount 10 e^-1 then decays at rate 1/2. The stochastic reading refuses it by name.
  const auto path = write_file(
      "evented_compartment.xml",
      compartment_model(R"(size="1")", R"(    <listOfEvents>
      <event id="grow" useValuesFromTriggerTime="true">
        <trigger initialValue="true" persistent="true"><math xmlns="http://www.w3.org/1998/Math/MathML"><apply><geq/>)" +
                                           kTime + R"(<cn> 1 </cn></apply></math></trigger>
        <listOfEventAssignments>
          <eventAssignment variable="V"><math xmlns="http://www.w3.org/1998/Math/MathML"><cn> 2 </cn></math></eventAssignment>
        </listOfEventAssignments>
      </event>
    </listOfEvents>
)"));
  const ReactionNetwork net = compile(read_sbml(path.string()));
  const std::vector<double> s = ode_values(net, "S", 3);
  const std::vector<double> v = ode_values(net, "V", 3);
  CHECK(s[1] == doctest::Approx(10.0 * std::exp(-1.0)).epsilon(1e-6));
  for (int t = 1; t <= 3; ++t) {
    CHECK(s[t] == doctest::Approx(10.0 * std::exp(-1.0 - (t - 1) / 2.0)).epsilon(1e-6));
    CHECK(v[t] == 2.0);
  }
  CHECK(v[0] == 1.0);
  CHECK(refused_by_ssa(net, "an event assignment to the size of compartment 'V'"));
  ModelDescription constant = read_sbml(path.string());
  constant.find_compartment("V")->constant = true;
  CHECK(test::input_error_of([&] { compile(constant); }).find("which is constant") !=
        std::string::npos);
}

TEST_CASE("sbml semantics: an algebraic rule gives the size of a compartment declared without") {
  // 0 = V - 2 (SBML Test Suite 00540, 01786): V = 2 at every time, so the amount is 10 e^-t/2.
  const auto path =
      write_file("algebraic_compartment.xml",
                 compartment_model("", "    <listOfRules>\n      <algebraicRule>" + kMath +
                                           "<apply><minus/><ci> V </ci><cn> 2 </cn></apply></math>"
                                           "</algebraicRule>\n    </listOfRules>\n"));
  const ReactionNetwork net = compile(read_sbml(path.string()));
  const std::vector<double> s = ode_values(net, "S", 2);
  const std::vector<double> v = ode_values(net, "V", 2);
  for (int t = 0; t <= 2; ++t) {
    CHECK(s[t] == doctest::Approx(10.0 * std::exp(-t / 2.0)).epsilon(1e-6));
    CHECK(v[t] == doctest::Approx(2.0).epsilon(1e-9));
  }
}

TEST_CASE("sbml semantics: rateOf() in an event's delay and priority") {
  // dp/dt = 2, so rateOf(p) = 2: the event triggered at t = 1 with delay rateOf(p) executes at
  // t = 3 (SBML Test Suite 01268); its priority rateOf(p) (01262) must compile too.
  const auto path = write_file(
      "rate_of_delay.xml", compartment_model(R"(size="1")",
                                             R"(    <listOfRules>
      <rateRule variable="p"><math xmlns="http://www.w3.org/1998/Math/MathML"><cn> 2 </cn></math></rateRule>
    </listOfRules>
    <listOfEvents>
      <event id="late" useValuesFromTriggerTime="true">
        <trigger initialValue="true" persistent="true"><math xmlns="http://www.w3.org/1998/Math/MathML"><apply><geq/>)" +
                                                 kTime + R"(<cn> 1 </cn></apply></math></trigger>
        <delay><math xmlns="http://www.w3.org/1998/Math/MathML"><apply>)" +
                                                 kRateOf + R"(<ci> p </ci></apply></math></delay>
        <priority><math xmlns="http://www.w3.org/1998/Math/MathML"><apply>)" +
                                                 kRateOf + R"(<ci> p </ci></apply></math></priority>
        <listOfEventAssignments>
          <eventAssignment variable="q"><math xmlns="http://www.w3.org/1998/Math/MathML"><cn> 5 </cn></math></eventAssignment>
        </listOfEventAssignments>
      </event>
    </listOfEvents>
)",
                                             R"(      <parameter id="p" value="0" constant="false"/>
      <parameter id="q" value="0" constant="false"/>
)"));
  const ReactionNetwork net = compile(read_sbml(path.string()));
  const std::vector<double> q = ode_values(net, "q", 4);
  CHECK(q[2] == 0.0);
  CHECK(q[3] == 5.0);
  CHECK(q[4] == 5.0);
}

TEST_CASE(
    "sbml semantics: a species-reference id set by an initial assignment is the stoichiometry") {
  // S -> n P, n = 3 from t = 0: a constant net change, so the SSA accepts it; P = 30 (1 - e^-t).
  const auto path = write_file(
      "stoichiometry_initial.xml",
      decay_model(
          R"(<speciesReference id="n" species="P" stoichiometry="1" constant="true"/>)",
          "    <listOfInitialAssignments>\n      <initialAssignment symbol=\"n\">" + kMath +
              "<cn> 3 </cn></math></initialAssignment>\n    </listOfInitialAssignments>\n"));
  const ReactionNetwork net = compile(read_sbml(path.string()));
  REQUIRE(net.reaction_count() == 1);
  const auto values = net.net_change.row_value(0);
  REQUIRE(values.size() == 2);
  CHECK(values[0] == -1.0);
  CHECK(values[1] == 3.0);
  CHECK(net.ode_only.problem.empty());
  const std::vector<double> p = ode_values(net, "P", 3);
  for (int t = 0; t <= 3; ++t)
    CHECK(p[t] == doctest::Approx(30.0 * (1.0 - std::exp(-t))).epsilon(1e-6));
}

TEST_CASE(
    "sbml semantics: a stoichiometry set by a rate rule varies in the ODE path; the SSA refuses "
    "it") {
  // dn/dt = 1, n(0) = 1: dP/dt = n k S = (1 + t) 10 e^-t, P = 10 (2 - (2 + t) e^-t).
  const auto path = write_file(
      "stoichiometry_rate_rule.xml",
      decay_model(R"(<speciesReference id="n" species="P" stoichiometry="1" constant="false"/>)",
                  "    <listOfRules>\n      <rateRule variable=\"n\">" + kMath +
                      "<cn> 1 </cn></math></rateRule>\n    </listOfRules>\n"));
  const ReactionNetwork net = compile(read_sbml(path.string()));
  const std::vector<double> p = ode_values(net, "P", 3);
  const std::vector<double> s = ode_values(net, "S", 3);
  for (int t = 0; t <= 3; ++t) {
    CHECK(p[t] == doctest::Approx(10.0 * (2.0 - (2.0 + t) * std::exp(-t))).epsilon(1e-6));
    CHECK(s[t] == doctest::Approx(10.0 * std::exp(-t)).epsilon(1e-6));
  }
  CHECK(refused_by_ssa(net, "a stoichiometry that varies in time ('n')"));
}

TEST_CASE("sbml semantics: L2 stoichiometryMath is the stoichiometry at every time") {
  // S -> p P with stoichiometryMath p (a parameter an event doubles at t = 1): P = 10 (1 - e^-t)
  // before, and after it every new P counts twice: P(2) = P(1) + 20 (e^-1 - e^-2).
  const auto path = write_file("stoichiometry_math.xml", R"(<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level2/version4" level="2" version="4">
  <model id="m">
    <listOfCompartments><compartment id="cell" size="1"/></listOfCompartments>
    <listOfSpecies>
      <species id="S" compartment="cell" initialAmount="10" hasOnlySubstanceUnits="true"/>
      <species id="P" compartment="cell" initialAmount="0" hasOnlySubstanceUnits="true"/>
    </listOfSpecies>
    <listOfParameters>
      <parameter id="k" value="1"/>
      <parameter id="p" value="1" constant="false"/>
    </listOfParameters>
    <listOfReactions>
      <reaction id="R" reversible="false">
        <listOfReactants><speciesReference species="S"/></listOfReactants>
        <listOfProducts>
          <speciesReference species="P"><stoichiometryMath>
            <math xmlns="http://www.w3.org/1998/Math/MathML"><ci> p </ci></math>
          </stoichiometryMath></speciesReference>
        </listOfProducts>
        <kineticLaw>
          <math xmlns="http://www.w3.org/1998/Math/MathML"><apply><times/><ci>k</ci><ci>S</ci></apply></math>
        </kineticLaw>
      </reaction>
    </listOfReactions>
    <listOfEvents>
      <event id="E">
        <trigger><math xmlns="http://www.w3.org/1998/Math/MathML"><apply><geq/><csymbol encoding="text" definitionURL="http://www.sbml.org/sbml/symbols/time"> t </csymbol><cn> 1 </cn></apply></math></trigger>
        <listOfEventAssignments>
          <eventAssignment variable="p"><math xmlns="http://www.w3.org/1998/Math/MathML"><cn> 2 </cn></math></eventAssignment>
        </listOfEventAssignments>
      </event>
    </listOfEvents>
  </model>
</sbml>
)");
  const ReactionNetwork net = compile(read_sbml(path.string()));
  const std::vector<double> p = ode_values(net, "P", 2);
  CHECK(p[1] == doctest::Approx(10.0 * (1.0 - std::exp(-1.0))).epsilon(1e-6));
  CHECK(p[2] == doctest::Approx(p[1] + 20.0 * (std::exp(-1.0) - std::exp(-2.0))).epsilon(1e-6));
  CHECK(refused_by_ssa(net, "a stoichiometry that varies in time"));
}

TEST_CASE("sbml semantics: rateOf and a reaction id read in math, ODE only for rateOf") {
  // x = rateOf(S) = -k S = -10 e^-t; y = R (the reaction's rate) = k S = 10 e^-t.
  const auto path = write_file(
      "rate_of.xml",
      decay_model(R"(<speciesReference species="P" stoichiometry="1" constant="true"/>)",
                  "    <listOfRules>\n      <assignmentRule variable=\"x\">" + kMath +
                      "<apply><csymbol encoding=\"text\" "
                      "definitionURL=\"http://www.sbml.org/sbml/symbols/rateOf\"> rateOf "
                      "</csymbol><ci> S </ci></apply></math></assignmentRule>\n"
                      "      <assignmentRule variable=\"y\">" +
                      kMath + "<ci> R </ci></math></assignmentRule>\n    </listOfRules>\n",
                  "", R"(      <parameter id="x" constant="false"/>
      <parameter id="y" constant="false"/>
)"));
  const ReactionNetwork net = compile(read_sbml(path.string()));
  const std::vector<double> x = ode_values(net, "x", 3);
  const std::vector<double> y = ode_values(net, "y", 3);
  for (int t = 0; t <= 3; ++t) {
    CHECK(x[t] == doctest::Approx(-10.0 * std::exp(-t)).epsilon(1e-6));
    CHECK(y[t] == doctest::Approx(10.0 * std::exp(-t)).epsilon(1e-6));
  }
  CHECK(refused_by_ssa(net, "rateOf() in math"));
}

TEST_CASE("sbml semantics: a conversion factor multiplies every change of its species") {
  // conversionFactor 2 on S: dS/dt = -2 k S, dP/dt = k S; S = 10 e^-2t, P = 5 (1 - e^-2t).
  const auto path = write_file(
      "conversion_factor.xml",
      decay_model(R"(<speciesReference species="P" stoichiometry="1" constant="true"/>)", "",
                  R"(conversionFactor="f" )", R"(      <parameter id="f" value="2" constant="true"/>
)"));
  const ReactionNetwork net = compile(read_sbml(path.string()));
  CHECK(net.net_change.row_value(0)[0] == -2.0);
  CHECK(net.net_change.row_value(0)[1] == 1.0);
  const std::vector<double> s = ode_values(net, "S", 2);
  const std::vector<double> p = ode_values(net, "P", 2);
  for (int t = 0; t <= 2; ++t) {
    CHECK(s[t] == doctest::Approx(10.0 * std::exp(-2.0 * t)).epsilon(1e-6));
    CHECK(p[t] == doctest::Approx(5.0 * (1.0 - std::exp(-2.0 * t))).epsilon(1e-6));
  }
}

TEST_CASE("sbml semantics: a concentration rate rule in a compartment under a rate rule") {
  // d[S]/dt = 0.4 from [S] = 0 while dV/dt = 0.2 from V = 0.5 (SBML Test Suite 01198): the
  // amount is [S] V = 0.4 t (0.5 + 0.2 t), not the integral of 0.4 V.
  const auto path = write_file("growing_compartment.xml", R"(<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2">
  <model id="m">
    <listOfCompartments>
      <compartment id="V" spatialDimensions="3" size="0.5" constant="false"/>
    </listOfCompartments>
    <listOfSpecies>
      <species id="S" compartment="V" initialConcentration="0" hasOnlySubstanceUnits="false" boundaryCondition="false" constant="false"/>
    </listOfSpecies>
    <listOfRules>
      <rateRule variable="S"><math xmlns="http://www.w3.org/1998/Math/MathML"><cn> 0.4 </cn></math></rateRule>
      <rateRule variable="V"><math xmlns="http://www.w3.org/1998/Math/MathML"><cn> 0.2 </cn></math></rateRule>
    </listOfRules>
  </model>
</sbml>
)");
  const ReactionNetwork net = compile(read_sbml(path.string()));
  const std::vector<double> s = ode_values(net, "S", 3);
  for (int t = 0; t <= 3; ++t)
    CHECK(s[t] == doctest::Approx(0.4 * t * (0.5 + 0.2 * t)).epsilon(1e-6));
}

TEST_CASE("sbml semantics: a compartment without size given by a rule; L3V2 math may be absent") {
  // C has no size; the rule C = 2 gives it, so [S] = 3 is 6 items. The initial assignment
  // without math (allowed by L3V2) changes nothing: k keeps 5.
  const auto path = write_file("unsized.xml", R"(<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2">
  <model id="m">
    <listOfCompartments>
      <compartment id="C" spatialDimensions="3" constant="false"/>
    </listOfCompartments>
    <listOfSpecies>
      <species id="S" compartment="C" initialConcentration="3" hasOnlySubstanceUnits="false" boundaryCondition="false" constant="false"/>
    </listOfSpecies>
    <listOfParameters>
      <parameter id="k" value="5" constant="true"/>
    </listOfParameters>
    <listOfInitialAssignments>
      <initialAssignment symbol="k"/>
    </listOfInitialAssignments>
    <listOfRules>
      <assignmentRule variable="C"><math xmlns="http://www.w3.org/1998/Math/MathML"><cn> 2 </cn></math></assignmentRule>
    </listOfRules>
  </model>
</sbml>
)");
  const ModelDescription m = read_sbml(path.string());
  CHECK(m.initial_assignments.size() == 1);  // S's, from its concentration and C's rule
  const ReactionNetwork net = compile(m);
  CHECK(net.initial_counts[0] == 6.0);
  CHECK(net.constant_values[static_cast<std::size_t>(net.constant_index("k"))] == 5.0);
}

TEST_CASE("sbml semantics: a comp model is flattened by libSBML and its submodel simulated") {
  // One instance 'sub' of a decay model S -> 0 (0.5 S) from S = 10: flattened ids are prefixed
  // by the submodel's id, and S(t) = 10 exp(-t / 2).
  const auto path = write_file("comp.xml", R"(<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version1/core" xmlns:comp="http://www.sbml.org/sbml/level3/version1/comp/version1" level="3" version="1" comp:required="true">
  <model id="top">
    <listOfCompartments>
      <compartment id="cell" spatialDimensions="3" size="1" constant="true"/>
    </listOfCompartments>
    <comp:listOfSubmodels>
      <comp:submodel comp:id="sub" comp:modelRef="decay"/>
    </comp:listOfSubmodels>
  </model>
  <comp:listOfModelDefinitions>
    <comp:modelDefinition id="decay">
      <listOfCompartments>
        <compartment id="c" spatialDimensions="3" size="1" constant="true"/>
      </listOfCompartments>
      <listOfSpecies>
        <species id="S" compartment="c" initialAmount="10" hasOnlySubstanceUnits="true" boundaryCondition="false" constant="false"/>
      </listOfSpecies>
      <listOfParameters>
        <parameter id="k" value="0.5" constant="true"/>
      </listOfParameters>
      <listOfReactions>
        <reaction id="R" reversible="false" fast="false">
          <listOfReactants>
            <speciesReference species="S" stoichiometry="1" constant="true"/>
          </listOfReactants>
          <kineticLaw>
            <math xmlns="http://www.w3.org/1998/Math/MathML"><apply><times/><ci>k</ci><ci>S</ci></apply></math>
          </kineticLaw>
        </reaction>
      </listOfReactions>
    </comp:modelDefinition>
  </comp:listOfModelDefinitions>
</sbml>
)");
  const ModelDescription m = read_sbml(path.string());
  REQUIRE(m.find_species("sub__S") != nullptr);
  const ReactionNetwork net = compile(m);
  const std::vector<double> s = ode_amounts(net, "sub__S", 4);
  for (int t = 0; t <= 4; ++t)
    CHECK(s[t] == doctest::Approx(10.0 * std::exp(-0.5 * t)).epsilon(1e-6));
}

TEST_CASE("sbml semantics: a required package other than comp is still refused naming it") {
  const auto path = write_file("qual.xml", R"(<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version1/core" xmlns:qual="http://www.sbml.org/sbml/level3/version1/qual/version1" level="3" version="1" qual:required="true">
  <model id="m">
    <listOfCompartments>
      <compartment id="cell" spatialDimensions="3" size="1" constant="true"/>
    </listOfCompartments>
  </model>
</sbml>
)");
  const std::string message = test::input_error_of([&] { read_sbml(path.string()); });
  CHECK(message.find("package 'qual': SBML Level 3 packages are not supported") !=
        std::string::npos);
}

TEST_CASE("sbml semantics: a negative stoichiometry is a product in the ODE path; SSA refuses") {
  // A reactant with stoichiometry -1 (SBML Test Suite 01422): dS/dt = +k S, S = 10 e^t.
  const auto path = write_file(
      "negative.xml",
      decay_model(R"(<speciesReference species="P" stoichiometry="1" constant="true"/>)", ""));
  ModelDescription m = read_sbml(path.string());
  m.reactions[0].reactants[0].stoichiometry = -1.0;
  const ReactionNetwork net = compile(m);
  const std::vector<double> s = ode_values(net, "S", 2);
  for (int t = 0; t <= 2; ++t) CHECK(s[t] == doctest::Approx(10.0 * std::exp(t)).epsilon(1e-6));
  CHECK(refused_by_ssa(net, "a negative stoichiometry ('S')"));
}

TEST_CASE("sbml semantics: quotient and rem truncate toward zero; factorial; arcsech") {
  auto value = [](const std::string& formula) {
    const Expr e = parse_formula(formula, "test", 0, "formula", "f");
    const std::optional<double> v =
        fold_constant(e, [](const std::string&) { return SymbolMeaning{}; });
    REQUIRE(v.has_value());
    return *v;
  };
  CHECK(value("quotient(9, 2)") == 4.0);
  CHECK(value("quotient(-9, 2)") == -4.0);
  CHECK(value("rem(9, 2)") == 1.0);
  CHECK(value("rem(-9, 2)") == -1.0);
  CHECK(value("factorial(5)") == 120.0);
  CHECK(value("arcsech(0.5)") == doctest::Approx(std::acosh(2.0)).epsilon(1e-14));
}

TEST_CASE("sbml semantics: a boundary species under a rate rule is not changed by its reactions") {
  // S boundary, dS/dt = 0.5 from 10, still the reactant of S -> P (k S): S = 10 + t / 2 and
  // P = 10 t + t^2 / 4 (SBML Test Suite 01540).
  const auto path = write_file(
      "boundary_rate_rule.xml",
      decay_model(R"(<speciesReference species="P" stoichiometry="1" constant="true"/>)", ""));
  ModelDescription m = read_sbml(path.string());
  m.find_species("S")->boundary = true;
  m.rate_rules.push_back(RuleDesc{"S", Expr::constant(0.5), {}});
  const ReactionNetwork net = compile(m);
  const std::vector<double> s = ode_values(net, "S", 2);
  const std::vector<double> p = ode_values(net, "P", 2);
  for (int t = 0; t <= 2; ++t) {
    CHECK(s[t] == doctest::Approx(10.0 + 0.5 * t).epsilon(1e-6));
    CHECK(p[t] == doctest::Approx(10.0 * t + 0.25 * t * t).epsilon(1e-6));
  }
}

TEST_CASE("sbml semantics: avogadro is the value SBML Level 3 defines") {
  const Expr e = parse_formula("avogadro", "test", 0, "formula", "a");
  REQUIRE(e.op == ExprOp::Number);
  CHECK(e.number == 6.02214179e23);
}

}  // namespace nkappa
