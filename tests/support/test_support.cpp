#include "tests/support/test_support.hpp"

#include <unistd.h>

#include <sys/wait.h>
#include <array>
#include <boost/math/distributions/normal.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "engine/error.hpp"
#include "engine/run/output_grid.hpp"

namespace nkappa::test {

std::filesystem::path shared_dir() {
  const std::filesystem::path dir = NKAPPA_SHARED_DIR;
  if (!std::filesystem::is_directory(dir / "sbml-test-suite")) {
    std::cerr << "SKIPPED: the shared reference folder is absent (" << dir.string()
              << "); set -DNKAPPA_SHARED_DIR to it\n";
    std::exit(77);
  }
  return dir;
}

std::filesystem::path source_dir() {
  return NKAPPA_SOURCE_DIR;
}
std::string cli_path() {
  return NKAPPA_CLI;
}

namespace {
std::vector<std::filesystem::path>& made_dirs() {
  static std::vector<std::filesystem::path> dirs;
  return dirs;
}
void remove_made_dirs() {
  std::error_code ec;
  for (const auto& d : made_dirs()) std::filesystem::remove_all(d, ec);
}
}  // namespace

std::filesystem::path temp_dir(const std::string& tag) {
  static int counter = 0;
  if (counter == 0) std::atexit(remove_made_dirs);
  const auto dir =
      std::filesystem::temp_directory_path() /
      ("nkappa-test-" + tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  made_dirs().push_back(dir);
  return dir;
}

CommandResult run_command(const std::string& command) {
  CommandResult result;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer{};
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    result.output.append(buffer.data(), n);
  const int status = ::pclose(pipe);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::pair<int, int> highest_sbml_level(const std::filesystem::path& case_dir,
                                       const std::string& name) {
  for (auto [l, v] : {std::pair{3, 2}, {3, 1}, {2, 5}, {2, 4}, {2, 3}, {2, 2}, {2, 1}, {1, 2}})
    if (std::filesystem::exists(
            case_dir / (name + "-sbml-l" + std::to_string(l) + "v" + std::to_string(v) + ".xml")))
      return {l, v};
  return {3, 2};
}

void write_report(const std::string& name, const std::string& text) {
  const std::filesystem::path dir = std::filesystem::path(NKAPPA_BINARY_DIR) / "reports";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / name) << text;
}

EnsembleMoments run_moments(const ReactionNetwork& net, const std::string& method,
                            const RunSpec& spec) {
  std::vector<OutputColumn> columns;
  for (std::int32_t s = 0; s < net.species_count(); ++s)
    columns.push_back(OutputColumn{OutputColumn::Source::Species, s, 1.0, net.species_ids[s]});
  OutputGrid grid(spec.t_start, spec.t_end, spec.samples);
  EnsembleMoments out{grid.times(), Moments(columns, grid.size()), {}};
  const MethodInfo& info = find_method(method, net);
  out.result = run_ensemble(
      net, info, spec, [&] { return std::make_unique<Moments>(columns, grid.size()); },
      out.moments);
  return out;
}

double bonferroni_two_sided_z(double budget, double tests) {
  const double tail = budget / (2.0 * tests);
  return boost::math::quantile(
      boost::math::complement(boost::math::normal_distribution<double>(), tail));
}

std::filesystem::path write_temp_file(const std::string& tag, const std::string& name,
                                      const std::string& text) {
  const auto path = temp_dir(tag) / name;
  std::ofstream(path) << text;
  return path;
}

std::string input_error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no InputError)";
}

}  // namespace nkappa::test
