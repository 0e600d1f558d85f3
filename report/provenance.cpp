#include "report/provenance.hpp"

#include <openssl/evp.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "engine/error.hpp"
#include "nkappa/version.hpp"

namespace nkappa {

std::string sha256_of_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw RuntimeError("cannot read '" + path + "' to compute its SHA-256");
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) != 1)
    throw RuntimeError("SHA-256 of '" + path + "' failed");
  static const char* hex = "0123456789abcdef";
  std::string text;
  for (unsigned int i = 0; i < length; ++i) {
    text += hex[digest[i] >> 4];
    text += hex[digest[i] & 15];
  }
  return text;
}

std::string utc_timestamp() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return stamp;
}

std::string run_json(const RunRecord& r) {
  nlohmann::ordered_json j;
  j["nkappa_version"] = kVersion;
  j["git_revision"] = kGitRevision;
  j["command"] = r.command;
  j["created_utc"] = utc_timestamp();
  j["model_file"] = r.model_file;
  j["model_sha256"] = sha256_of_file(r.model_file);
  j["method"] = r.method;
  j["method_kisao"] = r.method_kisao;
  j["seed"] = r.seed;
  j["trajectories"] = r.trajectories;
  j["threads"] = r.threads;
  j["t_start"] = r.t_start;
  j["t_end"] = r.t_end;
  j["samples"] = r.samples;
  if (r.relative_tolerance) j["relative_tolerance"] = *r.relative_tolerance;
  if (r.absolute_tolerance) j["absolute_tolerance"] = *r.absolute_tolerance;
  j["wall_seconds"] = r.wall_seconds;
  j["total_events"] = r.total_events;
  j["events_per_second"] =
      r.wall_seconds > 0 ? static_cast<double>(r.total_events) / r.wall_seconds : 0.0;
  nlohmann::ordered_json statuses = nlohmann::ordered_json::object();
  for (const auto& [name, count] : r.status_counts) statuses[name] = count;
  j["trajectory_status"] = statuses;
  if (!r.propensity_reading.empty()) j["propensity_reading"] = r.propensity_reading;
  if (!r.species_unit.empty()) j["species_unit"] = r.species_unit;
  if (!r.time_unit.empty()) j["time_unit"] = r.time_unit;
  if (r.molecules_per_amount > 0.0) j["molecules_per_model_amount"] = r.molecules_per_amount;
  return j.dump(2) + "\n";
}

}  // namespace nkappa
