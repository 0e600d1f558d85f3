#include "report/sbml_test_suite.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include "engine/error.hpp"

namespace nkappa {

namespace {

std::string trim(std::string s) {
  auto blank = [](unsigned char c) { return std::isspace(c) != 0; };
  s.erase(s.begin(), std::find_if_not(s.begin(), s.end(), blank));
  s.erase(std::find_if_not(s.rbegin(), s.rend(), blank).base(), s.end());
  return s;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(s);
  while (std::getline(in, part, sep)) parts.push_back(trim(part));
  if (!s.empty() && s.back() == sep) parts.emplace_back();
  return parts;
}

std::vector<std::string> list(const std::string& value) {
  std::vector<std::string> out;
  for (auto& item : split(value, ','))
    if (!item.empty()) out.push_back(item);
  return out;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

double parse_number(const std::string& text, bool& ok) {
  const std::string t = lower(trim(text));
  ok = true;
  if (t == "nan") return std::numeric_limits<double>::quiet_NaN();
  if (t == "inf" || t == "+inf") return std::numeric_limits<double>::infinity();
  if (t == "-inf") return -std::numeric_limits<double>::infinity();
  try {
    std::size_t used = 0;
    const double v = std::stod(t, &used);
    ok = used == t.size();
    return v;
  } catch (...) {
    ok = false;
    return 0.0;
  }
}

}  // namespace

TestCaseSettings read_test_case_settings(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path, "cannot open the settings file");
  TestCaseSettings s;
  std::string line;
  int number = 0;
  bool have_duration = false, have_steps = false;
  while (std::getline(in, line)) {
    ++number;
    line = trim(line);
    if (line.empty()) continue;
    const auto colon = line.find(':');
    if (colon == std::string::npos)
      throw InputError(path, number, "setting", "", "expected 'key: value'");
    const std::string key = trim(line.substr(0, colon));
    const std::string value = trim(line.substr(colon + 1));
    bool ok = true;
    auto number_of = [&](const std::string& v) {
      const double x = parse_number(v, ok);
      if (!ok) throw InputError(path, number, "setting", key, "not a number: '" + v + "'");
      return x;
    };
    auto range_of = [&](const std::string& v) {
      std::string inner = v;
      inner.erase(
          std::remove_if(inner.begin(), inner.end(), [](char c) { return c == '(' || c == ')'; }),
          inner.end());
      auto parts = list(inner);
      if (parts.size() != 2)
        throw InputError(path, number, "setting", key, "expected a range '(lo, hi)'");
      return std::pair<double, double>{number_of(parts[0]), number_of(parts[1])};
    };
    if (key == "start")
      s.start = value.empty() ? 0.0 : number_of(value);
    else if (key == "duration") {
      if (!value.empty()) {
        s.duration = number_of(value);
        have_duration = true;
      }
    } else if (key == "steps") {
      if (!value.empty()) {
        s.steps = static_cast<int>(number_of(value));
        have_steps = true;
      }
    } else if (key == "variables")
      s.variables = list(value);
    else if (key == "amount")
      s.amount = list(value);
    else if (key == "concentration")
      s.concentration = list(value);
    else if (key == "output")
      s.output = list(value);
    else if (key == "absolute") {
      if (!value.empty()) s.absolute = number_of(value);
    } else if (key == "relative") {
      if (!value.empty()) s.relative = number_of(value);
    } else if (key == "meanRange")
      s.mean_range = range_of(value);
    else if (key == "sdRange")
      s.sd_range = range_of(value);
    // Other keys of the suite's format carry nothing a simulation needs.
  }
  // The suite's FluxBalanceSteadyState cases (package fbc) leave both empty: their answer is a
  // linear programme's optimum, not a time course.
  if (!have_duration && !have_steps)
    throw InputError(path, 0, "setting", "duration",
                     "not a time course ('duration' and 'steps' are empty, as in a flux-balance "
                     "steady state, which nkappa does not compute)");
  if (!have_duration || !have_steps || s.steps < 1 || !(s.duration > 0))
    throw InputError(path, 0, "setting", "duration",
                     "a time course needs 'duration' > 0 and 'steps' >= 1");
  return s;
}

int ResultsTable::column(const std::string& name) const {
  const std::string want = lower(name);
  for (std::size_t i = 0; i < header.size(); ++i) {
    std::string h = lower(header[i]);
    if (h.size() > 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
    if (h == want) return static_cast<int>(i);
  }
  return -1;
}

ResultsTable read_results_csv(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path, "cannot open the results file");
  ResultsTable table;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (trim(line).empty()) continue;
    if (table.header.empty()) {
      table.header = split(line, ',');
      continue;
    }
    auto fields = split(line, ',');
    if (fields.size() != table.header.size())
      throw InputError(path, number, "row", "",
                       "expected " + std::to_string(table.header.size()) + " fields");
    std::vector<double> row;
    for (const auto& f : fields) {
      bool ok = true;
      row.push_back(parse_number(f, ok));
      if (!ok) throw InputError(path, number, "row", "", "not a number: '" + f + "'");
    }
    table.rows.push_back(std::move(row));
  }
  if (table.header.empty()) throw InputError(path, "empty results file");
  return table;
}

}  // namespace nkappa
