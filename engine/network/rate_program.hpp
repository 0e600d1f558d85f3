#pragma once
// Bytecode for every rate law that is not of the mass-action shape: a stack machine over the
// species counts, the variable parameters and time (and, in event assignments, random draws).
// Constant parameters and compartment sizes are folded into the code at compile time, so evaluation
// never looks up a name.
#include <cstdint>
#include <vector>

#include "engine/run/rng.hpp"

namespace nkappa {

enum class OpCode : std::uint8_t {
  Constant,
  Species,
  Parameter,
  Time,
  Add,
  Sub,
  Mul,
  Div,
  Pow,
  Neg,
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
  Factorial,
  Log,
  Root,
  Min,
  Max,
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
  // Select: the stack holds otherwise, value, cond; leaves cond != 0 ? value : otherwise.
  // Piecewise compiles to nested selects, from its last branch backwards.
  Select,
  // Draw: the stack holds a, b, lower, upper; leaves a draw from distribution `index`
  // (kDistributions in engine/model/expr.hpp) with parameters a (and b), redrawn until it lies
  // in [lower, upper]. Needs the trajectory's generator; NaN without one.
  Draw,
};

struct Instruction {
  OpCode op;
  std::int32_t index = 0;  // species or parameter index
  double value = 0.0;      // constant
};

// All the programs of one network in one flat array; program p is
// code[start[p] .. start[p+1]).
class RateProgram {
 public:
  static constexpr int kMaxStack = 64;

  std::int32_t add(const std::vector<Instruction>& program, int stack_depth);
  std::int32_t size() const { return static_cast<std::int32_t>(start_.size()) - 1; }
  double evaluate(std::int32_t program, const double* counts, const double* parameters, double time,
                  Rng* rng = nullptr) const;
  const std::vector<Instruction>& code() const { return code_; }

 private:
  std::vector<Instruction> code_;
  std::vector<std::int32_t> start_{0};
};

}  // namespace nkappa
