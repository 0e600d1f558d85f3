// Units to molecules (sbml/amounts.cpp): a tiny model in µM whose conversion is known in closed
// form, read with each --propensity choice; the refusals of what cannot be converted.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>

#include "engine/error.hpp"
#include "engine/network/compile.hpp"
#include "engine/network/propensity.hpp"
#include "sbml/read_sbml.hpp"
#include "tests/support/test_support.hpp"

namespace nkappa::test {
namespace {

constexpr double kAvogadro = 6.02214076e23;

std::string number(double x) {
  char text[64];
  std::snprintf(text, sizeof text, "%.17g", x);
  return text;
}

// A + B -> C with k1 = 2 /(µM s), 2A -> D with k2 = 0.5 /(µM s) (law k2 [A]^2, the rate of the
// reaction), A -> 0 with a Michaelis-Menten law; A = B = 1 µM, in `litres` litres. Substance
// unit µmol, volume unit litre, time unit second.
std::string tiny_model(double litres, const std::string& substance_unit = "umol") {
  return R"(<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2">
  <model id="tiny" substanceUnits=")" +
         substance_unit + R"(" volumeUnits="litre" timeUnits="second" extentUnits=")" +
         substance_unit + R"(">
    <listOfUnitDefinitions>
      <unitDefinition id="umol"><listOfUnits>
        <unit kind="mole" exponent="1" scale="-6" multiplier="1"/></listOfUnits></unitDefinition>
    </listOfUnitDefinitions>
    <listOfCompartments>
      <compartment id="cell" spatialDimensions="3" size=")" +
         number(litres) + R"(" constant="true"/>
    </listOfCompartments>
    <listOfSpecies>
      <species id="A" compartment="cell" initialConcentration="1" hasOnlySubstanceUnits="false" boundaryCondition="false" constant="false"/>
      <species id="B" compartment="cell" initialConcentration="1" hasOnlySubstanceUnits="false" boundaryCondition="false" constant="false"/>
      <species id="C" compartment="cell" initialConcentration="0" hasOnlySubstanceUnits="false" boundaryCondition="false" constant="false"/>
      <species id="D" compartment="cell" initialConcentration="0" hasOnlySubstanceUnits="false" boundaryCondition="false" constant="false"/>
    </listOfSpecies>
    <listOfParameters>
      <parameter id="k1" value="2" constant="true"/>
      <parameter id="k2" value="0.5" constant="true"/>
      <parameter id="Vm" value="0.3" constant="true"/>
      <parameter id="Km" value="0.7" constant="true"/>
    </listOfParameters>
    <listOfReactions>
      <reaction id="bind" reversible="false">
        <listOfReactants><speciesReference species="A" stoichiometry="1" constant="true"/>
          <speciesReference species="B" stoichiometry="1" constant="true"/></listOfReactants>
        <listOfProducts><speciesReference species="C" stoichiometry="1" constant="true"/></listOfProducts>
        <kineticLaw><math xmlns="http://www.w3.org/1998/Math/MathML"><apply><times/>
          <ci>cell</ci><ci>k1</ci><ci>A</ci><ci>B</ci></apply></math></kineticLaw>
      </reaction>
      <reaction id="dimerise" reversible="false">
        <listOfReactants><speciesReference species="A" stoichiometry="2" constant="true"/></listOfReactants>
        <listOfProducts><speciesReference species="D" stoichiometry="1" constant="true"/></listOfProducts>
        <kineticLaw><math xmlns="http://www.w3.org/1998/Math/MathML"><apply><times/>
          <ci>cell</ci><ci>k2</ci><apply><power/><ci>A</ci><cn>2</cn></apply></apply></math></kineticLaw>
      </reaction>
      <reaction id="degrade" reversible="false">
        <listOfReactants><speciesReference species="A" stoichiometry="1" constant="true"/></listOfReactants>
        <kineticLaw><math xmlns="http://www.w3.org/1998/Math/MathML"><apply><divide/>
          <apply><times/><ci>cell</ci><ci>Vm</ci><ci>A</ci></apply>
          <apply><plus/><ci>Km</ci><ci>A</ci></apply></apply></math></kineticLaw>
      </reaction>
    </listOfReactions>
  </model>
</sbml>
)";
}

SbmlReadOptions reading(PropensityReading p) {
  SbmlReadOptions o;
  o.units.propensity = p;
  return o;
}

}  // namespace

TEST_CASE("units: A + B -> C in µM in 1 pL gives c = k/(N_A V) exactly, 2A -> D uses x(x-1)") {
  const double litres = 1e-12;
  const std::string path = write_temp_file("units", "tiny.xml", tiny_model(litres)).string();
  const double u = kAvogadro * 1e-6;  // molecules per µmol
  const double nav = u * litres;      // molecules per µM in the cell

  ConversionReport report;
  const ReactionNetwork net = compile(read_sbml(path, reading(PropensityReading::Auto), &report));
  CHECK(report.reading == "mass action in molecules");
  CHECK(report.molecules_per_amount == doctest::Approx(u).epsilon(1e-15));
  CHECK(report.compartments.at(0).litres == doctest::Approx(litres).epsilon(1e-15));

  // 1 µM in 1 pL is 602214.076 molecules: rounded to whole molecules, and said so.
  const std::int32_t a = net.species_index("A");
  CHECK(net.initial_counts[a] == 602214.0);
  CHECK(report.species.at(0).note.find("rounded to 602214") != std::string::npos);

  const std::int32_t bind = net.reaction_index("bind");
  REQUIRE(net.rate_kind[bind] == RateKind::MassAction);
  CHECK(net.rate_constant[bind] == doctest::Approx(2.0 / nav).epsilon(1e-14));
  CHECK(net.propensity_terms[bind].shape == MassActionShape::XY);

  // The law k2 [A]^2 V is the rate of the reaction: its propensity is k2/(N_A V) x (x - 1).
  const std::int32_t dim = net.reaction_index("dimerise");
  REQUIRE(net.rate_kind[dim] == RateKind::MassAction);
  CHECK(net.propensity_terms[dim].shape == MassActionShape::XX);
  CHECK(net.rate_constant[dim] == doctest::Approx(0.5 / nav).epsilon(1e-14));
  CHECK(report.reactions.at(1).classification == "mass action of order 2");
  CHECK(report.reactions.at(1).factor.find("x (x-1)") != std::string::npos);

  // Michaelis-Menten: the law on concentrations x / (N_A V), times N_A V.
  const std::int32_t deg = net.reaction_index("degrade");
  CHECK(net.rate_kind[deg] == RateKind::Program);
  CHECK(report.reactions.at(2).classification == "general");
  std::vector<double> counts(net.initial_counts);
  counts[a] = 1234.0;
  const double conc = 1234.0 / nav;
  CHECK(propensity(net, deg, counts.data(), nullptr, 0.0) ==
        doctest::Approx(nav * 0.3 * conc / (0.7 + conc)).epsilon(1e-13));
}

TEST_CASE("units: as written, the law's value is the propensity (the present behaviour)") {
  const std::string path = write_temp_file("units", "tiny.xml", tiny_model(1e-12)).string();
  ConversionReport report;
  const ReactionNetwork net =
      compile(read_sbml(path, reading(PropensityReading::AsWritten), &report));
  CHECK(report.reading == "as written");
  CHECK(net.initial_counts[net.species_index("A")] == doctest::Approx(1e-12));
  const std::int32_t bind = net.reaction_index("bind");
  CHECK(net.rate_constant[bind] == doctest::Approx(2.0 / 1e-12));
  // A^2 is not x (x - 1): evaluated as written.
  CHECK(net.rate_kind[net.reaction_index("dimerise")] == RateKind::Program);
  // read_sbml without options is the same reading.
  CHECK(compile(read_sbml(path)).rate_constant[bind] == net.rate_constant[bind]);
}

TEST_CASE("units: --volume-litres gives a nominal 1-litre model its cell volume") {
  // Size 1 litre: refused (a model volume, not a cell's), then read with 1 pL per unit size.
  const std::string path = write_temp_file("units", "nominal.xml", tiny_model(1.0)).string();
  std::string message;
  try {
    read_sbml(path, reading(PropensityReading::Auto));
  } catch (const InputError& e) {
    message = e.what();
  }
  CAPTURE(message);
  CHECK(message.find("compartment 'cell'") != std::string::npos);
  CHECK(message.find("--volume-litres") != std::string::npos);

  SbmlReadOptions o = reading(PropensityReading::Auto);
  o.units.volume_litres = 1e-12;
  const ReactionNetwork net = compile(read_sbml(path, o));
  const double nav = kAvogadro * 1e-6 * 1e-12;
  CHECK(net.rate_constant[net.reaction_index("bind")] == doctest::Approx(2.0 / nav).epsilon(1e-14));
  CHECK(net.initial_counts[net.species_index("A")] == 602214.0);
}

TEST_CASE("units: a model in items is taken as written by auto; unknown units are refused") {
  ConversionReport report;
  const std::string items = write_temp_file("units", "items.xml", tiny_model(1.0, "item")).string();
  const ReactionNetwork net = compile(read_sbml(items, reading(PropensityReading::Auto), &report));
  CHECK(report.reading == "as written");
  CHECK(report.why.find("item") != std::string::npos);
  CHECK(net.rate_kind[net.reaction_index("dimerise")] == RateKind::Program);

  // Mass action asked for a model in items: no unit factor, but x (x - 1) for A twice.
  const ReactionNetwork ma = compile(read_sbml(items, reading(PropensityReading::MassAction)));
  CHECK(ma.propensity_terms[ma.reaction_index("dimerise")].shape == MassActionShape::XX);
  CHECK(ma.rate_constant[ma.reaction_index("dimerise")] == doctest::Approx(0.5));

  const std::string gram = write_temp_file("units", "gram.xml", tiny_model(1e-12, "gram")).string();
  std::string message;
  try {
    read_sbml(gram, reading(PropensityReading::MassAction));
  } catch (const InputError& e) {
    message = e.what();
  }
  CAPTURE(message);
  CHECK(message.find("species 'A'") != std::string::npos);
  CHECK(message.find("neither a multiple of mole nor of item") != std::string::npos);
}

}  // namespace nkappa::test
