#pragma once
// The algebraic part of a semi-explicit index-1 DAE: the SBML algebraic rules 0 = g(x, z, t)
// (ReactionNetwork::algebraic), solved for their variables z given the differential state x.
//
// Why not a DAE integrator (SUNDIALS IDA): for index 1, dg/dz is non-singular, so z = z(x, t)
// is a function of the state (implicit function theorem) and the DAE is the ODE
// dx/dt = f(x, z(x, t), t). Solving g = 0 wherever the right-hand side, a root function or an
// output reads the state keeps CVODE and its event handling (engine/ode/cvode_solver.cpp)
// unchanged, and every state it reports satisfies the rules to the Newton tolerance, including
// the initial one (SBML L3V2 4.9.5: the initial state is a solution of all rules). Cost: one
// Newton solve (a few residual evaluations and one small LU) per right-hand side; the models
// that have algebraic rules have a handful of them. Index > 1 (dg/dz singular) is reported as a
// singular system, not integrated.
//
// Algorithm: Newton's method with a forward-difference Jacobian dg/dz (increment
// sqrt(machine epsilon) * max(|z_j|, scale)) and SUNDIALS' dense LU with partial pivoting,
// started from the values z holds (the last solution), with step halving while the residual's
// max-norm grows. Converged when every Newton step is below 1e-12 * max(|z_j|, scale)
// or the residual is exactly zero. Invariant: on success the rules hold at the returned state;
// on failure the state is unchanged and the failure names a rule.
#include <cstdint>
#include <string>
#include <vector>

#include "engine/network/reaction_network.hpp"

namespace nkappa {

struct AlgebraicFailure {
  std::int32_t rule = -1;  // index into ReactionNetwork::algebraic; -1: none
  std::string problem;
  bool failed() const { return rule >= 0; }
};

class AlgebraicSystem {
 public:
  // `scale`: the amount below which a variable counts as zero (increments, convergence).
  AlgebraicSystem(const ReactionNetwork& net, double scale);

  bool empty() const { return net_.algebraic.empty(); }

  // Overwrites the rules' variables in `amounts` / `parameters` with the solution of g = 0 at
  // `time`, the other entries read as given.
  AlgebraicFailure solve(double time, double* amounts, double* parameters);

  // "algebraic rule '<id>' ... at t = <time>: <problem>", for errors.
  std::string describe(const AlgebraicFailure& failure, double time) const;

 private:
  double& variable(std::size_t j, double* amounts, double* parameters) const;
  bool residuals(double time, const double* amounts, const double* parameters, double* out,
                 AlgebraicFailure& failure) const;

  const ReactionNetwork& net_;
  double scale_;
  std::vector<double> residual_, trial_residual_, step_, start_, base_, jacobian_;
  std::vector<double*> columns_;
  std::vector<std::int64_t> pivots_;
};

}  // namespace nkappa
