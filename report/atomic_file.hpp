#pragma once
// Output files appear complete or not at all: each is written to a temporary name in the same
// directory, flushed, then renamed over the final name.
#include <filesystem>
#include <string>
#include <vector>

namespace nkappa {

void write_file_atomically(const std::filesystem::path& path, const std::string& content);

// Several files that belong together (mean.csv, sd.csv, run.json): all are written to temporary
// names first and renamed only when every one was written, so a failure leaves none behind.
void write_files_atomically(
    const std::vector<std::pair<std::filesystem::path, std::string>>& files);

}  // namespace nkappa
