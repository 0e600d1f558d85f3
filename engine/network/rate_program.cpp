#include "engine/network/rate_program.hpp"

#include <boost/random/bernoulli_distribution.hpp>
#include <boost/random/binomial_distribution.hpp>
#include <boost/random/cauchy_distribution.hpp>
#include <boost/random/chi_squared_distribution.hpp>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/gamma_distribution.hpp>
#include <boost/random/laplace_distribution.hpp>
#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <boost/random/weibull_distribution.hpp>
#include <cmath>

namespace nkappa {

std::int32_t RateProgram::add(const std::vector<Instruction>& program, int /*stack_depth*/) {
  code_.insert(code_.end(), program.begin(), program.end());
  start_.push_back(static_cast<std::int32_t>(code_.size()));
  return size() - 1;
}

namespace {

// One draw from distribution `kind` of kDistributions (SBML distrib's parameterisations), by
// Boost.Random. Truncation is by rejection, which draws exactly from the law conditioned on
// [lower, upper]; after kMaxRejections misses the bounds are taken to hold (almost) no
// probability and the result is NaN rather than an endless loop.
double draw(int kind, double a, double b, double lower, double upper, Rng& rng) {
  namespace br = boost::random;
  constexpr int kMaxRejections = 1'000'000;
  // Parameters outside a distribution's domain give NaN (Boost only asserts on them).
  const bool valid = [&] {
    switch (kind) {
      case 0:
      case 9:
        return b >= 0.0;
      case 1:
        return a <= b;
      case 2:
        return a >= 0.0 && a <= 1.0;
      case 3:
        return a >= 0.0 && a == std::floor(a) && b >= 0.0 && b <= 1.0;
      case 4:
      case 8:
        return b > 0.0;
      case 5:
      case 6:
      case 10:
      case 11:
        return a > 0.0;
      case 7:
        return a > 0.0 && b > 0.0;
      default:
        return false;
    }
  }();
  if (!valid || !(lower <= upper)) return std::nan("");
  auto one = [&]() -> double {
    switch (kind) {
      case 0:
        return br::normal_distribution<double>(a, b)(rng);
      case 1:
        return br::uniform_real_distribution<double>(a, b)(rng);
      case 2:
        return br::bernoulli_distribution<double>(a)(rng) ? 1.0 : 0.0;
      case 3:
        return static_cast<double>(
            br::binomial_distribution<long long, double>(static_cast<long long>(a), b)(rng));
      case 4:
        return br::cauchy_distribution<double>(a, b)(rng);
      case 5:
        return br::chi_squared_distribution<double>(a)(rng);
      case 6:
        return br::exponential_distribution<double>(a)(rng);
      case 7:
        return br::gamma_distribution<double>(a, b)(rng);
      case 8:
        return br::laplace_distribution<double>(a, b)(rng);
      case 9:
        return br::lognormal_distribution<double>(a, b)(rng);
      case 10:
        return static_cast<double>(br::poisson_distribution<long long, double>(a)(rng));
      case 11:  // Rayleigh(sigma) is Weibull with shape 2 and scale sigma sqrt(2)
        return br::weibull_distribution<double>(2.0, a * std::sqrt(2.0))(rng);
      default:
        return std::nan("");
    }
  };
  for (int i = 0; i < kMaxRejections; ++i) {
    const double x = one();
    if (x >= lower && x <= upper) return x;
  }
  return std::nan("");
}

}  // namespace

double RateProgram::evaluate(std::int32_t program, const double* counts, const double* parameters,
                             double time, Rng* rng) const {
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
      case OpCode::Factorial:
        stack[top] = std::tgamma(stack[top] + 1.0);
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
      case OpCode::Draw:
        top -= 3;
        stack[top] = rng == nullptr ? std::nan("")
                                    : draw(pc->index, stack[top], stack[top + 1], stack[top + 2],
                                           stack[top + 3], *rng);
        break;
    }
  }
  return stack[0];
}

}  // namespace nkappa
