// report/atomic_file.hpp: output files appear complete or not at all, and a failed group write
// leaves neither its files nor temporary files behind.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "engine/error.hpp"
#include "report/atomic_file.hpp"
#include "tests/support/test_support.hpp"

namespace nkappa {
namespace {

// Every entry under `dir`, hidden temporary files included, relative to it.
std::vector<std::string> entries_under(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir))
    names.push_back(std::filesystem::relative(entry.path(), dir).string());
  std::sort(names.begin(), names.end());
  return names;
}

std::string large_text() {
  std::string text;
  for (int row = 0; row < 200000; ++row) text += std::to_string(row) + ",0.5,1e-3\n";
  return text;
}

}  // namespace

TEST_CASE("atomic file: the file holds exactly the content, and nothing else is left") {
  const auto dir = test::temp_dir("atomic");
  const std::string content = large_text() + std::string("no newline at the end \0 with a NUL", 34);
  write_file_atomically(dir / "mean.csv", content);
  CHECK(test::read_text(dir / "mean.csv") == content);
  CHECK(entries_under(dir) == std::vector<std::string>{"mean.csv"});

  // Replacing an existing file.
  write_file_atomically(dir / "mean.csv", "time,X\n0,1\n");
  CHECK(test::read_text(dir / "mean.csv") == "time,X\n0,1\n");
  write_file_atomically(dir / "mean.csv", "");
  CHECK(test::read_text(dir / "mean.csv").empty());
  CHECK(entries_under(dir) == std::vector<std::string>{"mean.csv"});
}

TEST_CASE("atomic file: a directory that does not exist is a RuntimeError and leaves nothing") {
  const auto dir = test::temp_dir("atomic");
  const auto target = dir / "missing" / "mean.csv";
  CHECK_THROWS_AS(write_file_atomically(target, "time,X\n"), RuntimeError);
  try {
    write_file_atomically(target, "time,X\n");
  } catch (const RuntimeError& e) {
    CHECK(std::string(e.what()).find(target.string()) != std::string::npos);
  }
  CHECK_FALSE(std::filesystem::exists(dir / "missing"));
  CHECK(entries_under(dir).empty());
}

TEST_CASE("atomic file: a group with one unwritable path writes none of its files") {
  const auto dir = test::temp_dir("atomic");
  // An earlier version of one file must survive a failed group write unchanged.
  write_file_atomically(dir / "mean.csv", "old mean\n");
  for (std::size_t failing = 0; failing < 3; ++failing) {
    CAPTURE(failing);
    std::vector<std::pair<std::filesystem::path, std::string>> files = {
        {dir / "mean.csv", "new mean\n"}, {dir / "sd.csv", "new sd\n"}, {dir / "run.json", "{}\n"}};
    files[failing].first = dir / "missing" / files[failing].first.filename();
    CHECK_THROWS_AS(write_files_atomically(files), RuntimeError);
    CHECK(entries_under(dir) == std::vector<std::string>{"mean.csv"});
    CHECK(test::read_text(dir / "mean.csv") == "old mean\n");
  }
}

TEST_CASE("atomic file: a group of files is written completely") {
  const auto dir = test::temp_dir("atomic");
  write_files_atomically(
      {{dir / "mean.csv", "m\n"}, {dir / "sd.csv", "s\n"}, {dir / "run.json", "{}\n"}});
  CHECK(entries_under(dir) == std::vector<std::string>{"mean.csv", "run.json", "sd.csv"});
  CHECK(test::read_text(dir / "mean.csv") == "m\n");
  CHECK(test::read_text(dir / "sd.csv") == "s\n");
  CHECK(test::read_text(dir / "run.json") == "{}\n");
}

}  // namespace nkappa
