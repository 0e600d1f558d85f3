#pragma once
// The structure of compiled programs, read back from their bytecode: where each program's code
// lies in the network's flat array and which comparisons (<, <=, >, >=) it makes, with the code of
// both operands. The ODE path needs this to locate event switching times by root finding (a
// trigger switches only when the difference of a comparison's operands changes sign) and to stop
// at the time breakpoints of time-dependent rate laws.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "engine/network/rate_program.hpp"

namespace nkappa {

struct CodeRange {  // [begin, end) in RateProgram::code()
  std::size_t begin = 0;
  std::size_t end = 0;
  std::size_t size() const { return end - begin; }
};

// The code of every program of `programs`, in program order. RateProgram keeps the program
// boundaries private, but its code is a concatenation of well-formed postfix expressions, one per
// program, each leaving one value on the stack, and such a concatenation splits into its
// expressions in exactly one way. RuntimeError if the code does not split into size() programs.
std::vector<CodeRange> program_ranges(const RateProgram& programs);

struct Comparison {
  OpCode op = OpCode::Lt;
  CodeRange lhs;
  CodeRange rhs;
  // An operand reads a species that changes continuously (not fixed), other than through a
  // comparison nested inside it: the difference lhs - rhs then moves with the state and can be
  // root-found. Nested comparisons are piecewise constant and have their own entries.
  bool reads_changing_species = false;
  // An operand reads `time`, likewise outside nested comparisons.
  bool reads_time = false;
};

struct ProgramStructure {
  std::vector<Comparison> comparisons;  // in code order (inner before outer)
  // A changing species read outside any comparison (e.g. a trigger `A`, or `A == 5`), or -1:
  // the program's value can then change without any comparison changing sign.
  std::int32_t species_outside_comparisons = -1;
  // The argument of each floor or ceiling that reads a changing species: the value jumps where
  // the argument crosses an integer.
  std::vector<CodeRange> roundings;
};

// `species_fixed` (ReactionNetwork::species_fixed) tells which species cannot change between
// events.
ProgramStructure analyse_program(const std::vector<Instruction>& code, CodeRange program,
                                 const std::vector<std::uint8_t>& species_fixed);

// The constant c of a comparison of `time` with a constant (time < c, c >= time, ...), if it is
// one.
std::optional<double> time_breakpoint(const std::vector<Instruction>& code, const Comparison& c);

}  // namespace nkappa
