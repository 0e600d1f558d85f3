#pragma once
// The deterministic path: the mean-field ODE of a network (engine/ode/mean_field.hpp) integrated
// by SUNDIALS CVODE (BDF, Newton, dense direct linear solver; Hindmarsh et al. 2005,
// doi:10.1145/1089014.1089020), with the model's events. No SUNDIALS type appears here.
//
// Events follow the exact methods' semantics (engine/run/model_events.hpp): an event is
// triggered when its trigger turns from false to true and executes after its delay; events due
// together execute one at a time by priority; executions cascade. Time breakpoints and pending
// executions: the integration stops exactly at each one (a stop time), the triggers are checked
// just after it, due executions run and the integrator restarts from the new state. Equal
// priorities execute in an order drawn from a generator seeded with OdeSpec::seed, so that a
// run repeats exactly. State triggers: each
// comparison in a trigger that reads a changing species becomes a root function lhs - rhs; at a
// root the triggers are checked. A sample at an output time t shows the state after every event
// at a time <= t, as in the SSA.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "engine/network/reaction_network.hpp"
#include "engine/run/rng.hpp"
#include "engine/run/state.hpp"

namespace nkappa {

// KiSAO term of CVODE (KISAO_0000496 is CVODES, its sensitivity-analysis variant, not used here).
inline constexpr const char* kCvodeKisao = "KISAO:0000019";
inline constexpr double kDefaultRelativeTolerance = 1e-8;

struct OdeSpec {
  // Output times t_start + k (t_end - t_start) / samples, k = 0 .. samples (as OutputGrid); the
  // integration itself always starts at t = 0 from the network's initial amounts and parameters.
  double t_start = 0.0;
  double t_end = 1.0;
  std::int32_t samples = 10;
  double relative_tolerance = kDefaultRelativeTolerance;
  double absolute_tolerance = 0.0;      // <= 0: default_absolute_tolerance(initial amounts)
  std::int64_t max_steps = 10'000'000;  // internal CVODE steps over the whole run
  // Draws the order of simultaneous events of equal priority (nothing else is random here).
  std::uint64_t seed = kDefaultSeed;
  // Optional: edits the initial state (amounts, variable parameters) before events at t = 0 are
  // checked, e.g. one cell's extrinsic draws; it must not change the state's sizes.
  std::function<void(State&)> initialize_state;
};

// 1e-12 x max(1, largest initial amount): amounts far below the model's scale are noise.
double default_absolute_tolerance(const std::vector<double>& initial_amounts);

struct OdeStatistics {
  std::int64_t steps = 0;
  std::int64_t rhs_evaluations = 0;
  std::int64_t jacobian_evaluations = 0;
  std::int64_t linear_solver_setups = 0;
  std::int64_t error_test_failures = 0;
  std::int64_t nonlinear_iterations = 0;
  std::int64_t nonlinear_convergence_failures = 0;
  std::int64_t root_returns = 0;
  std::int64_t restarts = 0;        // CVodeReInit after an event or a rate-law breakpoint
  std::int64_t events_fired = 0;    // model events
  std::int32_t root_functions = 0;  // comparisons watched for state triggers
  std::int32_t difference_quotient_reactions = 0;  // Jacobian columns not analytic
};

struct OdeSolution {
  // One state per output time: time, every species amount, every variable parameter.
  std::vector<State> samples;
  double relative_tolerance = 0.0;  // as used
  double absolute_tolerance = 0.0;
  OdeStatistics statistics;
  double wall_seconds = 0.0;
};

// InputError for bad settings or a trigger the root finder cannot follow (naming the event);
// RuntimeError when CVODE fails, naming the time, CVODE's flag and message and, when the
// right-hand side stopped being finite, the species and reaction.
OdeSolution solve_ode(const ReactionNetwork& net, const OdeSpec& spec);

}  // namespace nkappa
