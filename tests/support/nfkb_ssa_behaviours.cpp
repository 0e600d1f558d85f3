// Section 7 of shared/design/nfkb-nemo-model.md, stochastic column: exact SSA ensembles run as
// `nkappa compare` runs a variant (tests/support/nfkb_flagship), per-cell statistics of section 6
// with the scenario's 5-point smoothing; extrinsic noise on for every responder fraction (T7, T8's
// rescue, T9) and T9's amplitude ratio, off for everything else (section 7).
//
// Margins. A bound on a mean of n cells is asserted with the margin z SE of section 7: "mean >= b"
// fails only when mean < b - z SE, "mean <= b" only when mean > b + z SE. An ordering ("hypomorph
// < wt") is a paired difference d (cell i of both variants draws from the same stream, and
// variants whose changes cannot act before the stimulus share cell i's burn-in: section 7's
// common random numbers): "d < 0" fails only when d > +z SE and is reported as not resolved when
// |d| < z SE. SE of a mean: sample sd / sqrt(n) over the cells that have the statistic; SE of a
// ratio of means: the delta method, r sqrt((SE_a/a)^2 + (SE_b/b)^2) (conservative under the
// positive correlation of paired cells); SE of T9's ratio of responders' median rises: the sd of
// 2000 paired bootstrap resamples of the cells (fixed seed).
//
// False-alarm budget. The probability that a correct simulator fails any margin assertion of the
// whole section is at most alpha = 1e-3, whichever subset a run makes. There are M = 36 one-sided
// margin assertions (T1 3, T2 2, T3 6, T4 2, T5 1, T7 3 x 3 + 3, T8 2 + 1, T9 2 + 3 + 2); each
// uses z = the Student t quantile t_{n-1}^{-1}(1 - alpha / M) (Bonferroni, valid whatever their
// correlation; n - 1 degrees of freedom, the fewest any mean or paired difference has when every
// cell has the statistic; the t quantile covers the studentisation of SE): 4.35 at 64 cells,
// 4.12 at 200. The per-cell statistics are bounded and not normal (peak times on a 1 min grid);
// at n = 64 their means are close enough to normal for the budget's order of magnitude, not its
// digits. T6's checks are per cell without a margin: the specification's 800 null cells reach at
// most 0.0188 against 0.05 and never 0.10 (a responder).
//
// Each measured value is printed next to the specification's ODE and independent-SSA values
// (MESSAGE: test | quantity | measured | reference). A value outside its tolerance is a finding
// to confirm with 4x the cells (section 7), not a reason to widen a bound here.
#include "tests/support/nfkb_ssa_behaviours.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "report/statistics.hpp"
#include "tests/support/nfkb_flagship.hpp"
#include "tests/support/test_support.hpp"

namespace nkappa::test::nfkb {
namespace {

constexpr double kFalseAlarmBudget = 1e-3;  // over every margin assertion of section 7
constexpr int kMarginAssertions = 36;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double z_limit(std::int64_t cells) {
  return student_t_quantile(1.0 - kFalseAlarmBudget / kMarginAssertions,
                            static_cast<double>(cells - 1));
}

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

// Mean of b[i] - a[i] over the cells where both are finite.
Estimate paired_difference(const std::vector<double>& a, const std::vector<double>& b) {
  REQUIRE(a.size() == b.size());
  std::vector<double> d;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::isfinite(a[i]) && std::isfinite(b[i])) d.push_back(b[i] - a[i]);
  return mean_of(d);
}

Estimate ratio(const Estimate& a, const Estimate& b) {
  Estimate r;
  r.value = a.value / b.value;
  r.se = std::fabs(r.value) * std::sqrt(std::pow(a.se / a.value, 2) + std::pow(b.se / b.value, 2));
  r.n = std::min(a.n, b.n);
  return r;
}

template <class Get>
std::vector<double> per_cell(const SsaEnsemble& e, Get get) {
  std::vector<double> out;
  for (const CellRecord& c : e.cells) out.push_back(get(c));
  return out;
}
std::vector<double> first_peak_times(const SsaEnsemble& e) {
  return per_cell(e, [](const CellRecord& c) { return c.summary.first_peak_time; });
}
std::vector<double> amplitudes(const SsaEnsemble& e) {
  return per_cell(e, [](const CellRecord& c) { return c.summary.amplitude; });
}
std::vector<double> rises(const SsaEnsemble& e) {
  return per_cell(e, [](const CellRecord& c) { return c.summary.rise; });
}
std::vector<double> responders(const SsaEnsemble& e) {
  return per_cell(e, [](const CellRecord& c) { return c.summary.responder ? 1.0 : 0.0; });
}
// The unsmoothed readout of every cell at `minute` after the stimulus.
std::vector<double> readout_at(const SsaEnsemble& e, double minute) {
  const std::size_t t = flagship().time_index(minute);
  std::vector<double> out;
  for (std::size_t i = 0; i < e.cells.size(); ++i)
    out.push_back(e.at(i, flagship().observables.readout, t));
  return out;
}
std::int64_t count_cells(const SsaEnsemble& e, bool (*predicate)(const CellRecord&)) {
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

void row(const std::string& test, const std::string& quantity, const std::string& measured,
         const std::string& reference) {
  report_line(test + " | " + quantity + " | measured " + measured + " | " + reference);
}

// How many combined standard errors ours is from the specification's independent SSA value
// (reported, not asserted: the section 7 tolerances are the criteria).
std::string versus_spec_ssa(const Estimate& ours, double value, double se, int cells) {
  const double z = (ours.value - value) / std::sqrt(ours.se * ours.se + se * se);
  return "SSA (spec) " + number(value) + " +- " + number(se) + " (" + std::to_string(cells) +
         " cells; z = " + number(z) + ")";
}

// The margins of one behaviour; on destruction its rows go to
// <build>/reports/nfkb_ssa_<behaviour>_<cells>.txt.
class Checks {
 public:
  Checks(const std::string& behaviour, std::int64_t cells)
      : behaviour_(behaviour), cells_(cells), z_(z_limit(cells)) {
    std::ostringstream s;
    s << behaviour << ": false-alarm budget " << kFalseAlarmBudget << " over " << kMarginAssertions
      << " one-sided margin assertions of section 7: z = t_" << (cells - 1) << "^-1(1 - "
      << kFalseAlarmBudget / kMarginAssertions << ") = " << number(z_);
    report_line(s.str());
  }
  ~Checks() {
    write_report("nfkb_ssa_" + behaviour_ + "_" + std::to_string(cells_) + ".txt",
                 take_report_lines());
  }
  Checks(const Checks&) = delete;
  Checks& operator=(const Checks&) = delete;
  std::int64_t cells() const { return cells_; }
  double z() const { return z_; }

  void at_least(const std::string& test, const std::string& quantity, const Estimate& e,
                double bound, const std::string& reference) const {
    const double margin = z_ * (std::isfinite(e.se) ? e.se : 0.0);
    row(test, quantity, with_se(e),
        reference + "; tolerance >= " + number(bound) + " (asserted >= " + number(bound - margin) +
            ")");
    REQUIRE(std::isfinite(e.value));
    CHECK_MESSAGE(e.value >= bound - margin,
                  test << " " << quantity << " " << with_se(e) << " below " << bound << " - z SE");
  }

  void at_most(const std::string& test, const std::string& quantity, const Estimate& e,
               double bound, const std::string& reference) const {
    const double margin = z_ * (std::isfinite(e.se) ? e.se : 0.0);
    row(test, quantity, with_se(e),
        reference + "; tolerance <= " + number(bound) + " (asserted <= " + number(bound + margin) +
            ")");
    REQUIRE(std::isfinite(e.value));
    CHECK_MESSAGE(e.value <= bound + margin,
                  test << " " << quantity << " " << with_se(e) << " above " << bound << " + z SE");
  }

  // d = other - reference; `less` asserts d < 0 (fails above +z SE), else d >= 0 (fails below
  // -z SE); inside the margin the ordering is reported as not resolved.
  void ordering(const std::string& test, const std::string& quantity, const Estimate& d,
                bool less) const {
    const double margin = z_ * (std::isfinite(d.se) ? d.se : 0.0);
    const bool resolved = less ? d.value < -margin : d.value > margin;
    row(test, quantity, with_se(d),
        std::string(less ? "tolerance < 0" : "tolerance >= 0") +
            ", margin z SE = " + number(margin) +
            (resolved ? ": resolved at " + std::to_string(cells_) + " cells"
                      : ": NOT resolved at " + std::to_string(cells_) +
                            " cells (reported, not asserted)"));
    REQUIRE(std::isfinite(d.value));
    if (less)
      CHECK_MESSAGE(d.value <= margin, test << " " << quantity << " " << with_se(d) << " > +z SE");
    else
      CHECK_MESSAGE(d.value >= -margin, test << " " << quantity << " " << with_se(d) << " < -z SE");
  }

 private:
  std::string behaviour_;
  std::int64_t cells_;
  double z_;
};

const SsaEnsemble& run(const char* id, std::int64_t cells, bool noise = false,
                       double end_minute = 480.0) {
  return ssa_ensemble(id, cells, noise, end_minute);
}

}  // namespace

void t1_first_peak(std::int64_t cells) {
  const Checks check("T1", cells);
  const SsaEnsemble& wt = run("wt", cells);
  const auto n_responders =
      count_cells(wt, [](const CellRecord& c) { return c.summary.responder; });
  row("T1 wt", "responders", std::to_string(n_responders) + "/" + std::to_string(cells),
      "ODE (spec) responds; SSA (spec) all");
  const Estimate time = mean_of(first_peak_times(wt));
  const Estimate amplitude = mean_of(amplitudes(wt));
  REQUIRE(time.n >= cells / 2);
  const std::string time_reference = "ODE (spec) 24; " + versus_spec_ssa(time, 24.7, 0.05, 200);
  check.at_least("T1 wt", "mean first-peak time [min]", time, 15.0, time_reference);
  check.at_most("T1 wt", "mean first-peak time [min]", time, 40.0, time_reference);
  check.at_least("T1 wt", "mean amplitude f - f0", amplitude, 0.5,
                 "ODE (spec) 0.929; " + versus_spec_ssa(amplitude, 0.924, 0.001, 200));
}

void t2_oscillation(std::int64_t cells) {
  // Single SSA cells keep oscillating (section 7), so the SSA criterion is 70-120 min.
  const Checks check("T2", cells);
  const SsaEnsemble& wt = run("wt", cells);
  const Estimate period =
      mean_of(per_cell(wt, [](const CellRecord& c) { return c.summary.period; }));
  const Estimate peaks = mean_of(
      per_cell(wt, [](const CellRecord& c) { return static_cast<double>(c.summary.peaks); }));
  const Estimate f240 = mean_of(readout_at(wt, 240.0));
  row("T2 wt", "peaks per cell", with_se(peaks), "ODE (spec) 3; SSA (spec) 6.4 (800 cells)");
  row("T2 wt", "mean f(240 min), unsmoothed", with_se(f240),
      "ODE (spec) 0.132; " + versus_spec_ssa(f240, 0.156, 0.002, 800));
  REQUIRE(period.n >= cells / 2);
  const std::string reference = "ODE (spec) 89.5; " + versus_spec_ssa(period, 76.0, 0.3, 800) +
                                "; published 75-120 (Nelson 2004; Tay 2010)";
  check.at_least("T2 wt", "mean period [min]", period, 70.0, reference);
  check.at_most("T2 wt", "mean period [min]", period, 120.0, reference);
}

void t3_ikba_degradation(std::int64_t cells) {
  // Per cell, IkBa_tot and IkBa_mRNA smoothed as f_nuc (section 6: raw for tau <= 0, centred
  // 5-point mean after), then the mean over cells (section 7).
  const Checks check("T3", cells);
  const Flagship& f = flagship();
  const SsaEnsemble& wt = run("wt", cells);
  const std::int32_t total = f.observable("IkBa_tot");
  const std::int32_t mrna = f.observable("IkBa_mRNA");
  const int points = f.scenario.readout.smoothing_points;
  const std::size_t t0 = f.time_index(0.0), t60 = f.time_index(60.0), t120 = f.time_index(120.0),
                    t180 = f.time_index(180.0);
  std::vector<double> min_time, min_ratio, ratio60, mrna_max_time;
  for (std::size_t i = 0; i < wt.cells.size(); ++i) {
    const std::vector<double> ikba = smoothed_trace(f.axis.tau, wt.trace(i, total), points);
    const std::vector<double> m = smoothed_trace(f.axis.tau, wt.trace(i, mrna), points);
    const auto lowest = std::min_element(ikba.begin() + static_cast<std::ptrdiff_t>(t0),
                                         ikba.begin() + static_cast<std::ptrdiff_t>(t120) + 1);
    const auto highest = std::max_element(m.begin() + static_cast<std::ptrdiff_t>(t0),
                                          m.begin() + static_cast<std::ptrdiff_t>(t180) + 1);
    REQUIRE(ikba[t0] > 0.0);
    min_time.push_back(f.axis.tau[static_cast<std::size_t>(lowest - ikba.begin())]);
    min_ratio.push_back(*lowest / ikba[t0]);
    ratio60.push_back(ikba[t60] / ikba[t0]);
    mrna_max_time.push_back(f.axis.tau[static_cast<std::size_t>(highest - m.begin())]);
  }
  const Estimate time = mean_of(min_time), low = mean_of(min_ratio), back = mean_of(ratio60),
                 peak = mean_of(mrna_max_time);
  const std::string time_reference = "ODE (spec) 19; SSA (spec) 20.1 (200 cells)";
  check.at_least("T3 wt", "IkBa_tot minimum over 0-120 min: time [min]", time, 10.0,
                 time_reference);
  check.at_most("T3 wt", "IkBa_tot minimum over 0-120 min: time [min]", time, 30.0, time_reference);
  check.at_most("T3 wt", "IkBa_tot minimum / IkBa_tot(0)", low, 0.3,
                "ODE (spec) 0.108; SSA (spec) 0.115 (200 cells)");
  check.at_least("T3 wt", "IkBa_tot(60 min) / IkBa_tot(0)", back, 0.5,
                 "ODE (spec) 0.786; SSA (spec) 0.767 (200 cells)");
  const std::string mrna_reference = "ODE (spec) 66; SSA (spec) 75.7 per cell (200 cells)";
  check.at_least("T3 wt", "IkBa_mRNA maximum over 0-180 min: time [min]", peak, 45.0,
                 mrna_reference);
  check.at_most("T3 wt", "IkBa_mRNA maximum over 0-180 min: time [min]", peak, 90.0,
                mrna_reference);
}

void t4_a20_knockout(std::int64_t cells) {
  const Checks check("T4", cells);
  const Estimate wt = mean_of(readout_at(run("wt", cells), 240.0));
  const Estimate ko = mean_of(readout_at(run("a20ko", cells, false, 240.0), 240.0));
  row("T4 wt", "mean f(240 min)", with_se(wt), "ODE (spec) 0.132");
  check.at_least("T4 a20ko", "mean f(240 min)", ko, 0.5, "ODE (spec) 0.898; SSA (spec) 0.897");
  const Estimate r = ratio(ko, wt);
  check.at_least("T4 a20ko", "mean f(240 min) / wt's", r, 3.0,
                 "ODE (spec) 6.8; " + versus_spec_ssa(r, 5.7, 0.08, 200));
}

void t5_ikba_knockout(std::int64_t cells) {
  const Checks check("T5", cells);
  // f0 is the sample at the stimulus: the run stops 2 min after it.
  const SsaEnsemble& ko = run("ikbako", cells, false, 2.0);
  const Estimate f0 = mean_of(per_cell(ko, [](const CellRecord& c) { return c.summary.f0; }));
  check.at_least("T5 ikbako", "mean f0", f0, 0.9, "ODE (spec) 1.000; SSA (spec) 1.000");
}

void t6_nemo_null(std::int64_t cells) {
  const Checks check("T6", cells);  // no margin assertion: for the report
  const SsaEnsemble& null = run("nemo_null", cells);
  const std::vector<double> r = rises(null);
  const auto n_responders =
      count_cells(null, [](const CellRecord& c) { return c.summary.responder; });
  const auto with_peaks =
      count_cells(null, [](const CellRecord& c) { return c.summary.peaks > 0; });
  row("T6 nemo_null", "responders", std::to_string(n_responders) + "/" + std::to_string(cells),
      "ODE (spec) 0/20; SSA (spec) none of 800; tolerance none");
  row("T6 nemo_null", "cells with a peak", std::to_string(with_peaks), "tolerance none");
  row("T6 nemo_null", "rise median", number(quantile_type7(r, 0.5)),
      "SSA (spec) 0.0043 (800 cells)");
  row("T6 nemo_null", "rise p99", number(quantile_type7(r, 0.99)), "SSA (spec) 0.0132 (800 cells)");
  row("T6 nemo_null", "rise max", number(*std::max_element(r.begin(), r.end())),
      "SSA (spec) 0.0188 (800 cells); ODE (spec) 0.000; tolerance < 0.05 in every cell");
  CHECK(n_responders == 0);
  CHECK(with_peaks == 0);
  for (const CellRecord& c : null.cells) {
    INFO("cell " << c.id);
    CHECK(c.summary.rise < 0.05);
  }
}

namespace {
struct Hypomorph {
  const char* id;
  double ode_rise, ode_first_peak, ssa_rise, ssa_responders;  // section 7's values
};
constexpr Hypomorph kHypomorphs[] = {{"hypo_ub", 0.788, 30.0, 0.793, 0.69},
                                     {"hypo_cc", 0.577, 33.0, 0.598, 0.545},
                                     {"hypo_low", 0.794, 27.0, 0.782, 0.795}};
const Hypomorph& hypomorph(const std::string& id) {
  for (const Hypomorph& h : kHypomorphs)
    if (id == h.id) return h;
  FAIL("no hypomorph " << id);
  return kHypomorphs[0];
}
}  // namespace

void t7_hypomorph(std::int64_t cells, const char* variant) {
  const Checks check(std::string("T7_") + variant, cells);
  const Hypomorph& e = hypomorph(variant);
  const std::string test = std::string("T7 ") + e.id;
  const SsaEnsemble& wt = run("wt", cells);
  const SsaEnsemble& h = run(e.id, cells);
  std::int64_t same_f0 = 0;  // common burn-in where the variant cannot act before the stimulus
  for (std::size_t i = 0; i < h.cells.size(); ++i)
    if (h.cells[i].summary.f0 == wt.cells[i].summary.f0) ++same_f0;
  const auto n_responders = count_cells(h, [](const CellRecord& c) { return c.summary.responder; });
  const auto peaked = count_cells(h, [](const CellRecord& c) { return c.summary.peaks > 0; });
  row(test, "responders / cells with a peak",
      std::to_string(n_responders) + " / " + std::to_string(peaked) + " of " +
          std::to_string(cells),
      "cells with f0 equal to wt's cell: " + std::to_string(same_f0));
  row("T7 wt", "mean rise", with_se(mean_of(rises(wt))), "ODE (spec) 0.929");
  row(test, "mean rise", with_se(mean_of(rises(h))),
      "ODE (spec) " + number(e.ode_rise) + "; SSA (spec) " + number(e.ssa_rise));
  row(test, "mean first-peak time [min]", with_se(mean_of(first_peak_times(h))),
      "ODE (spec) " + number(e.ode_first_peak) + "; SSA (spec) later than wt");
  check.at_least(test, "mean amplitude f - f0 (0 without a peak)", mean_of(amplitudes(h)), 0.3,
                 "ODE (spec) " + number(e.ode_rise));
  check.ordering(test, "amplitude - wt (paired)", paired_difference(amplitudes(wt), amplitudes(h)),
                 true);
  check.ordering(test, "first-peak time - wt [min] (paired)",
                 paired_difference(first_peak_times(wt), first_peak_times(h)), false);
}

void t7_responder_fractions(std::int64_t cells) {
  const Checks check("T7_responders", cells);
  const SsaEnsemble& wt = run("wt", cells, true);
  row("T7 wt (noise)", "responder fraction", with_se(mean_of(responders(wt))),
      "ODE (spec, 20 receptor quantiles) 0.85; SSA (spec) 0.889");
  for (const Hypomorph& e : kHypomorphs) {
    const std::string test = std::string("T7 ") + e.id + " (noise)";
    const SsaEnsemble& h = run(e.id, cells, true);
    row(test, "responder fraction", with_se(mean_of(responders(h))),
        "SSA (spec) " + number(e.ssa_responders));
    check.ordering(test, "responder fraction - wt's (paired)",
                   paired_difference(responders(wt), responders(h)), true);
  }
}

void t8_il2_alone(std::int64_t cells) {
  const Checks check("T8_il2_alone", cells);
  const SsaEnsemble& mut = run("il2_mut", cells);
  const SsaEnsemble& wt = run("il2_wt", cells);
  const Estimate mut_rise = mean_of(rises(mut)), wt_rise = mean_of(rises(wt));
  const Estimate mut_responders = mean_of(responders(mut)), wt_responders = mean_of(responders(wt));
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
  check.at_least("T8 il2_mut", "rise / il2_wt rise", ratio(mut_rise, wt_rise), 0.8, "ODE (spec) 1");
  // Means of 0/1 indicators: a ratio of 1 with SE 0 when every cell responds in both.
  check.at_least("T8 il2_mut", "responder fraction / il2_wt's",
                 ratio(mut_responders, wt_responders), 0.8, "ODE (spec) 1");
}

void t8_il2_rescue(std::int64_t cells) {
  const Checks check("T8_rescue", cells);
  const SsaEnsemble& control = run("mut_tnf1", cells, true);
  const SsaEnsemble& rescue = run("il2_mut_tnf1", cells, true);
  row("T8 mut_tnf1 (noise)", "responder fraction", with_se(mean_of(responders(control))),
      "ODE (spec) 0.10; SSA (spec) 0.115");
  row("T8 il2_mut_tnf1 (noise)", "responder fraction", with_se(mean_of(responders(rescue))),
      "ODE (spec) 1.00; SSA (spec) 1.00");
  check.at_least("T8 il2_mut_tnf1 (noise)", "responder fraction - control's (paired)",
                 paired_difference(responders(control), responders(rescue)), 0.3,
                 "SSA (spec) 0.885");
}

namespace {
// Median rise of the responders of b over that of a, on the cells given by `pick`.
double median_rise_ratio(const SsaEnsemble& a, const SsaEnsemble& b,
                         const std::vector<std::size_t>& pick) {
  std::vector<double> ra, rb;
  for (std::size_t i : pick) {
    if (a.cells[i].summary.responder) ra.push_back(a.cells[i].summary.rise);
    if (b.cells[i].summary.responder) rb.push_back(b.cells[i].summary.rise);
  }
  if (ra.empty() || rb.empty()) return kNaN;
  return quantile_type7(rb, 0.5) / quantile_type7(ra, 0.5);
}
}  // namespace

void t9_dose_response(std::int64_t cells) {
  const Checks check("T9", cells);
  const char* doses[] = {"wt", "wt_tnf1", "wt_tnf01", "wt_tnf001"};
  const double spec_fractions[] = {0.889, 0.34, 0.02, 0.00};
  std::vector<const SsaEnsemble*> runs;
  for (int k = 0; k < 4; ++k) {
    runs.push_back(&run(doses[k], cells, true));
    row(std::string("T9 ") + doses[k] + " (noise)", "responder fraction",
        with_se(mean_of(responders(*runs.back()))),
        "SSA (spec) " + number(spec_fractions[k]) + " (800 cells)");
  }
  check.at_least("T9 wt (noise)", "responder fraction at 10 ng/ml", mean_of(responders(*runs[0])),
                 0.7, "SSA (spec) 0.889");
  check.at_most("T9 wt_tnf001 (noise)", "responder fraction at 0.01 ng/ml",
                mean_of(responders(*runs[3])), 0.5, "SSA (spec) 0.00");
  for (int k = 1; k < 4; ++k)
    check.ordering(std::string("T9 ") + doses[k] + " (noise)",
                   std::string("responder fraction - ") + doses[k - 1] + "'s (paired)",
                   paired_difference(responders(*runs[k - 1]), responders(*runs[k])), true);
  if (cells < 200) {
    MESSAGE("T9 amplitude ratio: only in the >= 200-cell ensembles (section 7)");
    return;
  }
  // Responders' median rise at 1 ng/ml over that at 10 ng/ml; SE from a paired bootstrap.
  std::vector<std::size_t> all(runs[0]->cells.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  const double measured = median_rise_ratio(*runs[0], *runs[1], all);
  std::mt19937_64 engine(20100701);
  std::uniform_int_distribution<std::size_t> pick_cell(0, all.size() - 1);
  std::vector<double> boot;
  for (int b = 0; b < 2000; ++b) {
    std::vector<std::size_t> pick(all.size());
    for (std::size_t& i : pick) i = pick_cell(engine);
    const double r = median_rise_ratio(*runs[0], *runs[1], pick);
    if (std::isfinite(r)) boot.push_back(r);
  }
  const Estimate spread = mean_of(boot);
  const double se = spread.se * std::sqrt(static_cast<double>(spread.n));  // sd of the resamples
  const Estimate r{measured, se, static_cast<std::int64_t>(cells)};
  // Asserted at the specification's SSA value, 0.372 +- 0.027 (800 cells): the model is graded,
  // not digital (section 7); the margin combines both standard errors.
  const Estimate from_spec{measured - 0.372, std::sqrt(se * se + 0.027 * 0.027), r.n};
  row("T9", "responders' median rise, 1 ng/ml / 10 ng/ml", with_se(r),
      "SSA (spec) 0.372 +- 0.027 (800 cells); Tay 2010 digital >= 0.6 not reproduced");
  check.at_least("T9", "median rise ratio - 0.372", from_spec, 0.0, "two-sided");
  check.at_most("T9", "median rise ratio - 0.372", from_spec, 0.0, "two-sided");
}

void noiseless_group(std::int64_t cells) {
  SUBCASE("T1 first nuclear NF-kB peak of wt") {
    t1_first_peak(cells);
  }
  SUBCASE("T2 oscillation of wt") {
    t2_oscillation(cells);
  }
  SUBCASE("T3 IkBa degradation and resynthesis in wt") {
    t3_ikba_degradation(cells);
  }
  SUBCASE("T4 A20 knockout keeps NF-kB nuclear") {
    t4_a20_knockout(cells);
  }
  SUBCASE("T7 hypo_ub responds less and later than wt") {
    t7_hypomorph(cells, "hypo_ub");
  }
  SUBCASE("T7 hypo_cc responds less and later than wt") {
    t7_hypomorph(cells, "hypo_cc");
  }
  SUBCASE("T7 hypo_low responds less and later than wt") {
    t7_hypomorph(cells, "hypo_low");
  }
}

void noisy_group(std::int64_t cells) {
  SUBCASE("T7 hypomorphs have fewer responders than wt") {
    t7_responder_fractions(cells);
  }
  SUBCASE("T9 responder fraction falls with the TNF dose") {
    t9_dose_response(cells);
  }
}

void il2_group(std::int64_t cells) {
  SUBCASE("T8 IL-2 alone acts on hypo_ub as on wt") {
    t8_il2_alone(cells);
  }
  SUBCASE("T8 IL-2 rescues the hypo_ub response to TNF 1 ng/ml") {
    t8_il2_rescue(cells);
  }
}

}  // namespace nkappa::test::nfkb
