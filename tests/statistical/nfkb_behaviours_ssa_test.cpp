// The published behaviours of the flagship NF-kB/NEMO model (shared/design/nfkb-nemo-model.md,
// section 7), stochastic column, in CI size: exact SSA ensembles of 64 cells per variant (the
// section 7 CI rule), extrinsic noise off (section 7: off for rises, amplitudes, peak times and
// periods), the scenario's seed and method, run as `nkappa compare` runs a variant
// (apply_variant -> compile -> compile_expressions of the scenario's observables -> run_ensemble
// with a CellRecorder; per-cell statistics of section 6 with the scenario's 5-point smoothing).
//
//   T1 wt        mean first-peak time in 15-40 min, mean amplitude >= 0.5
//   T2 wt        mean period in 70-120 min (the SSA criterion of section 7)
//   T6 nemo_null no responder and no peak in any cell, every rise < 0.05
//   T7 hypo_ub, hypo_low vs wt: mean amplitude < wt's and >= 0.3, mean first-peak time >= wt's
//   T7 hypo_cc vs wt, the same, and
//   T8 il2_mut vs il2_wt (IL-2 alone): mean rise and responder fraction >= 0.8 x il2_wt's: both
//                compiled and runnable but not in ctest (outside the CI budget, see Cost)
// Not here: T3-T5 and T9 (SSA values only in the >= 200-cell ensembles of section 7; T9 needs
// extrinsic noise and >= 200 cells per dose), T7's responder fractions (extrinsic noise on).
//
// Margins. A bound or an ordering on a mean of 64 cells is asserted with the margin z SE of
// section 7: "mean >= b" fails only when mean < b - z SE, "mean <= b" only when mean > b + z SE;
// an ordering "hypomorph < wt" fails only when the difference hypomorph - wt exceeds +z SE of the
// difference, and one with |difference| < z SE is reported as not resolved at 64 cells, not
// asserted. SE of a mean: sample sd / sqrt(n) over the cells that have the statistic (cells
// without a peak have no peak time or period). SE of a difference: sd of the 64 per-cell
// differences / sqrt(64), pairing cell i of both variants (same random stream; wt, hypo_ub and
// hypo_cc also share cell i's burn-in, section 7's common random numbers, since nothing they
// change acts before the stimulus). SE of a ratio of means: the delta method,
// r sqrt((SE_a / a)^2 + (SE_b / b)^2) (conservative under the positive correlation of paired
// cells).
//
// False-alarm budget. The probability that a correct simulator fails any margin assertion of this
// file is at most alpha = 1e-3. There are M = 16 one-sided margin assertions (T1 3, T2 2, T7 9,
// T8 2; kMarginAssertions; ctest runs the 14 without T8, and M stays 16 so that z does not depend
// on which cases run); each uses z = the Student t quantile t_{63}^{-1}(1 - alpha / M) = 4.09
// (Bonferroni over the assertions, valid whatever their correlation; 63 = 64 - 1 degrees of
// freedom, the fewest any mean or paired difference here has when every cell peaks, and the t
// quantile covers the studentisation of SE). The per-cell statistics are bounded and not normal
// (peak times on a 1 min grid); at n = 64 their means are close enough to normal for the budget's
// order of magnitude, not to its digits. The T6 checks are per cell without a margin: the
// specification's 800 null cells reach at most 0.0188 against 0.05 and never 0.10 (a responder), so
// a correct simulator fails them with negligible probability.
//
// Cost. CI budget for this file: 4 min wall on 2 cores (spec.threads = 2). Measured on this
// 2-core machine, which other work was loading (sorting direct method, 90-100 ns of CPU per
// event; CPU s of 64 cells): wt 79 (1.21e7 events/cell), hypo_ub 123 (2.02e7), hypo_cc 78
// (1.33e7), hypo_low 33 (5.1e6), nemo_null 18 (2.8e6), il2_mut and il2_wt 33 each (5.6e6). Under
// ctest every TEST_CASE is its own process and runs its ensembles itself (the function-local cache
// shares them only within one process), so T1, T2 and T7, which all need wt, are one case with a
// SUBCASE each: wt runs once. In ctest: wt, hypo_ub, hypo_low and nemo_null, about 250 s of CPU,
// 2.1 min wall on two free cores. hypo_cc (78 s) and the IL-2 pair of T8 (65 s) would take it to
// about 2.7 and 3.2 min, too close to the budget once the machine is shared; their cases are
// marked doctest::skip (see there). Each variant's wall and CPU time and events per cell are
// printed.
//
// Each measured value is printed next to the specification's ODE and independent-SSA values
// (MESSAGE: test | quantity | measured | reference). A value outside its tolerance is a finding to
// confirm with 4x the cells (section 7), not a reason to widen a bound here.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <ctime>
#include <iomanip>
#include <limits>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "engine/network/compile.hpp"
#include "engine/run/ensemble.hpp"
#include "engine/run/method.hpp"
#include "engine/run/output_grid.hpp"
#include "report/cell_recorder.hpp"
#include "report/statistics.hpp"
#include "sbml/read_sbml.hpp"
#include "scenario/scenario.hpp"
#include "tests/support/test_support.hpp"

namespace nkappa {
namespace {

constexpr double kFalseAlarmBudget = 1e-3;  // over every margin assertion of this file
constexpr int kMarginAssertions = 16;       // T1 3, T2 2, T7 3 x 3, T8 2
constexpr std::int64_t kCells = 64;         // section 7: CI ensembles
constexpr int kThreads = 2;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double z_limit() {
  static const double z = student_t_quantile(1.0 - kFalseAlarmBudget / kMarginAssertions,
                                             static_cast<double>(kCells - 1));
  return z;
}

struct Flagship {
  Scenario scenario;
  ModelDescription model;
};

const Flagship& flagship() {
  static const Flagship f = [] {
    Flagship out;
    out.scenario =
        load_scenario((test::source_dir() / "models" / "nfkb_nemo" / "scenarios.yaml").string());
    out.model = read_sbml(out.scenario.model_file);
    check_scenario_against_model(out.scenario, out.model);
    return out;
  }();
  return f;
}

// The cells of one variant's ensemble, in cell order, and what the run cost.
struct VariantEnsemble {
  std::vector<CellRecord> cells;
  std::vector<double> test_times;  // minutes of CellRecord::at_test_times
  std::string method;
  double wall_seconds = 0.0;
  double cpu_seconds = 0.0;  // of the process, every thread
  double events_per_cell = 0.0;

  double at_test_time(const CellRecord& cell, double minute) const {
    const auto it = std::find(test_times.begin(), test_times.end(), minute);
    REQUIRE(it != test_times.end());
    return cell.at_test_times[static_cast<std::size_t>(it - test_times.begin())];
  }
};

VariantEnsemble run_variant(const std::string& id) {
  const Scenario& sc = flagship().scenario;
  const Variant* variant = sc.find_variant(id);
  REQUIRE_MESSAGE(variant != nullptr, "scenarios.yaml has no variant " << id);
  const ModelDescription model = apply_variant(flagship().model, sc, *variant);
  const ReactionNetwork net = compile(model);

  const auto samples = static_cast<std::int32_t>(
      std::llround((sc.run.t_end - sc.run.record_from) / sc.run.record_step));
  const OutputGrid grid(sc.run.record_from, sc.run.t_end, samples);
  std::vector<double> tau;
  for (double t : grid.times())
    tau.push_back((t - sc.run.stimulus_time) / sc.run.time_unit_seconds);
  REQUIRE(std::fabs(tau.back() - 480.0) < 1e-9);
  std::vector<std::pair<std::string, Expr>> exprs;
  CellRecorderSetup setup;
  for (const Observable& o : sc.observables) {
    if (o.id == sc.readout.observable) setup.readout = static_cast<std::int32_t>(exprs.size());
    exprs.emplace_back(o.id, o.expr);
    setup.observable_ids.push_back(o.id);
  }
  REQUIRE(setup.observable_ids[static_cast<std::size_t>(setup.readout)] == "f_nuc");
  const RateProgram program = compile_expressions(net, model, exprs);
  setup.observables = &program;
  setup.times = grid.times();
  setup.tau = tau;
  setup.stats = CellStatsSettings{sc.readout.threshold, sc.readout.fall_fraction,
                                  sc.readout.smoothing_points};
  for (double wanted : sc.readout.test_times) {
    const auto it = std::find_if(tau.begin(), tau.end(),
                                 [&](double t) { return std::fabs(t - wanted) < 1e-9; });
    REQUIRE(it != tau.end());
    setup.test_time_index.push_back(static_cast<std::int32_t>(it - tau.begin()));
  }

  RunSpec spec;
  spec.t_start = sc.run.record_from;
  spec.t_end = sc.run.t_end;
  spec.samples = samples;
  spec.trajectories = kCells;
  spec.seed = sc.run.seed;
  spec.threads = kThreads;
  // No extrinsic noise: spec.initialize_trajectory stays empty.
  const MethodInfo& method = find_method(sc.run.method, net);
  check_capabilities(method, net);
  REQUIRE(method.exact);

  CellRecorder total(setup);
  const auto started = std::chrono::steady_clock::now();
  const std::clock_t cpu_started = std::clock();
  const EnsembleResult result = run_ensemble(
      net, method, spec, [&] { return std::make_unique<CellRecorder>(setup); }, total);
  VariantEnsemble out;
  out.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  out.cpu_seconds = static_cast<double>(std::clock() - cpu_started) / CLOCKS_PER_SEC;
  REQUIRE(result.invalid_reaction < 0);
  REQUIRE(result.trajectories == kCells);
  out.cells = total.cells();
  REQUIRE(static_cast<std::int64_t>(out.cells.size()) == kCells);
  std::sort(out.cells.begin(), out.cells.end(),
            [](const CellRecord& a, const CellRecord& b) { return a.id < b.id; });
  for (const CellRecord& c : out.cells) REQUIRE(c.status == TrajectoryStatus::ReachedEnd);
  out.test_times = sc.readout.test_times;
  out.method = method.name;
  out.events_per_cell = static_cast<double>(result.events) / static_cast<double>(kCells);
  MESSAGE(id << " | " << kCells << " cells, " << method.name << ", seed " << sc.run.seed << ", "
             << kThreads << " threads | " << std::setprecision(3) << out.wall_seconds << " s wall, "
             << out.cpu_seconds << " s CPU, " << out.events_per_cell << " events/cell, "
             << 1e9 * out.cpu_seconds / (out.events_per_cell * static_cast<double>(kCells))
             << " ns CPU/event");
  return out;
}

// Each variant runs once per process.
const VariantEnsemble& ensemble(const std::string& id) {
  static std::map<std::string, VariantEnsemble> cache;
  auto it = cache.find(id);
  if (it == cache.end()) it = cache.emplace(id, run_variant(id)).first;
  return it->second;
}

// ---- Means, their standard errors and the margin assertions --------------------------------

struct Estimate {
  double value = kNaN;
  double se = kNaN;
  std::int64_t n = 0;
};

// Mean of the finite values and its standard error.
Estimate mean_of(const std::vector<double>& x) {
  Estimate e;
  double sum = 0.0;
  for (double v : x)
    if (std::isfinite(v)) {
      sum += v;
      ++e.n;
    }
  if (e.n == 0) return e;
  e.value = sum / static_cast<double>(e.n);
  if (e.n < 2) return e;
  double squares = 0.0;
  for (double v : x)
    if (std::isfinite(v)) squares += (v - e.value) * (v - e.value);
  e.se = std::sqrt(squares / static_cast<double>(e.n - 1) / static_cast<double>(e.n));
  return e;
}

// Mean of b[i] - a[i] over the cells where both are finite (cell i of both variants).
Estimate paired_difference(const std::vector<double>& a, const std::vector<double>& b) {
  REQUIRE(a.size() == b.size());
  std::vector<double> d;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::isfinite(a[i]) && std::isfinite(b[i])) d.push_back(b[i] - a[i]);
  return mean_of(d);
}

// Ratio of two estimates, SE by the delta method.
Estimate ratio(const Estimate& a, const Estimate& b) {
  Estimate r;
  r.value = a.value / b.value;
  r.se = std::fabs(r.value) * std::sqrt(std::pow(a.se / a.value, 2) + std::pow(b.se / b.value, 2));
  r.n = std::min(a.n, b.n);
  return r;
}

template <class Get>
std::vector<double> per_cell(const VariantEnsemble& e, Get get) {
  std::vector<double> out;
  for (const CellRecord& c : e.cells) out.push_back(get(c));
  return out;
}
std::vector<double> first_peak_times(const VariantEnsemble& e) {
  return per_cell(e, [](const CellRecord& c) { return c.summary.first_peak_time; });
}
std::vector<double> amplitudes(const VariantEnsemble& e) {
  return per_cell(e, [](const CellRecord& c) { return c.summary.amplitude; });
}
std::vector<double> rises(const VariantEnsemble& e) {
  return per_cell(e, [](const CellRecord& c) { return c.summary.rise; });
}
std::vector<double> responder_indicators(const VariantEnsemble& e) {
  return per_cell(e, [](const CellRecord& c) { return c.summary.responder ? 1.0 : 0.0; });
}
std::int64_t count_cells(const VariantEnsemble& e, bool (*predicate)(const CellRecord&)) {
  return std::count_if(e.cells.begin(), e.cells.end(), predicate);
}

std::string number(double x) {
  std::ostringstream s;
  s << std::setprecision(4) << x;
  return s.str();
}
std::string with_se(const Estimate& e) {
  return number(e.value) + " +- " + number(e.se) + " (n " + std::to_string(e.n) + ")";
}

// One row of the log table: behaviour | quantity | measured | reference.
void row(const std::string& test, const std::string& quantity, const std::string& measured,
         const std::string& reference) {
  MESSAGE(test << " | " << quantity << " | measured " << measured << " | " << reference);
}

// The independent SSA of the specification reported `value` +- `se` (its SE, from 200 or 800
// cells): how many combined standard errors ours is away. Reported, not asserted: the section 7
// tolerances are the criteria.
std::string versus_spec_ssa(const Estimate& ours, double value, double se, int cells) {
  const double z = (ours.value - value) / std::sqrt(ours.se * ours.se + se * se);
  return "SSA (spec) " + number(value) + " +- " + number(se) + " (" + std::to_string(cells) +
         " cells; z = " + number(z) + ")";
}

// "mean >= bound", failing only below bound - z SE.
void check_at_least(const std::string& test, const std::string& quantity, const Estimate& e,
                    double bound, const std::string& reference) {
  const double margin = z_limit() * e.se;
  row(test, quantity, with_se(e),
      reference + "; tolerance >= " + number(bound) + " (asserted >= " + number(bound - margin) +
          ")");
  REQUIRE(std::isfinite(e.value));
  CHECK_MESSAGE(e.value >= bound - margin,
                test << " " << quantity << " " << with_se(e) << " below " << bound << " - z SE");
}

// "mean <= bound", failing only above bound + z SE.
void check_at_most(const std::string& test, const std::string& quantity, const Estimate& e,
                   double bound, const std::string& reference) {
  const double margin = z_limit() * e.se;
  row(test, quantity, with_se(e),
      reference + "; tolerance <= " + number(bound) + " (asserted <= " + number(bound + margin) +
          ")");
  REQUIRE(std::isfinite(e.value));
  CHECK_MESSAGE(e.value <= bound + margin,
                test << " " << quantity << " " << with_se(e) << " above " << bound << " + z SE");
}

// An ordering of a paired difference d = other - reference: `less` asserts d < 0, else d >= 0,
// each with the margin z SE; a difference inside the margin is reported as not resolved.
void check_ordering(const std::string& test, const std::string& quantity, const Estimate& d,
                    bool less) {
  const double margin = z_limit() * d.se;
  const bool resolved = less ? d.value < -margin : d.value > margin;
  row(test, quantity, with_se(d),
      std::string(less ? "tolerance < 0" : "tolerance >= 0") + ", margin z SE = " + number(margin) +
          (resolved ? ": resolved at 64 cells"
                    : ": NOT resolved at 64 cells (reported, not asserted)"));
  REQUIRE(std::isfinite(d.value));
  if (less)
    CHECK_MESSAGE(d.value <= margin, test << " " << quantity << " " << with_se(d) << " > +z SE");
  else
    CHECK_MESSAGE(d.value >= -margin, test << " " << quantity << " " << with_se(d) << " < -z SE");
}

void print_budget() {
  static bool printed = false;
  if (printed) return;
  printed = true;
  MESSAGE("false-alarm budget " << kFalseAlarmBudget << " over " << kMarginAssertions
                                << " one-sided margin assertions: z = t_" << (kCells - 1)
                                << "^-1(1 - " << kFalseAlarmBudget / kMarginAssertions
                                << ") = " << number(z_limit()));
}

// T7 for one hypomorph against wt (both without extrinsic noise).
struct Hypomorph {
  const char* id;
  double ode_rise, ode_first_peak, ssa_rise;  // the specification's section 7 values
};
constexpr Hypomorph kHypoUb{"hypo_ub", 0.788, 30.0, 0.793};
constexpr Hypomorph kHypoCc{"hypo_cc", 0.577, 33.0, 0.598};
constexpr Hypomorph kHypoLow{"hypo_low", 0.794, 27.0, 0.782};

void check_hypomorph(const VariantEnsemble& wt, const Hypomorph& e) {
  INFO(e.id);
  const std::string test = std::string("T7 ") + e.id;
  const VariantEnsemble& h = ensemble(e.id);
  // Common burn-in (section 7): the same f0 in cell i as wt where the variant cannot act before
  // the stimulus.
  std::int64_t same_f0 = 0;
  for (std::size_t i = 0; i < h.cells.size(); ++i)
    if (h.cells[i].summary.f0 == wt.cells[i].summary.f0) ++same_f0;
  const auto responders = count_cells(h, [](const CellRecord& c) { return c.summary.responder; });
  const auto peaked = count_cells(h, [](const CellRecord& c) { return c.summary.peaks > 0; });
  row(test, "responders / cells with a peak",
      std::to_string(responders) + " / " + std::to_string(peaked) + " of " + std::to_string(kCells),
      "cells with f0 equal to wt's cell: " + std::to_string(same_f0));
  row(test, "mean rise", with_se(mean_of(rises(h))),
      "ODE (spec) " + number(e.ode_rise) + "; SSA (spec) " + number(e.ssa_rise));
  const Estimate amplitude = mean_of(amplitudes(h));
  const Estimate time = mean_of(first_peak_times(h));
  row(test, "mean first-peak time [min]", with_se(time),
      "ODE (spec) " + number(e.ode_first_peak) + "; SSA (spec) later than wt");
  check_at_least(test, "mean amplitude f - f0 (0 without a peak)", amplitude, 0.3,
                 "ODE (spec) " + number(e.ode_rise));
  check_ordering(test, "amplitude - wt (paired)", paired_difference(amplitudes(wt), amplitudes(h)),
                 true);
  check_ordering(test, "first-peak time - wt [min] (paired)",
                 paired_difference(first_peak_times(wt), first_peak_times(h)), false);
}

TEST_CASE("nfkb SSA behaviours: T1 T2 T7 wt and two hypomorphs after TNF 10 ng/ml") {
  // One case for the three behaviours that need wt: under ctest each case is a process, and wt
  // is computed once here (each SUBCASE reruns the body; the ensembles come from the cache).
  print_budget();
  const VariantEnsemble& wt = ensemble("wt");
  SUBCASE("T1 first nuclear NF-kB peak of wt") {
    const auto responders =
        count_cells(wt, [](const CellRecord& c) { return c.summary.responder; });
    row("T1 wt", "responders", std::to_string(responders) + "/" + std::to_string(kCells),
        "ODE (spec) responds; SSA (spec) all");
    const Estimate time = mean_of(first_peak_times(wt));
    const Estimate amplitude = mean_of(amplitudes(wt));
    REQUIRE(time.n >= kCells / 2);
    const std::string time_reference = "ODE (spec) 24; " + versus_spec_ssa(time, 24.7, 0.05, 200);
    check_at_least("T1 wt", "mean first-peak time [min]", time, 15.0, time_reference);
    check_at_most("T1 wt", "mean first-peak time [min]", time, 40.0, time_reference);
    check_at_least("T1 wt", "mean amplitude f - f0", amplitude, 0.5,
                   "ODE (spec) 0.929; " + versus_spec_ssa(amplitude, 0.924, 0.001, 200));
  }
  SUBCASE("T2 oscillation of wt") {
    // T2: single SSA cells keep oscillating (section 7), so the criterion is 70-120 min.
    const Estimate period =
        mean_of(per_cell(wt, [](const CellRecord& c) { return c.summary.period; }));
    const Estimate peaks = mean_of(
        per_cell(wt, [](const CellRecord& c) { return static_cast<double>(c.summary.peaks); }));
    const Estimate f240 =
        mean_of(per_cell(wt, [&](const CellRecord& c) { return wt.at_test_time(c, 240.0); }));
    row("T2 wt", "peaks per cell", with_se(peaks), "ODE (spec) 3; SSA (spec) 6.4 (800 cells)");
    row("T2 wt", "mean f(240 min), unsmoothed", with_se(f240),
        "ODE (spec) 0.132; " + versus_spec_ssa(f240, 0.156, 0.002, 800));
    REQUIRE(period.n >= kCells / 2);
    const std::string period_reference = "ODE (spec) 89.5; " +
                                         versus_spec_ssa(period, 76.0, 0.3, 800) +
                                         "; published 75-120 (Nelson 2004; Tay 2010)";
    check_at_least("T2 wt", "mean period [min]", period, 70.0, period_reference);
    check_at_most("T2 wt", "mean period [min]", period, 120.0, period_reference);
  }
  SUBCASE("T7 hypo_ub and hypo_low respond less and later than wt") {
    row("T7 wt", "mean rise", with_se(mean_of(rises(wt))), "ODE (spec) 0.929");
    check_hypomorph(wt, kHypoUb);
    check_hypomorph(wt, kHypoLow);
  }
}

TEST_CASE("nfkb SSA behaviours: T6 NEMO null does not respond to TNF") {
  const VariantEnsemble& null = ensemble("nemo_null");
  const std::vector<double> r = rises(null);
  const auto responders =
      count_cells(null, [](const CellRecord& c) { return c.summary.responder; });
  const auto with_peaks =
      count_cells(null, [](const CellRecord& c) { return c.summary.peaks > 0; });
  row("T6 nemo_null", "responders", std::to_string(responders) + "/" + std::to_string(kCells),
      "ODE (spec) 0/20; SSA (spec) none of 800; tolerance none");
  row("T6 nemo_null", "cells with a peak", std::to_string(with_peaks), "tolerance none");
  row("T6 nemo_null", "rise median", number(quantile_type7(r, 0.5)),
      "SSA (spec) 0.0043 (800 cells)");
  row("T6 nemo_null", "rise p99", number(quantile_type7(r, 0.99)), "SSA (spec) 0.0132 (800 cells)");
  row("T6 nemo_null", "rise max", number(*std::max_element(r.begin(), r.end())),
      "SSA (spec) 0.0188 (800 cells); ODE (spec) 0.000; tolerance < 0.05 in every cell");
  CHECK(responders == 0);
  CHECK(with_peaks == 0);
  for (const CellRecord& c : null.cells) {
    INFO("cell " << c.id);
    CHECK(c.summary.rise < 0.05);
  }
}

// Outside the CI budget (see Cost at the top): doctest::skip() keeps these two cases out of ctest's
// list. Run them, with the others so that wt runs once, by
//   nkappa_stat_tests --no-skip --test-case='nfkb SSA behaviours*'
TEST_CASE("nfkb SSA behaviours: T7 hypo_cc responds less and later than wt" * doctest::skip()) {
  print_budget();
  check_hypomorph(ensemble("wt"), kHypoCc);
}

TEST_CASE("nfkb SSA behaviours: T8 IL-2 alone acts on hypo_ub as on wt" * doctest::skip()) {
  print_budget();
  const VariantEnsemble& mut = ensemble("il2_mut");
  const VariantEnsemble& wt = ensemble("il2_wt");
  const Estimate mut_rise = mean_of(rises(mut));
  const Estimate wt_rise = mean_of(rises(wt));
  const Estimate mut_responders = mean_of(responder_indicators(mut));
  const Estimate wt_responders = mean_of(responder_indicators(wt));
  std::int64_t identical = 0;
  for (std::size_t i = 0; i < mut.cells.size(); ++i)
    if (mut.cells[i].summary.rise == wt.cells[i].summary.rise &&
        mut.cells[i].summary.peaks == wt.cells[i].summary.peaks)
      ++identical;
  row("T8 il2_wt", "mean rise", with_se(wt_rise), "ODE (spec) 0.325; SSA (spec) 0.328");
  row("T8 il2_mut", "mean rise", with_se(mut_rise), "ODE (spec) 0.325; SSA (spec) 0.328");
  row("T8 il2_wt", "responder fraction", with_se(wt_responders), "SSA (spec) 1 (all respond)");
  row("T8 il2_mut", "responder fraction", with_se(mut_responders), "SSA (spec) 1 (all respond)");
  row("T8 il2_mut", "cells identical to il2_wt's cell (rise and peaks)", std::to_string(identical),
      "TNF = 0: no ubiquitin, so k_rel cannot act (SSA (spec) il2_mut = il2_wt)");
  row("T8 il2_wt", "mean first-peak time [min]", with_se(mean_of(first_peak_times(wt))),
      "ODE (spec) 29");
  check_at_least("T8 il2_mut", "rise / il2_wt rise", ratio(mut_rise, wt_rise), 0.8, "ODE (spec) 1");
  // Means of 0/1 indicators: a ratio of 1 with SE 0 when every cell responds in both.
  check_at_least("T8 il2_mut", "responder fraction / il2_wt's",
                 ratio(mut_responders, wt_responders), 0.8, "ODE (spec) 1");
}

}  // namespace
}  // namespace nkappa
