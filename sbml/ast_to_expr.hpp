#pragma once
// libSBML math → Expr. Internal to sbml/.
#include <map>
#include <string>

#include <sbml/SBMLTypes.h>

#include "engine/model/expr.hpp"

namespace nkappa::sbml_detail {

// Where a formula sits, for error messages.
struct MathContext {
  std::string file;
  int line = 0;
  std::string element;  // e.g. "reaction"
  std::string element_id;
  const Model* model = nullptr;  // for function definitions (inlined)
  // The document declares SBML's distrib package, which this libSBML cannot interpret: its
  // csymbols read back as calls of unknown functions named after the distribution
  // (normal(0, 1)), and such a call is read as a random draw.
  bool distrib_draws = false;
};

Expr ast_to_expr(const ASTNode* node, const MathContext& where,
                 const std::map<std::string, Expr>& bound = {}, int depth = 0);

}  // namespace nkappa::sbml_detail
