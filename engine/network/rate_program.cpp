#include "engine/network/rate_program.hpp"

#include <cmath>

namespace nkappa {

std::int32_t RateProgram::add(const std::vector<Instruction>& program, int /*stack_depth*/) {
  code_.insert(code_.end(), program.begin(), program.end());
  start_.push_back(static_cast<std::int32_t>(code_.size()));
  return size() - 1;
}

double RateProgram::evaluate(std::int32_t program, const double* counts, const double* parameters,
                             double time) const {
  double stack[kMaxStack];
  int top = -1;  // compile() guarantees the depth never exceeds kMaxStack
  const Instruction* pc = code_.data() + start_[program];
  const Instruction* end = code_.data() + start_[program + 1];
  for (; pc != end; ++pc) {
    switch (pc->op) {
      case OpCode::Constant:
        stack[++top] = pc->value;
        break;
      case OpCode::Species:
        stack[++top] = counts[pc->index];
        break;
      case OpCode::Parameter:
        stack[++top] = parameters[pc->index];
        break;
      case OpCode::Time:
        stack[++top] = time;
        break;
      case OpCode::Add:
        --top;
        stack[top] += stack[top + 1];
        break;
      case OpCode::Sub:
        --top;
        stack[top] -= stack[top + 1];
        break;
      case OpCode::Mul:
        --top;
        stack[top] *= stack[top + 1];
        break;
      case OpCode::Div:
        --top;
        stack[top] /= stack[top + 1];
        break;
      case OpCode::Pow:
        --top;
        stack[top] = std::pow(stack[top], stack[top + 1]);
        break;
      case OpCode::Neg:
        stack[top] = -stack[top];
        break;
      case OpCode::Exp:
        stack[top] = std::exp(stack[top]);
        break;
      case OpCode::Ln:
        stack[top] = std::log(stack[top]);
        break;
      case OpCode::Log10:
        stack[top] = std::log10(stack[top]);
        break;
      case OpCode::Sqrt:
        stack[top] = std::sqrt(stack[top]);
        break;
      case OpCode::Abs:
        stack[top] = std::fabs(stack[top]);
        break;
      case OpCode::Floor:
        stack[top] = std::floor(stack[top]);
        break;
      case OpCode::Ceil:
        stack[top] = std::ceil(stack[top]);
        break;
      case OpCode::Sin:
        stack[top] = std::sin(stack[top]);
        break;
      case OpCode::Cos:
        stack[top] = std::cos(stack[top]);
        break;
      case OpCode::Tan:
        stack[top] = std::tan(stack[top]);
        break;
      case OpCode::Asin:
        stack[top] = std::asin(stack[top]);
        break;
      case OpCode::Acos:
        stack[top] = std::acos(stack[top]);
        break;
      case OpCode::Atan:
        stack[top] = std::atan(stack[top]);
        break;
      case OpCode::Sinh:
        stack[top] = std::sinh(stack[top]);
        break;
      case OpCode::Cosh:
        stack[top] = std::cosh(stack[top]);
        break;
      case OpCode::Tanh:
        stack[top] = std::tanh(stack[top]);
        break;
      case OpCode::Log:
        --top;
        stack[top] = std::log(stack[top + 1]) / std::log(stack[top]);
        break;
      case OpCode::Root:
        --top;
        stack[top] = std::pow(stack[top + 1], 1.0 / stack[top]);
        break;
      case OpCode::Min:
        --top;
        stack[top] = std::fmin(stack[top], stack[top + 1]);
        break;
      case OpCode::Max:
        --top;
        stack[top] = std::fmax(stack[top], stack[top + 1]);
        break;
      case OpCode::Eq:
        --top;
        stack[top] = stack[top] == stack[top + 1] ? 1.0 : 0.0;
        break;
      case OpCode::Neq:
        --top;
        stack[top] = stack[top] != stack[top + 1] ? 1.0 : 0.0;
        break;
      case OpCode::Lt:
        --top;
        stack[top] = stack[top] < stack[top + 1] ? 1.0 : 0.0;
        break;
      case OpCode::Leq:
        --top;
        stack[top] = stack[top] <= stack[top + 1] ? 1.0 : 0.0;
        break;
      case OpCode::Gt:
        --top;
        stack[top] = stack[top] > stack[top + 1] ? 1.0 : 0.0;
        break;
      case OpCode::Geq:
        --top;
        stack[top] = stack[top] >= stack[top + 1] ? 1.0 : 0.0;
        break;
      case OpCode::And:
        --top;
        stack[top] = (stack[top] != 0.0 && stack[top + 1] != 0.0) ? 1.0 : 0.0;
        break;
      case OpCode::Or:
        --top;
        stack[top] = (stack[top] != 0.0 || stack[top + 1] != 0.0) ? 1.0 : 0.0;
        break;
      case OpCode::Xor:
        --top;
        stack[top] = ((stack[top] != 0.0) != (stack[top + 1] != 0.0)) ? 1.0 : 0.0;
        break;
      case OpCode::Not:
        stack[top] = stack[top] == 0.0 ? 1.0 : 0.0;
        break;
      case OpCode::Select:
        top -= 2;
        stack[top] = stack[top + 2] != 0.0 ? stack[top + 1] : stack[top];
        break;
    }
  }
  return stack[0];
}

}  // namespace nkappa
