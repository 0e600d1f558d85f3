#pragma once
// Pieces of nkappa_bench (bench/nkappa_bench.cpp): the model list, the per-pair measurement in
// a child process, the generated scaling family, the baseline file and the SVG plot. The bench is
// an executable, not part of the engine: it may use yaml-cpp (the model list) and CLI11 directly.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/model/model_description.hpp"
#include "engine/network/reaction_network.hpp"
#include "engine/run/method.hpp"

namespace nkappa::bench {

// One entry of bench/bench_models.yaml.
struct BenchModel {
  std::string name;
  std::filesystem::path file;  // resolved: `shared:` against --shared, else the YAML's folder
  double t_end = 0.0;
  std::int64_t trajectories = 1;     // per timed repeat
  std::vector<std::string> methods;  // "exact" expands to every registered exact method + auto
  bool quick = false;                // part of --quick
  bool check_events = false;         // compare events/trajectory with models.tsv (same t_end)
  std::int64_t callgrind_trajectories = 0;  // n1 for --callgrind (n2 = 3 n1); 0: skipped
  double callgrind_t_end = 0.0;             // t_end of the --callgrind runs (default t_end)
  std::int64_t ensemble_trajectories = 0;   // for the 1-vs-N-thread throughput; 0: skipped
};

struct BenchConfig {
  int repeats = 5;
  double quick_scale = 0.2;
  std::vector<BenchModel> models;
};

BenchConfig load_config(const std::filesystem::path& yaml, const std::filesystem::path& shared);

// Reference counts of ../shared/bench-models/models.tsv.
struct ReferenceRow {
  double t_end = 0, events_mean = 0, events_sd = 0, n_reference = 0, reference_ns = 0;
  double recomputed_per_event = 0;
};
std::map<std::string, ReferenceRow> read_reference(const std::filesystem::path& tsv);

// What one (network, method) pair measured in its own child process: warm-up (a tenth of the
// trajectories, other seed), then `repeats` timed runs with seeds kDefaultSeed + r.
struct PairResult {
  std::string error;                 // non-empty: the child failed (message)
  std::vector<double> cpu_s;         // process CPU seconds per repeat
  std::vector<double> wall_s;        // wall seconds per repeat
  std::vector<std::int64_t> events;  // events per repeat
  std::int64_t other_status = 0;     // trajectories that did not reach t_end
  long rss_start_kib = 0;            // VmRSS of the child before it ran anything
  long rss_peak_kib = 0;             // VmHWM of the child at its end
};

struct PairSpec {
  double t_end = 1.0;
  std::int64_t trajectories = 1;
  int repeats = 5;
  int threads = 1;
};

// Runs in a fork()ed child so that the peak RSS belongs to this pair alone (the parent holds
// only the compiled network, counted in rss_start_kib).
PairResult measure_pair(const ReactionNetwork& net, const MethodInfo& method, const PairSpec& spec);

// The reference loop of ../shared/bench-models/README.md (bench/reference_loop.cpp): a
// pseudo-method `reference-loop` the bench runs like the registered ones, to read absolute targets
// as ratios.
inline constexpr const char* kReferenceLoop = "reference-loop";
const MethodInfo& reference_loop_method();
// The registered method of that name, or the reference loop.
const MethodInfo& bench_method(const std::string& name, const ReactionNetwork& net);
// check_capabilities, and for the reference loop: InputError unless mass-action reactions only.
void check_bench_method(const MethodInfo& method, const ReactionNetwork& net);

// Median, min and max of a sample.
struct Spread {
  double median = 0, min = 0, max = 0;
};
Spread spread(std::vector<double> v);

// --callgrind: instructions per event of the pair, from two runs of the bench itself under
// valgrind (trajectory counts n and 3n, instrumentation only around run_ensemble) so that
// loading and set-up cancel in the difference.
struct CallgrindResult {
  std::string error;
  double instructions_per_event = 0;
  std::int64_t events_difference = 0;
};
CallgrindResult callgrind_pair(const std::string& config, const std::string& shared,
                               const BenchModel& model, const std::string& method);
// The child side of it: runs n trajectories with instrumentation on, prints the event count.
int callgrind_child(const ReactionNetwork& net, const MethodInfo& method, double t_end,
                    std::int64_t trajectories);

// The scaling family: a seeded random sparse mass-action network with `reactions` reactions on
// reactions / 2 species, every reaction conserving the total molecule count (A -> B, or
// A + B -> C + D), 100 molecules per species initially. Each species is read by about 3
// reactions whatever the size, so the propensities recomputed per event stay constant and
// ns/event against size shows the cost of selection alone.
ModelDescription scaling_network(std::int32_t reactions, std::uint64_t seed);
// End time for about `events` events (total propensity is about 100 per reaction).
double scaling_t_end(std::int32_t reactions, double events);

// One line per (method) of ns/event against reaction count, log–log, as plain SVG text.
struct Series {
  std::string name;
  std::vector<std::pair<double, double>> points;  // (reactions, ns/event)
};
std::string loglog_svg(const std::vector<Series>& series, const std::string& title,
                       const std::string& x_label, const std::string& y_label);

// bench/baseline/<machine>.csv: one row per figure: kind, model, method, metric, median, min,
// max. Keys are kind/model/method/metric.
struct BaselineRow {
  std::string kind, model, method, metric;
  double median = 0, min = 0, max = 0;
  std::string key() const { return kind + "/" + model + "/" + method + "/" + metric; }
};
std::map<std::string, BaselineRow> read_baseline(const std::filesystem::path& csv);
// Writes rows, keeping those of `old` this run did not measure (temp file + rename).
void write_baseline(const std::filesystem::path& csv, const std::map<std::string, BaselineRow>& old,
                    const std::vector<BaselineRow>& now);
// "1.03" or "1.25 REGRESSION" / "0.80 faster": the ratio of the median to the baseline's and the
// verdict of the rule in bench/README.md (timings: every repeat of this run beyond every
// repeat of the baseline; instruction counts: beyond 1 %). "-" without a baseline row.
std::string compare_to_baseline(const std::map<std::string, BaselineRow>& baseline,
                                const BaselineRow& now, int* regressions);

}  // namespace nkappa::bench
