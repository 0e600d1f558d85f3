#pragma once
// The text outputs of `nkappa compare`: CSV tables, the plain-language summary, the terminal
// table and run.json. Built from the same rows as the HTML report.
#include <string>
#include <vector>

#include "report/comparison.hpp"

namespace nkappa {

// Mean with a 95 % t confidence interval and type-7 quantiles over the finite values.
struct Described {
  std::int64_t n = 0;
  double mean = 0.0, sd = 0.0, ci_low = 0.0, ci_high = 0.0;
  double q05 = 0.0, q25 = 0.0, q50 = 0.0, q75 = 0.0, q95 = 0.0;
};
Described describe(const std::vector<double>& values);

// Responders with a 95 % Wilson interval.
struct ResponderFraction {
  std::int64_t responders = 0, cells = 0;
  double fraction = 0.0, ci_low = 0.0, ci_high = 0.0;
};
ResponderFraction responder_fraction(const VariantResult& v);

std::string summary_csv(const std::vector<VariantResult>& variants, const ReadoutInfo& readout);
std::string comparison_csv(const std::vector<ComparisonRow>& rows);
// Per variant: mean, sd and the sketch quantiles of every observable per output time, the ODE
// solution, and one row per cell.
std::string variant_mean_csv(const VariantResult& v, const std::vector<std::string>& observables);
std::string variant_sd_csv(const VariantResult& v, const std::vector<std::string>& observables);
std::string variant_quantiles_csv(const VariantResult& v,
                                  const std::vector<std::string>& observables);
std::string variant_ode_csv(const VariantResult& v, const std::vector<std::string>& observables);
std::string variant_cells_csv(const VariantResult& v, const ReadoutInfo& readout);

std::vector<std::string> summary_sentences(const std::vector<VariantResult>& variants,
                                           const std::vector<ComparisonRow>& rows,
                                           const ReadoutInfo& readout);
std::string summary_table_text(const std::vector<VariantResult>& variants,
                               const ReadoutInfo& readout);

struct CompareProvenance {
  std::string scenario_file, model_file, method;
  std::uint64_t seed = 0;
  std::int64_t cells = 0;
  int threads = 1;
  double wall_seconds = 0.0;
  double epsilon = 0.0;  // tau-leaping error control; read by approximate methods only
  std::vector<std::string> variants;
};
std::string compare_run_json(const CompareProvenance& p,
                             const std::vector<VariantResult>& variants);

}  // namespace nkappa
