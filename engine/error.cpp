#include "engine/error.hpp"

namespace nkappa {

std::string format_input_error(const std::string& file, int line, const std::string& element,
                               const std::string& element_id, const std::string& problem) {
  std::string text = file.empty() ? std::string("<input>") : file;
  if (line > 0) text += ":" + std::to_string(line);
  text += ": ";
  if (!element.empty() || !element_id.empty()) {
    text += element.empty() ? std::string("element") : element;
    if (!element_id.empty()) text += " '" + element_id + "'";
    text += ": ";
  }
  return text + problem;
}

InputError::InputError(std::string file, int line, std::string element, std::string element_id,
                       std::string problem)
    : std::runtime_error(format_input_error(file, line, element, element_id, problem)),
      file_(std::move(file)),
      line_(line),
      element_(std::move(element)),
      element_id_(std::move(element_id)),
      problem_(std::move(problem)) {}

}  // namespace nkappa
