// SBML semantics read by sbml/ and compiled by engine/network (issue 6, the semantic suite):
// hierarchical models (comp), species-reference ids, rateOf, conversion factors. Each model is
// tiny and has an exact answer (closed-form ODE solutions or exact initial values).
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "engine/error.hpp"
#include "engine/network/compile.hpp"
#include "engine/ode/cvode_solver.hpp"
#include "sbml/read_sbml.hpp"
#include "tests/support/test_support.hpp"

namespace nkappa {
namespace {

std::filesystem::path write_file(const std::string& name, const std::string& text) {
  const auto path = test::temp_dir("sbml-semantics") / name;
  std::ofstream(path) << text;
  return path;
}

std::string problem_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no InputError)";
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

}  // namespace

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
  const std::string message = problem_of([&] { read_sbml(path.string()); });
  CHECK(message.find("package 'qual': SBML Level 3 packages are not supported") !=
        std::string::npos);
}

}  // namespace nkappa
