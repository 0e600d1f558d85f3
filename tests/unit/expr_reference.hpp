#pragma once
// A direct recursive evaluator of Expr trees, written from the meaning documented in
// engine/model/expr.hpp and independently of compile()'s bytecode, so that unit tests can compare
// the compiled programs against it. Also the comparison rule shared by those tests.
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>

#include "engine/model/expr.hpp"

namespace nkappa::test {

using SymbolValues = std::map<std::string, double>;

inline bool truth(double x) {
  return x != 0.0;
}  // NaN counts as true, as in C
inline double from_bool(bool b) {
  return b ? 1.0 : 0.0;
}

inline double reference_value(const Expr& e, const SymbolValues& values, double time) {
  auto arg = [&](std::size_t i) { return reference_value(e.args.at(i), values, time); };
  switch (e.op) {
    case ExprOp::Number:
      return e.number;
    case ExprOp::Time:
      return time;
    case ExprOp::Symbol: {
      auto it = values.find(e.symbol);
      if (it == values.end()) throw std::logic_error("reference_value: no value for " + e.symbol);
      return it->second;
    }
    // The n-ary arithmetic operators fold from the left, as written.
    case ExprOp::Add: {
      double sum = arg(0);
      for (std::size_t i = 1; i < e.args.size(); ++i) sum += arg(i);
      return sum;
    }
    case ExprOp::Mul: {
      double product = arg(0);
      for (std::size_t i = 1; i < e.args.size(); ++i) product *= arg(i);
      return product;
    }
    case ExprOp::Min: {
      double m = arg(0);
      for (std::size_t i = 1; i < e.args.size(); ++i) m = std::fmin(m, arg(i));
      return m;
    }
    case ExprOp::Max: {
      double m = arg(0);
      for (std::size_t i = 1; i < e.args.size(); ++i) m = std::fmax(m, arg(i));
      return m;
    }
    case ExprOp::Sub:
      return arg(0) - arg(1);
    case ExprOp::Div:
      return arg(0) / arg(1);
    case ExprOp::Pow:
      return std::pow(arg(0), arg(1));
    case ExprOp::Neg:
      return -arg(0);
    case ExprOp::Exp:
      return std::exp(arg(0));
    case ExprOp::Ln:
      return std::log(arg(0));
    case ExprOp::Log10:
      return std::log10(arg(0));
    case ExprOp::Sqrt:
      return std::sqrt(arg(0));
    case ExprOp::Abs:
      return std::fabs(arg(0));
    case ExprOp::Floor:
      return std::floor(arg(0));
    case ExprOp::Ceil:
      return std::ceil(arg(0));
    case ExprOp::Sin:
      return std::sin(arg(0));
    case ExprOp::Cos:
      return std::cos(arg(0));
    case ExprOp::Tan:
      return std::tan(arg(0));
    case ExprOp::Asin:
      return std::asin(arg(0));
    case ExprOp::Acos:
      return std::acos(arg(0));
    case ExprOp::Atan:
      return std::atan(arg(0));
    case ExprOp::Sinh:
      return std::sinh(arg(0));
    case ExprOp::Cosh:
      return std::cosh(arg(0));
    case ExprOp::Tanh:
      return std::tanh(arg(0));
    case ExprOp::Factorial:
      return std::tgamma(arg(0) + 1.0);
    case ExprOp::Log:
      return std::log(arg(1)) / std::log(arg(0));  // log(base, x)
    case ExprOp::Root:
      return std::pow(arg(1), 1.0 / arg(0));  // root(degree, x)
    case ExprOp::Eq:
      return from_bool(arg(0) == arg(1));
    case ExprOp::Neq:
      return from_bool(arg(0) != arg(1));
    case ExprOp::Lt:
      return from_bool(arg(0) < arg(1));
    case ExprOp::Leq:
      return from_bool(arg(0) <= arg(1));
    case ExprOp::Gt:
      return from_bool(arg(0) > arg(1));
    case ExprOp::Geq:
      return from_bool(arg(0) >= arg(1));
    // Logic by its definition (all, any, odd count), not as a chain of binary operators.
    case ExprOp::And: {
      for (std::size_t i = 0; i < e.args.size(); ++i)
        if (!truth(arg(i))) return 0.0;
      return 1.0;
    }
    case ExprOp::Or: {
      for (std::size_t i = 0; i < e.args.size(); ++i)
        if (truth(arg(i))) return 1.0;
      return 0.0;
    }
    case ExprOp::Xor: {
      int holding = 0;
      for (std::size_t i = 0; i < e.args.size(); ++i) holding += truth(arg(i)) ? 1 : 0;
      return from_bool(holding % 2 == 1);
    }
    case ExprOp::Not:
      return from_bool(!truth(arg(0)));
    case ExprOp::Piecewise: {
      // The first branch whose condition holds; otherwise the trailing value; undefined (NaN)
      // when nothing holds and there is no otherwise.
      const std::size_t pairs = e.args.size() / 2;
      for (std::size_t i = 0; i < pairs; ++i)
        if (truth(arg(2 * i + 1))) return arg(2 * i);
      if (e.args.size() % 2 == 1) return arg(e.args.size() - 1);
      return std::numeric_limits<double>::quiet_NaN();
    }
    case ExprOp::Draw:
      throw std::logic_error("reference_value: a random draw has no reference value");
    case ExprOp::RateOf:
      throw std::logic_error("reference_value: rateOf is replaced before compiling");
    case ExprOp::Delay:
      throw std::logic_error("reference_value: delay is replaced before compiling");
  }
  throw std::logic_error("reference_value: unknown operator");
}

// Equal within `relative` of the larger magnitude; NaN only matches NaN, infinities only
// themselves.
inline bool same_value(double a, double b, double relative = 1e-12) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  if (a == b) return true;
  if (std::isinf(a) || std::isinf(b)) return false;
  return std::fabs(a - b) <= relative * std::fmax(std::fabs(a), std::fabs(b));
}

}  // namespace nkappa::test
