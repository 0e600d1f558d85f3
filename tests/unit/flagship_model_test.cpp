// The bundled NF-kB/NEMO model (models/nfkb_nemo) as the design specification states it.
#include <doctest/doctest.h>

#include "engine/network/compile.hpp"
#include "sbml/read_sbml.hpp"
#include "tests/support/test_support.hpp"

namespace nkappa::test {

TEST_CASE("flagship model: libSBML reads and validates it with no error and no warning") {
  const auto path = (source_dir() / "models/nfkb_nemo/nfkb_nemo.xml").string();
  const auto problems = check_sbml_consistency(path);
  for (const std::string& p : problems) MESSAGE(p);
  CHECK(problems.empty());
}

TEST_CASE("flagship model: 32 species, 49 reactions, the conserved totals of the specification") {
  const ModelDescription m = read_sbml((source_dir() / "models/nfkb_nemo/nfkb_nemo.xml").string());
  const ReactionNetwork net = compile(m);
  CHECK(net.species_count() == 32);
  CHECK(net.reaction_count() == 49);
  auto total = [&](std::initializer_list<const char*> ids) {
    double sum = 0;
    for (const char* id : ids) sum += m.find_species(id)->initial_amount;
    return sum;
  };
  CHECK(total({"NFkB", "NFkBn", "IkBa_NFkB", "IkBan_NFkBn", "pIkBa_NFkB"}) == 10000);
  CHECK(total({"IKKc", "IKKn", "IKKr", "IKKa", "IKKi", "IKKca"}) == 20000);
  CHECK(total({"NEMO", "IKKn", "IKKr", "IKKa", "IKKi"}) == 20000);
  CHECK(total({"IKKK", "IKKKa"}) == 10000);
  CHECK(total({"TNFR", "TNFRa"}) == 2000);
  CHECK(total({"gIkBa_off", "gIkBa_on"}) == 2);
  // Every initial amount is a whole number of molecules (the stochastic reading is unambiguous).
  for (const SpeciesDesc& s : m.species) CHECK(s.initial_amount == std::round(s.initial_amount));
  // The stimulation protocol: one event at t_stim setting TNF and IL2 from the dose parameters.
  REQUIRE(net.events.size() == 1);
  CHECK(net.events[0].breakpoints == std::vector<double>{21600});
  CHECK(net.events[0].assignments.size() == 2);
}

}  // namespace nkappa::test
