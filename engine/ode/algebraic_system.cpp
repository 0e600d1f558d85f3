#include "engine/ode/algebraic_system.hpp"

#include <sundials/sundials_dense.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <type_traits>

namespace nkappa {

static_assert(std::is_same_v<sunindextype, std::int64_t>,
              "AlgebraicSystem keeps SUNDIALS' pivots as std::int64_t");

namespace {
constexpr int kMaxIterations = 50;
constexpr int kMaxHalvings = 30;
constexpr double kStepTolerance = 1e-12;

double max_norm(const std::vector<double>& v) {
  double m = 0.0;
  for (double x : v) m = std::max(m, std::fabs(x));
  return m;
}
}  // namespace

AlgebraicSystem::AlgebraicSystem(const ReactionNetwork& net, double scale)
    : net_(net), scale_(scale > 0.0 ? scale : 1e-300) {
  const std::size_t n = net.algebraic.size();
  residual_.resize(n);
  trial_residual_.resize(n);
  step_.resize(n);
  start_.resize(n);
  base_.resize(n);
  jacobian_.resize(n * n);
  pivots_.resize(n);
  for (std::size_t j = 0; j < n; ++j) columns_.push_back(jacobian_.data() + j * n);
}

double& AlgebraicSystem::variable(std::size_t j, double* amounts, double* parameters) const {
  const ReactionNetwork::AlgebraicRule& rule = net_.algebraic[j];
  return rule.to_species ? amounts[rule.index] : parameters[rule.index];
}

bool AlgebraicSystem::residuals(double time, const double* amounts, const double* parameters,
                                double* out, AlgebraicFailure& failure) const {
  for (std::size_t i = 0; i < net_.algebraic.size(); ++i) {
    out[i] = net_.programs.evaluate(net_.algebraic[i].program, amounts, parameters, time);
    if (!std::isfinite(out[i])) {
      failure = {static_cast<std::int32_t>(i), "the rule's value is not a finite number"};
      return false;
    }
  }
  return true;
}

AlgebraicFailure AlgebraicSystem::solve(double time, double* amounts, double* parameters) {
  const std::size_t n = net_.algebraic.size();
  AlgebraicFailure failure;
  if (n == 0) return failure;
  for (std::size_t j = 0; j < n; ++j) start_[j] = variable(j, amounts, parameters);
  auto restore = [&] {
    for (std::size_t j = 0; j < n; ++j) variable(j, amounts, parameters) = start_[j];
  };
  if (!residuals(time, amounts, parameters, residual_.data(), failure)) {
    restore();
    return failure;
  }
  const double root_epsilon = std::sqrt(std::numeric_limits<double>::epsilon());
  for (int iteration = 0; iteration < kMaxIterations; ++iteration) {
    if (max_norm(residual_) == 0.0) return failure;
    // dg/dz by forward differences, column j from a perturbation of z_j.
    for (std::size_t j = 0; j < n; ++j) {
      double& z = variable(j, amounts, parameters);
      const double saved = z;
      const double h = root_epsilon * std::max(std::fabs(saved), scale_);
      z = saved + h;
      const bool finite = residuals(time, amounts, parameters, trial_residual_.data(), failure);
      z = saved;
      if (!finite) {
        restore();
        failure.problem += " near the current solution (while forming its derivative)";
        return failure;
      }
      for (std::size_t i = 0; i < n; ++i) columns_[j][i] = (trial_residual_[i] - residual_[i]) / h;
    }
    const auto singular = SUNDlsMat_denseGETRF(columns_.data(), static_cast<sunindextype>(n),
                                               static_cast<sunindextype>(n),
                                               reinterpret_cast<sunindextype*>(pivots_.data()));
    if (singular != 0) {
      restore();
      return {static_cast<std::int32_t>(singular - 1),
              "the algebraic rules are singular in their variables (the derivative of the "
              "rules with respect to the variables they determine has no inverse; the model is "
              "not an index-1 DAE, or the rules do not determine their variables)"};
    }
    for (std::size_t i = 0; i < n; ++i) step_[i] = -residual_[i];
    SUNDlsMat_denseGETRS(columns_.data(), static_cast<sunindextype>(n),
                         reinterpret_cast<sunindextype*>(pivots_.data()), step_.data());
    // Step halving while the residual grows (a full Newton step may overshoot).
    const double before = max_norm(residual_);
    for (std::size_t j = 0; j < n; ++j) base_[j] = variable(j, amounts, parameters);
    double fraction = 1.0;
    for (int halving = 0;; ++halving) {
      bool converged = true;
      for (std::size_t j = 0; j < n; ++j) {
        double& z = variable(j, amounts, parameters);
        z = base_[j] + fraction * step_[j];
        if (std::fabs(fraction * step_[j]) > kStepTolerance * std::max(std::fabs(z), scale_))
          converged = false;
      }
      AlgebraicFailure trial;
      const bool finite = residuals(time, amounts, parameters, residual_.data(), trial);
      if (finite && converged) return failure;
      if (finite && max_norm(residual_) <= before) break;
      if (halving == kMaxHalvings) {
        restore();
        return trial.failed() ? trial
                              : AlgebraicFailure{0,
                                                 "Newton's method found no step that reduces "
                                                 "the rules' residual"};
      }
      fraction *= 0.5;
    }
  }
  std::size_t worst = 0;
  for (std::size_t i = 1; i < n; ++i)
    if (std::fabs(residual_[i]) > std::fabs(residual_[worst])) worst = i;
  restore();
  std::ostringstream s;
  s << "Newton's method did not converge in " << kMaxIterations << " iterations (residual "
    << residual_[worst] << ")";
  return {static_cast<std::int32_t>(worst), s.str()};
}

std::string AlgebraicSystem::describe(const AlgebraicFailure& failure, double time) const {
  std::ostringstream s;
  s.precision(10);
  const ReactionNetwork::AlgebraicRule& rule =
      net_.algebraic[static_cast<std::size_t>(failure.rule)];
  s << "algebraic rule '" << rule.id << "' (determining '"
    << (rule.to_species ? net_.species_ids[rule.index] : net_.parameter_ids[rule.index])
    << "') cannot be solved at t = " << time << ": " << failure.problem;
  return s.str();
}

}  // namespace nkappa
