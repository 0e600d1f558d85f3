#pragma once
// SBML → ModelDescription through libSBML. The only folder that includes libSBML headers.
#include <string>
#include <vector>

#include "engine/model/expr.hpp"
#include "engine/model/model_description.hpp"
#include "sbml/units.hpp"

namespace nkappa {

struct SbmlReadOptions {
  // How amounts and laws are read (sbml/units.hpp). The default, as written, is the SBML Test
  // Suite's stochastic reading and SBML's own units for the ODE path: a species symbol means its
  // amount with hasOnlySubstanceUnits, its concentration otherwise; nothing is added.
  UnitOptions units;
};

// Reads and checks an SBML file (L2V1 .. L3V2). Throws InputError naming the file, the line
// and the element for libSBML errors (severity error or fatal) and for every construct that
// nkappa does not support yet. When `report` is given, it receives the conversion report
// (units, counts, each reaction's law, classification and propensity).
ModelDescription read_sbml(const std::string& path, const SbmlReadOptions& options = {},
                           ConversionReport* report = nullptr);

}  // namespace nkappa

namespace nkappa {

// A formula in SBML's Level 3 infix syntax (e.g. "(NFkBn + IkBan_NFkBn) / NFkB_tot"), parsed by
// libSBML's own parser, as an Expr. InputError naming `where` (file, line) when it does not parse.
Expr parse_formula(const std::string& text, const std::string& file, int line,
                   const std::string& element, const std::string& element_id);

}  // namespace nkappa

namespace nkappa {

// libSBML's full consistency check (units and modelling practice included): one line per
// error or warning, `file:line: severity id: message`. Empty for a clean file.
std::vector<std::string> check_sbml_consistency(const std::string& path);

}  // namespace nkappa
