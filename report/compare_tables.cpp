#include "report/compare_tables.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "nkappa/version.hpp"
#include "report/csv.hpp"
#include "report/provenance.hpp"

namespace nkappa {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
std::string num(double x) {
  return format_number(x);
}
}  // namespace

Described describe(const std::vector<double>& values) {
  std::vector<double> finite;
  for (double x : values)
    if (std::isfinite(x)) finite.push_back(x);
  Described d;
  d.n = static_cast<std::int64_t>(finite.size());
  if (finite.empty()) {
    d.mean = d.sd = d.ci_low = d.ci_high = d.q05 = d.q25 = d.q50 = d.q75 = d.q95 = kNaN;
    return d;
  }
  double sum = 0.0;
  for (double x : finite) sum += x;
  d.mean = sum / static_cast<double>(d.n);
  double ss = 0.0;
  for (double x : finite) ss += (x - d.mean) * (x - d.mean);
  d.sd = d.n > 1 ? std::sqrt(ss / static_cast<double>(d.n - 1)) : kNaN;
  const double half = d.n > 1 ? student_t_quantile(0.975, static_cast<double>(d.n - 1)) * d.sd /
                                    std::sqrt(static_cast<double>(d.n))
                              : kNaN;
  d.ci_low = d.mean - half;
  d.ci_high = d.mean + half;
  d.q05 = quantile_type7(finite, 0.05);
  d.q25 = quantile_type7(finite, 0.25);
  d.q50 = quantile_type7(finite, 0.50);
  d.q75 = quantile_type7(finite, 0.75);
  d.q95 = quantile_type7(finite, 0.95);
  return d;
}

ResponderFraction responder_fraction(const VariantResult& v) {
  ResponderFraction r;
  for (const CellRecord& c : v.cells.cells()) r.responders += c.summary.responder ? 1 : 0;
  r.cells = static_cast<std::int64_t>(v.cells.cells().size());
  if (r.cells == 0) return r;
  // Wilson score interval (Wilson 1927), z = 1.96.
  const double n = static_cast<double>(r.cells), p = static_cast<double>(r.responders) / n,
               z = 1.959963984540054;
  const double centre = (p + z * z / (2 * n)) / (1 + z * z / n);
  const double half = z * std::sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n);
  r.fraction = p;
  r.ci_low = std::max(0.0, centre - half);
  r.ci_high = std::min(1.0, centre + half);
  return r;
}

std::string summary_csv(const std::vector<VariantResult>& variants, const ReadoutInfo& readout) {
  std::string out = "variant,statistic,n,mean,sd,ci_low,ci_high,q05,q25,q50,q75,q95,ode\n";
  for (const VariantResult& v : variants) {
    const ResponderFraction r = responder_fraction(v);
    out += fmt::format("{},responder_fraction,{},{},,{},{},,,,,,{}\n", v.id, r.cells,
                       num(r.fraction), num(r.ci_low), num(r.ci_high),
                       v.has_ode ? num(v.ode_summary.responder ? 1.0 : 0.0) : "");
    for (const std::string& name : cell_statistics()) {
      const Described d = describe(cell_values(v, name));
      out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{}\n", v.id, name, d.n, num(d.mean),
                         num(d.sd), num(d.ci_low), num(d.ci_high), num(d.q05), num(d.q25),
                         num(d.q50), num(d.q75), num(d.q95),
                         v.has_ode ? num(cell_statistic(v.ode_summary, name)) : "");
    }
    for (std::size_t k = 0; k < readout.test_times.size(); ++k) {
      const Described d = describe(cell_values_at_test_time(v, k));
      out += fmt::format("{},{}@{}{},{},{},{},{},{},{},{},{},{},{},\n", v.id, readout.observable,
                         readout.test_times[k], readout.time_unit, d.n, num(d.mean), num(d.sd),
                         num(d.ci_low), num(d.ci_high), num(d.q05), num(d.q25), num(d.q50),
                         num(d.q75), num(d.q95));
    }
  }
  return out;
}

std::string comparison_csv(const std::vector<ComparisonRow>& rows) {
  std::string out =
      "reference,other,statistic,tau,n_reference,n_other,value_reference,value_other,difference,ci_"
      "low,ci_high,"
      "effect_size_hedges_g,ks_statistic,p_value,p_adjusted_holm\n";
  for (const ComparisonRow& r : rows)
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", r.reference, r.other,
                       r.statistic, std::isnan(r.tau) ? "" : num(r.tau), r.n_reference, r.n_other,
                       num(r.value_reference), num(r.value_other), num(r.difference), num(r.ci_low),
                       num(r.ci_high), num(r.effect_size), num(r.ks_statistic), num(r.p_value),
                       num(r.p_adjusted));
  return out;
}

namespace {
std::string header(const std::vector<std::string>& observables) {
  std::string out = "time";
  for (const std::string& o : observables) out += "," + o;
  return out + "\n";
}
}  // namespace

std::string variant_mean_csv(const VariantResult& v, const std::vector<std::string>& observables) {
  std::string out = header(observables);
  const auto& times = v.cells.times();
  for (std::int32_t t = 0; t < v.cells.time_points(); ++t) {
    out += num(times[static_cast<std::size_t>(t)]);
    for (std::int32_t o = 0; o < v.cells.observables(); ++o) out += "," + num(v.cells.mean(t, o));
    out += "\n";
  }
  return out;
}

std::string variant_sd_csv(const VariantResult& v, const std::vector<std::string>& observables) {
  std::string out = header(observables);
  const auto& times = v.cells.times();
  for (std::int32_t t = 0; t < v.cells.time_points(); ++t) {
    out += num(times[static_cast<std::size_t>(t)]);
    for (std::int32_t o = 0; o < v.cells.observables(); ++o) out += "," + num(v.cells.sd(t, o));
    out += "\n";
  }
  return out;
}

std::string variant_quantiles_csv(const VariantResult& v,
                                  const std::vector<std::string>& observables) {
  std::string out = "time,observable,q05,q25,q50,q75,q95,error_bound\n";
  const auto& times = v.cells.times();
  for (std::int32_t t = 0; t < v.cells.time_points(); ++t)
    for (std::int32_t o = 0; o < v.cells.observables(); ++o) {
      const QuantileSketch& s = v.cells.sketch(t, o);
      out += fmt::format("{},{},{},{},{},{},{},{}\n", num(times[static_cast<std::size_t>(t)]),
                         observables[static_cast<std::size_t>(o)], num(s.quantile(0.05)),
                         num(s.quantile(0.25)), num(s.quantile(0.5)), num(s.quantile(0.75)),
                         num(s.quantile(0.95)), num(s.error_bound()));
    }
  return out;
}

std::string variant_ode_csv(const VariantResult& v, const std::vector<std::string>& observables) {
  std::string out = header(observables);
  const auto& times = v.cells.times();
  for (std::size_t t = 0; t < v.ode.size(); ++t) {
    out += num(times[t]);
    for (double x : v.ode[t]) out += "," + num(x);
    out += "\n";
  }
  return out;
}

std::string variant_cells_csv(const VariantResult& v, const ReadoutInfo& readout) {
  std::string out = "cell,status,events,f0,rise,responder,peaks,first_peak_time,amplitude,period";
  for (double t : readout.test_times)
    out += fmt::format(",{}@{}{}", readout.observable, t, readout.time_unit);
  out += "\n";
  for (const CellRecord& c : v.cells.cells()) {
    const CellSummary& s = c.summary;
    out += fmt::format("{},{},{},{},{},{},{},{},{},{}", c.id, status_name(c.status), c.events,
                       num(s.f0), num(s.rise), s.responder ? 1 : 0, s.peaks, num(s.first_peak_time),
                       num(s.amplitude), num(s.period));
    for (double x : c.at_test_times) out += "," + num(x);
    out += "\n";
  }
  return out;
}

namespace {

std::string value_ci(double mean, double lo, double hi, int digits) {
  if (!std::isfinite(mean)) return "n/a";
  return fmt::format("{:.{}f} [{:.{}f}, {:.{}f}]", mean, digits, lo, digits, hi, digits);
}

const ComparisonRow* find_row(const std::vector<ComparisonRow>& rows, const std::string& a,
                              const std::string& b, const std::string& statistic) {
  for (const ComparisonRow& r : rows)
    if (r.reference == a && r.other == b && r.statistic == statistic) return &r;
  return nullptr;
}

std::string p_text(double p) {
  if (!std::isfinite(p)) return "";
  return p < 1e-4 ? "p_adj < 1e-4" : fmt::format("p_adj = {:.2g}", p);
}

}  // namespace

std::vector<std::string> summary_sentences(const std::vector<VariantResult>& variants,
                                           const std::vector<ComparisonRow>& rows,
                                           const ReadoutInfo& readout) {
  std::vector<std::string> lines;
  const std::string& u = readout.time_unit;
  for (const VariantResult& v : variants) {
    const ResponderFraction r = responder_fraction(v);
    const Described peak = describe(cell_values(v, "first_peak_time"));
    const Described amplitude = describe(cell_values(v, "amplitude"));
    const Described period = describe(cell_values(v, "period"));
    std::string line = fmt::format("{}: responders {}/{} = {:.2f} [{:.2f}, {:.2f}]", v.id,
                                   r.responders, r.cells, r.fraction, r.ci_low, r.ci_high);
    if (peak.n > 0)
      line += fmt::format("; first {} peak {} {}; amplitude {}", readout.observable,
                          value_ci(peak.mean, peak.ci_low, peak.ci_high, 1), u,
                          value_ci(amplitude.mean, amplitude.ci_low, amplitude.ci_high, 3));
    else
      line += fmt::format("; no cell has a {} peak", readout.observable);
    if (period.n > 0)
      line +=
          fmt::format("; period {} {}", value_ci(period.mean, period.ci_low, period.ci_high, 1), u);
    if (v.has_ode)
      line += std::isfinite(v.ode_summary.first_peak_time)
                  ? fmt::format(" (ODE: peak {:.1f} {}, amplitude {:.3f})",
                                v.ode_summary.first_peak_time, u, v.ode_summary.amplitude)
                  : fmt::format(" (ODE: no peak, rise {:.3f})", v.ode_summary.rise);
    lines.push_back(line + ".");
  }
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const ComparisonRow& row : rows)
    if (std::find(pairs.begin(), pairs.end(), std::pair{row.reference, row.other}) == pairs.end())
      pairs.emplace_back(row.reference, row.other);
  for (const auto& [a, b] : pairs) {
    std::string line = fmt::format("{} vs {}:", b, a);
    if (const ComparisonRow* r = find_row(rows, a, b, "responder_fraction"))
      line += fmt::format(" responder fraction {:+.2f} [{:+.2f}, {:+.2f}];", r->difference,
                          r->ci_low, r->ci_high);
    if (const ComparisonRow* r = find_row(rows, a, b, "first_peak_time");
        r && std::isfinite(r->difference))
      line += fmt::format(" first peak {:+.1f} {} [{:+.1f}, {:+.1f}] ({});", r->difference, u,
                          r->ci_low, r->ci_high, p_text(r->p_adjusted));
    if (const ComparisonRow* r = find_row(rows, a, b, "amplitude");
        r && std::isfinite(r->difference))
      line +=
          fmt::format(" amplitude {:+.3f} [{:+.3f}, {:+.3f}], Hedges g {:.2f} ({});", r->difference,
                      r->ci_low, r->ci_high, r->effect_size, p_text(r->p_adjusted));
    if (const ComparisonRow* r = find_row(rows, a, b, "rise"); r && std::isfinite(r->difference))
      line += fmt::format(" rise {:+.3f} [{:+.3f}, {:+.3f}] ({}).", r->difference, r->ci_low,
                          r->ci_high, p_text(r->p_adjusted));
    lines.push_back(line);
  }
  return lines;
}

std::string summary_table_text(const std::vector<VariantResult>& variants,
                               const ReadoutInfo& readout) {
  const std::string& u = readout.time_unit;
  std::string out = fmt::format("{:<12} {:>17} {:>24} {:>22} {:>22}\n", "variant", "responders",
                                "first peak (" + u + ")", "amplitude", "period (" + u + ")");
  for (const VariantResult& v : variants) {
    const ResponderFraction r = responder_fraction(v);
    const Described peak = describe(cell_values(v, "first_peak_time"));
    const Described amplitude = describe(cell_values(v, "amplitude"));
    const Described period = describe(cell_values(v, "period"));
    out += fmt::format("{:<12} {:>17} {:>24} {:>22} {:>22}\n", v.id,
                       fmt::format("{}/{} ({:.2f})", r.responders, r.cells, r.fraction),
                       value_ci(peak.mean, peak.ci_low, peak.ci_high, 1),
                       value_ci(amplitude.mean, amplitude.ci_low, amplitude.ci_high, 3),
                       value_ci(period.mean, period.ci_low, period.ci_high, 1));
  }
  return out;
}

std::string compare_run_json(const CompareProvenance& p,
                             const std::vector<VariantResult>& variants) {
  nlohmann::ordered_json j;
  j["nkappa_version"] = kVersion;
  j["git_revision"] = kGitRevision;
  j["command"] = "compare";
  j["created_utc"] = utc_timestamp();
  j["scenario_file"] = p.scenario_file;
  j["scenario_sha256"] = sha256_of_file(p.scenario_file);
  j["model_file"] = p.model_file;
  j["model_sha256"] = sha256_of_file(p.model_file);
  j["seed"] = p.seed;
  j["cells_per_variant"] = p.cells;
  j["threads"] = p.threads;
  j["wall_seconds"] = p.wall_seconds;
  j["epsilon_for_approximate_methods"] = p.epsilon;
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const VariantResult& v : variants) {
    nlohmann::ordered_json x;
    x["id"] = v.id;
    x["method"] = v.method;
    x["extrinsic_noise"] = v.extrinsic_noise;
    x["events"] = v.ensemble.events;
    x["wall_seconds"] = v.ensemble.wall_seconds;
    x["events_per_second"] = v.ensemble.wall_seconds > 0
                                 ? static_cast<double>(v.ensemble.events) / v.ensemble.wall_seconds
                                 : 0.0;
    x["ode"] = v.has_ode;
    x["ode_seconds"] = v.ode_seconds;
    list.push_back(x);
  }
  j["variants"] = list;
  return j.dump(2) + "\n";
}

}  // namespace nkappa
