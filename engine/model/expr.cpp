#include "engine/model/expr.hpp"

#include <algorithm>
#include <cstdio>
#include <iterator>

namespace nkappa {

int expr_arity(ExprOp op) {
  switch (op) {
    case ExprOp::Number:
    case ExprOp::Symbol:
    case ExprOp::Time:
    case ExprOp::RateOf:
      return 0;
    case ExprOp::Neg:
    case ExprOp::Exp:
    case ExprOp::Ln:
    case ExprOp::Log10:
    case ExprOp::Sqrt:
    case ExprOp::Abs:
    case ExprOp::Floor:
    case ExprOp::Ceil:
    case ExprOp::Sin:
    case ExprOp::Cos:
    case ExprOp::Tan:
    case ExprOp::Asin:
    case ExprOp::Acos:
    case ExprOp::Atan:
    case ExprOp::Sinh:
    case ExprOp::Cosh:
    case ExprOp::Tanh:
    case ExprOp::Factorial:
    case ExprOp::Not:
      return 1;
    case ExprOp::Sub:
    case ExprOp::Div:
    case ExprOp::Pow:
    case ExprOp::Log:
    case ExprOp::Root:
    case ExprOp::Eq:
    case ExprOp::Neq:
    case ExprOp::Lt:
    case ExprOp::Leq:
    case ExprOp::Gt:
    case ExprOp::Geq:
    case ExprOp::Delay:
      return 2;
    case ExprOp::Add:
    case ExprOp::Mul:
    case ExprOp::Min:
    case ExprOp::Max:
    case ExprOp::And:
    case ExprOp::Or:
    case ExprOp::Xor:
    case ExprOp::Piecewise:
    case ExprOp::Draw:
      return -1;
  }
  return -1;
}

const char* expr_op_name(ExprOp op) {
  switch (op) {
    case ExprOp::Number:
      return "number";
    case ExprOp::Symbol:
      return "symbol";
    case ExprOp::Time:
      return "time";
    case ExprOp::Add:
      return "+";
    case ExprOp::Sub:
      return "-";
    case ExprOp::Mul:
      return "*";
    case ExprOp::Div:
      return "/";
    case ExprOp::Pow:
      return "^";
    case ExprOp::Neg:
      return "-";
    case ExprOp::Exp:
      return "exp";
    case ExprOp::Ln:
      return "ln";
    case ExprOp::Log10:
      return "log10";
    case ExprOp::Sqrt:
      return "sqrt";
    case ExprOp::Abs:
      return "abs";
    case ExprOp::Floor:
      return "floor";
    case ExprOp::Ceil:
      return "ceil";
    case ExprOp::Sin:
      return "sin";
    case ExprOp::Cos:
      return "cos";
    case ExprOp::Tan:
      return "tan";
    case ExprOp::Asin:
      return "asin";
    case ExprOp::Acos:
      return "acos";
    case ExprOp::Atan:
      return "atan";
    case ExprOp::Sinh:
      return "sinh";
    case ExprOp::Cosh:
      return "cosh";
    case ExprOp::Tanh:
      return "tanh";
    case ExprOp::Factorial:
      return "factorial";
    case ExprOp::Log:
      return "log";
    case ExprOp::Root:
      return "root";
    case ExprOp::Min:
      return "min";
    case ExprOp::Max:
      return "max";
    case ExprOp::Eq:
      return "==";
    case ExprOp::Neq:
      return "!=";
    case ExprOp::Lt:
      return "<";
    case ExprOp::Leq:
      return "<=";
    case ExprOp::Gt:
      return ">";
    case ExprOp::Geq:
      return ">=";
    case ExprOp::And:
      return "&&";
    case ExprOp::Or:
      return "||";
    case ExprOp::Xor:
      return "xor";
    case ExprOp::Not:
      return "!";
    case ExprOp::Piecewise:
      return "piecewise";
    case ExprOp::Draw:
      return "draw";
    case ExprOp::RateOf:
      return "rateOf";
    case ExprOp::Delay:
      return "delay";
  }
  return "?";
}

namespace {

int precedence(ExprOp op) {
  switch (op) {
    case ExprOp::Or:
    case ExprOp::Xor:
      return 1;
    case ExprOp::And:
      return 2;
    case ExprOp::Eq:
    case ExprOp::Neq:
    case ExprOp::Lt:
    case ExprOp::Leq:
    case ExprOp::Gt:
    case ExprOp::Geq:
      return 3;
    case ExprOp::Add:
    case ExprOp::Sub:
      return 4;
    case ExprOp::Mul:
    case ExprOp::Div:
      return 5;
    case ExprOp::Neg:
    case ExprOp::Not:
      return 6;
    case ExprOp::Pow:
      return 7;
    default:
      return 9;
  }
}

std::string number_text(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.15g", v);
  return buffer;
}

void write(const Expr& e, std::string& out, int parent_precedence, bool right_side) {
  const int p = precedence(e.op);
  const bool infix = p < 9;
  const bool paren = infix && (p < parent_precedence || (p == parent_precedence && right_side));
  if (paren) out += '(';
  switch (e.op) {
    case ExprOp::Number:
      out += number_text(e.number);
      break;
    case ExprOp::Symbol:
      out += e.symbol;
      break;
    case ExprOp::Time:
      out += "time";
      break;
    case ExprOp::RateOf:
      out += "rateOf(" + e.symbol + ")";
      break;
    case ExprOp::Neg:
    case ExprOp::Not:
      out += expr_op_name(e.op);
      write(e.args[0], out, p, true);
      break;
    default:
      if (infix) {
        for (std::size_t i = 0; i < e.args.size(); ++i) {
          if (i > 0) {
            out += ' ';
            out += expr_op_name(e.op);
            out += ' ';
          }
          write(e.args[i], out, p, i > 0);
        }
      } else {
        out += e.op == ExprOp::Draw ? e.symbol.c_str() : expr_op_name(e.op);
        out += '(';
        for (std::size_t i = 0; i < e.args.size(); ++i) {
          if (i > 0) out += ", ";
          write(e.args[i], out, 0, false);
        }
        out += ')';
      }
  }
  if (paren) out += ')';
}

void collect(const Expr& e, std::vector<std::string>& names) {
  if (e.op == ExprOp::Symbol && std::find(names.begin(), names.end(), e.symbol) == names.end())
    names.push_back(e.symbol);
  for (const Expr& a : e.args) collect(a, names);
}

}  // namespace

std::string to_string(const Expr& e) {
  std::string out;
  write(e, out, 0, false);
  return out;
}

std::vector<std::string> symbols_of(const Expr& e) {
  std::vector<std::string> names;
  collect(e, names);
  return names;
}

int distribution_index(const std::string& name) {
  for (int i = 0; i < static_cast<int>(std::size(kDistributions)); ++i)
    if (name == kDistributions[i].name) return i;
  return -1;
}

bool has_draw(const Expr& e) {
  if (e.op == ExprOp::Draw) return true;
  return std::any_of(e.args.begin(), e.args.end(), [](const Expr& a) { return has_draw(a); });
}

bool has_delay(const Expr& e) {
  if (e.op == ExprOp::Delay) return true;
  return std::any_of(e.args.begin(), e.args.end(), [](const Expr& a) { return has_delay(a); });
}

bool has_rate_of(const Expr& e) {
  if (e.op == ExprOp::RateOf) return true;
  return std::any_of(e.args.begin(), e.args.end(), [](const Expr& a) { return has_rate_of(a); });
}

Expr substitute(const Expr& e, const std::string& from, const Expr& to) {
  if (e.op == ExprOp::Symbol) return e.symbol == from ? to : e;
  Expr out = e;
  for (Expr& a : out.args) a = substitute(a, from, to);
  return out;
}

bool reads_time(const Expr& e) {
  if (e.op == ExprOp::Time) return true;
  return std::any_of(e.args.begin(), e.args.end(), [](const Expr& a) { return reads_time(a); });
}

}  // namespace nkappa
