#pragma once
// A rate law or rule as an expression tree over names. Built by sbml/ (or by tests through the
// builder), read by engine/network/compile.cpp, which turns it into a mass-action record or a
// RateProgram. The tree is a plain value: copying a ModelDescription copies its laws.
#include <cstdint>
#include <string>
#include <vector>

namespace nkappa {

enum class ExprOp : std::uint8_t {
  Number,  // number
  Symbol,  // symbol: species (amount), compartment (size), parameter
  Time,    // model time
  Add,
  Sub,
  Mul,
  Div,
  Pow,
  Neg,
  // Functions of one argument.
  Exp,
  Ln,
  Log10,
  Sqrt,
  Abs,
  Floor,
  Ceil,
  Sin,
  Cos,
  Tan,
  Asin,
  Acos,
  Atan,
  Sinh,
  Cosh,
  Tanh,
  // Functions of two arguments.
  Log,   // log(base, x)
  Root,  // root(degree, x)
  Min,
  Max,
  // Relations and logic give 1.0 (true) or 0.0 (false).
  Eq,
  Neq,
  Lt,
  Leq,
  Gt,
  Geq,
  And,
  Or,
  Xor,
  Not,
  Piecewise,  // value1, cond1, value2, cond2, ..., [otherwise]
};

struct Expr {
  ExprOp op = ExprOp::Number;
  double number = 0.0;
  std::string symbol;
  std::vector<Expr> args;

  static Expr constant(double value) { return Expr{ExprOp::Number, value, {}, {}}; }
  static Expr name(std::string id) { return Expr{ExprOp::Symbol, 0.0, std::move(id), {}}; }
  static Expr time() { return Expr{ExprOp::Time, 0.0, {}, {}}; }
  static Expr call(ExprOp op, std::vector<Expr> args) { return Expr{op, 0.0, {}, std::move(args)}; }
};

inline Expr operator*(Expr a, Expr b) {
  return Expr::call(ExprOp::Mul, {std::move(a), std::move(b)});
}
inline Expr operator/(Expr a, Expr b) {
  return Expr::call(ExprOp::Div, {std::move(a), std::move(b)});
}
inline Expr operator+(Expr a, Expr b) {
  return Expr::call(ExprOp::Add, {std::move(a), std::move(b)});
}
inline Expr operator-(Expr a, Expr b) {
  return Expr::call(ExprOp::Sub, {std::move(a), std::move(b)});
}

// Number of arguments an operator takes; -1 for variadic (Add, Mul, Min, Max, And, Or, Xor,
// Piecewise).
int expr_arity(ExprOp op);
const char* expr_op_name(ExprOp op);
// Infix text, for messages and reports (e.g. "k1 * S1 * (S1 - 1)").
std::string to_string(const Expr& e);
// Every Symbol name the expression reads, in order of first appearance.
std::vector<std::string> symbols_of(const Expr& e);
bool reads_time(const Expr& e);

}  // namespace nkappa
