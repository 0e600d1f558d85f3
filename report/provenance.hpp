#pragma once
// Provenance of a run: what produced a result, from which input, with which settings.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace nkappa {

// The current UTC time as 2026-11-27T12:00:00Z.
std::string utc_timestamp();

// Lower-case hex SHA-256 of a file's bytes; RuntimeError if unreadable.
std::string sha256_of_file(const std::string& path);

struct RunRecord {
  std::string command;
  std::string model_file;
  std::string method;
  std::string method_kisao;
  std::uint64_t seed = 0;
  std::int64_t trajectories = 0;
  int threads = 1;
  double t_start = 0.0;  // first output time (the run itself starts at 0)
  double t_end = 0.0;
  std::int32_t samples = 0;
  // Deterministic (ODE) runs: the integrator's tolerances as used; absent for stochastic runs.
  std::optional<double> relative_tolerance;
  std::optional<double> absolute_tolerance;
  double wall_seconds = 0.0;
  std::int64_t total_events = 0;
  std::vector<std::pair<std::string, std::int64_t>> status_counts;
  // What the output columns count and in which time unit (sbml/units.hpp's report); empty
  // fields are left out of run.json.
  std::string propensity_reading;     // "as written" or "mass action in molecules"
  std::string species_unit;           // e.g. "molecules" or "model amount: umol"
  std::string time_unit;              // the model's time unit, e.g. "second * 60 (unit 'time')"
  double molecules_per_amount = 0.0;  // u, when converted
};

// run.json: the record plus nkappa's version and git revision, the model's SHA-256 and the
// UTC time of writing.
std::string run_json(const RunRecord& record);

}  // namespace nkappa
