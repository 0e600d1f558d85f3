#pragma once
// The two kinds of failure nkappa reports. Only cli/main.cpp catches them: InputError exits 2,
// RuntimeError exits 1.
#include <stdexcept>
#include <string>

namespace nkappa {

// Bad input: a file, an id or a setting that the user can fix. Formatted as
// `file:line: <element> '<id>': <problem>`; parts that are unknown are left out.
class InputError : public std::runtime_error {
 public:
  InputError(std::string file, int line, std::string element, std::string element_id,
             std::string problem);
  InputError(std::string file, std::string problem)
      : InputError(std::move(file), 0, {}, {}, std::move(problem)) {}

  const std::string& file() const { return file_; }
  int line() const { return line_; }
  const std::string& element() const { return element_; }
  const std::string& element_id() const { return element_id_; }
  const std::string& problem() const { return problem_; }

 private:
  std::string file_;
  int line_;
  std::string element_;
  std::string element_id_;
  std::string problem_;
};

// A failure while computing (solver breakdown, invalid propensity during a run, I/O failure).
class RuntimeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::string format_input_error(const std::string& file, int line, const std::string& element,
                               const std::string& element_id, const std::string& problem);

}  // namespace nkappa
