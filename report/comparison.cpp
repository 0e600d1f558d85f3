#include "report/comparison.hpp"

#include <cmath>
#include <cstdio>
#include <limits>

namespace nkappa {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

double cell_statistic(const CellSummary& s, const std::string& name) {
  if (name == "rise") return s.rise;
  if (name == "first_peak_time") return s.first_peak_time;
  if (name == "amplitude") return s.responder ? s.amplitude : kNaN;  // over responders (§6)
  if (name == "period") return s.period;
  return kNaN;
}

std::vector<double> cell_values(const VariantResult& v, const std::string& statistic) {
  std::vector<double> out;
  for (const CellRecord& c : v.cells.cells()) out.push_back(cell_statistic(c.summary, statistic));
  return out;
}

std::vector<double> cell_values_at_test_time(const VariantResult& v, std::size_t k) {
  std::vector<double> out;
  for (const CellRecord& c : v.cells.cells()) out.push_back(c.at_test_times.at(k));
  return out;
}

namespace {

ComparisonRow from_samples(const VariantResult& a, const VariantResult& b, const std::string& name,
                           double tau, const std::vector<double>& x, const std::vector<double>& y) {
  const SampleComparison c = compare_samples(x, y);
  ComparisonRow row;
  row.reference = a.id;
  row.other = b.id;
  row.statistic = name;
  row.tau = tau;
  row.n_reference = c.n_a;
  row.n_other = c.n_b;
  row.value_reference = c.mean_a;
  row.value_other = c.mean_b;
  row.difference = c.difference;
  row.ci_low = c.ci_low;
  row.ci_high = c.ci_high;
  row.effect_size = c.effect_size;
  row.ks_statistic = c.ks_statistic;
  row.p_value = c.ks_p_value;
  return row;
}

void adjust(std::vector<ComparisonRow>& rows, std::size_t first) {
  std::vector<double> p;
  for (std::size_t i = first; i < rows.size(); ++i) p.push_back(rows[i].p_value);
  const std::vector<double> adjusted = holm_adjust(p);
  for (std::size_t i = first; i < rows.size(); ++i) rows[i].p_adjusted = adjusted[i - first];
}

}  // namespace

std::vector<ComparisonRow> compare_variants(const VariantResult& a, const VariantResult& b,
                                            const ReadoutInfo& readout) {
  std::vector<ComparisonRow> rows;
  std::int64_t ka = 0, kb = 0;
  for (const CellRecord& c : a.cells.cells()) ka += c.summary.responder ? 1 : 0;
  for (const CellRecord& c : b.cells.cells()) kb += c.summary.responder ? 1 : 0;
  const ProportionComparison p =
      compare_proportions(ka, static_cast<std::int64_t>(a.cells.cells().size()), kb,
                          static_cast<std::int64_t>(b.cells.cells().size()));
  ComparisonRow responders;
  responders.reference = a.id;
  responders.other = b.id;
  responders.statistic = "responder_fraction";
  responders.tau = kNaN;
  responders.n_reference = p.n_a;
  responders.n_other = p.n_b;
  responders.value_reference = p.p_a;
  responders.value_other = p.p_b;
  responders.difference = p.difference;
  responders.ci_low = p.ci_low;
  responders.ci_high = p.ci_high;
  responders.effect_size = kNaN;
  responders.ks_statistic = kNaN;
  responders.p_value = kNaN;
  responders.p_adjusted = kNaN;
  rows.push_back(responders);

  const std::size_t summaries = rows.size();
  for (const std::string& name : cell_statistics())
    rows.push_back(from_samples(a, b, name, kNaN, cell_values(a, name), cell_values(b, name)));
  adjust(rows, summaries);

  const std::size_t at_times = rows.size();
  for (std::size_t k = 0; k < readout.test_times.size(); ++k) {
    char name[96];
    std::snprintf(name, sizeof name, "%s@%g%s", readout.observable.c_str(), readout.test_times[k],
                  readout.time_unit.c_str());
    rows.push_back(from_samples(a, b, name, readout.test_times[k], cell_values_at_test_time(a, k),
                                cell_values_at_test_time(b, k)));
  }
  adjust(rows, at_times);
  return rows;
}

SsaOdeDifference ssa_versus_ode(const VariantResult& v, std::int32_t observable,
                                const std::vector<double>& tau) {
  SsaOdeDifference d;
  if (!v.has_ode) return d;
  double largest_ode = 0.0, sum = 0.0;
  int n = 0;
  for (std::int32_t t = 0; t < v.cells.time_points(); ++t) {
    if (tau[static_cast<std::size_t>(t)] < 0) continue;
    const double ode = v.ode[static_cast<std::size_t>(t)][static_cast<std::size_t>(observable)];
    const double diff = std::fabs(v.cells.mean(t, observable) - ode);
    largest_ode = std::max(largest_ode, std::fabs(ode));
    sum += diff;
    ++n;
    if (diff > d.largest) {
      d.largest = diff;
      d.at_tau = tau[static_cast<std::size_t>(t)];
    }
  }
  d.relative = largest_ode > 0 ? d.largest / largest_ode : 0.0;
  d.mean_absolute = n > 0 ? sum / n : 0.0;
  return d;
}

}  // namespace nkappa
