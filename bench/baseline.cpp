// bench/baseline/<machine>.csv and the regression rule.
#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "bench/bench.hpp"
#include "engine/error.hpp"

namespace nkappa::bench {

std::map<std::string, BaselineRow> read_baseline(const std::filesystem::path& csv) {
  std::map<std::string, BaselineRow> rows;
  std::ifstream in(csv);
  if (!in) return rows;
  std::string line;
  std::getline(in, line);  // header
  for (int n = 2; std::getline(in, line); ++n) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) f.push_back(cell);
    if (f.size() != 7)
      throw InputError(csv.string(), n, "baseline row", "", "expected 7 comma-separated fields");
    BaselineRow r{f[0], f[1], f[2], f[3], std::stod(f[4]), std::stod(f[5]), std::stod(f[6])};
    rows[r.key()] = r;
  }
  return rows;
}

void write_baseline(const std::filesystem::path& csv, const std::map<std::string, BaselineRow>& old,
                    const std::vector<BaselineRow>& now) {
  std::map<std::string, BaselineRow> rows = old;
  for (const BaselineRow& r : now) rows[r.key()] = r;
  std::filesystem::create_directories(csv.parent_path());
  const std::filesystem::path temp = csv.string() + ".tmp";
  {
    std::ofstream out(temp);
    out << "kind,model,method,metric,median,min,max\n";
    for (const auto& [key, r] : rows)
      out << fmt::format("{},{},{},{},{:.6g},{:.6g},{:.6g}\n", r.kind, r.model, r.method, r.metric,
                         r.median, r.min, r.max);
    if (!out) throw InputError(temp.string(), "cannot write the baseline");
  }
  std::filesystem::rename(temp, csv);
}

std::string compare_to_baseline(const std::map<std::string, BaselineRow>& baseline,
                                const BaselineRow& now, int* regressions) {
  const auto it = baseline.find(now.key());
  if (it == baseline.end() || !(it->second.median > 0)) return "-";
  const BaselineRow& b = it->second;
  const double ratio = now.median / b.median;
  // Larger is worse for every metric but throughput.
  const bool higher_is_better = now.metric.rfind("events_per_s", 0) == 0;
  std::string verdict;
  if (now.metric == "instructions_per_event") {
    // Same seeds, same trajectories: the count moves only when the code or compiler does.
    if (ratio > 1.01) verdict = " REGRESSION";
    if (ratio < 0.99) verdict = " better";
  } else if (!higher_is_better) {
    if (now.min > b.max) verdict = " REGRESSION";
    if (now.max < b.min) verdict = " better";
  } else {
    if (now.max < b.min) verdict = " REGRESSION";
    if (now.min > b.max) verdict = " better";
  }
  if (verdict == " REGRESSION" && regressions) ++*regressions;
  return fmt::format("{:.2f}{}", ratio, verdict);
}

}  // namespace nkappa::bench
