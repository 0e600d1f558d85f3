#pragma once
// Mutant versus wild type (and rescue versus mutant): everything `nkappa compare` concludes
// from the ensembles of two variants, as rows that the CSV, the terminal table and the HTML
// report all print. One place for the metrics.
#include <cstdint>
#include <string>
#include <vector>

#include "engine/run/ensemble.hpp"
#include "report/cell_recorder.hpp"
#include "report/statistics.hpp"

namespace nkappa {

// One variant's results: the SSA ensemble (through its CellRecorder) and the ODE solution of
// the same variant without extrinsic noise.
struct VariantResult {
  std::string id;
  std::string description;
  bool extrinsic_noise = false;
  std::string method;
  EnsembleResult ensemble;
  CellRecorder cells;
  bool has_ode = false;
  std::vector<std::vector<double>> ode;  // [time][observable]
  CellSummary ode_summary;
  double ode_seconds = 0.0;
};

// Per-cell statistics, by name, in the order reports list them.
inline const std::vector<std::string>& cell_statistics() {
  static const std::vector<std::string> names = {"rise", "first_peak_time", "amplitude", "period"};
  return names;
}
double cell_statistic(const CellSummary& s, const std::string& name);

// Values of one per-cell statistic over the cells (NaN where undefined, e.g. non-responders).
std::vector<double> cell_values(const VariantResult& v, const std::string& statistic);
// The readout of every cell at test time k.
std::vector<double> cell_values_at_test_time(const VariantResult& v, std::size_t k);

struct ComparisonRow {
  std::string reference;
  std::string other;
  std::string statistic;  // responder_fraction, rise, ..., or "<readout>@<tau>"
  double tau = 0.0;       // test time (NaN for per-cell summaries)
  std::int64_t n_reference = 0, n_other = 0;
  double value_reference = 0.0, value_other = 0.0;       // means (fractions for responders)
  double difference = 0.0, ci_low = 0.0, ci_high = 0.0;  // other - reference, 95 % CI
  double effect_size = 0.0;   // Hedges' g (NaN for the responder fraction)
  double ks_statistic = 0.0;  // two-sample KS (NaN for the responder fraction)
  double p_value = 0.0;
  double p_adjusted = 0.0;  // Holm over the rows of the same family (summaries; test times)
};

struct ReadoutInfo {
  std::string observable;
  std::vector<double> test_times;  // tau, reported unit
  std::string time_unit;
};

std::vector<ComparisonRow> compare_variants(const VariantResult& reference,
                                            const VariantResult& other, const ReadoutInfo& readout);

// Where the SSA mean and the ODE solution of the readout differ most.
struct SsaOdeDifference {
  double largest = 0.0;   // max over times of |SSA mean - ODE|
  double at_tau = 0.0;    // where
  double relative = 0.0;  // largest / max |ODE| over the window
  double mean_absolute = 0.0;
};
SsaOdeDifference ssa_versus_ode(const VariantResult& v, std::int32_t observable,
                                const std::vector<double>& tau);

}  // namespace nkappa
