#include "engine/ode/program_structure.hpp"

#include <string>

#include "engine/error.hpp"

namespace nkappa {

namespace {

// How many stack entries an instruction consumes; every instruction pushes one.
int operand_count(OpCode op) {
  switch (op) {
    case OpCode::Constant:
    case OpCode::Species:
    case OpCode::Parameter:
    case OpCode::Time:
      return 0;
    case OpCode::Neg:
    case OpCode::Exp:
    case OpCode::Ln:
    case OpCode::Log10:
    case OpCode::Sqrt:
    case OpCode::Abs:
    case OpCode::Floor:
    case OpCode::Ceil:
    case OpCode::Sin:
    case OpCode::Cos:
    case OpCode::Tan:
    case OpCode::Asin:
    case OpCode::Acos:
    case OpCode::Atan:
    case OpCode::Sinh:
    case OpCode::Cosh:
    case OpCode::Tanh:
    case OpCode::Factorial:
    case OpCode::Not:
      return 1;
    case OpCode::Add:
    case OpCode::Sub:
    case OpCode::Mul:
    case OpCode::Div:
    case OpCode::Pow:
    case OpCode::Log:
    case OpCode::Root:
    case OpCode::Min:
    case OpCode::Max:
    case OpCode::Eq:
    case OpCode::Neq:
    case OpCode::Lt:
    case OpCode::Leq:
    case OpCode::Gt:
    case OpCode::Geq:
    case OpCode::And:
    case OpCode::Or:
    case OpCode::Xor:
      return 2;
    case OpCode::Select:
      return 3;
    case OpCode::Draw:
      return 4;
  }
  return 0;
}

bool is_ordering(OpCode op) {
  return op == OpCode::Lt || op == OpCode::Leq || op == OpCode::Gt || op == OpCode::Geq;
}

// One value on the symbolic stack: where its code starts, and which changing species it reads
// outside comparisons (the first one, or -1).
struct Operand {
  std::size_t begin = 0;
  std::int32_t changing_species = -1;
  bool reads_time = false;  // outside comparisons too
};

}  // namespace

std::vector<CodeRange> program_ranges(const RateProgram& programs) {
  const std::vector<Instruction>& code = programs.code();
  std::vector<std::size_t> starts;  // the symbolic stack: where each pending value's code starts
  for (std::size_t p = 0; p < code.size(); ++p) {
    const auto consumed = static_cast<std::size_t>(operand_count(code[p].op));
    if (consumed > starts.size())
      throw RuntimeError("rate program code is malformed at instruction " + std::to_string(p));
    const std::size_t begin = consumed == 0 ? p : starts[starts.size() - consumed];
    starts.resize(starts.size() - consumed);
    starts.push_back(begin);
  }
  if (starts.size() != static_cast<std::size_t>(programs.size()))
    throw RuntimeError("rate program code splits into " + std::to_string(starts.size()) +
                       " expressions, not " + std::to_string(programs.size()));
  std::vector<CodeRange> ranges(starts.size());
  for (std::size_t i = 0; i < starts.size(); ++i)
    ranges[i] = CodeRange{starts[i], i + 1 < starts.size() ? starts[i + 1] : code.size()};
  return ranges;
}

ProgramStructure analyse_program(const std::vector<Instruction>& code, CodeRange program,
                                 const std::vector<std::uint8_t>& species_fixed) {
  ProgramStructure out;
  std::vector<Operand> stack;
  for (std::size_t p = program.begin; p < program.end; ++p) {
    const Instruction& ins = code[p];
    const auto consumed = static_cast<std::size_t>(operand_count(ins.op));
    if (consumed > stack.size())
      throw RuntimeError("rate program code is malformed at instruction " + std::to_string(p));
    Operand result;
    if (consumed == 0) {
      result.begin = p;
      if (ins.op == OpCode::Species && species_fixed[static_cast<std::size_t>(ins.index)] == 0)
        result.changing_species = ins.index;
      result.reads_time = ins.op == OpCode::Time;
    } else {
      const std::size_t first = stack.size() - consumed;
      result.begin = stack[first].begin;
      for (std::size_t i = first; i < stack.size() && result.changing_species < 0; ++i)
        result.changing_species = stack[i].changing_species;
      for (std::size_t i = first; i < stack.size(); ++i)
        result.reads_time = result.reads_time || stack[i].reads_time;
      if ((ins.op == OpCode::Floor || ins.op == OpCode::Ceil) && result.changing_species >= 0)
        out.roundings.push_back(CodeRange{result.begin, p});
      if (is_ordering(ins.op)) {
        const Operand& lhs = stack[first];
        const Operand& rhs = stack[first + 1];
        out.comparisons.push_back(Comparison{ins.op, CodeRange{lhs.begin, rhs.begin},
                                             CodeRange{rhs.begin, p}, result.changing_species >= 0,
                                             result.reads_time});
        // A comparison's value is piecewise constant: it changes only where this entry's
        // difference changes sign.
        result.changing_species = -1;
        result.reads_time = false;
      }
    }
    stack.resize(stack.size() - consumed);
    stack.push_back(result);
  }
  if (stack.size() != 1)
    throw RuntimeError("rate program code at " + std::to_string(program.begin) +
                       " does not leave exactly one value");
  out.species_outside_comparisons = stack.front().changing_species;
  return out;
}

std::optional<double> time_breakpoint(const std::vector<Instruction>& code, const Comparison& c) {
  if (c.lhs.size() != 1 || c.rhs.size() != 1) return std::nullopt;
  const Instruction& a = code[c.lhs.begin];
  const Instruction& b = code[c.rhs.begin];
  if (a.op == OpCode::Time && b.op == OpCode::Constant) return b.value;
  if (b.op == OpCode::Time && a.op == OpCode::Constant) return a.value;
  return std::nullopt;
}

}  // namespace nkappa
