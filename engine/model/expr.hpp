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
  Factorial,  // of a non-negative integer: Gamma(x + 1)
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
  // A random draw (SBML Level 3 `distrib`): `symbol` names the distribution, the arguments are
  // its parameters as kDistributions lists them, optionally followed by truncation bounds
  // [lower, upper].
  Draw,
  // SBML Level 3 rateOf(symbol): the rate of change of the variable `symbol` (no arguments).
  // engine/network/rules.cpp replaces it by that rate before compiling.
  RateOf,
  // SBML delay(x, d): the value of x at time - d (the initial value of x before t = 0).
  // engine/network/rules.cpp replaces it by a state parameter that the ODE path keeps equal to
  // x(time - d) from the history of the state; stochastic methods refuse it.
  Delay,
};

// The distributions a Draw can name, with their parameters (the SBML distrib csymbols).
struct DistributionInfo {
  const char* name;
  int parameters;
  const char* meaning;  // for messages
};
inline constexpr DistributionInfo kDistributions[] = {
    {"normal", 2, "mean, standard deviation"},
    {"uniform", 2, "minimum, maximum"},
    {"bernoulli", 1, "probability"},
    {"binomial", 2, "trials, probability"},
    {"cauchy", 2, "location, scale"},
    {"chisquare", 1, "degrees of freedom"},
    {"exponential", 1, "rate"},
    {"gamma", 2, "shape, scale"},
    {"laplace", 2, "location, scale"},
    {"lognormal", 2, "mean and standard deviation of the logarithm"},
    {"poisson", 1, "rate"},
    {"rayleigh", 1, "scale"},
};
// Index into kDistributions, or -1.
int distribution_index(const std::string& name);

struct Expr {
  ExprOp op = ExprOp::Number;
  double number = 0.0;
  std::string symbol;
  std::vector<Expr> args;

  static Expr constant(double value) { return Expr{ExprOp::Number, value, {}, {}}; }
  static Expr name(std::string id) { return Expr{ExprOp::Symbol, 0.0, std::move(id), {}}; }
  static Expr time() { return Expr{ExprOp::Time, 0.0, {}, {}}; }
  static Expr call(ExprOp op, std::vector<Expr> args) { return Expr{op, 0.0, {}, std::move(args)}; }
  static Expr rate_of(std::string id) { return Expr{ExprOp::RateOf, 0.0, std::move(id), {}}; }
  static Expr draw(std::string distribution, std::vector<Expr> args) {
    return Expr{ExprOp::Draw, 0.0, std::move(distribution), std::move(args)};
  }
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
bool has_draw(const Expr& e);
bool has_rate_of(const Expr& e);
bool has_delay(const Expr& e);
// Every Symbol `from` replaced by `to` (one pass: `to` itself is not rewritten).
Expr substitute(const Expr& e, const std::string& from, const Expr& to);

}  // namespace nkappa
