#pragma once
// report.html of `nkappa compare`: one self-contained page (inline SVG and CSS, no script, no
// network) that answers the comparison at a glance.
#include <string>
#include <vector>

#include "report/comparison.hpp"

namespace nkappa {

struct CompareReport {
  std::string title;
  std::string scenario_file;
  std::string model_file;
  std::string nkappa_version;  // "0.1.0 (git abc123)"
  std::string created_utc;
  std::vector<std::string> observable_ids;
  std::int32_t readout = 0;  // index into observable_ids
  ReadoutInfo readout_info;  // test times, unit
  std::vector<double> tau;   // output times relative to the stimulus, reported unit
  double threshold = 0.10;   // responder threshold
  const std::vector<VariantResult>* variants = nullptr;
  std::vector<ComparisonRow> rows;
  std::vector<std::string> summary_lines;  // the plain-language summary, one sentence each
  double wall_seconds = 0.0;
};

std::string render_report_html(const CompareReport& report);

}  // namespace nkappa
