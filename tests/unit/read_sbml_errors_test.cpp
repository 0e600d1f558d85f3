// The messages of bad SBML input through read_sbml() and compile(): every one names the file,
// and where there is one the line and the element, as `file:line: <element> '<id>': problem`.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include "engine/error.hpp"
#include "engine/network/compile.hpp"
#include "sbml/read_sbml.hpp"
#include "tests/support/test_support.hpp"

namespace nkappa {
namespace {

struct SbmlParts {
  int level = 3;
  int version = 2;
  std::string reaction_attributes = R"(reversible="false")";
  std::string species_attributes = R"(compartment="cell" initialAmount="10" )"
                                   R"(hasOnlySubstanceUnits="true" boundaryCondition="false" )"
                                   R"(constant="false")";
  std::string reactant = "A";
  std::string law = "<apply><times/><ci>k</ci><ci>A</ci></apply>";
  bool kinetic_law = true;
  std::string after_reactions;  // further lists of the model
};

// A one-reaction model, A -> 0 at rate k * A, one element per line so that line numbers are
// easy to find.
constexpr const char* kModelTemplate = R"(<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level@LEVEL@/version@VERSION@/core" level="@LEVEL@" version="@VERSION@">
  <model id="m">
    <listOfCompartments>
      <compartment id="cell" spatialDimensions="3" size="1" constant="true"/>
    </listOfCompartments>
    <listOfSpecies>
      <species id="A" @SPECIES_ATTRIBUTES@/>
    </listOfSpecies>
    <listOfParameters>
      <parameter id="k" value="0.1" constant="true"/>
      <parameter id="x" value="0" constant="false"/>
    </listOfParameters>
    <listOfReactions>
      <reaction id="R1" @REACTION_ATTRIBUTES@>
        <listOfReactants>
          <speciesReference species="@REACTANT@" stoichiometry="1" constant="true"/>
        </listOfReactants>
@KINETIC_LAW@      </reaction>
    </listOfReactions>
@AFTER_REACTIONS@  </model>
</sbml>
)";

constexpr const char* kKineticLawTemplate = R"(        <kineticLaw>
          <math xmlns="http://www.w3.org/1998/Math/MathML">
            @LAW@
          </math>
        </kineticLaw>
)";

std::string replace_all(std::string text, const std::string& key, const std::string& value) {
  for (auto at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size()))
    text.replace(at, key.size(), value);
  return text;
}

std::string sbml_text(const SbmlParts& p) {
  std::string text = kModelTemplate;
  text = replace_all(text, "@LEVEL@", std::to_string(p.level));
  text = replace_all(text, "@VERSION@", std::to_string(p.version));
  text = replace_all(text, "@SPECIES_ATTRIBUTES@", p.species_attributes);
  text = replace_all(text, "@REACTION_ATTRIBUTES@", p.reaction_attributes);
  text = replace_all(text, "@REACTANT@", p.reactant);
  text = replace_all(text, "@KINETIC_LAW@",
                     p.kinetic_law ? replace_all(kKineticLawTemplate, "@LAW@", p.law) : "");
  return replace_all(text, "@AFTER_REACTIONS@", p.after_reactions);
}

// The 1-based line on which `needle` starts.
int line_of(const std::string& text, const std::string& needle) {
  const auto at = text.find(needle);
  REQUIRE(at != std::string::npos);
  return 1 + static_cast<int>(
                 std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
}

std::filesystem::path write_file(const std::string& name, const std::string& text) {
  const auto path = test::temp_dir("sbml-errors") / name;
  std::ofstream(path) << text;
  return path;
}

// Reads and compiles; the InputError of either step.
InputError error_of(const std::filesystem::path& path) {
  try {
    compile(read_sbml(path.string()));
  } catch (const InputError& e) {
    return e;
  }
  FAIL("no InputError for " << path.string());
  return InputError("", "");
}

// `file:line: element 'id': problem`
void check_shape(const InputError& e, const std::filesystem::path& path, int line,
                 const std::string& element, const std::string& id) {
  CHECK(e.file() == path.string());
  CHECK(e.line() == line);
  CHECK(e.element() == element);
  CHECK(e.element_id() == id);
  const std::string expected_prefix =
      path.string() + ":" + std::to_string(line) + ": " + element + " '" + id + "': ";
  CHECK(std::string(e.what()).rfind(expected_prefix, 0) == 0);
  CHECK(std::string(e.what()) == expected_prefix + e.problem());
  CHECK(std::regex_match(std::string(e.what()),
                         std::regex(R"(^[^:]+:[1-9][0-9]*: [a-z ]+ '[^']+': .+$)")));
}

}  // namespace

TEST_CASE("read_sbml: the model these tests edit is read and compiled without error") {
  const auto path = write_file("good.xml", sbml_text({}));
  const ReactionNetwork net = compile(read_sbml(path.string()));
  CHECK(net.reaction_ids == std::vector<std::string>{"R1"});
  CHECK(net.species_ids == std::vector<std::string>{"A"});
}

TEST_CASE("read_sbml: a missing file and a directory are named with the reason") {
  const auto dir = test::temp_dir("sbml-errors");
  const auto missing = dir / "no-such-model.xml";
  const InputError not_there = error_of(missing);
  CHECK(std::string(not_there.what()) ==
        missing.string() + ": cannot open the file: it does not exist");
  CHECK(not_there.line() == 0);

  const InputError directory = error_of(dir);
  CHECK(std::string(directory.what()) ==
        dir.string() + ": cannot read the file: it is a directory");
}

TEST_CASE("read_sbml: text that is not XML is a libSBML error with the file and a line") {
  for (const std::string& text : {std::string("this is not XML at all\n"),
                                  sbml_text({}).substr(0, 300)}) {  // cut in the middle
    const auto path = write_file("garbage.xml", text);
    const InputError e = error_of(path);
    const std::string message = e.what();
    CAPTURE(message);
    CHECK(e.file() == path.string());
    CHECK(e.line() > 0);
    CHECK(std::string(e.what()).rfind(path.string() + ":" + std::to_string(e.line()) + ": ", 0) ==
          0);
    CHECK(e.problem().find("libSBML error") == 0);
  }
}

TEST_CASE("read_sbml: libSBML errors keep libSBML's line and name the element") {
  SbmlParts no_compartment;
  no_compartment.species_attributes =
      replace_all(no_compartment.species_attributes, R"(compartment="cell" )", "");
  const std::string text = sbml_text(no_compartment);
  const auto path = write_file("no-compartment.xml", text);
  const InputError e = error_of(path);
  const std::string message = e.what();
  CAPTURE(message);
  check_shape(e, path, line_of(text, "<species id=\"A\""), "species", "A");
  CHECK(e.problem().find("libSBML error") == 0);
  CHECK(e.problem().find("compartment") != std::string::npos);
  CHECK(e.problem().find('\n') == std::string::npos);

  SbmlParts no_reversible;  // required in Level 3
  no_reversible.reaction_attributes = "";
  const std::string text2 = sbml_text(no_reversible);
  const auto path2 = write_file("no-reversible.xml", text2);
  const InputError e2 = error_of(path2);
  const std::string message2 = e2.what();
  CAPTURE(message2);
  check_shape(e2, path2, line_of(text2, "<reaction id=\"R1\""), "reaction", "R1");
  CHECK(e2.problem().find("libSBML error") == 0);
  CHECK(e2.problem().find("reversible") != std::string::npos);
}

TEST_CASE("read_sbml: a reactant that is not a declared species names the reaction and species") {
  // libSBML reads this without an error (it is a consistency rule, not a syntax one);
  // compile() must refuse it.
  SbmlParts p;
  p.reactant = "Z";
  const std::string text = sbml_text(p);
  const auto path = write_file("undeclared.xml", text);
  const InputError e = error_of(path);
  const std::string message = e.what();
  CAPTURE(message);
  check_shape(e, path, line_of(text, "<reaction id=\"R1\""), "reaction", "R1");
  CHECK(e.problem() == "unknown species 'Z'");
}

TEST_CASE("read_sbml: an unknown symbol in a kinetic law names the reaction and the symbol") {
  SbmlParts p;
  p.law = "<apply><times/><ci>kdeg2</ci><ci>A</ci></apply>";
  const std::string text = sbml_text(p);
  const auto path = write_file("unknown-symbol.xml", text);
  const InputError e = error_of(path);
  const std::string message = e.what();
  CAPTURE(message);
  check_shape(e, path, line_of(text, "<reaction id=\"R1\""), "reaction", "R1");
  CHECK(e.problem() == "unknown symbol 'kdeg2' in the rate law");
}

TEST_CASE("read_sbml: unsupported constructs are refused naming the element") {
  struct Case {
    std::string name;
    SbmlParts parts;
    std::string located_at;  // text that starts the line the error must name
    std::string element;
    std::string id;
    std::string problem_contains;
  };
  std::vector<Case> cases;
  {
    SbmlParts p;
    p.after_reactions =
        "    <listOfEvents>\n"
        "      <event id=\"e1\" useValuesFromTriggerTime=\"true\">\n"
        "        <trigger initialValue=\"false\" persistent=\"true\">\n"
        "          <math xmlns=\"http://www.w3.org/1998/Math/MathML\"><apply><gt/><csymbol "
        "encoding=\"text\" "
        "definitionURL=\"http://www.sbml.org/sbml/symbols/time\"> t </csymbol><cn> 25 "
        "</cn></apply></math>\n"
        "        </trigger>\n"
        "        <delay>\n"
        "          <math xmlns=\"http://www.w3.org/1998/Math/MathML\"><ci> lag </ci></math>\n"
        "        </delay>\n"
        "        <listOfEventAssignments>\n"
        "          <eventAssignment variable=\"A\">\n"
        "            <math xmlns=\"http://www.w3.org/1998/Math/MathML\"><cn> 5 </cn></math>\n"
        "          </eventAssignment>\n"
        "        </listOfEventAssignments>\n"
        "      </event>\n"
        "    </listOfEvents>\n";
    cases.push_back({"delay of unknown length", p, "<event id=\"e1\"", "event", "e1",
                     "unknown symbol 'lag' in the delay"});
  }
  {
    SbmlParts p;
    p.after_reactions =
        "    <listOfRules>\n"
        "      <assignmentRule variable=\"A\">\n"
        "        <math xmlns=\"http://www.w3.org/1998/Math/MathML\"><apply><times/><cn> 2 "
        "</cn><ci> k </ci></apply></math>\n"
        "      </assignmentRule>\n"
        "    </listOfRules>\n";
    cases.push_back({"rule and reaction", p, "<assignmentRule", "species", "A",
                     "is set by an assignment rule and changed by reaction 'R1'"});
  }
  {
    SbmlParts p;
    p.after_reactions =
        "    <listOfRules>\n"
        "      <rateRule variable=\"k\">\n"
        "        <math xmlns=\"http://www.w3.org/1998/Math/MathML\"><cn> 1 </cn></math>\n"
        "      </rateRule>\n"
        "    </listOfRules>\n";
    cases.push_back(
        {"rate rule on a constant", p, "<rateRule", "rate rule", "k", "'k' is declared constant"});
  }
  {
    SbmlParts p;
    p.after_reactions =
        "    <listOfInitialAssignments>\n"
        "      <initialAssignment symbol=\"A\">\n"
        "        <math xmlns=\"http://www.w3.org/1998/Math/MathML\"><ci> nowhere </ci></math>\n"
        "      </initialAssignment>\n"
        "    </listOfInitialAssignments>\n";
    cases.push_back({"initial assignment", p, "<initialAssignment", "initial value", "nowhere",
                     "unknown symbol 'nowhere'"});
  }
  // delay() is read (the ODE path computes it) and fast reactions become algebraic constraints;
  // stochastic methods refuse both by name (ode_delay_test, algebraic_rules_test).
  {
    SbmlParts p;
    p.kinetic_law = false;
    cases.push_back(
        {"no kinetic law", p, "<reaction id=\"R1\"", "reaction", "R1", "no kinetic law"});
  }
  for (const Case& c : cases) {
    CAPTURE(c.name);
    const std::string text = sbml_text(c.parts);
    const auto path = write_file("unsupported.xml", text);
    const InputError e = error_of(path);
    const std::string message = e.what();
    CAPTURE(message);
    check_shape(e, path, line_of(text, c.located_at), c.element, c.id);
    CHECK(e.problem().find(c.problem_contains) != std::string::npos);
    CHECK(e.problem().find("libSBML") == std::string::npos);  // ours, not a read error
  }
}

}  // namespace nkappa
