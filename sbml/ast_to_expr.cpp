#include "sbml/ast_to_expr.hpp"

#include <cmath>

#include "engine/error.hpp"

namespace nkappa::sbml_detail {

namespace {

[[noreturn]] void refuse(const MathContext& where, const std::string& what) {
  throw InputError(where.file, where.line, where.element, where.element_id, what);
}

Expr unary(ExprOp op, Expr a) {
  return Expr::call(op, {std::move(a)});
}
Expr one() {
  return Expr::constant(1.0);
}
// x rounded toward zero.
Expr truncate(const Expr& x) {
  return Expr::call(ExprOp::Piecewise,
                    {unary(ExprOp::Floor, x), Expr::call(ExprOp::Geq, {x, Expr::constant(0.0)}),
                     unary(ExprOp::Ceil, x)});
}

}  // namespace

Expr ast_to_expr(const ASTNode* node, const MathContext& where,
                 const std::map<std::string, Expr>& bound, int depth) {
  if (node == nullptr) refuse(where, "missing math");
  if (depth > 200) refuse(where, "math is nested too deeply (recursive function definitions?)");
  std::vector<Expr> args;
  for (unsigned i = 0; i < node->getNumChildren(); ++i)
    args.push_back(ast_to_expr(node->getChild(i), where, bound, depth + 1));
  auto need = [&](std::size_t n) {
    if (args.size() != n)
      refuse(where, std::string("'") + (node->getName() ? node->getName() : "operator") +
                        "' takes " + std::to_string(n) + " argument(s), got " +
                        std::to_string(args.size()));
  };

  switch (node->getType()) {
    case AST_INTEGER:
      return Expr::constant(static_cast<double>(node->getInteger()));
    case AST_REAL:
    case AST_REAL_E:
    case AST_RATIONAL:
      return Expr::constant(node->getReal());
    case AST_CONSTANT_E:
      return Expr::constant(std::exp(1.0));
    case AST_CONSTANT_PI:
      return Expr::constant(M_PI);
    case AST_CONSTANT_TRUE:
      return Expr::constant(1.0);
    case AST_CONSTANT_FALSE:
      return Expr::constant(0.0);
    case AST_NAME_AVOGADRO:
      // The value SBML Level 3 defines (L3V2 section 3.4.6), which the Test Suite checks (00960),
      // not the 2019 SI value 6.02214076e23.
      return Expr::constant(6.02214179e23);
    case AST_NAME_TIME:
      return Expr::time();
    case AST_NAME: {
      const std::string name = node->getName() ? node->getName() : "";
      if (auto it = bound.find(name); it != bound.end()) return it->second;
      return Expr::name(name);
    }
    case AST_PLUS:
      if (args.empty()) return Expr::constant(0.0);
      if (args.size() == 1) return args[0];
      return Expr::call(ExprOp::Add, std::move(args));
    case AST_MINUS:
      if (args.size() == 1) return unary(ExprOp::Neg, std::move(args[0]));
      need(2);
      return Expr::call(ExprOp::Sub, std::move(args));
    case AST_TIMES:
      if (args.empty()) return one();
      if (args.size() == 1) return args[0];
      return Expr::call(ExprOp::Mul, std::move(args));
    case AST_DIVIDE:
      need(2);
      return Expr::call(ExprOp::Div, std::move(args));
    case AST_POWER:
    case AST_FUNCTION_POWER:
      need(2);
      return Expr::call(ExprOp::Pow, std::move(args));
    case AST_FUNCTION_EXP:
      need(1);
      return unary(ExprOp::Exp, std::move(args[0]));
    case AST_FUNCTION_LN:
      need(1);
      return unary(ExprOp::Ln, std::move(args[0]));
    case AST_FUNCTION_LOG:
      if (args.size() == 1) return unary(ExprOp::Log10, std::move(args[0]));
      need(2);
      return Expr::call(ExprOp::Log, std::move(args));  // (base, x)
    case AST_FUNCTION_ROOT:
      if (args.size() == 1) return unary(ExprOp::Sqrt, std::move(args[0]));
      need(2);
      return Expr::call(ExprOp::Root, std::move(args));  // (degree, x)
    case AST_FUNCTION_ABS:
      need(1);
      return unary(ExprOp::Abs, std::move(args[0]));
    case AST_FUNCTION_FLOOR:
      need(1);
      return unary(ExprOp::Floor, std::move(args[0]));
    case AST_FUNCTION_CEILING:
      need(1);
      return unary(ExprOp::Ceil, std::move(args[0]));
    case AST_FUNCTION_SIN:
      need(1);
      return unary(ExprOp::Sin, std::move(args[0]));
    case AST_FUNCTION_COS:
      need(1);
      return unary(ExprOp::Cos, std::move(args[0]));
    case AST_FUNCTION_TAN:
      need(1);
      return unary(ExprOp::Tan, std::move(args[0]));
    case AST_FUNCTION_SEC:
      need(1);
      return one() / unary(ExprOp::Cos, std::move(args[0]));
    case AST_FUNCTION_CSC:
      need(1);
      return one() / unary(ExprOp::Sin, std::move(args[0]));
    case AST_FUNCTION_COT:
      need(1);
      return one() / unary(ExprOp::Tan, std::move(args[0]));
    case AST_FUNCTION_SINH:
      need(1);
      return unary(ExprOp::Sinh, std::move(args[0]));
    case AST_FUNCTION_COSH:
      need(1);
      return unary(ExprOp::Cosh, std::move(args[0]));
    case AST_FUNCTION_TANH:
      need(1);
      return unary(ExprOp::Tanh, std::move(args[0]));
    case AST_FUNCTION_SECH:
      need(1);
      return one() / unary(ExprOp::Cosh, std::move(args[0]));
    case AST_FUNCTION_CSCH:
      need(1);
      return one() / unary(ExprOp::Sinh, std::move(args[0]));
    case AST_FUNCTION_COTH:
      need(1);
      return one() / unary(ExprOp::Tanh, std::move(args[0]));
    case AST_FUNCTION_ARCSIN:
      need(1);
      return unary(ExprOp::Asin, std::move(args[0]));
    case AST_FUNCTION_ARCCOS:
      need(1);
      return unary(ExprOp::Acos, std::move(args[0]));
    case AST_FUNCTION_ARCTAN:
      need(1);
      return unary(ExprOp::Atan, std::move(args[0]));
    case AST_FUNCTION_ARCSEC:
      need(1);
      return unary(ExprOp::Acos, one() / std::move(args[0]));
    case AST_FUNCTION_ARCCSC:
      need(1);
      return unary(ExprOp::Asin, one() / std::move(args[0]));
    case AST_FUNCTION_ARCCOT:
      need(1);
      return unary(ExprOp::Atan, one() / std::move(args[0]));
    case AST_FUNCTION_ARCSINH: {  // ln(x + sqrt(x^2 + 1))
      need(1);
      Expr x = args[0];
      return unary(ExprOp::Ln, x + unary(ExprOp::Sqrt, x * x + one()));
    }
    case AST_FUNCTION_ARCCOSH: {  // ln(x + sqrt(x^2 - 1))
      need(1);
      Expr x = args[0];
      return unary(ExprOp::Ln, x + unary(ExprOp::Sqrt, x * x - one()));
    }
    case AST_FUNCTION_ARCTANH: {  // ln((1 + x) / (1 - x)) / 2
      need(1);
      Expr x = args[0];
      return unary(ExprOp::Ln, (one() + x) / (one() - x)) / Expr::constant(2.0);
    }
    case AST_FUNCTION_ARCSECH: {  // ln((1 + sqrt(1 - x^2)) / x)
      need(1);
      Expr x = args[0];
      return unary(ExprOp::Ln, (one() + unary(ExprOp::Sqrt, one() - x * x)) / x);
    }
    case AST_FUNCTION_ARCCSCH: {  // ln(1/x + sqrt(1/x^2 + 1))
      need(1);
      Expr inverse = one() / args[0];
      return unary(ExprOp::Ln, inverse + unary(ExprOp::Sqrt, inverse * inverse + one()));
    }
    case AST_FUNCTION_ARCCOTH: {  // ln((x + 1) / (x - 1)) / 2
      need(1);
      Expr x = args[0];
      return unary(ExprOp::Ln, (x + one()) / (x - one())) / Expr::constant(2.0);
    }
    case AST_FUNCTION_QUOTIENT:  // SBML L3V2: x / y truncated toward zero
      need(2);
      return truncate(args[0] / args[1]);
    case AST_FUNCTION_REM: {  // SBML L3V2: the remainder, with the sign of the dividend
      need(2);
      Expr x = args[0];
      Expr y = args[1];
      return x - y * truncate(x / y);
    }
    case AST_FUNCTION_MIN:
      return Expr::call(ExprOp::Min, std::move(args));
    case AST_FUNCTION_MAX:
      return Expr::call(ExprOp::Max, std::move(args));
    case AST_RELATIONAL_EQ:
    case AST_RELATIONAL_NEQ:
    case AST_RELATIONAL_LT:
    case AST_RELATIONAL_LEQ:
    case AST_RELATIONAL_GT:
    case AST_RELATIONAL_GEQ: {
      // n-ary relations hold pairwise: a < b < c is (a < b) && (b < c).
      if (args.size() < 2) refuse(where, "a relation needs at least two arguments");
      const ExprOp op = node->getType() == AST_RELATIONAL_EQ    ? ExprOp::Eq
                        : node->getType() == AST_RELATIONAL_NEQ ? ExprOp::Neq
                        : node->getType() == AST_RELATIONAL_LT  ? ExprOp::Lt
                        : node->getType() == AST_RELATIONAL_LEQ ? ExprOp::Leq
                        : node->getType() == AST_RELATIONAL_GT  ? ExprOp::Gt
                                                                : ExprOp::Geq;
      std::vector<Expr> pairs;
      for (std::size_t i = 0; i + 1 < args.size(); ++i)
        pairs.push_back(Expr::call(op, {args[i], args[i + 1]}));
      return pairs.size() == 1 ? pairs[0] : Expr::call(ExprOp::And, std::move(pairs));
    }
    case AST_LOGICAL_AND:
      if (args.empty()) return Expr::constant(1.0);
      return args.size() == 1 ? Expr::call(ExprOp::Neq, {args[0], Expr::constant(0.0)})
                              : Expr::call(ExprOp::And, std::move(args));
    case AST_LOGICAL_OR:
      if (args.empty()) return Expr::constant(0.0);
      return args.size() == 1 ? Expr::call(ExprOp::Neq, {args[0], Expr::constant(0.0)})
                              : Expr::call(ExprOp::Or, std::move(args));
    case AST_LOGICAL_XOR:
      if (args.empty()) return Expr::constant(0.0);
      return args.size() == 1 ? Expr::call(ExprOp::Neq, {args[0], Expr::constant(0.0)})
                              : Expr::call(ExprOp::Xor, std::move(args));
    case AST_LOGICAL_NOT:
      need(1);
      return unary(ExprOp::Not, std::move(args[0]));
    case AST_LOGICAL_IMPLIES:
      need(2);
      return Expr::call(ExprOp::Or, {unary(ExprOp::Not, std::move(args[0])), std::move(args[1])});
    case AST_FUNCTION_PIECEWISE:
      if (args.empty()) refuse(where, "piecewise without pieces");
      return Expr::call(ExprOp::Piecewise, std::move(args));
    case AST_FUNCTION: {
      const std::string name = node->getName() ? node->getName() : "";
      const FunctionDefinition* fd =
          where.model ? where.model->getFunctionDefinition(name) : nullptr;
      if (fd == nullptr && where.distrib_draws && distribution_index(name) >= 0) {
        // distrib's one-parameter forms of cauchy and laplace have location 0.
        if ((name == "cauchy" || name == "laplace") && (args.size() == 1 || args.size() == 3))
          args.insert(args.begin(), Expr::constant(0.0));
        return Expr::draw(name, std::move(args));
      }
      if (fd == nullptr || fd->getBody() == nullptr)
        refuse(where, "call of unknown function '" + name + "'");
      if (fd->getNumArguments() != args.size())
        refuse(where, "function '" + name + "' takes " + std::to_string(fd->getNumArguments()) +
                          " argument(s), got " + std::to_string(args.size()));
      std::map<std::string, Expr> binding;
      for (unsigned i = 0; i < fd->getNumArguments(); ++i)
        binding[fd->getArgument(i)->getName()] = args[i];
      return ast_to_expr(fd->getBody(), where, binding, depth + 1);
    }
    case AST_FUNCTION_DELAY:
      need(2);
      return Expr::call(ExprOp::Delay, std::move(args));
    case AST_FUNCTION_RATE_OF:
      if (node->getNumChildren() != 1 || node->getChild(0)->getType() != AST_NAME)
        refuse(where, "rateOf() takes one variable's id");
      return Expr::rate_of(node->getChild(0)->getName());
    case AST_FUNCTION_FACTORIAL:
      need(1);
      return unary(ExprOp::Factorial, std::move(args[0]));
    default:
      break;
  }
  const char* name = node->getName();
  refuse(where, std::string("MathML element '") + (name ? name : "?") + "' is not supported");
}

}  // namespace nkappa::sbml_detail
