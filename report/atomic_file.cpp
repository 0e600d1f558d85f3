#include "report/atomic_file.hpp"

#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "engine/error.hpp"

namespace nkappa {

namespace {

std::filesystem::path temporary_name(const std::filesystem::path& path) {
  return path.parent_path() /
         ("." + path.filename().string() + ".tmp." + std::to_string(static_cast<long>(::getpid())));
}

void write_temporary(const std::filesystem::path& tmp, const std::filesystem::path& final_path,
                     const std::string& content) {
  std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
  if (!out)
    throw RuntimeError("cannot write '" + final_path.string() +
                       "': cannot create a file in its directory");
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.flush();
  if (!out) {
    out.close();
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    throw RuntimeError("cannot write '" + final_path.string() + "': write failed (disk full?)");
  }
}

}  // namespace

void write_file_atomically(const std::filesystem::path& path, const std::string& content) {
  write_files_atomically({{path, content}});
}

void write_files_atomically(
    const std::vector<std::pair<std::filesystem::path, std::string>>& files) {
  // Renaming is atomic per file, not for the group: refuse up front what would make a later
  // rename fail (a directory in the way), so that the rename phase cannot stop half-way.
  for (const auto& [path, content] : files) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
      throw RuntimeError("cannot write '" + path.string() +
                         "': a directory of that name is in the way");
  }
  std::vector<std::filesystem::path> written;
  auto discard = [&] {
    std::error_code ec;
    for (const auto& tmp : written) std::filesystem::remove(tmp, ec);
  };
  try {
    for (const auto& [path, content] : files) {
      const auto tmp = temporary_name(path);
      write_temporary(tmp, path, content);
      written.push_back(tmp);
    }
  } catch (...) {
    discard();
    throw;
  }
  for (std::size_t i = 0; i < files.size(); ++i) {
    std::error_code ec;
    std::filesystem::rename(written[i], files[i].first, ec);
    if (ec) {
      discard();
      throw RuntimeError("cannot write '" + files[i].first.string() + "': " + ec.message());
    }
  }
}

}  // namespace nkappa
