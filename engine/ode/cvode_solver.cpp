#include "engine/ode/cvode_solver.hpp"

#include <cvode/cvode.h>
#include <nvector/nvector_serial.h>
#include <sundials/sundials_context.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunmatrix/sunmatrix_dense.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <deque>
#include <limits>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/error.hpp"
#include "engine/network/rate_program.hpp"
#include "engine/ode/algebraic_system.hpp"
#include "engine/ode/mean_field.hpp"
#include "engine/ode/program_structure.hpp"
#include "engine/run/model_events.hpp"
#include "engine/run/output_grid.hpp"

namespace nkappa {

// Scaled by the model's own amounts, not floored at 1: a model in µmol per cell (amounts ~1e-13)
// would otherwise get an absolute tolerance above every amount it has.
double default_absolute_tolerance(const std::vector<double>& initial_amounts) {
  double largest = 0.0;
  for (const double amount : initial_amounts)
    if (std::isfinite(amount)) largest = std::max(largest, std::fabs(amount));
  return 1e-12 * (largest > 0.0 ? largest : 1.0);
}

namespace {

State starting_state(const ReactionNetwork& net, const OdeSpec& spec) {
  State s{0.0, net.initial_counts, net.initial_parameters};
  if (!spec.initialize_state) return s;
  spec.initialize_state(s);
  if (s.counts.size() != net.initial_counts.size() ||
      s.parameters.size() != net.initial_parameters.size())
    throw std::logic_error("OdeSpec::initialize_state changed the size of the state");
  s.time = 0.0;
  return s;
}

constexpr double kInfinity = std::numeric_limits<double>::infinity();

std::string format_time(double t) {
  std::ostringstream s;
  s.precision(10);
  s << t;
  return s.str();
}

// CVODE's name for a return flag (CVodeGetReturnFlagName allocates it with malloc).
std::string flag_name(int flag) {
  char* name = CVodeGetReturnFlagName(flag);
  if (name == nullptr) return "CVODE flag " + std::to_string(flag);
  std::string text(name);
  std::free(name);
  return text;
}

// Owners of the SUNDIALS objects, released in reverse order of creation.
struct ContextOwner {
  SUNContext context = nullptr;
  ~ContextOwner() {
    if (context != nullptr) SUNContext_Free(&context);
  }
};
struct VectorOwner {
  N_Vector vector = nullptr;
  ~VectorOwner() {
    if (vector != nullptr) N_VDestroy(vector);
  }
};
struct MatrixOwner {
  SUNMatrix matrix = nullptr;
  ~MatrixOwner() {
    if (matrix != nullptr) SUNMatDestroy(matrix);
  }
};
struct LinearSolverOwner {
  SUNLinearSolver solver = nullptr;
  ~LinearSolverOwner() {
    if (solver != nullptr) SUNLinSolFree(solver);
  }
};
struct CvodeOwner {
  void* memory = nullptr;
  ~CvodeOwner() {
    if (memory != nullptr) CVodeFree(&memory);
  }
};

class CvodeIntegration {
 public:
  CvodeIntegration(const ReactionNetwork& net, const OdeSpec& spec);
  OdeSolution run();

 private:
  static int right_hand_side(sunrealtype t, N_Vector y, N_Vector ydot, void* user_data);
  static int jacobian(sunrealtype t, N_Vector y, N_Vector fy, SUNMatrix jac, void* user_data,
                      N_Vector scratch, N_Vector, N_Vector);
  static int root_functions(sunrealtype t, N_Vector y, sunrealtype* gout, void* user_data);
  static void error_handler(int error_code, const char* module, const char* function, char* msg,
                            void* user_data);

  void prepare_root_functions(const std::vector<CodeRange>& ranges);
  void collect_law_breakpoints(const std::vector<CodeRange>& ranges);
  void create_integrator();
  void check(int flag, const char* call) const;
  double next_stop() const;
  void advance_to(double target, double stop);
  void stop_at(double stop);
  void restart();
  bool fire_just_after_root(double root_time, double target);
  void add_segment_statistics();
  bool events_changed_state(bool changed) const;
  void solve_algebraic_rules(State& state);
  const double* solved_amounts(double t, const double* y, const double*& parameters);
  [[noreturn]] void fail(int flag, double reached) const;
  void prepare_delays();
  void refresh_delayed(double time, const double* amounts);
  void record_history();
  int step_recording(double target, sunrealtype& reached, std::int64_t remaining);

  const ReactionNetwork& net_;
  const OdeSpec& spec_;
  State current_;  // the parameters the callbacks read are current_.parameters
  double absolute_tolerance_;
  MeanFieldSystem system_;
  AlgebraicSystem algebraic_;
  // The state the callbacks read when algebraic rules hold: y and the parameters with the
  // rules' variables solved; the last solution is the next first guess.
  std::vector<double> algebraic_amounts_, algebraic_parameters_;
  std::vector<std::uint8_t> algebraic_parameter_;  // per parameter: a rule's variable
  AlgebraicFailure algebraic_failure_;
  double algebraic_failure_time_ = 0.0;
  ModelEvents events_;
  Rng event_order_;  // ties between equal priorities

  RateProgram root_programs_;             // lhs - rhs of each watched comparison
  std::vector<std::int32_t> root_event_;  // the event each root function belongs to
  std::vector<double> law_breakpoints_;   // sorted, unique, > 0
  bool law_roots_ = false;                // some root functions are jumps of rate laws
  std::size_t next_law_breakpoint_ = 0;
  static constexpr double kNoStop = -1.0;       // no breakpoint is ever negative
  static constexpr std::int32_t kLawRoot = -1;  // root_event_ of a rate law's jump
  double stop_in_force_ = kNoStop;              // the stop time CVODE currently has

  // delay(x, d) in math: the state at the end of every internal step (and before and after
  // every event), with its rate of change, for cubic Hermite interpolation in between.
  struct HistoryPoint {
    double time;
    std::vector<double> amounts;
    std::vector<double> rates;
  };
  std::deque<HistoryPoint> history_;
  double history_span_ = 0.0;  // the largest delay; infinite when a delay is not a constant
  std::vector<double> interpolated_;

  ContextOwner context_;
  VectorOwner amounts_;
  VectorOwner peek_;  // the interpolated state just after a root
  MatrixOwner matrix_;
  LinearSolverOwner linear_solver_;
  CvodeOwner cvode_;

  OdeStatistics statistics_;
  // What went wrong inside a callback during the current CVode call (reported if it fails).
  static constexpr int kMaxRecoveries = 100;
  int derivative_failures_in_call_ = 0;
  DerivativeFailure derivative_failure_;
  double derivative_failure_time_ = 0.0;
  std::int32_t failed_root_function_ = -1;
  std::string last_message_;
};

CvodeIntegration::CvodeIntegration(const ReactionNetwork& net, const OdeSpec& spec)
    : net_(net),
      spec_(spec),
      current_(starting_state(net, spec)),
      absolute_tolerance_(spec.absolute_tolerance > 0.0
                              ? spec.absolute_tolerance
                              : default_absolute_tolerance(current_.counts)),
      // Difference quotients need no finer resolution than the tolerances distinguish.
      system_(net, absolute_tolerance_ / spec.relative_tolerance),
      algebraic_(net, absolute_tolerance_ / spec.relative_tolerance),
      algebraic_amounts_(net.initial_counts.size()),
      algebraic_parameters_(current_.parameters),
      events_(net),
      event_order_(trajectory_stream(spec.seed, 0)) {
  statistics_.difference_quotient_reactions = system_.difference_quotient_reactions();
  algebraic_parameter_.assign(current_.parameters.size(), 0);
  for (const ReactionNetwork::AlgebraicRule& rule : net.algebraic)
    if (!rule.to_species) algebraic_parameter_[static_cast<std::size_t>(rule.index)] = 1;
  for (const NetworkEvent& event : net.events)
    for (const NetworkEvent::Assignment& a : event.assignments)
      if (a.draws)
        throw InputError(net.source_file, 0, "event", event.id,
                         "a random draw (SBML 'distrib') in an event assignment is not supported "
                         "by the ODE path");
  const bool needs_structure = !net.events.empty() || !net.all_mass_action();
  if (needs_structure) {
    const std::vector<CodeRange> ranges = program_ranges(net.programs);
    prepare_root_functions(ranges);
    collect_law_breakpoints(ranges);
    statistics_.root_functions = root_programs_.size();
  }
  if (!net.delayed.empty()) prepare_delays();
}

// The solution of a delay equation has a jump in its derivative of order k + 1 at t0 + k d
// (method of steps): the first few of these become stops, where the integrator restarts
// instead of stepping over a kink. Beyond them the solution is smooth enough for BDF.
void CvodeIntegration::prepare_delays() {
  constexpr int kPropagatedDiscontinuities = 4;
  for (const ReactionNetwork::DelayedValue& d : net_.delayed) {
    if (std::isnan(d.constant_delay)) {
      history_span_ = kInfinity;  // the history cannot be bounded: all of it is kept
      continue;
    }
    history_span_ = std::max(history_span_, d.constant_delay);
    if (d.constant_delay > 0.0)
      for (int k = 1; k <= kPropagatedDiscontinuities; ++k)
        if (k * d.constant_delay <= spec_.t_end) law_breakpoints_.push_back(k * d.constant_delay);
  }
  std::sort(law_breakpoints_.begin(), law_breakpoints_.end());
  law_breakpoints_.erase(std::unique(law_breakpoints_.begin(), law_breakpoints_.end()),
                         law_breakpoints_.end());
  interpolated_.resize(static_cast<std::size_t>(net_.species_count()));
}

// Sets every delayed-value parameter to x(time - d). Before the first point of the history the
// state is its initial value (SBML L3V2 section 3.4.8); past the last point (a delay shorter
// than the step in progress) it is interpolated linearly towards `amounts` at `time`.
void CvodeIntegration::refresh_delayed(double time, const double* amounts) {
  const std::size_t n = interpolated_.size();
  double* parameters = current_.parameters.data();
  for (const ReactionNetwork::DelayedValue& d : net_.delayed) {
    const double lag = std::isnan(d.constant_delay)
                           ? net_.programs.evaluate(d.delay_program, amounts, parameters, time)
                           : d.constant_delay;
    const double past = time - lag;
    const double* at = amounts;   // no history yet: the state at t = 0 is the initial state
    const double at_time = past;  // time itself is not held at t0 (SBML Test Suite 01318)
    // Before t0 x has its history form (rules.hpp), read on the initial state.
    const double start = history_.empty() ? time : history_.front().time;
    if (past < start) {
      if (!history_.empty()) at = history_.front().amounts.data();
      parameters[d.parameter] = net_.programs.evaluate(d.history_program, at, parameters, at_time);
      continue;
    }
    if (!history_.empty() && past <= history_.front().time) {
      at = history_.front().amounts.data();
    } else if (!history_.empty() && past >= history_.back().time) {
      const HistoryPoint& last = history_.back();
      const double span = time - last.time;
      const double w = span > 0.0 ? (past - last.time) / span : 1.0;
      for (std::size_t i = 0; i < n; ++i)
        interpolated_[i] = (1.0 - w) * last.amounts[i] + w * amounts[i];
      at = interpolated_.data();
    } else if (!history_.empty()) {
      auto after = std::upper_bound(history_.begin(), history_.end(), past,
                                    [](double t, const HistoryPoint& p) { return t < p.time; });
      const HistoryPoint& b = *after;
      const HistoryPoint& a = *(after - 1);
      const double h = b.time - a.time;
      const double u = (past - a.time) / h;
      const double h00 = (1.0 + 2.0 * u) * (1.0 - u) * (1.0 - u);
      const double h10 = u * (1.0 - u) * (1.0 - u);
      const double h01 = u * u * (3.0 - 2.0 * u);
      const double h11 = u * u * (u - 1.0);
      for (std::size_t i = 0; i < n; ++i)
        interpolated_[i] =
            h00 * a.amounts[i] + h10 * h * a.rates[i] + h01 * b.amounts[i] + h11 * h * b.rates[i];
      at = interpolated_.data();
    }
    parameters[d.parameter] = net_.programs.evaluate(d.value_program, at, parameters, at_time);
  }
}

// Appends the current state; drops the points no delay can reach any more.
void CvodeIntegration::record_history() {
  if (net_.delayed.empty()) return;
  refresh_delayed(current_.time, current_.counts.data());
  HistoryPoint point{current_.time, current_.counts, std::vector<double>(current_.counts.size())};
  system_.derivative(current_.time, point.amounts.data(), current_.parameters.data(),
                     point.rates.data());
  history_.push_back(std::move(point));
  // Root finding and the step in progress look back from times after the previous point.
  if (history_.size() < 3 || !std::isfinite(history_span_)) return;
  const double horizon = history_[history_.size() - 2].time - history_span_;
  while (history_.size() > 2 && history_[1].time <= horizon) history_.pop_front();
}

// CVODE in one-step mode, so that the end of every internal step enters the history.
int CvodeIntegration::step_recording(double target, sunrealtype& reached, std::int64_t remaining) {
  void* memory = cvode_.memory;
  // The last step may already have passed the target (it was interpolated at an earlier one).
  sunrealtype internal_time = reached;
  check(CVodeGetCurrentTime(memory, &internal_time), "CVodeGetCurrentTime");
  if (internal_time >= target && internal_time > reached) {
    check(CVodeGetDky(memory, target, 0, amounts_.vector), "CVodeGetDky");
    reached = target;
    return CV_SUCCESS;
  }
  for (std::int64_t taken = 0;; ++taken) {
    if (taken >= remaining)
      throw RuntimeError("ODE integration stopped at t = " + format_time(reached) +
                         ": the run reached its limit of " + std::to_string(spec_.max_steps) +
                         " internal steps");
    const int flag = CVode(memory, target, amounts_.vector, &reached, CV_ONE_STEP);
    if (flag < 0 || flag == CV_ROOT_RETURN) return flag;
    const double* y = N_VGetArrayPointer(amounts_.vector);
    std::copy(y, y + net_.species_count(), current_.counts.begin());
    current_.time = reached;
    record_history();
    // A stop time beyond the target (the step reached it early): the target is interpolated.
    if (flag == CV_TSTOP_RETURN && reached <= target) return flag;
    if (reached >= target) {
      if (reached > target) {
        check(CVodeGetDky(memory, target, 0, amounts_.vector), "CVodeGetDky");
        reached = target;
      }
      return CV_SUCCESS;
    }
  }
}

void CvodeIntegration::prepare_root_functions(const std::vector<CodeRange>& ranges) {
  const std::vector<Instruction>& code = net_.programs.code();
  for (std::size_t e = 0; e < net_.events.size(); ++e) {
    const NetworkEvent& event = net_.events[e];
    if (!event.reads_state) continue;
    const ProgramStructure structure = analyse_program(
        code, ranges[static_cast<std::size_t>(event.trigger_program)], net_.species_fixed);
    if (structure.species_outside_comparisons >= 0)
      throw InputError(net_.source_file, 0, "event", event.id,
                       "the trigger reads species '" +
                           net_.species_ids[structure.species_outside_comparisons] +
                           "' other than through a comparison (<, <=, >, >=), so the ODE path "
                           "cannot locate the time at which it switches");
    for (const Comparison& c : structure.comparisons) {
      // A delayed value moves continuously too: x(t - d) of a moving x.
      const bool reads_delayed = std::any_of(
          code.begin() + static_cast<std::ptrdiff_t>(c.lhs.begin),
          code.begin() + static_cast<std::ptrdiff_t>(c.rhs.end), [&](const Instruction& i) {
            return i.op == OpCode::Parameter &&
                   std::any_of(net_.delayed.begin(), net_.delayed.end(),
                               [&](const auto& d) { return d.parameter == i.index; });
          });
      if (!c.reads_changing_species && !reads_delayed && !(event.time_roots && c.reads_time))
        continue;
      std::vector<Instruction> difference(code.begin() + static_cast<std::ptrdiff_t>(c.lhs.begin),
                                          code.begin() + static_cast<std::ptrdiff_t>(c.rhs.end));
      difference.push_back(Instruction{OpCode::Sub, 0, 0.0});
      // The operands were evaluated inside the trigger with at least as much on the stack.
      root_programs_.add(difference, RateProgram::kMaxStack);
      root_event_.push_back(static_cast<std::int32_t>(e));
    }
  }
  statistics_.root_functions = root_programs_.size();
}

void CvodeIntegration::collect_law_breakpoints(const std::vector<CodeRange>& ranges) {
  // A law such as piecewise(k, time < 100, 0) jumps at t = 100: stopping and restarting there
  // spares the integrator a discontinuity it would otherwise stumble over.
  const std::vector<Instruction>& code = net_.programs.code();
  for (std::int32_t r = 0; r < net_.reaction_count(); ++r) {
    if (net_.rate_kind[r] != RateKind::Program) continue;
    const std::int32_t program = net_.propensity_terms[static_cast<std::size_t>(r)].program;
    const ProgramStructure structure =
        analyse_program(code, ranges[static_cast<std::size_t>(program)], net_.species_fixed);
    // floor(a) or ceiling(a) of a moving a jumps where a crosses an integer, that is where
    // sin(pi a) changes sign: a root function, at whose roots the integrator restarts.
    for (const CodeRange& a : structure.roundings) {
      std::vector<Instruction> crossing(code.begin() + static_cast<std::ptrdiff_t>(a.begin),
                                        code.begin() + static_cast<std::ptrdiff_t>(a.end));
      crossing.push_back(Instruction{OpCode::Constant, 0, M_PI});
      crossing.push_back(Instruction{OpCode::Mul, 0, 0.0});
      crossing.push_back(Instruction{OpCode::Sin, 0, 0.0});
      root_programs_.add(crossing, RateProgram::kMaxStack);
      root_event_.push_back(kLawRoot);
      law_roots_ = true;
    }
    if (!net_.time_dependent[r]) continue;
    for (const Comparison& c : structure.comparisons)
      if (const auto t = time_breakpoint(code, c); t && *t > 0.0 && std::isfinite(*t))
        law_breakpoints_.push_back(*t);
  }
  std::sort(law_breakpoints_.begin(), law_breakpoints_.end());
  law_breakpoints_.erase(std::unique(law_breakpoints_.begin(), law_breakpoints_.end()),
                         law_breakpoints_.end());
}

void CvodeIntegration::check(int flag, const char* call) const {
  if (flag < 0)
    throw RuntimeError(std::string("CVODE setup failed in ") + call + ": " + flag_name(flag) +
                       (last_message_.empty() ? "" : " (" + last_message_ + ")"));
}

void CvodeIntegration::create_integrator() {
  const auto n = static_cast<sunindextype>(net_.species_count());
  if (SUNContext_Create(nullptr, &context_.context) != 0 || context_.context == nullptr)
    throw RuntimeError("could not create a SUNDIALS context");
  amounts_.vector = N_VNew_Serial(n, context_.context);
  if (amounts_.vector == nullptr) throw RuntimeError("could not allocate the CVODE state vector");
  peek_.vector = N_VClone(amounts_.vector);
  if (peek_.vector == nullptr) throw RuntimeError("could not allocate the CVODE state vector");
  std::copy(current_.counts.begin(), current_.counts.end(), N_VGetArrayPointer(amounts_.vector));
  cvode_.memory = CVodeCreate(CV_BDF, context_.context);
  if (cvode_.memory == nullptr) throw RuntimeError("could not create the CVODE integrator");
  void* memory = cvode_.memory;
  // CVODE would print its messages to stderr; they go into the exception instead.
  check(CVodeSetErrHandlerFn(memory, error_handler, this), "CVodeSetErrHandlerFn");
  check(CVodeInit(memory, right_hand_side, current_.time, amounts_.vector), "CVodeInit");
  check(CVodeSStolerances(memory, spec_.relative_tolerance, absolute_tolerance_),
        "CVodeSStolerances");
  check(CVodeSetUserData(memory, this), "CVodeSetUserData");
  matrix_.matrix = SUNDenseMatrix(n, n, context_.context);
  if (matrix_.matrix == nullptr) throw RuntimeError("could not allocate the CVODE Jacobian");
  linear_solver_.solver = SUNLinSol_Dense(amounts_.vector, matrix_.matrix, context_.context);
  if (linear_solver_.solver == nullptr) throw RuntimeError("could not create the dense solver");
  check(CVodeSetLinearSolver(memory, linear_solver_.solver, matrix_.matrix),
        "CVodeSetLinearSolver");
  // With algebraic rules the laws read z(x): CVODE's difference quotients of the right-hand
  // side see dz/dx, the per-reaction analytic Jacobian does not.
  if (algebraic_.empty()) check(CVodeSetJacFn(memory, jacobian), "CVodeSetJacFn");
  // No step longer than the shortest delay: x(t - d) is then always within the history.
  double shortest_delay = kInfinity;
  for (const ReactionNetwork::DelayedValue& d : net_.delayed)
    if (d.constant_delay > 0.0) shortest_delay = std::min(shortest_delay, d.constant_delay);
  if (std::isfinite(shortest_delay))
    check(CVodeSetMaxStep(memory, shortest_delay), "CVodeSetMaxStep");
  if (root_programs_.size() > 0) {
    check(CVodeRootInit(memory, root_programs_.size(), root_functions), "CVodeRootInit");
    // A comparison that starts exactly at its threshold is normal (e.g. A > 0 with A = 0).
    check(CVodeSetNoInactiveRootWarn(memory), "CVodeSetNoInactiveRootWarn");
  }
}

int CvodeIntegration::right_hand_side(sunrealtype t, N_Vector y, N_Vector ydot, void* user_data) {
  auto& self = *static_cast<CvodeIntegration*>(user_data);
  if (!self.net_.delayed.empty()) self.refresh_delayed(t, N_VGetArrayPointer(y));
  const double* parameters = self.current_.parameters.data();
  const double* amounts = self.solved_amounts(t, N_VGetArrayPointer(y), parameters);
  if (amounts == nullptr) return ++self.derivative_failures_in_call_ > kMaxRecoveries ? -1 : 1;
  const DerivativeFailure failure =
      self.system_.derivative(t, amounts, parameters, N_VGetArrayPointer(ydot));
  if (!failure.failed()) return 0;
  self.derivative_failure_ = failure;
  self.derivative_failure_time_ = t;
  // Recoverable at first: a trial step may have overshot into a region where a law is undefined
  // (e.g. the square root of a slightly negative amount), and CVODE retries with a smaller step.
  // But when the solution itself runs into that region, CVODE creeps towards it with ever
  // smaller successful steps and would never give up, so after kMaxRecoveries failures within
  // one output interval the failure becomes final.
  return ++self.derivative_failures_in_call_ > kMaxRecoveries ? -1 : 1;
}

int CvodeIntegration::jacobian(sunrealtype t, N_Vector y, N_Vector, SUNMatrix jac, void* user_data,
                               N_Vector scratch, N_Vector, N_Vector) {
  auto& self = *static_cast<CvodeIntegration*>(user_data);
  if (!self.net_.delayed.empty()) self.refresh_delayed(t, N_VGetArrayPointer(y));
  // SUNDIALS' dense matrix stores its columns contiguously (column-major, leading dimension n).
  const bool finite =
      self.system_.jacobian(t, N_VGetArrayPointer(y), self.current_.parameters.data(),
                            SUNDenseMatrix_Data(jac), N_VGetArrayPointer(scratch));
  return finite ? 0 : 1;
}

int CvodeIntegration::root_functions(sunrealtype t, N_Vector y, sunrealtype* gout,
                                     void* user_data) {
  auto& self = *static_cast<CvodeIntegration*>(user_data);
  if (!self.net_.delayed.empty()) self.refresh_delayed(t, N_VGetArrayPointer(y));
  const double* parameters = self.current_.parameters.data();
  const double* amounts = self.solved_amounts(t, N_VGetArrayPointer(y), parameters);
  if (amounts == nullptr) return -1;
  for (std::int32_t i = 0; i < self.root_programs_.size(); ++i) {
    gout[i] = self.root_programs_.evaluate(i, amounts, parameters, t);
    if (!std::isfinite(gout[i])) {
      self.failed_root_function_ = i;
      return -1;
    }
  }
  return 0;
}

// y itself when there are no algebraic rules; otherwise y and `parameters` with the rules solved
// (parameters is redirected), or nullptr when they cannot be (algebraic_failure_ says why).
const double* CvodeIntegration::solved_amounts(double t, const double* y,
                                               const double*& parameters) {
  if (algebraic_.empty()) return y;
  std::copy(y, y + net_.species_count(), algebraic_amounts_.begin());
  for (const ReactionNetwork::AlgebraicRule& rule : net_.algebraic)
    if (rule.to_species) algebraic_amounts_[rule.index] = current_.counts[rule.index];
  for (std::size_t p = 0; p < algebraic_parameters_.size(); ++p)
    if (!algebraic_parameter_[p]) algebraic_parameters_[p] = current_.parameters[p];
  const AlgebraicFailure failure =
      algebraic_.solve(t, algebraic_amounts_.data(), algebraic_parameters_.data());
  if (failure.failed()) {
    algebraic_failure_ = failure;
    algebraic_failure_time_ = t;
    return nullptr;
  }
  parameters = algebraic_parameters_.data();
  return algebraic_amounts_.data();
}

// The rules' variables in `state` solved for its time; a failure ends the run.
void CvodeIntegration::solve_algebraic_rules(State& state) {
  if (algebraic_.empty()) return;
  const AlgebraicFailure failure =
      algebraic_.solve(state.time, state.counts.data(), state.parameters.data());
  if (failure.failed()) throw RuntimeError(algebraic_.describe(failure, state.time));
}

void CvodeIntegration::error_handler(int error_code, const char* module, const char* function,
                                     char* msg, void* user_data) {
  auto& self = *static_cast<CvodeIntegration*>(user_data);
  if (error_code == CV_WARNING) return;  // e.g. t + h == t: CVODE fails properly if it matters
  self.last_message_ = std::string(module) + "/" + function + ": " + msg;
}

void CvodeIntegration::add_segment_statistics() {
  void* memory = cvode_.memory;
  long steps = 0, rhs = 0, setups = 0, error_fails = 0, iterations = 0, convergence_fails = 0,
       jacobians = 0;
  check(CVodeGetNumSteps(memory, &steps), "CVodeGetNumSteps");
  check(CVodeGetNumRhsEvals(memory, &rhs), "CVodeGetNumRhsEvals");
  check(CVodeGetNumLinSolvSetups(memory, &setups), "CVodeGetNumLinSolvSetups");
  check(CVodeGetNumErrTestFails(memory, &error_fails), "CVodeGetNumErrTestFails");
  check(CVodeGetNonlinSolvStats(memory, &iterations, &convergence_fails),
        "CVodeGetNonlinSolvStats");
  check(CVodeGetNumJacEvals(memory, &jacobians), "CVodeGetNumJacEvals");
  statistics_.steps += steps;
  statistics_.rhs_evaluations += rhs;
  statistics_.linear_solver_setups += setups;
  statistics_.error_test_failures += error_fails;
  statistics_.nonlinear_iterations += iterations;
  statistics_.nonlinear_convergence_failures += convergence_fails;
  statistics_.jacobian_evaluations += jacobians;
}

double CvodeIntegration::next_stop() const {
  const double law = next_law_breakpoint_ < law_breakpoints_.size()
                         ? law_breakpoints_[next_law_breakpoint_]
                         : kInfinity;
  return std::min(law, events_.empty() ? kInfinity : events_.next_breakpoint());
}

void CvodeIntegration::fail(int flag, double reached) const {
  std::string message =
      "ODE integration (CVODE) failed at t = " + format_time(reached) + ": " + flag_name(flag);
  if (!last_message_.empty()) message += " (" + last_message_ + ")";
  if (flag == CV_TOO_MUCH_WORK)
    message +=
        "; the run reached its limit of " + std::to_string(spec_.max_steps) + " internal steps";
  if (derivative_failure_.failed()) {
    const DerivativeFailure& f = derivative_failure_;
    std::ostringstream s;
    s << "; the rate of change of species '" << net_.species_ids[f.species] << "' is "
      << f.derivative << " at t = " << format_time(derivative_failure_time_);
    if (f.reaction >= 0)
      s << " (reaction '" << net_.reaction_ids[f.reaction] << "' has propensity " << f.propensity
        << ": " << net_.law_text[f.reaction] << ")";
    if (derivative_failures_in_call_ > kMaxRecoveries)
      s << "; it was still not finite after " << kMaxRecoveries << " retries with smaller steps";
    message += s.str();
  }
  if (algebraic_failure_.failed())
    message += "; " + algebraic_.describe(algebraic_failure_, algebraic_failure_time_);
  if (failed_root_function_ >= 0)
    message +=
        root_event_[failed_root_function_] == kLawRoot
            ? std::string(
                  "; the argument of a floor or ceiling in a rate law is not a "
                  "finite number")
            : "; a comparison in the trigger of event '" +
                  net_.events[static_cast<std::size_t>(root_event_[failed_root_function_])].id +
                  "' is not a finite number";
  throw RuntimeError(message);
}

void CvodeIntegration::restart() {
  ++statistics_.restarts;
  if (cvode_.memory == nullptr) return;
  add_segment_statistics();
  solve_algebraic_rules(current_);
  std::copy(current_.counts.begin(), current_.counts.end(), N_VGetArrayPointer(amounts_.vector));
  check(CVodeReInit(cvode_.memory, current_.time, amounts_.vector), "CVodeReInit");
  stop_in_force_ = kNoStop;  // set it again: harmless if CVODE kept it
  record_history();          // after an event: the history jumps here
}

void CvodeIntegration::advance_to(double target, double stop) {
  while (current_.time < target) {
    if (cvode_.memory == nullptr) {  // no species: nothing to integrate
      current_.time = target;
      return;
    }
    void* memory = cvode_.memory;
    // Never step past a breakpoint: a trigger or a law switches there. CVODE refuses a stop
    // time it has already reached, and keeps it across CVodeReInit, so each breakpoint is set
    // once, and after the last one a stop time that is never reached replaces it (SUNDIALS 6.4
    // has no CVodeClearStopTime).
    if (stop != stop_in_force_) {
      const double stop_time = std::isfinite(stop) ? stop : std::numeric_limits<double>::max();
      check(CVodeSetStopTime(memory, stop_time), "CVodeSetStopTime");
      stop_in_force_ = stop;
    }
    long steps_so_far = 0;
    check(CVodeGetNumSteps(memory, &steps_so_far), "CVodeGetNumSteps");
    const std::int64_t remaining = spec_.max_steps - statistics_.steps - steps_so_far;
    // A limit of 0 would mean CVODE's default (500), so an exhausted budget is reported here.
    if (remaining <= 0)
      throw RuntimeError("ODE integration stopped at t = " + format_time(current_.time) +
                         ": the run reached its limit of " + std::to_string(spec_.max_steps) +
                         " internal steps");
    check(CVodeSetMaxNumSteps(memory, static_cast<long>(remaining)), "CVodeSetMaxNumSteps");
    derivative_failure_ = DerivativeFailure{};
    derivative_failures_in_call_ = 0;
    algebraic_failure_ = AlgebraicFailure{};
    failed_root_function_ = -1;
    last_message_.clear();
    sunrealtype reached = current_.time;
    const int flag = net_.delayed.empty()
                         ? CVode(memory, target, amounts_.vector, &reached, CV_NORMAL)
                         : step_recording(target, reached, remaining);
    if (flag < 0) fail(flag, reached);
    const double* y = N_VGetArrayPointer(amounts_.vector);
    std::copy(y, y + net_.species_count(), current_.counts.begin());
    current_.time = flag == CV_ROOT_RETURN ? reached : target;
    if (!net_.delayed.empty()) refresh_delayed(current_.time, current_.counts.data());
    solve_algebraic_rules(current_);
    if (flag == CV_TSTOP_RETURN) stop_in_force_ = kNoStop;  // SUNDIALS 6.4 forgets it here
    if (flag == CV_ROOT_RETURN) ++statistics_.root_returns;
    // At a root a comparison changed sign; after_reaction checks the state triggers as the
    // exact methods do after a reaction event. They are checked at the other returns too: a
    // root that lands exactly on the threshold of a strict comparison (g = 0, so A > 5 still
    // false) is not reported again, and its event then fires at the next output time instead
    // of never.
    if (root_programs_.size() > 0 &&
        events_changed_state(events_.after_reaction(current_, &event_order_)))
      restart();
    else if (flag == CV_ROOT_RETURN && fire_just_after_root(reached, target))
      restart();
    else if (flag == CV_ROOT_RETURN && law_roots_)
      restart();  // a rate law may jump here (floor, ceiling)
    // A trigger turned true with a delay: its execution is a stop before the one in force.
    // CVODE may already have stepped internally past it (it refuses such a stop time), so the
    // integration restarts from here and the caller sets the new stop.
    if (next_stop() < stop) {
      if (cvode_.memory != nullptr) restart();
      return;
    }
  }
}

// Throws when the events could not be handled; otherwise whether the state changed.
bool CvodeIntegration::events_changed_state(bool changed) const {
  if (changed && events_.failed()) throw RuntimeError(describe(net_, events_.failure()));
  return changed;
}

// CVODE returns a root where the comparison's difference is zero to within its root tolerance,
// often exactly zero: a strict comparison (S1 < 0.75 with S1 = 0.75) is then still false there,
// although it holds at every time just after. The triggers are therefore checked again on the
// state interpolated a little past the root (CVodeGetDky, within the step CVODE has already
// taken, so nothing is integrated twice). The offset, 1e-9 of the time scale, is far below any
// output spacing and any tolerance the state is held to; if the step ends sooner the check is
// left to the next return, as before. True when an event fired (the state is then the one just
// after the root, at that time).
bool CvodeIntegration::fire_just_after_root(double root_time, double target) {
  sunrealtype internal_time = root_time;
  if (CVodeGetCurrentTime(cvode_.memory, &internal_time) != CV_SUCCESS) return false;
  const double after =
      std::min({root_time + 1e-9 * std::max(1.0, std::fabs(root_time)), internal_time, target});
  if (!(after > root_time)) return false;
  if (CVodeGetDky(cvode_.memory, after, 0, peek_.vector) != CV_SUCCESS) return false;
  const double* y = N_VGetArrayPointer(peek_.vector);
  State peeked{after, std::vector<double>(y, y + net_.species_count()), current_.parameters};
  if (!events_changed_state(events_.after_reaction(peeked, &event_order_))) return false;
  current_ = std::move(peeked);
  return true;
}

void CvodeIntegration::stop_at(double stop) {
  current_.time = stop;
  bool changed = false;
  if (next_law_breakpoint_ < law_breakpoints_.size() &&
      law_breakpoints_[next_law_breakpoint_] == stop) {
    ++next_law_breakpoint_;
    changed = true;  // the law itself jumps here
  }
  if (!events_.empty() && events_.next_breakpoint() == stop &&
      events_changed_state(events_.at_breakpoint(current_, &event_order_)))
    changed = true;
  if (changed) restart();
}

OdeSolution CvodeIntegration::run() {
  const auto started = std::chrono::steady_clock::now();
  OdeSolution solution;
  solution.relative_tolerance = spec_.relative_tolerance;
  solution.absolute_tolerance = absolute_tolerance_;
  // The initial state is a solution of all the rules (SBML L3V2 4.9.5), events included; the
  // history starts with it, so delayed values at t = 0 are initial values.
  solve_algebraic_rules(current_);
  record_history();
  // Events that hold at t = 0 fire before the integration starts (ModelEvents::start).
  if (!events_.empty() && events_changed_state(events_.start(current_, &event_order_)))
    record_history();
  while (next_law_breakpoint_ < law_breakpoints_.size() &&
         law_breakpoints_[next_law_breakpoint_] <= 0.0)
    ++next_law_breakpoint_;
  if (net_.species_count() > 0) create_integrator();
  // Root finding needs an integration: without species there is none to locate a switch in.
  for (const NetworkEvent& event : net_.events)
    if (event.time_roots && cvode_.memory == nullptr)
      throw InputError(net_.source_file, 0, "event", event.id,
                       "the trigger reads time other than by comparing it with a constant, and "
                       "the model has no species whose integration could locate its switching "
                       "times");

  const OutputGrid grid(spec_.t_start, spec_.t_end, spec_.samples);
  solution.samples.reserve(grid.times().size());
  for (const double output_time : grid.times()) {
    for (;;) {
      const double stop = next_stop();
      const double target = std::min(output_time, stop);
      advance_to(target, stop);
      if (current_.time < target) continue;  // an event was triggered with a delay: a new stop
      if (stop > output_time) break;
      stop_at(stop);  // a sample at the breakpoint itself shows the state after its events
    }
    if (!net_.delayed.empty()) refresh_delayed(output_time, current_.counts.data());
    State sample = current_;
    sample.time = output_time;
    solve_algebraic_rules(sample);  // events since the last solve may have moved x
    apply_assignment_rules(net_, sample, output_time);
    solution.samples.push_back(std::move(sample));
  }
  if (cvode_.memory != nullptr) add_segment_statistics();
  statistics_.events_fired = events_.fired();
  solution.statistics = statistics_;
  solution.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return solution;
}

void validate(const OdeSpec& spec) {
  auto bad = [](const char* setting, const std::string& problem) {
    return InputError("", 0, "setting", setting, problem);
  };
  if (!(spec.relative_tolerance > 0.0) || !std::isfinite(spec.relative_tolerance))
    throw bad("rtol", "the relative tolerance must be a positive number");
  if (spec.relative_tolerance < 1e-15)
    throw bad("rtol", "a relative tolerance below 1e-15 is beneath double precision");
  if (std::isnan(spec.absolute_tolerance) || std::isinf(spec.absolute_tolerance))
    throw bad("atol", "the absolute tolerance must be a finite number");
  if (spec.max_steps <= 0) throw bad("max_steps", "must be positive");
  if (!(spec.t_start >= 0.0) || !(spec.t_end >= spec.t_start) || spec.samples < 1)
    throw bad("output grid", "needs 0 <= t_start <= t_end and samples >= 1");
}

}  // namespace

OdeSolution solve_ode(const ReactionNetwork& net, const OdeSpec& spec) {
  validate(spec);
  CvodeIntegration integration(net, spec);
  return integration.run();
}

}  // namespace nkappa
