// bench/bench_models.yaml and ../shared/bench-models/models.tsv.
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <set>
#include <sstream>

#include "bench/bench.hpp"
#include "engine/error.hpp"

namespace nkappa::bench {
namespace {

[[noreturn]] void fail(const std::filesystem::path& file, const YAML::Node& node,
                       const std::string& element, const std::string& problem) {
  throw InputError(file.string(), node.Mark().line + 1, "bench model", element, problem);
}

template <class T>
T read(const std::filesystem::path& file, const YAML::Node& node, const std::string& key,
       const std::string& element) {
  try {
    return node[key].as<T>();
  } catch (const YAML::Exception&) {
    fail(file, node, element, "'" + key + "' is missing or not of the right type");
  }
}

}  // namespace

BenchConfig load_config(const std::filesystem::path& yaml, const std::filesystem::path& shared) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(yaml.string());
  } catch (const YAML::Exception& e) {
    throw InputError(yaml.string(), e.mark.line + 1, "bench models", "", e.msg);
  }
  const std::set<std::string> top{"repeats", "quick_scale", "models"};
  const std::set<std::string> keys{"name",
                                   "file",
                                   "t_end",
                                   "trajectories",
                                   "methods",
                                   "quick",
                                   "check_events",
                                   "callgrind_trajectories",
                                   "callgrind_t_end",
                                   "ensemble_trajectories"};
  for (const auto& kv : root) {
    const auto k = kv.first.as<std::string>();
    if (!top.count(k)) fail(yaml, kv.first, k, "unknown key");
  }
  BenchConfig c;
  if (root["repeats"]) c.repeats = read<int>(yaml, root, "repeats", "repeats");
  if (c.repeats < 5) fail(yaml, root["repeats"], "repeats", "at least 5 timed repeats");
  if (root["quick_scale"]) c.quick_scale = read<double>(yaml, root, "quick_scale", "quick_scale");
  if (!root["models"] || !root["models"].IsSequence())
    fail(yaml, root, "models", "a list of models is required");
  for (const YAML::Node& n : root["models"]) {
    BenchModel m;
    m.name = read<std::string>(yaml, n, "name", "?");
    for (const auto& kv : n) {
      const auto k = kv.first.as<std::string>();
      if (!keys.count(k)) fail(yaml, kv.first, m.name, "unknown key '" + k + "'");
    }
    const auto file = read<std::string>(yaml, n, "file", m.name);
    const std::string prefix = "shared:";
    m.file = file.rfind(prefix, 0) == 0 ? shared / file.substr(prefix.size())
                                        : yaml.parent_path() / file;
    m.t_end = read<double>(yaml, n, "t_end", m.name);
    m.trajectories = read<std::int64_t>(yaml, n, "trajectories", m.name);
    if (!(m.t_end > 0) || m.trajectories < 1)
      fail(yaml, n, m.name, "t_end and trajectories must be positive");
    if (n["methods"]) m.methods = read<std::vector<std::string>>(yaml, n, "methods", m.name);
    if (m.methods.empty()) m.methods = {"exact"};
    if (n["quick"]) m.quick = read<bool>(yaml, n, "quick", m.name);
    if (n["check_events"]) m.check_events = read<bool>(yaml, n, "check_events", m.name);
    if (n["callgrind_trajectories"])
      m.callgrind_trajectories = read<std::int64_t>(yaml, n, "callgrind_trajectories", m.name);
    m.callgrind_t_end = m.t_end;
    if (n["callgrind_t_end"]) m.callgrind_t_end = read<double>(yaml, n, "callgrind_t_end", m.name);
    if (!(m.callgrind_t_end > 0)) fail(yaml, n, m.name, "callgrind_t_end must be positive");
    if (n["ensemble_trajectories"])
      m.ensemble_trajectories = read<std::int64_t>(yaml, n, "ensemble_trajectories", m.name);
    c.models.push_back(std::move(m));
  }
  return c;
}

std::map<std::string, ReferenceRow> read_reference(const std::filesystem::path& tsv) {
  std::ifstream in(tsv);
  if (!in) throw InputError(tsv.string(), "cannot open the benchmark reference table");
  std::map<std::string, ReferenceRow> rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, '\t')) f.push_back(cell);
    if (f.size() < 11) continue;
    rows[f[0]] = ReferenceRow{std::stod(f[4]), std::stod(f[5]),  std::stod(f[6]),
                              std::stod(f[7]), std::stod(f[10]), std::stod(f[8])};
  }
  return rows;
}

}  // namespace nkappa::bench
